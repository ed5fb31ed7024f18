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
        chunks = collect(transport, 1.0)
    events = [(e, d) for _, e, d in ball.peripheral.log.events[events_before:]]
    assert events[:3] == [("connected", 0), ("notify_start", 0), ("command", Opcode.START)]
    # Every chunk is exactly one bare frame: it decodes whole.
    messages = [decode_frame(c.data) for c in chunks]
    assert isinstance(messages[0], Reply) and messages[0].opcode == Opcode.START
    assert isinstance(messages[1], Info)
    indices = sample_indices(chunks)
    assert indices == list(range(len(indices)))
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


def test_stop_ends_the_stream(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    with BleTransport(scan_timeout_s=5) as transport:
        collect(transport, 0.3)
        transport.send(encode_frame(Command(100, 0, Opcode.STOP, 7)))
        after = collect(transport, 0.3)
        replies = [m for m in map(decode_frame, (c.data for c in after)) if isinstance(m, Reply)]
        assert [(r.opcode, r.token, r.result) for r in replies] == [(Opcode.STOP, 7, 0)]
        assert sample_indices(collect(transport, 0.5)) == []
    assert ("command", Opcode.STOP) in [(e, d) for _, e, d in ball.peripheral.log.events]


def test_lost_link_is_reported_then_recovered_with_a_new_start(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    with BleTransport(scan_timeout_s=5) as transport:
        collect(transport, 0.3)
        events_before = len(ball.peripheral.log.events)
        drop_link()
        lost, _ = wait_link(transport, "disconnected", 5)
        back, between = wait_link(transport, "reconnected", 5)
        assert back.host_time_s - lost.host_time_s >= 0.45  # the first delay is 0.5 s
        assert all(c.link is None for c in between)
        chunks = collect(transport, 0.5)
    events = [(e, d) for _, e, d in ball.peripheral.log.events[events_before:]]
    assert events[:5] == [
        ("disconnected", 0),
        ("notify_stop", 0),
        ("connected", 0),
        ("notify_start", 0),
        ("command", Opcode.START),
    ]
    messages = [decode_frame(c.data) for c in chunks]
    assert isinstance(messages[1], Info)  # the stream starts again, INFO first
    indices = sample_indices(chunks)
    assert indices[:1] == [0] and indices == list(range(len(indices)))


def test_reconnection_backs_off_until_the_ball_is_back(ball: PeripheralThread) -> None:
    from smartball.transport.ble import BleTransport

    with BleTransport(scan_timeout_s=5, reconnect_initial_s=0.1, reconnect_max_s=0.4) as t:
        collect(t, 0.2)
        ball.call(ball.peripheral.unregister_application())
        try:
            drop_link()
            wait_link(t, "disconnected", 5)
            attempts_from = len(ball.peripheral.log.events)
            time.sleep(1.5)
            failed = [e for _, e, _ in ball.peripheral.log.events[attempts_from:]]
            assert t.recv(0) is None  # neither data nor "reconnected" while it is away
            with pytest.raises(DeviceError, match="is not connected"):
                t.send(encode_frame(Command(5, 0, Opcode.INFO_REQUEST, 1)))
        finally:
            ball.call(ball.peripheral.register_application())
        # Delays 0.1, 0.2, 0.4, 0.4... with a scan of the same length after each failure.
        assert 2 <= failed.count("connected") <= 6, failed
        back, _ = wait_link(t, "reconnected", 5)
        assert "attempt" in back.detail
        assert sample_indices(collect(t, 0.5))[:1] == [0]


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

    def read_until_eof() -> None:
        try:
            while True:
                got.append(transport.recv(None))
        except EOFError:
            got.append(None)

    reader = threading.Thread(target=read_until_eof)
    reader.start()
    time.sleep(0.2)
    transport.close()
    reader.join(timeout=5)
    assert not reader.is_alive()
    links = [c.link for c in got if c is not None and c.link]
    assert links[-1:] == ["disconnected"]
