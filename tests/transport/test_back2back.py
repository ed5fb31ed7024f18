"""One suite, every transport (python-can's back2back style): what the ball sent is what
``recv`` hands out, byte for byte and in order, after a ``connected`` link chunk. Serial on a
pseudo-terminal and on ``loop://``, a replayed recording, the simulated ball, and BLE with
bleak's BlueZ backend against BlueZoo."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartball.handshake import StartHandshake
from smartball.protocol import Command, decode_frame, serial_wrap
from smartball.protocol.constants import Opcode
from smartball.recording import RecordingWriter
from smartball.transport import Received, Transport, open_transport
from tests.ble.bluezoo_env import PeripheralThread, VirtualBluez, missing_tools
from tests.clock import FakeClock
from tests.transport.ballbytes import PtyBall, ball_frames


def read_all(t: Transport, n_bytes: int, timeout_s: float = 30.0) -> tuple[list[Received], bytes]:
    """Chunks until ``n_bytes`` of data came (or the transport ended, or ``timeout_s``)."""
    chunks: list[Received] = []
    data = bytearray()
    deadline = time.monotonic() + timeout_s
    while len(data) < n_bytes and time.monotonic() < deadline:
        try:
            c = t.recv(0.2)
        except EOFError:
            break
        if c is not None:
            chunks.append(c)
            data += c.data
    return chunks, bytes(data)


class TransportSuite:
    """Subclasses provide ``open_with(chunks)``: a transport on which the ball sends them."""

    envelope = "serial"
    ends_at_eof = False

    def source(self) -> list[bytes]:
        return [serial_wrap(f) for f in ball_frames(120)]

    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        raise NotImplementedError

    def test_bytes_arrive_whole_and_in_order(self, tmp_path: Path) -> None:
        src = self.source()
        with self.open_with(src, tmp_path) as t:
            assert t.envelope == self.envelope
            chunks, data = read_all(t, sum(map(len, src)))
        assert data == b"".join(src)
        assert all(c.host_time_s > 0 for c in chunks)
        times = [c.host_time_s for c in chunks]
        assert times == sorted(times)

    def test_first_chunk_says_connected(self, tmp_path: Path) -> None:
        with self.open_with(self.source(), tmp_path) as t:
            first = t.recv(2.0)
        assert first is not None and first.link == "connected" and first.data == b""

    def test_after_the_data_recv_times_out_or_ends(self, tmp_path: Path) -> None:
        src = self.source()
        with self.open_with(src, tmp_path) as t:
            read_all(t, sum(map(len, src)))
            if self.ends_at_eof:
                with pytest.raises(EOFError):
                    t.recv(0.1)
            else:
                assert t.recv(0.1) is None

    def test_a_closed_transport_refuses_recv(self, tmp_path: Path) -> None:
        t = self.open_with(self.source(), tmp_path)
        t.close()
        assert t.closed
        with pytest.raises(EOFError):
            t.recv(0.1)
        t.close()  # twice is fine


class TestPtySerial(TransportSuite):
    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        ball = PtyBall(tmp_path / "ball")
        t = open_transport("serial", str(ball.link))
        threading.Thread(target=ball.write_paced, args=(chunks, 0.001), daemon=True).start()
        orig = t._shutdown

        def shutdown() -> None:
            orig()
            ball.close()

        t._shutdown = shutdown  # type: ignore[method-assign]
        return t


class TestLoopSerial(TransportSuite):
    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        t = open_transport("serial", "loop://")

        def feed() -> None:
            # What goes into loop:// comes back out; its queue holds 4096 bytes, so feed it
            # from a thread while the test reads.
            for c in chunks:
                t._send_internal(c)

        threading.Thread(target=feed, daemon=True).start()
        return t


class TestReplay(TransportSuite):
    ends_at_eof = True

    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        path = tmp_path / "r.sbrec"
        with RecordingWriter(path, envelope="serial", transport="test ball") as w:
            w.on_chunk(Received(1000.0, b"", "connected", "test ball"))
            for k, c in enumerate(chunks):
                w.on_chunk(Received(1000.0 + k * 0.0005, c))
        return open_transport("replay", path, speed=None)


class TestReplayInTime(TestReplay):
    """Paced at 10x, on a clock of the test's own (sleeping advances it at once)."""

    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        path = tmp_path / "r.sbrec"
        super().open_with(chunks, tmp_path)
        clock = FakeClock()
        return open_transport("replay", path, speed=10.0, clock=clock, sleep=clock.sleep)


class TestSimulated(TransportSuite):
    """The simulated ball: its bytes are the ones ``SimulatedBall.serial_chunks`` gives."""

    def source(self) -> list[bytes]:
        from smartball.sim.ball import SimulatedBall

        return [d for _, d in SimulatedBall("demo", seed=2, seconds=2).serial_chunks()]

    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        t = open_transport("sim", "demo", seed=2, seconds=2, speed=None)
        return t

    def test_after_the_data_recv_times_out_or_ends(self, tmp_path: Path) -> None:
        with self.open_with([], tmp_path) as t:
            read_all(t, sum(map(len, self.source())))
            with pytest.raises(EOFError):
                for _ in range(100):
                    t.recv(0.1)


class TestSimulatedRealTime(TestSimulated):
    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        return open_transport("sim", "demo", seed=2, seconds=2, speed=8.0)


class ScriptedBall:
    """A ball behind the BLE peripheral that sends given bare frames from START on (the
    first is an INFO, as after a START), a few every 20 ms."""

    name = "SmartBall-B2B0"

    def __init__(self, frames: list[bytes]) -> None:
        self.frames = frames
        self.next: int | None = None

    def handle_command(self, frame: bytes, now_s: float) -> list[bytes]:
        cmd = decode_frame(frame)
        assert isinstance(cmd, Command)
        if cmd.opcode == Opcode.START and self.next is None:
            self.next = 0
        return []

    def poll(self, now_s: float) -> list[bytes]:
        if self.next is None:
            return []
        out = self.frames[self.next : self.next + 6]
        self.next += len(out)
        return out


@pytest.mark.ble
@pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))
class TestBle(TransportSuite):
    """bleak's real BlueZ backend against BlueZoo; the ball is a GATT peripheral on the
    second virtual adapter."""

    envelope = "packet"

    @pytest.fixture(autouse=True)
    def bluez(self) -> Iterator[None]:
        with VirtualBluez():
            yield

    def source(self) -> list[bytes]:
        return ball_frames(120)

    def open_with(self, chunks: list[bytes], tmp_path: Path) -> Transport:
        peripheral = PeripheralThread(ScriptedBall(chunks)).start()
        try:
            t = open_transport("ble", None, adapter="hci0", scan_timeout_s=10)
            t.send(StartHandshake().start(None))  # as the session does on "connected"
        except BaseException:
            peripheral.stop()
            raise
        orig = t._shutdown

        def shutdown() -> None:
            try:
                orig()
            finally:
                peripheral.stop()

        t._shutdown = shutdown  # type: ignore[method-assign]
        return t
