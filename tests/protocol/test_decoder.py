"""The incremental decoders: values, counters, faults, chunking invariance."""

from __future__ import annotations

import itertools
import os
from dataclasses import asdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.protocol import Info, Status, Unknown, encode_frame, encode_serial, serial_wrap
from smartball.protocol.decoder import Decoded, PacketDecoder, StreamDecoder
from smartball.protocol.deframe import MAX_ENCODED

from .streams import ACCEL_SCALE, GYRO_SCALE, info, samples, session


def stream_of(msgs: list) -> bytes:  # type: ignore[type-arg]
    return b"".join(encode_serial(m) for m in msgs)


def decode_all(data: bytes, splits: list[int] | None = None) -> tuple[Decoded, StreamDecoder]:
    dec = StreamDecoder()
    cuts = [0, *sorted(splits or []), len(data)]
    parts = [dec.feed(data[a:b]) for a, b in itertools.pairwise(cuts)]
    dec.finish()
    return Decoded.concat(parts), dec


def test_samples_in_physical_units() -> None:
    msgs = session(10, per_frame=3)
    out, dec = decode_all(stream_of(msgs))
    s = out.samples
    assert len(s) == 30
    np.testing.assert_array_equal(s.index, np.arange(30))
    np.testing.assert_allclose(s.t_s, np.arange(30) * 0.01)
    np.testing.assert_allclose(s.pressure_pa, (10_132_500 + np.arange(30) * 3) * 0.01)
    k = np.arange(30)
    np.testing.assert_allclose(s.gyro_dps[:, 0], (k % 100) * GYRO_SCALE)
    np.testing.assert_allclose(s.gyro_dps[:, 1], -(k % 50) * GYRO_SCALE)
    np.testing.assert_allclose(s.accel_g[:, 2], (8197 + k % 11) * ACCEL_SCALE)
    assert s.temp_c[0] == (2215 + 1) * 0.01
    assert dec.counters.frames["samples"] == 10 and dec.counters.frames["info"] == 1
    assert dec.counters.lost_samples == 0 and dec.counters.missing_frames == 0
    assert isinstance(out.messages[0], Info)


def test_pressure_only_frames_leave_imu_nan() -> None:
    out, _ = decode_all(stream_of(session(5, channels=1)))
    assert np.isnan(out.samples.gyro_dps).all() and np.isnan(out.samples.accel_g).all()
    assert np.isfinite(out.samples.pressure_pa).all()


def test_mixed_channel_masks_keep_sample_order() -> None:
    msgs = [info(), samples(1, 0, 2, 7), samples(2, 2, 3, 1), samples(3, 5, 1, 3)]
    out, dec = decode_all(stream_of(msgs))
    np.testing.assert_array_equal(out.samples.index, np.arange(6))
    assert np.isnan(out.samples.gyro_dps[2:5]).all()
    assert np.isfinite(out.samples.gyro_dps[5]).all() and np.isnan(out.samples.accel_g[5]).all()
    assert dec.counters.malformed == 0


def test_packet_decoder_gives_the_same_samples() -> None:
    msgs = session(30)
    serial_out, _ = decode_all(stream_of(msgs))
    pdec = PacketDecoder()
    parts = [pdec.feed(encode_frame(m)) for m in msgs]
    assert Decoded.concat(parts).samples.equals(serial_out.samples)
    many = PacketDecoder().feed_many([encode_frame(m) for m in msgs])
    assert many.samples.equals(serial_out.samples)


def test_dropped_frame_counts_lost_samples_and_missing_frame() -> None:
    msgs = session(20, per_frame=2)
    del msgs[5]  # SAMPLES with samples 8, 9
    out, dec = decode_all(stream_of(msgs))
    assert dec.counters.lost_samples == 2
    assert dec.counters.missing_frames == 1
    assert [(g.lost_samples, round(g.t_s, 3)) for g in out.gaps] == [(2, 0.1)]
    # Time keeps its place across the gap.
    assert out.samples.t_s[8] == 0.1


def test_corrupted_byte_costs_one_frame_and_is_counted() -> None:
    data = bytearray(stream_of(session(20)))
    frame_bounds = [i for i, b in enumerate(data) if b == 0]
    data[frame_bounds[6] + 5] ^= 0x5A  # inside the 8th frame
    _out, dec = decode_all(bytes(data))
    assert dec.counters.crc_errors >= 1
    assert dec.counters.frames["samples"] == 19
    assert dec.counters.lost_samples == 2


def test_restart_with_new_boot_id_starts_a_segment() -> None:
    msgs = [*session(10), info(0, boot_id=99), samples(1, 0), samples(2, 2)]
    out, dec = decode_all(stream_of(msgs))
    assert dec.counters.restarts == 1
    assert dec.counters.lost_samples == 0 and dec.counters.missing_frames == 0
    seg = out.samples.segment
    assert seg[:20].max() == 0 and (seg[20:] == 1).all()
    assert np.all(np.diff(out.samples.t_s) > 0)
    assert out.restarts_t_s == [out.samples.t_s[20]]


