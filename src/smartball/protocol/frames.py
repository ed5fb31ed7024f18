"""Bare frames to messages and samples: the part of decoding that no envelope changes.

:class:`FrameDecoder` takes frames laid out in one byte array (wherever they came from: the
serial envelope's COBS packets or BLE's one frame per packet, see
:mod:`smartball.protocol.decoder`) and turns them into typed messages and a
:class:`~smartball.block.SampleBlock` in physical units, without a Python loop per sample or
per SAMPLES frame, keeping the counters, the gaps by sample index and the device restarts.
No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from smartball.block import SampleBlock
from smartball.protocol.constants import (
    CHANNEL_BITS,
    DEFAULT_SAMPLE_PERIOD_US,
    HEADER_SIZE,
    MAX_FRAME_SIZE,
    PRESSURE_PA_PER_LSB,
    TEMPERATURE_C_PER_LSB,
    Channel,
    MsgType,
    SamplesFlag,
    record_size,
)
from smartball.protocol.header import HEADER, SAMPLES_PREFIX, read_headers, read_samples_prefix
from smartball.protocol.messages import (
    Command,
    Info,
    Log,
    MalformedFrame,
    Message,
    Reply,
    Status,
    Unknown,
    decode_frame,
    record_dtype,
)

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

_RECORD_SIZE = np.array([record_size(m) for m in range(8)], dtype=np.int64)
_RECORD_SIZES = _RECORD_SIZE.tolist()  # as ints, for the one-frame path
_RECORD_DTYPES = [record_dtype(m) if record_size(m) else None for m in range(8)]
# Plain ints: a mask with an enum operand costs 4.7-5.1 us on a 2-element array, with an int
# 1.0 us (benchmarks/fast_paths.py, two runs); about ten a live chunk make 0.2 % of a core at
# 50 chunks/s.
_SAMPLES = int(MsgType.SAMPLES)
_PRESSURE, _GYRO, _ACCEL = int(Channel.PRESSURE), int(Channel.GYRO), int(Channel.ACCEL)
_SATURATED, _FIFO_OVERFLOW = int(SamplesFlag.SATURATED), int(SamplesFlag.FIFO_OVERFLOW)
_TYPE_NAMES = {
    Info: "info",
    Status: "status",
    Log: "log",
    Reply: "reply",
    Command: "command",
    Unknown: "unknown",
}


@dataclass
class Counters:
    """What a decoder has seen since it was made."""

    bytes: int = 0
    frames: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("info", "samples", "status", "log", "reply", "command", "unknown"), 0
        )
    )
    samples: int = 0
    crc_errors: int = 0
    """Serial packets that failed COBS or the CRC (garbage counts here too)."""
    malformed: int = 0
    """Frames that passed the envelope but do not fit their layout, are over 512 bytes, or
    were cut off at the end of the input."""
    missing_frames: int = 0
    """Frames missing by ``seq``, whatever their type."""
    lost_samples: int = 0
    """Samples missing by sample index."""
    restarts: int = 0
    fifo_overflows: int = 0
    saturated_frames: int = 0
    samples_before_info: int = 0
    """Samples decoded before any INFO told the scales: their gyro and accel are NaN."""
    truncated_bytes: int = 0
    """Bytes of an unfinished frame at the end of the input."""


@dataclass(frozen=True, slots=True)
class Gap:
    t_s: float
    """Device time of the first sample after the gap."""
    lost_samples: int


@dataclass(frozen=True, slots=True)
class Decoded:
    messages: list[Message]
    """Every frame but SAMPLES, in order."""
    message_t_s: list[float]
    """Device time of the last sample before each message (NaN before the first sample)."""
    message_at: list[int]
    """For each message, how many of ``samples`` came before it in the stream."""
    samples: SampleBlock
    gaps: list[Gap]
    restarts_t_s: list[float]
    """Device time of the first sample of each new segment after a device restart."""

    @staticmethod
    def empty() -> Decoded:
        return Decoded([], [], [], SampleBlock.empty(), [], [])

    @staticmethod
    def concat(parts: Iterable[Decoded]) -> Decoded:
        parts = list(parts)
        offsets = np.cumsum([0] + [len(p.samples) for p in parts]).tolist()
        return Decoded(
            [m for p in parts for m in p.messages],
            [t for p in parts for t in p.message_t_s],
            [at + off for p, off in zip(parts, offsets, strict=False) for at in p.message_at],
            SampleBlock.concat([p.samples for p in parts]),
            [g for p in parts for g in p.gaps],
            [t for p in parts for t in p.restarts_t_s],
        )


class FrameDecoder:
    """Turns bare frames (laid out in one byte array) into messages and samples."""

    def __init__(self) -> None:
        self.counters = Counters()
        self.info: Info | None = None
        self._period_us = DEFAULT_SAMPLE_PERIOD_US
        self._gyro_scale = np.nan
        self._accel_scale = np.nan
        self._boot_id: int | None = None
        self._last_seq: int | None = None
        self._next_index: int | None = None  # expected index of the next sample
        self._seg_t0 = 0.0  # device time of sample ``_seg_index0`` of this segment
        self._seg_index0: int | None = None
        self._last_t = np.nan
        self._segment = 0
        self._restart_pending = False
        self._index_restart_since_info = False

    @property
    def sample_period_us(self) -> int:
        return self._period_us

    def frames(self, data: U8, offsets: I64, lengths: I64) -> Decoded:
        if offsets.shape[0] == 1:
            one = self._one_samples_frame(data, int(offsets[0]), int(lengths[0]))
            if one is not None:
                return one
        c = self.counters
        too_short = lengths < HEADER_SIZE
        too_long = lengths > MAX_FRAME_SIZE
        bad = too_short | too_long
        if bad.any():
            c.malformed += int(bad.sum())
            offsets, lengths = offsets[~bad], lengths[~bad]
        n = offsets.shape[0]
        if n == 0:
            return Decoded.empty()

        t_before = self._last_t
        header = read_headers(data, offsets)
        types = header["type"]
        seq = header["seq"].astype(np.int64)
        prev_seq = np.concatenate(([seq[0] - 1 if self._last_seq is None else self._last_seq],
                                   seq[:-1]))
        seq_gap = (seq - prev_seq - 1) % 65536
        seq_gap[seq_gap >= 32768] = 0  # backwards: a restart or a reordering, not a loss
        self._last_seq = int(seq[-1])

        is_samples = types == _SAMPLES
        flags = header["flags"]
        stamp = header["stamp"].astype(np.int64)
        rsize = _RECORD_SIZE[flags & CHANNEL_BITS]
        body = lengths - HEADER_SIZE - SAMPLES_PREFIX.size
        samples_ok = is_samples & (rsize > 0) & (body > 0)
        samples_ok &= (body % np.maximum(rsize, 1)) == 0
        bad_samples = is_samples & ~samples_ok
        c.malformed += int(bad_samples.sum())
        c.frames["samples"] += int(samples_ok.sum())
        n_rec = np.where(samples_ok, body // np.maximum(rsize, 1), 0)

        # Other frames are rare (a few a second): decode them one by one, in order. Only an
        # INFO that changes how samples decode splits the vectorised work into runs.
        messages: list[Message] = []
        message_pos: list[int] = []
        restart_frames: list[int] = []
        splits: list[tuple[int, Info | None]] = []  # (frame position, INFO taking effect)
        last_info: Info | None = None
        for i in np.flatnonzero(~is_samples):
            o, ln = int(offsets[i]), int(lengths[i])
            try:
                msg = decode_frame(data[o : o + ln].tobytes())
            except MalformedFrame:
                c.malformed += 1
                continue
            c.frames[_TYPE_NAMES[type(msg)]] += 1
            messages.append(msg)
            message_pos.append(int(i))
            if isinstance(msg, Info) and _decodes_differently(msg, splits[-1][1] if splits
                                                              else self.info):
                splits.append((int(i), msg))
            # An INFO with the same scales again needs no split; it is the last INFO seen
            # once every run is decoded (a run before the first INFO counts its samples as
            # "before INFO", however the stream was cut).
            if isinstance(msg, Info):
                last_info = msg

        sample_parts: list[SampleBlock] = []
        gaps: list[Gap] = []
        restarts_t: list[float] = []
        samples_before = np.concatenate(([0], np.cumsum(n_rec)))
        bounds = [0] + [pos for pos, _ in splits] + [n]
        infos: list[Info | None] = [None, *(info for _, info in splits)]
        for k in range(len(bounds) - 1):
            info = infos[k]
            if info is not None:
                if self._apply_info(info):
                    restart_frames.append(bounds[k])
            lo, hi = bounds[k], bounds[k + 1]
            sel = np.flatnonzero(samples_ok[lo:hi]) + lo
            if sel.shape[0]:
                block, run_gaps, run_restarts, restart_at = self._decode_run(
                    data, offsets[sel], flags[sel], stamp[sel], n_rec[sel], rsize[sel]
                )
                sample_parts.append(block)
                gaps += run_gaps
                restarts_t += run_restarts
                restart_frames += [int(sel[j]) for j in restart_at]

        if last_info is not None:
            self.info = last_info
        seq_gap[restart_frames] = 0
        c.missing_frames += int(seq_gap.sum())
        samples = SampleBlock.concat(sample_parts)
        c.samples += len(samples)

        # Device time of each message: the last sample decoded before it.
        all_t = samples.t_s
        message_t: list[float] = []
        message_at: list[int] = []
        for pos in message_pos:
            before = int(samples_before[pos])
            message_t.append(float(all_t[before - 1]) if before else t_before)
            message_at.append(before)
        return Decoded(messages, message_t, message_at, samples, gaps, restarts_t)

    def _one_samples_frame(self, data: U8, offset: int, length: int) -> Decoded | None:
        """A live chunk's usual content, one well-formed SAMPLES frame that continues the
        current segment, decoded without the vectorised machinery (whose few dozen numpy
        calls cost more than the work here); ``None`` for anything else, which the general
        path decodes. The same operations on the same values: the same bits, counters and
        state (``tests/protocol/test_decoder.py`` feeds streams a frame at a time and whole).
        """
        if not HEADER_SIZE + SAMPLES_PREFIX.size < length <= MAX_FRAME_SIZE:
            return None
        frame_type, flags, seq, first = HEADER.unpack_from(data.data, offset)
        mask = flags & CHANNEL_BITS
        size = _RECORD_SIZES[mask]
        body = length - HEADER_SIZE - SAMPLES_PREFIX.size
        if (frame_type != _SAMPLES or not size or body % size or self._restart_pending
                or self._next_index is None or self._seg_index0 is None
                or first < self._next_index):
            return None
        c = self.counters
        seq_gap = 0 if self._last_seq is None else (seq - self._last_seq - 1) % 65536
        self._last_seq = seq
        c.missing_frames += seq_gap if seq_gap < 32768 else 0
        c.frames["samples"] += 1
        n = body // size
        jump = first - self._next_index
        c.lost_samples += jump

        index = np.arange(first, first + n, dtype=np.int64)
        t_s = self._seg_t0 + (index - self._seg_index0) * (self._period_us * 1e-6)
        self._next_index = first + n
        self._last_t = float(t_s[-1])

        start = offset + HEADER_SIZE + SAMPLES_PREFIX.size
        rec = data[start : start + n * size].view(_RECORD_DTYPES[mask])
        pressure = (rec["p"] * PRESSURE_PA_PER_LSB if mask & _PRESSURE
                    else np.full(n, np.nan))
        gyro = rec["g"] * self._gyro_scale if mask & _GYRO else np.full((n, 3), np.nan)
        accel = rec["a"] * self._accel_scale if mask & _ACCEL else np.full((n, 3), np.nan)
        if mask & _PRESSURE:
            (cdeg,) = SAMPLES_PREFIX.unpack_from(data.data, offset + HEADER_SIZE)
            temp_c = np.full(n, np.float64(cdeg) * TEMPERATURE_C_PER_LSB)
        else:
            temp_c = np.full(n, np.nan)
        saturated = bool(flags & _SATURATED)
        c.saturated_frames += saturated
        c.fifo_overflows += bool(flags & _FIFO_OVERFLOW)
        if self.info is None:
            c.samples_before_info += n
        c.samples += n
        block = SampleBlock(t_s=t_s, index=index, pressure_pa=pressure, temp_c=temp_c,
                            gyro_dps=gyro, accel_g=accel, saturated=np.full(n, saturated),
                            segment=np.full(n, self._segment, np.int32))
        gaps = [Gap(float(t_s[0]), jump)] if jump > 0 else []
        return Decoded([], [], [], block, gaps, [])

    def _apply_info(self, info: Info) -> bool:
        """Take the scales of an INFO; True if it shows the device restarted."""
        # A restart already seen by the sample index going back (its first INFO lost) is the
        # same restart this new boot_id tells of: count it once.
        restarted = (
            self._boot_id is not None
            and info.boot_id != self._boot_id
            and not self._index_restart_since_info
        )
        self._index_restart_since_info = False
        if restarted:
            self.counters.restarts += 1
            self._restart_pending = True
        if info.sample_period_us and info.sample_period_us != self._period_us:
            # Keep time continuous: re-anchor the segment at the next expected sample.
            if self._next_index is not None and self._seg_index0 is not None:
                self._seg_t0 = self._last_t + self._period_us * 1e-6
                self._seg_index0 = self._next_index
            self._period_us = info.sample_period_us
        self._gyro_scale = info.gyro_dps_per_lsb if info.channels & Channel.GYRO else np.nan
        self._accel_scale = info.accel_g_per_lsb if info.channels & Channel.ACCEL else np.nan
        self._boot_id = info.boot_id
        self.info = info
        return restarted

    def _decode_run(
        self,
        data: U8,
        offsets: I64,
        flags: U8,
        first_index: I64,
        n_rec: I64,
        rsize: I64,
    ) -> tuple[SampleBlock, list[Gap], list[float], list[int]]:
        c = self.counters
        nf = offsets.shape[0]
        total = int(n_rec.sum())
        period_s = self._period_us * 1e-6

        # Segments and gaps, decided per frame.
        expected = np.empty(nf, dtype=np.int64)
        expected[1:] = first_index[:-1] + n_rec[:-1]
        expected[0] = first_index[0] if self._next_index is None else self._next_index
        jump = first_index - expected
        new_seg = jump < 0
        if self._restart_pending:
            new_seg[0] = True
            self._restart_pending = False
        elif self._next_index is not None and jump[0] < 0:
            c.restarts += 1
            self._index_restart_since_info = True
        if new_seg[1:].any():
            c.restarts += int(new_seg[1:].sum())
            self._index_restart_since_info = True
        jump[new_seg] = 0
        c.lost_samples += int(jump.sum())

        # Sample indices, and device time per segment laid end to end.
        frame_of = np.repeat(np.arange(nf), n_rec)
        starts = np.concatenate(([0], np.cumsum(n_rec)[:-1]))
        index = first_index[frame_of] + (np.arange(total) - starts[frame_of])
        seg_of_frame = np.cumsum(new_seg)  # 0: continues the current segment
        seg_first_frame = np.flatnonzero(new_seg)
        n_seg = seg_first_frame.shape[0]
        seg_index0 = np.empty(n_seg + 1, dtype=np.int64)
        seg_t0 = np.empty(n_seg + 1)
        if self._seg_index0 is None:
            self._seg_index0 = int(first_index[0])
            self._seg_t0 = 0.0
        seg_index0[0] = self._seg_index0
        seg_t0[0] = self._seg_t0
        seg_index0[1:] = first_index[seg_first_frame]
        # A new segment starts one period after the last sample of the one before.
        for s, f in enumerate(seg_first_frame):
            if f == 0:
                t_last = self._last_t
            else:
                last_index = first_index[f - 1] + n_rec[f - 1] - 1
                t_last = seg_t0[s] + (last_index - seg_index0[s]) * period_s
            seg_t0[s + 1] = (t_last + period_s) if np.isfinite(t_last) else 0.0
        seg = seg_of_frame[frame_of]
        t_s = seg_t0[seg] + (index - seg_index0[seg]) * period_s

        segment = (self._segment + seg).astype(np.int32)
        self._segment += n_seg
        self._seg_index0 = int(seg_index0[-1])
        self._seg_t0 = float(seg_t0[-1])
        self._next_index = int(first_index[-1] + n_rec[-1])
        self._last_t = float(t_s[-1])

        # The records themselves: gather payload bytes of every frame of one channel mask.
        mask = flags & CHANNEL_BITS
        pressure = np.full(total, np.nan)
        gyro = np.full((total, 3), np.nan)
        accel = np.full((total, 3), np.nan)
        temp_frame = read_samples_prefix(data, offsets)["temperature_cdeg"].astype(
            np.float64) * TEMPERATURE_C_PER_LSB
        for m in np.unique(mask):
            fsel = np.flatnonzero(mask == m)
            size = int(_RECORD_SIZE[m])
            nbytes = n_rec[fsel] * size
            byte_start = offsets[fsel] + HEADER_SIZE + SAMPLES_PREFIX.size
            cum = np.concatenate(([0], np.cumsum(nbytes)))
            gather = np.repeat(byte_start - cum[:-1], nbytes) + np.arange(int(cum[-1]))
            rec = data[gather].view(_RECORD_DTYPES[int(m)])
            out = np.repeat(starts[fsel], n_rec[fsel]) + (
                np.arange(rec.shape[0]) - np.repeat(cum[:-1] // size, n_rec[fsel])
            )
            if m & _PRESSURE:
                pressure[out] = rec["p"] * PRESSURE_PA_PER_LSB
            if m & _GYRO:
                gyro[out] = rec["g"] * self._gyro_scale
            if m & _ACCEL:
                accel[out] = rec["a"] * self._accel_scale
        temp_c = temp_frame[frame_of]
        has_pressure = (mask & _PRESSURE).astype(bool)
        temp_c[~has_pressure[frame_of]] = np.nan
        saturated = (flags & _SATURATED).astype(bool)
        c.saturated_frames += int(saturated.sum())
        c.fifo_overflows += int(((flags & _FIFO_OVERFLOW) != 0).sum())
        if self.info is None:
            c.samples_before_info += total

        block = SampleBlock(
            t_s=t_s,
            index=index,
            pressure_pa=pressure,
            temp_c=temp_c,
            gyro_dps=gyro,
            accel_g=accel,
            saturated=saturated[frame_of],
            segment=segment,
        )
        gap_frames = np.flatnonzero(jump > 0)
        gaps = [Gap(float(t_s[starts[f]]), int(jump[f])) for f in gap_frames]
        restarts = [float(t_s[starts[f]]) for f in seg_first_frame]
        return block, gaps, restarts, [int(f) for f in seg_first_frame]


def _decodes_differently(new: Info, old: Info | None) -> bool:
    """Whether samples after ``new`` decode differently from samples after ``old``."""
    return old is None or (
        new.boot_id,
        new.sample_period_us,
        new.channels,
        new.gyro_dps_per_lsb,
        new.accel_g_per_lsb,
    ) != (old.boot_id, old.sample_period_us, old.channels, old.gyro_dps_per_lsb,
          old.accel_g_per_lsb)
