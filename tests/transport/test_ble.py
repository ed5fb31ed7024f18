"""The BLE transport with bleak's real BlueZ backend, against BlueZoo and the simulated ball
registered as a GATT peripheral on the second virtual adapter. No mock of bleak."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Iterator

import pytest

from smartball.errors import DeviceError, DeviceNotFound
from smartball.handshake import StartHandshake
from smartball.protocol import Command, Info, Reply, Samples, decode_frame, encode_frame
from smartball.protocol.constants import Opcode
from smartball.protocol.decoder import Decoded, PacketDecoder
from smartball.transport.base import Received
from tests.ble.bluezoo_env import (
    BALL_ADDRESS,
    HOST_ADDRESS,
    PeripheralThread,
    VirtualBluez,
    bluez_call,
    missing_tools,
)
from tests.ble.sim_source import ball_source
from tests.clock import wait_until

pytestmark = [
    pytest.mark.ble,
    pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools())),
]

HOST_DEVICE_PATH = f"/org/bluez/hci0/dev_{BALL_ADDRESS.replace(':', '_')}"


@pytest.fixture(scope="module")
def ball() -> Iterator[PeripheralThread]:
    with VirtualBluez():
        peripheral = PeripheralThread(ball_source()).start()
        try:
            yield peripheral
        finally:
            peripheral.stop()


def collect(transport: object, seconds: float) -> list[Received]:
    from smartball.transport.ble import BleTransport

    assert isinstance(transport, BleTransport)
    chunks = []
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        chunk = transport.recv(left)
        if chunk is not None:
            chunks.append(chunk)
    return chunks


def wait_link(transport: object, link: str, timeout_s: float) -> tuple[Received, list[Received]]:
    """The first chunk with ``link`` set to ``link``, and the chunks before it."""
    from smartball.transport.ble import BleTransport

    assert isinstance(transport, BleTransport)
    before = []
    end = time.monotonic() + timeout_s
    while (left := end - time.monotonic()) > 0:
        chunk = transport.recv(left)
        if chunk is None:
            break
        if chunk.link == link:
            return chunk, before
        before.append(chunk)
    raise AssertionError(f"no {link!r} chunk within {timeout_s} s; got {before[-3:]}")


def sample_indices(chunks: list[Received]) -> list[int]:
    out: list[int] = []
    for chunk in chunks:
        msg = decode_frame(chunk.data)
        if isinstance(msg, Samples):
            out.extend(range(msg.first_index, msg.first_index + msg.count))
    return out


def start_stream(transport: object) -> None:
    """START, as the session sends it when it sees the ``connected`` or ``reconnected``
    chunk (the transport waits for its subscription before writing it)."""
    from smartball.transport.ble import BleTransport

    assert isinstance(transport, BleTransport)
    transport.send(StartHandshake().start(None))


def drop_link() -> None:
    """Another program on the host disconnects the ball, as a lost link would."""
    asyncio.run(bluez_call(HOST_DEVICE_PATH, "org.bluez.Device1", "Disconnect"))


def test_backoff_doubles_from_half_a_second_to_eight() -> None:
    from smartball.transport.ble import backoff_delays

    assert list(itertools.islice(backoff_delays(), 7)) == [0.5, 1, 2, 4, 8, 8, 8]


def test_scan_finds_the_ball_by_its_service(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BallAdvert, scan_balls

    found = scan_balls(timeout_s=1.5)
    assert [(b.name, b.address) for b in found] == [(ball.peripheral.name, BALL_ADDRESS)]
    assert isinstance(found[0], BallAdvert)
    assert [b.address for b in scan_balls(timeout_s=1.5, adapter="hci0")] == [BALL_ADDRESS]


def commands(ball: PeripheralThread, since: int) -> list[tuple[str, int]]:
    return [(e, d) for _, e, d in ball.peripheral.log.events[since:]]


def start_reply_at(chunks: list[Received]) -> int:
    """Position of the REPLY to START among data chunks."""
    for i, chunk in enumerate(chunks):
        msg = decode_frame(chunk.data)
        if isinstance(msg, Reply) and msg.opcode == Opcode.START:
            assert msg.result == 0
            return i
    raise AssertionError("no REPLY to START")


def test_subscribes_before_start_and_streams_one_frame_per_chunk(
    ball: PeripheralThread,
) -> None:
    from smartball.transport.ble import BleTransport

    events_before = len(ball.peripheral.log.events)
    with BleTransport(scan_timeout_s=5) as transport:
        assert transport.envelope == "packet"
        first = transport.recv(5)
        assert first is not None and first.link == "connected"
        assert BALL_ADDRESS in first.detail
        start_stream(transport)
        chunks = collect(transport, 1.0)
    events = commands(ball, events_before)
    # Subscribed first, then START.
    assert events[:3] == [
        ("connected", 0),
        ("notify_start", 0),
        ("command", Opcode.START),
    ]
    # Every chunk is exactly one bare frame: it decodes whole.
    messages = [decode_frame(c.data) for c in chunks]
    at = start_reply_at(chunks)
    assert isinstance(messages[at + 1], Info)
    indices = sample_indices(chunks)
    assert indices == list(range(len(indices)))  # a new stream: from 0, no gap
    assert len(indices) >= 60  # ~1 s at 100 Hz, minus the start-up
    seqs = [m.seq for m in messages]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    times = [c.host_time_s for c in chunks]
    assert times == sorted(times) and abs(times[-1] - time.time()) < 5
    # The packet decoder, as the live path uses it, sees the same: nothing lost or malformed.
    decoder = PacketDecoder()
    decoded = Decoded.concat(decoder.feed(c.data) for c in chunks)
    counters = decoder.counters
    assert (counters.malformed, counters.missing_frames, counters.lost_samples) == (0, 0, 0)
    assert decoded.samples.index.tolist() == indices
    # Closing says STOP before leaving, so the ball rests.
    assert commands(ball, events_before)[-3:-1] == [("command", Opcode.STOP), ("disconnected", 0)]


def test_stop_ends_the_stream(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    with BleTransport(scan_timeout_s=5) as transport:
        start_stream(transport)
        collect(transport, 0.3)
        transport.send(encode_frame(Command(100, 0, Opcode.STOP, 7)))
        after = collect(transport, 0.3)
        replies = [m for m in map(decode_frame, (c.data for c in after)) if isinstance(m, Reply)]
        assert [(r.opcode, r.token, r.result) for r in replies] == [(Opcode.STOP, 7, 0)]
        assert sample_indices(collect(transport, 0.5)) == []
    assert ("command", Opcode.STOP) in [(e, d) for _, e, d in ball.peripheral.log.events]


def test_lost_link_is_reported_then_the_same_stream_resumes(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    sent_before = len(ball.peripheral.log.sample_indices_sent)
    with BleTransport(scan_timeout_s=5) as transport:
        start_stream(transport)
        before = collect(transport, 0.5)
        events_before = len(ball.peripheral.log.events)
        drop_link()
        lost, tail = wait_link(transport, "disconnected", 5)
        back, between = wait_link(transport, "reconnected", 5)
        assert back.host_time_s - lost.host_time_s >= 0.45  # the first delay is 0.5 s
        assert all(c.link is None for c in between)
        start_stream(transport)  # at once: the write waits for the subscription
        after = collect(transport, 0.5)
    events = commands(ball, events_before)
    assert events[:5] == [
        ("disconnected", 0),
        ("notify_stop", 0),
        ("connected", 0),
        ("notify_start", 0),
        ("command", Opcode.START),
    ]
    data = [c for c in before[1:] + tail + after if c.link is None]
    messages = [decode_frame(c.data) for c in after]
    assert isinstance(messages[start_reply_at(after) + 1], Info)
    # The ball went on streaming while the link was down: the same stream resumes, and the
    # host sees one hole, as long as the outage. A ball learns of a lost link late (here the
    # peripheral hears of it over D-Bus, up to half a second on a busy machine), so what it
    # notified into the dead link belongs to the hole too: everything else it sent arrived.
    got = sample_indices(data)
    assert got == sorted(set(got))
    hole = set(range(got[0], got[-1] + 1)) - set(got)
    assert hole and max(hole) - min(hole) + 1 == len(hole)  # one hole, nothing else
    sent = ball.peripheral.log.sample_indices_sent[sent_before:]
    sent_around = [i for i in sent if got[0] <= i <= got[-1] and i not in hole]
    assert got == sent_around
    decoder = PacketDecoder()
    for chunk in data:
        decoder.feed(chunk.data)
    gap = decoder.counters.lost_samples
    outage_s = back.host_time_s - lost.host_time_s
    # As long as the outage, give or take the resubscription on a busy machine (0.3 s).
    assert gap == len(hole) and abs(gap - 100 * outage_s) < 30, (gap, outage_s)


def test_reconnection_backs_off_until_the_ball_is_back(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    with BleTransport(scan_timeout_s=5, reconnect_initial_s=0.1, reconnect_max_s=0.4) as t:
        start_stream(t)
        collect(t, 0.2)
        ball.call(ball.peripheral.unregister_application())
        try:
            drop_link()
            wait_link(t, "disconnected", 5)
            attempts_from = len(ball.peripheral.log.events)

            def attempts() -> list[str]:
                return [e for _, e, _ in ball.peripheral.log.events[attempts_from:]]

            # Delays 0.1, 0.2, 0.4: the third attempt comes about 0.7 s (plus scans) on.
            wait_until(lambda: attempts().count("connected") >= 3, 10)
            failed = attempts()
            assert t.recv(0) is None  # neither data nor "reconnected" while it is away
            with pytest.raises(DeviceError, match="is not connected"):
                t.send(encode_frame(Command(5, 0, Opcode.INFO_REQUEST, 1)))
        finally:
            ball.call(ball.peripheral.register_application())
        # Delays 0.1, 0.2, 0.4, 0.4... with a scan of the same length after each failure:
        # it tries again and again, each attempt failing.
        assert failed.count("connected") >= 3 and "command" not in failed, failed
        back, _ = wait_link(t, "reconnected", 5)
        assert "attempt" in back.detail
        start_stream(t)
        assert len(sample_indices(collect(t, 0.5))) >= 30


def test_low_mtu_is_warned_about(ball: PeripheralThread, caplog: pytest.LogCaptureFixture) -> None:
    from smartball.transport.ble import BleTransport

    ball.call_soon(lambda: ball.peripheral.set_mtu(50))
    try:
        with caplog.at_level(logging.WARNING, "smartball.transport.ble"):
            with BleTransport(scan_timeout_s=5) as transport:
                assert transport.att_mtu == 50
        assert any("ATT MTU is 50" in r.getMessage() for r in caplog.records)
    finally:
        ball.call_soon(lambda: ball.peripheral.set_mtu(247))
    with BleTransport(scan_timeout_s=5) as transport:
        assert transport.att_mtu == 247


def test_no_ball_in_time(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    t0 = time.monotonic()
    with pytest.raises(DeviceNotFound, match=r"within 0\.5 s"):
        BleTransport("SmartBall-FFFF", scan_timeout_s=0.5)
    assert time.monotonic() - t0 < 3


def test_found_by_name_or_address(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    for target in (ball.peripheral.name.lower(), BALL_ADDRESS):
        with BleTransport(target, scan_timeout_s=5) as transport:
            assert transport.address == BALL_ADDRESS and transport.name == ball.peripheral.name


def test_adapter_that_does_not_exist(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport, scan_balls

    with pytest.raises(DeviceNotFound, match="no Bluetooth adapter hci7; the adapters here are"):
        BleTransport(adapter="hci7", scan_timeout_s=1)
    with pytest.raises(DeviceNotFound, match="hci7"):
        scan_balls(0.5, adapter="hci7")


def test_no_adapter_at_all(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport, scan_balls

    with VirtualBluez(adapters=()):
        with pytest.raises(DeviceNotFound, match="No Bluetooth adapter was found"):
            BleTransport(scan_timeout_s=1)
        with pytest.raises(DeviceNotFound, match="No Bluetooth adapter was found"):
            scan_balls(0.5)


def test_bluetooth_off(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    with VirtualBluez(adapters=(HOST_ADDRESS,), powered=False):
        with pytest.raises(DeviceError, match=r"^Bluetooth is off; turn it on"):
            BleTransport(scan_timeout_s=1)
        with pytest.raises(DeviceError, match="adapter hci0 is off"):
            BleTransport(adapter="hci0", scan_timeout_s=1)


def test_close_wakes_a_reader_blocked_in_recv(ball: PeripheralThread) -> None:
    import threading

    from smartball.transport.ble import BleTransport

    transport = BleTransport(scan_timeout_s=5)
    transport.send(encode_frame(Command(100, 0, Opcode.STOP, 3)))
    collect(transport, 0.3)  # the REPLY, then nothing but a STATUS a second
    got: list[Received | None] = []
    reading = threading.Event()

    def read_until_eof() -> None:
        reading.set()
        try:
            while True:
                got.append(transport.recv(None))
        except EOFError:
            got.append(None)

    reader = threading.Thread(target=read_until_eof)
    reader.start()
    assert reading.wait(5)
    ball.call_soon(ball.peripheral.stall)  # not even the REPLY to the STOP of close()
    try:
        transport.close()
        reader.join(timeout=5)
    finally:
        ball.call_soon(lambda: ball.peripheral.stall(False))
    assert not reader.is_alive()
    assert got[-1] is None  # it ended with EOFError rather than waiting forever


def test_a_board_without_imu_streams_what_it_has(ball: PeripheralThread) -> None:
    """START may only ask for channels the board has (the firmware answers UNSUPPORTED
    otherwise): the session's handshake, the same as over serial, learns them from the
    ball's INFO and asks again."""
    from smartball.protocol.constants import Channel
    from smartball.session import Session
    from smartball.transport.ble import BleTransport

    chunks: list[Received] = []
    with VirtualBluez():
        small = PeripheralThread(ball_source(seconds=20, scenario="pressure-only")).start()
        try:
            with BleTransport(scan_timeout_s=5) as transport:
                session = Session(transport, process=False)
                real = session.handle_chunks
                session.handle_chunks = lambda cs: (chunks.extend(cs), real(cs))  # type: ignore[method-assign]
                session.start()
                wait_until(lambda: session.counters.samples >= 30, 10)
                session.stop()
                session.join()
        finally:
            small.stop()
    chunks = [c for c in chunks if c.link is None]
    samples = [m for m in map(decode_frame, (c.data for c in chunks)) if isinstance(m, Samples)]
    assert samples and {m.channels for m in samples} == {int(Channel.PRESSURE)}
    assert sample_indices(chunks)[:1] == [0]
    assert session.channels == int(Channel.PRESSURE)