def test_index_going_back_is_a_restart_even_without_info() -> None:
    msgs = [*session(10), samples(12, 0), samples(13, 2)]
    out, dec = decode_all(stream_of(msgs))
    assert dec.counters.restarts == 1 and dec.counters.lost_samples == 0
    assert np.all(np.diff(out.samples.t_s) > 0)


def test_restart_whose_first_info_was_lost_counts_once() -> None:
    msgs = [*session(10), samples(12, 0), samples(13, 2), info(14, boot_id=99), samples(15, 4)]
    out, dec = decode_all(stream_of(msgs))
    assert dec.counters.restarts == 1 and dec.counters.lost_samples == 0
    assert set(out.samples.segment.tolist()) == {0, 1}
    assert np.all(np.diff(out.samples.t_s) > 0)


def test_unknown_type_is_counted_and_skipped() -> None:
    msgs = [info(), samples(1, 0), Unknown(2, 0, 0x7E, 0, b"\x01\x02"), samples(3, 2)]
    out, dec = decode_all(stream_of(msgs))
    assert dec.counters.frames["unknown"] == 1
    assert len(out.samples) == 4


def test_samples_payload_not_dividing_into_records_is_malformed() -> None:
    good = encode_frame(samples(1, 0, 2, 7))
    bad = good[:-3]  # 29 bytes of records: not a multiple of 16
    data = stream_of([info()]) + serial_wrap(bad) + stream_of([samples(2, 2)])
    out, dec = decode_all(data)
    assert dec.counters.malformed == 1
    assert len(out.samples) == 2


def test_frame_over_512_bytes_is_malformed_not_decoded() -> None:
    big = bytes([0x04, 0, 1, 0, 0, 0, 0, 0]) + b"\x01" + b"x" * 600
    data = stream_of([info()]) + serial_wrap(big) + stream_of([samples(2, 0)])
    out, dec = decode_all(data)
    assert dec.counters.malformed == 1
    assert dec.counters.frames["log"] == 0
    assert len(out.samples) == 2


def test_capture_cut_mid_frame_counts_the_torn_tail() -> None:
    data = stream_of(session(10))
    _out, dec = decode_all(data[:-7])
    assert dec.counters.malformed == 1 and dec.counters.truncated_bytes > 0
    assert dec.counters.frames["samples"] == 9


def test_attaching_mid_stream() -> None:
    msgs = [*session(30)[5:], info(40)]
    data = stream_of(msgs)
    out, dec = decode_all(data[9:])  # start in the middle of a frame
    assert dec.counters.crc_errors == 1
    assert dec.counters.samples_before_info == len(out.samples)
    assert out.samples.t_s[0] == 0.0
    assert np.isnan(out.samples.gyro_dps).all()  # scales unknown until INFO


def test_message_time_is_the_last_sample_before_it() -> None:
    out, _ = decode_all(stream_of(session(30)))
    status = [(m, t) for m, t in zip(out.messages, out.message_t_s, strict=True)
              if isinstance(m, Status)]
    assert status and abs(status[0][1] - 0.49) < 1e-9


def test_random_bytes_are_survived_with_bounded_memory() -> None:
    dec = StreamDecoder()
    rng = np.random.default_rng(1)
    for _ in range(50):
        dec.feed(rng.integers(1, 256, 5000, dtype=np.uint8).tobytes())  # no delimiter at all
        assert len(dec._pending) <= MAX_ENCODED
    dec.feed(os.urandom(100_000))
    dec.finish()
    assert dec.counters.malformed + dec.counters.crc_errors > 0


def _summary(d: Decoded, dec: StreamDecoder) -> tuple:  # type: ignore[type-arg]
    return (
        [repr(m) for m in d.messages],
        d.message_t_s,
        [(g.t_s, g.lost_samples) for g in d.gaps],
        d.restarts_t_s,
        asdict(dec.counters),
    )


_FAULTY = bytearray(stream_of([*session(60), info(0, boot_id=3), *session(20)[1:]]))
del _FAULTY[700:760]
_FAULTY[1500] ^= 0xFF
_FAULTY = bytes(_FAULTY)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(_FAULTY)), max_size=30))
def test_any_split_gives_the_same_result(splits: list[int]) -> None:
    whole, dec_whole = decode_all(_FAULTY)
    parts, dec_parts = decode_all(_FAULTY, splits)
    assert parts.samples.equals(whole.samples)
    assert _summary(parts, dec_parts) == _summary(whole, dec_whole)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.lists(st.integers(0, 3000), max_size=10))
