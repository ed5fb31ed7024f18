"""The simulated device on the wire: decoded by the same decoder as a real ball."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from smartball.protocol import Command, Info, Reply, Samples, Status, decode_frame, encode_frame
from smartball.protocol.constants import Channel, Opcode, ReplyResult
from smartball.protocol.decoder import PacketDecoder, StreamDecoder
from smartball.sim.ball import SimulatedBall
from smartball.sim.pacing import realtime
from tests.sim.helpers import settled_from_measured


@pytest.fixture(scope="module")
def demo() -> SimulatedBall:
    return SimulatedBall("demo", seed=0, seconds=30)


def decode(data: bytes) -> tuple[StreamDecoder, object]:
    dec = StreamDecoder()
    out = dec.feed(data)
    dec.finish()
    return dec, out


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    a = SimulatedBall("plantar-fasciitis", seed=5, seconds=10).serial_bytes()
    b = SimulatedBall("plantar-fasciitis", seed=5, seconds=10).serial_bytes()
    c = SimulatedBall("plantar-fasciitis", seed=6, seconds=10).serial_bytes()
    assert a == b
    assert a != c


def test_frames_are_info_first_then_batched_samples_and_status(demo: SimulatedBall) -> None:
    frames = list(demo.frames())
    msgs = [decode_frame(f) for _, f in frames]
    assert isinstance(msgs[0], Info)
    info = msgs[0]
    assert info.sample_period_us == 10_000
    assert info.channels == Channel.PRESSURE | Channel.GYRO | Channel.ACCEL
    assert info.gyro_dps_per_lsb == pytest.approx(0.07)
    assert info.accel_g_per_lsb == pytest.approx(0.000122)
    assert info.ball_diameter_mm == 80
    times = np.array([t for t, _ in frames])
    assert np.all(np.diff(times) >= 0)
    info_t = [t for (t, _), m in zip(frames, msgs, strict=False) if isinstance(m, Info)]
    status_t = [t for (t, _), m in zip(frames, msgs, strict=False) if isinstance(m, Status)]
    assert np.allclose(np.diff(info_t), 5.0)
    assert np.allclose(np.diff(status_t), 1.0)
    samples = [m for m in msgs if isinstance(m, Samples)]
    assert {s.count for s in samples} == {2}  # 20 ms at 100 Hz
    assert [s.seq for s in msgs] == list(range(len(msgs)))
    firsts = np.array([s.first_index for s in samples])
    assert np.all(np.diff(firsts) == 2)


def test_serial_stream_decodes_to_the_simulated_signals(demo: SimulatedBall) -> None:
    dec, out = decode(demo.serial_bytes())
    block = out.samples  # type: ignore[attr-defined]
    c = dec.counters
    assert c.crc_errors == 0 and c.malformed == 0 and c.lost_samples == 0
    assert len(block) == len(demo.signals)
    assert np.allclose(block.pressure_pa, demo.signals.pressure_pa, atol=0.006)
    assert np.allclose(block.gyro_dps, demo.signals.gyro_dps, atol=0.036)
    assert np.allclose(block.accel_g, demo.signals.accel_g, atol=0.0001)
    assert np.allclose(block.t_s, demo.truth.t_s)


def test_force_from_decoded_pressure_matches_truth_while_rolling(demo: SimulatedBall) -> None:
    _, out = decode(demo.serial_bytes())
    block = out.samples  # type: ignore[attr-defined]
    baseline = np.median(block.pressure_pa[:100])  # the demo starts with the foot off
    force = settled_from_measured(block.pressure_pa - baseline, 100) / 60.0
    kernel = np.ones(50) / 50
    smooth = np.convolve(force, kernel, mode="same")
    truth = np.convolve(demo.truth.force_n, kernel, mode="same")
    rolling = demo.truth.rolling & np.roll(demo.truth.rolling, 100) & np.roll(
        demo.truth.rolling, -100)
    err = np.abs(smooth - truth)[rolling]
    assert np.median(err) < 2.0
    assert np.percentile(err, 99) < 8.0


def test_truth_zones_follow_the_thresholds(demo: SimulatedBall) -> None:
    f = demo.truth.force_n
    z = demo.truth.zone
    assert np.all((z == 0) == (f < 10))
    assert np.all((z == 2) == ((f >= 50) & (f < 100)))


def test_packet_path_carries_the_same_samples(demo: SimulatedBall) -> None:
    dec = PacketDecoder()
    out = dec.feed_many([f for _, f in demo.frames()])
    assert len(out.samples) == len(demo.signals)


def test_pressure_only_board() -> None:
    ball = SimulatedBall("demo", seconds=5, channels="pressure")
    msgs = [decode_frame(f) for _, f in ball.frames()]
    assert msgs[0].channels == Channel.PRESSURE  # type: ignore[union-attr]
    samples = [m for m in msgs if isinstance(m, Samples)]
    assert all(s.gyro_raw is None and s.accel_raw is None for s in samples)
    _, out = decode(ball.serial_bytes())
    assert not out.samples.has_gyro  # type: ignore[attr-defined]
    assert out.samples.has_pressure  # type: ignore[attr-defined]
    assert ball.truth.channels == ("pressure",)


@pytest.fixture(scope="module")
def noisy() -> SimulatedBall:
    return SimulatedBall("noisy-link", seed=0)


def test_noisy_link_faults_show_up_as_counted_errors(noisy: SimulatedBall) -> None:
    ball = noisy
    dec, out = decode(ball.serial_bytes())
    c = dec.counters
    assert c.crc_errors > 10
    assert c.missing_frames > 10
    assert c.lost_samples > 0
    assert c.restarts == 1
    assert c.fifo_overflows > 0
    # What arrives is what the truth says was sent, at the right rows.
    block = out.samples  # type: ignore[attr-defined]
    rows = ball.truth.lookup(block.segment, block.index)
    assert (rows >= 0).mean() > 0.99
    good = rows >= 0
    assert np.allclose(block.pressure_pa[good], ball.signals.pressure_pa[rows[good]], atol=0.006)


def test_restart_gives_new_boot_id_and_index_from_zero(noisy: SimulatedBall) -> None:
    ball = noisy
    infos = [m for m in (decode_frame(f) for _, f in ball.frames()) if isinstance(m, Info)]
    boots = list(dict.fromkeys(i.boot_id for i in infos))
    assert len(boots) == 2
    restart_s = ball.link.restarts_at_s[0]
    assert 70 <= restart_s <= 110
    after = ball.truth.segment == 1
    assert ball.truth.index[after][0] == 0
    gap = (ball.truth.t_s > restart_s) & (ball.truth.t_s < restart_s + ball.link.reboot_s)
    assert np.all(ball.truth.index[gap] == -1)


def test_host_attaching_mid_stream_starts_mid_frame() -> None:
    ball = SimulatedBall("noisy-link", seed=1, seconds=20)
    data = ball.serial_bytes()
    first_zero = data.index(0)
    assert first_zero > 0  # the first bytes are the tail of a frame
    frames = [decode_frame(f) for t, f in ball.frames() if t >= ball.link.attach_at_s]  # type: ignore[operator]
    first_info = next(i for i, m in enumerate(frames) if isinstance(m, Info))
    assert first_info > 0  # samples arrive before the first INFO ...
    info_t = [t for t, f in ball.frames() if decode_frame(f).__class__ is Info
              and t >= ball.link.attach_at_s]  # type: ignore[operator]
    assert info_t[0] - ball.link.attach_at_s <= 5.0  # type: ignore[operator]


def test_serial_chunks_are_the_serial_bytes_in_time_order(demo: SimulatedBall) -> None:
    chunks = list(demo.serial_chunks())
    assert b"".join(c for _, c in chunks) == demo.serial_bytes()
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(chunks))


def test_realtime_paces_by_device_time() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        clock[0] += s

    items = [(0.0, "a"), (0.5, "b"), (2.0, "c")]
    out = list(realtime(items, speed=2.0, clock=lambda: clock[0], sleep=sleep))
    assert [x for _, x in out] == ["a", "b", "c"]
    assert slept == pytest.approx([0.25, 0.75])


def command(opcode: int, token: int, args: bytes = b"") -> bytes:
    return encode_frame(Command(0, 0, opcode, token, args))


def test_commands_are_answered_like_the_firmware() -> None:
    ball = SimulatedBall("demo", seconds=20)
    first = ball.poll(3.0)
    assert first and isinstance(decode_frame(first[0][1]), Info)

    replies = [decode_frame(f) for f in ball.handle_command(command(Opcode.INFO_REQUEST, 7))]
    assert isinstance(replies[0], Reply) and replies[0].token == 7
    assert replies[0].result == ReplyResult.OK
    assert isinstance(replies[1], Info)

    stop = [decode_frame(f) for f in ball.handle_command(command(Opcode.STOP, 8))]
    assert isinstance(stop[0], Reply) and stop[0].result == ReplyResult.OK
    after_stop = [decode_frame(f) for _, f in ball.poll(5.0)]
    assert after_stop and not any(isinstance(m, Samples) for m in after_stop)
    stopped = (ball.truth.t_s > 3.1) & (ball.truth.t_s < 5.0)
    assert np.all(ball.truth.index[stopped] == -1)  # never sent

    start = Command.start(0, 9, rate_hz=50, channels=int(Channel.PRESSURE))
    replies = [decode_frame(f) for f in ball.handle_command(encode_frame(start))]
    assert isinstance(replies[0], Reply) and replies[0].result == ReplyResult.OK
    info = replies[1]
    assert isinstance(info, Info) and info.sample_period_us == 20_000
    streamed = [decode_frame(f) for _, f in ball.poll(7.0)]
    samples = [m for m in streamed if isinstance(m, Samples)]
    assert samples[0].first_index == 0
    assert all(s.channels == Channel.PRESSURE for s in samples)
    assert sum(s.count for s in samples) == pytest.approx(100, abs=2)  # 2 s at 50 Hz
    sent = ball.truth.index >= 0
    restarted = ball.truth.t_s >= 5.0
    assert ball.truth.index[restarted & sent][0] == 0
    assert np.all(np.diff(np.flatnonzero(restarted & sent)) == 2)  # every other 100 Hz row

    def result(frame: bytes) -> int:
        replies = ball.handle_command(frame)
        reply = decode_frame(replies[0])
        assert isinstance(reply, Reply)
        return reply.result

    assert result(encode_frame(Command.start(0, 10, rate_hz=33, channels=7))) == (
        ReplyResult.BAD_ARGUMENT)
    assert result(encode_frame(Command.start(0, 10, rate_hz=100, channels=0))) == (
        ReplyResult.BAD_ARGUMENT)
    assert result(command(Opcode.START, 10, b"\x64")) == ReplyResult.BAD_ARGUMENT
    assert result(command(Opcode.STOP, 10, b"\x01")) == ReplyResult.BAD_ARGUMENT
    assert result(command(0x7F, 11)) == ReplyResult.UNSUPPORTED
    assert result(command(Opcode.SLEEP, 12)) == ReplyResult.BUSY  # streaming
    assert result(command(Opcode.IDENTIFY, 13)) == ReplyResult.OK
    assert result(command(Opcode.IDENTIFY, 14)) == ReplyResult.BUSY  # still blinking
    assert ball.handle_command(b"\x02garbage") == []

    # The same START again keeps the stream and its indices.
    ball.poll(8.0)
    again = Command.start(0, 15, rate_hz=50, channels=int(Channel.PRESSURE))
    assert result(encode_frame(again)) == ReplyResult.OK
    more = [m for _, f in ball.poll(9.0) if isinstance(m := decode_frame(f), Samples)]
    assert more[0].first_index > 100


def test_start_asks_for_channels_the_board_has() -> None:
    ball = SimulatedBall("demo", seconds=5, channels="pressure")
    ball.poll(1.0)
    reply = decode_frame(ball.handle_command(encode_frame(Command.start(0, 1, 100, 7)))[0])
    assert isinstance(reply, Reply) and reply.result == ReplyResult.UNSUPPORTED


def test_sleep_when_stopped_silences_the_ball() -> None:
    ball = SimulatedBall("demo", seconds=10)
    ball.poll(1.0)
    ball.handle_command(command(Opcode.STOP, 1))
    reply = decode_frame(ball.handle_command(command(Opcode.SLEEP, 2))[0])
    assert isinstance(reply, Reply) and reply.result == ReplyResult.OK
    assert ball.poll(5.0) == []
    assert ball.handle_command(command(Opcode.INFO_REQUEST, 3)) == []


def test_start_at_200_hz_on_a_100_hz_ball() -> None:
    ball = SimulatedBall("demo", seconds=10)
    ball.poll(1.0)
    start = Command.start(0, 1, rate_hz=200, channels=7)
    replies = [decode_frame(f) for f in ball.handle_command(encode_frame(start))]
    assert replies[1].sample_period_us == 5_000  # type: ignore[union-attr]
    samples = [m for _, f in ball.poll(2.0) if isinstance(m := decode_frame(f), Samples)]
    assert sum(s.count for s in samples) == pytest.approx(200, abs=4)


def test_every_frame_is_what_the_protocol_encoder_makes() -> None:
    ball = SimulatedBall("noisy-link", seed=2, seconds=40)
    for _, frame in ball.frames():
        assert encode_frame(decode_frame(frame)) == frame


def test_realtime_chunks_take_the_session_time() -> None:
    import time

    ball = SimulatedBall("demo", seconds=1.0)
    start = time.monotonic()
    data = b"".join(c for _, c in ball.realtime_chunks(speed=4.0))
    # 0.25 s at four times real time: not at once, and well short of the second it covers
    # (a loaded machine may add a little, never 0.75 s).
    assert 0.2 <= time.monotonic() - start < 0.9
    assert data == ball.serial_bytes()


def test_next_send_s_is_when_the_next_frame_comes() -> None:
    """A real-time player sleeps until ``next_send_s``: polling up to just before it yields
    nothing, polling up to it yields a frame sent then; asking does not change the stream."""
    ball = SimulatedBall("noisy-link", seed=3, seconds=12)
    times: list[float] = []
    while (due := ball.next_send_s()) is not None:
        assert ball.poll(due - 1e-4) == []
        frames = ball.poll(due)
        times += [t for t, _ in frames]
        assert not frames or frames[-1][0] == due  # a frame lost on the link sends nothing
    expected = [t for t, _ in SimulatedBall("noisy-link", seed=3, seconds=12).poll(20.0)]
    assert times == expected and len(times) > 500
