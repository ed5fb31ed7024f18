"""Vectorised serial deframing: many ``COBS(frame || crc) || 00`` packets at once.

Decoding a frame at a time in Python costs several microseconds a frame; an hour of stream is
180,000 frames. Here every packet in a buffer is COBS-decoded and CRC-checked together with
numpy: the loop runs over the code blocks of a packet (a handful) and over the byte columns
of the CRC, never over frames or samples. No I/O, no state: :mod:`decoder` keeps the state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartball.protocol import cobs
from smartball.protocol.constants import MAX_FRAME_SIZE
from smartball.protocol.crc import TABLE, crc16

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

MAX_ENCODED = MAX_FRAME_SIZE + 2 + (MAX_FRAME_SIZE + 2) // 254 + 1
"""Longest COBS packet (without its 0x00) that can hold a frame of the maximum size."""

_TABLE = np.array(TABLE, dtype=np.uint32)
_SMALL_GROUP = 16
"""Below this many frames of one length, their CRCs are checked one by one: 5 minutes of
the noisy-link stream decode in 79 ms with it, 96 ms without (rare lengths are many there)."""
_FEW_PACKETS = 8
"""A live chunk holds one or two packets: decode those one by one. ``PYTHONPATH=src python
benchmarks/fast_paths.py``, two runs on a loaded 2-core machine: a 2-sample chunk decodes in
116-183 us so, 163-260 us by the vectorised path: 0.2-0.4 % of a core saved at 50 chunks a
second, a twentieth of the 5 % live budget."""


@dataclass(frozen=True, slots=True)
class Deframed:
    data: U8
    """The good frames (CRC stripped), back to back."""
    offsets: I64
    lengths: I64
    crc_errors: int
    """Packets that failed COBS or the CRC."""
    oversize: int
    """Packets too long to hold a frame of at most 512 bytes."""


def deframe(buf: U8, packet_starts: I64, packet_ends: I64) -> Deframed:
    """Decode the packets ``buf[start:end]`` (delimiters excluded, none empty)."""
    lengths = packet_ends - packet_starts
    oversize = lengths > MAX_ENCODED
    n_over = int(oversize.sum())
    if n_over:
        packet_starts, packet_ends = packet_starts[~oversize], packet_ends[~oversize]
    n = packet_starts.shape[0]
    if n == 0:
        return Deframed(np.empty(0, np.uint8), np.empty(0, np.int64), np.empty(0, np.int64), 0,
                        n_over)
    if n <= _FEW_PACKETS:
        return _deframe_few(buf, packet_starts, packet_ends, n_over)

    # Walk the code bytes of all packets together: iteration k visits block k of each.
    drop = np.zeros(buf.shape[0], dtype=np.bool_)  # code bytes that vanish when decoded
    is_code = np.zeros(buf.shape[0], dtype=np.bool_)
    bad = np.zeros(n, dtype=np.bool_)
    prev_ff = np.zeros(n, dtype=np.bool_)
    pos = packet_starts.copy()
    active = np.arange(n)
    first = True
    while active.size:
        p = pos[active]
        code = buf[p].astype(np.int64)
        is_code[p] = True
        drop[p] = True if first else prev_ff[active]
        prev_ff[active] = code == 0xFF
        nxt = p + code
        pos[active] = nxt
        end = packet_ends[active]
        bad[active[nxt > end]] = True
        active = active[nxt < end]
        first = False

    good = ~bad
    starts, ends = packet_starts[good], packet_ends[good]
    n_bad = int(bad.sum())
    # Bytes kept: inside a good packet and not a dropped code byte.
    mark = np.zeros(buf.shape[0] + 1, dtype=np.int8)
    mark[starts] = 1  # packets do not touch: a start is never another packet's end
    mark[ends] = -1
    inside = np.cumsum(mark[:-1], dtype=np.int8) > 0  # 0 or 1: packets do not overlap
    keep = inside & ~drop
    decoded = np.where(is_code, np.uint8(0), buf)[keep]
    dropped_before = np.concatenate(([0], np.cumsum(drop & inside, dtype=np.int32)))
    dlen = (ends - starts) - (dropped_before[ends] - dropped_before[starts])
    doff = np.concatenate(([0], np.cumsum(dlen)[:-1])).astype(np.int64)

    # A frame is at least one byte plus its 2-byte CRC.
    short = dlen < 3
    flen = dlen - 2
    ok = ~short
    crc_ok = np.zeros(dlen.shape[0], dtype=np.bool_)
    if ok.any():
        sel = np.flatnonzero(ok)
        crc_ok[sel] = _check_crcs(decoded, doff[sel], flen[sel])
    n_bad += int((~crc_ok).sum())
    return Deframed(decoded, doff[crc_ok], flen[crc_ok], n_bad, n_over)


def _deframe_few(buf: U8, packet_starts: I64, packet_ends: I64, n_over: int) -> Deframed:
    """The same result as the vectorised path, a packet at a time (cheaper for a few)."""
    frames: list[bytes] = []
    bad = 0
    raw = buf.tobytes()
    for start, end in zip(packet_starts.tolist(), packet_ends.tolist(), strict=True):
        try:
            decoded = cobs.decode(raw[start:end])
        except cobs.CobsError:
            bad += 1
            continue
        if len(decoded) < 3 or crc16(decoded[:-2]) != decoded[-2] | (decoded[-1] << 8):
            bad += 1
            continue
        frames.append(decoded[:-2])
    lengths = np.fromiter(map(len, frames), dtype=np.int64, count=len(frames))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    return Deframed(np.frombuffer(b"".join(frames), np.uint8), offsets[: len(frames)], lengths,
                    bad, n_over)


def _check_crcs(data: U8, offsets: I64, lengths: I64) -> npt.NDArray[np.bool_]:
    """True where the little-endian CRC after each frame matches its bytes."""
    result = np.zeros(offsets.shape[0], dtype=np.bool_)
    stored = data[offsets + lengths].astype(np.uint32) | (
        data[offsets + lengths + 1].astype(np.uint32) << 8
    )
    for length in np.unique(lengths):
        sel = np.flatnonzero(lengths == length)
        if sel.shape[0] < _SMALL_GROUP:
            for i in sel:
                o = int(offsets[i])
                result[i] = crc16(data[o : o + int(length)].tobytes()) == int(stored[i])
            continue
        cols = np.ascontiguousarray(
            data[offsets[sel][None, :] + np.arange(int(length))[:, None]].astype(np.uint32)
        )
        crc = np.full(sel.shape[0], 0xFFFF, dtype=np.uint32)
        for col in cols:
            crc = ((crc << 8) & 0xFFFF) ^ _TABLE[(crc >> 8) ^ col]
        result[sel] = crc == stored[sel]
    return result