def test_arbitrary_bytes_never_raise(data: bytes, splits: list[int]) -> None:
    out, dec = decode_all(data, [s for s in splits if s <= len(data)])
    assert dec.counters.bytes == len(data)
    assert len(out.samples) == dec.counters.samples


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 20), st.sampled_from([1, 3, 5, 7]), st.integers(0, 3)),
        min_size=1,
        max_size=30,
    )
)
def test_round_trip_of_random_sessions(frames: list[tuple[int, int, int]]) -> None:
    msgs: list = [info()]  # type: ignore[type-arg]
    first = 0
    for seq, (n, chans, skip) in enumerate(frames, start=1):
        first += skip
        msgs.append(samples(seq, first, n, chans))
        first += n
    out, dec = decode_all(stream_of(msgs))
    want = np.concatenate([np.arange(m.first_index, m.first_index + m.count) for m in msgs[1:]])
    np.testing.assert_array_equal(out.samples.index, want)
    assert dec.counters.lost_samples == sum(s for _, _, s in frames[1:])
    assert dec.counters.crc_errors == dec.counters.malformed == 0


# A live chunk usually holds one SAMPLES frame, which the frame decoder reads without its
# vectorised machinery: fed a packet at a time, every stream must decode to the same bits,
# counters and gaps as fed whole.

def _rich_stream() -> list:  # type: ignore[type-arg]
    msgs: list = [samples(1, 0, 3), samples(2, 3, 2)]  # before any INFO  # type: ignore[type-arg]
    msgs += session(30)[1:]  # an INFO comes with the session's first samples below
    msgs.insert(2, info(3, period_us=5_000))
    msgs += [samples(70, 100, 4, channels=1), samples(71, 104, 2, channels=3),
             samples(72, 106, 5, channels=5, flags=0x40), samples(73, 111, 1, flags=0x80),
             samples(75, 130, 2),  # a frame lost by seq, samples lost by index
             samples(76, 120, 2),  # the index goes back: a restart without INFO
             samples(77, 122, 3), info(78, boot_id=42, period_us=2_500, channels=1),
             samples(79, 0, 6, channels=1), Status(80, 5, 3900, 80, 0, 0),
             info(80, boot_id=42, period_us=2_500, channels=1),  # the same scales again
             samples(81, 6, 2, channels=1), samples(8, 8, 2, channels=1),  # seq jumps back
             samples(9, 10, 7, channels=1)]
    return msgs


def _same_block(a: object, b: object) -> None:
    from dataclasses import fields as dc_fields

    for f in dc_fields(a):  # type: ignore[arg-type]
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x is None or y is None:
            assert x is y, f.name
            continue
        assert x.dtype == y.dtype and x.shape == y.shape, f.name
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), f.name
        if x.dtype.kind == "f":
            assert np.array_equal(np.signbit(x), np.signbit(y)), f.name


def test_a_packet_at_a_time_decodes_as_the_whole_stream() -> None:
    data = bytearray(stream_of(_rich_stream()))
    data[400] ^= 0x5A  # a corrupted frame in the middle
    data = bytes(data)
    whole, dec_whole = decode_all(data)
    ends = [i + 1 for i, b in enumerate(data) if b == 0]
    parts, dec_parts = decode_all(data, ends[:-1])
    _same_block(parts.samples, whole.samples)
    assert _summary(parts, dec_parts) == _summary(whole, dec_whole)
    assert dec_parts.info == dec_whole.info and dec_whole.info is not None
    assert dec_whole.info.seq == 80  # the last INFO seen, though it changed nothing
    c = dec_whole.counters
    assert c.restarts == 3 and c.lost_samples > 0 and c.missing_frames > 0
    assert c.crc_errors == 1 and c.saturated_frames == 1 and c.fifo_overflows == 1
    assert c.samples_before_info == 5


def test_ble_packets_one_by_one_decode_as_all_at_once() -> None:
    packets = [encode_frame(m) for m in _rich_stream()]
    whole = PacketDecoder()
    all_at_once = whole.feed_many(packets)
    one = PacketDecoder()
    parts = Decoded.concat([one.feed(p) for p in packets])
    _same_block(parts.samples, all_at_once.samples)
    assert [(g.t_s, g.lost_samples) for g in parts.gaps] == [
        (g.t_s, g.lost_samples) for g in all_at_once.gaps]
    assert parts.restarts_t_s == all_at_once.restarts_t_s
    assert asdict(one.counters) == asdict(whole.counters)


def test_a_simulated_noisy_link_decodes_the_same_frame_by_frame() -> None:
    from smartball.sim.ball import SimulatedBall

    data = SimulatedBall("noisy-link", seed=1, seconds=20).serial_bytes()
    whole, dec_whole = decode_all(data)
    ends = [i + 1 for i, b in enumerate(data) if b == 0]
    parts, dec_parts = decode_all(data, ends[:-1])
    _same_block(parts.samples, whole.samples)
    assert _summary(parts, dec_parts) == _summary(whole, dec_whole)
    assert dec_parts.info == dec_whole.info
    assert len(whole.samples) > 1000
