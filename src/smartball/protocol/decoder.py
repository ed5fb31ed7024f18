"""Incremental decoders of the two envelopes: bytes in, messages and samples out. No I/O.

``StreamDecoder`` reads the serial envelope (a COBS byte stream split anywhere);
``PacketDecoder`` reads one bare frame per packet (BLE notifications, recordings of them).
Both find the frames and hand them, whole chunks at a time, to the one
:class:`~smartball.protocol.frames.FrameDecoder`, so the same code serves a 20 ms live chunk
and an hour-long file. Feeding a stream in one piece or in any number of pieces gives the
same messages, samples and counters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from smartball.protocol.deframe import MAX_ENCODED, deframe
from smartball.protocol.frames import Counters, Decoded, FrameDecoder, Gap
from smartball.protocol.messages import Info

if TYPE_CHECKING:
    from smartball.chunk import Envelope

__all__ = ["Counters", "Decoded", "Decoder", "Gap", "PacketDecoder", "StreamDecoder",
           "decode_stream", "decoder_for"]


class _DecoderBase:
    """What both decoders tell about the stream so far."""

    def __init__(self) -> None:
        self._frames = FrameDecoder()

    @property
    def counters(self) -> Counters:
        return self._frames.counters

    @property
    def info(self) -> Info | None:
        """The last INFO seen (the device's description and scales)."""
        return self._frames.info

    @property
    def sample_period_us(self) -> int:
        return self._frames.sample_period_us


class StreamDecoder(_DecoderBase):
    """The serial envelope: feed it bytes as they come, in chunks of any size."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = bytearray()
        self._skipping = False  # inside an oversize packet: drop up to the next 0x00

    def feed(self, data: bytes | bytearray | memoryview) -> Decoded:
        self.counters.bytes += len(data)
        last_zero = bytes(data).rfind(0)
        if last_zero < 0:
            self._pending += data
            self._bound_pending()
            return Decoded.empty()
        buf = np.frombuffer(bytes(self._pending) + bytes(data[: last_zero + 1]), dtype=np.uint8)
        self._pending = bytearray(data[last_zero + 1 :])
        ends = np.flatnonzero(buf == 0).astype(np.int64)
        starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
        if self._skipping:
            starts, ends = starts[1:], ends[1:]
            self._skipping = False
        nonempty = ends > starts
        result = deframe(buf, starts[nonempty], ends[nonempty])
        self.counters.crc_errors += result.crc_errors
        self.counters.malformed += result.oversize
        self._bound_pending()
        return self._frames.frames(result.data, result.offsets, result.lengths)

    def feed_many(self, chunks: Sequence[bytes]) -> Decoded:
        """Several chunks at once: a byte stream, so the same as feeding them joined."""
        return self.feed(chunks[0] if len(chunks) == 1 else b"".join(chunks))

    def finish(self) -> None:
        """The input ended: count an unfinished frame left at its end."""
        if self._pending and not self._skipping:
            self.counters.truncated_bytes += len(self._pending)
            self.counters.malformed += 1
        self._pending = bytearray()
        self._skipping = False

    def _bound_pending(self) -> None:
        # A run of bytes longer than any frame can be cannot end well: count it once, drop
        # it, and skip to the next delimiter, so memory stays bounded on any input.
        if len(self._pending) > MAX_ENCODED:
            if not self._skipping:
                self.counters.malformed += 1
            self._skipping = True
            self._pending = bytearray()


class PacketDecoder(_DecoderBase):
    """One bare frame per packet (BLE notifications, recordings of them)."""

    def feed(self, packet: bytes) -> Decoded:
        return self.feed_many([packet])

    def feed_many(self, packets: Sequence[bytes]) -> Decoded:
        """Several packets at once: the same result as feeding them one by one, faster."""
        if not packets:
            return Decoded.empty()
        lengths = np.fromiter((len(p) for p in packets), dtype=np.int64, count=len(packets))
        self.counters.bytes += int(lengths.sum())
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        data = np.frombuffer(b"".join(packets), dtype=np.uint8)
        return self._frames.frames(data, offsets, lengths)

    def finish(self) -> None:
        """Nothing is ever pending between packets."""


Decoder = StreamDecoder | PacketDecoder


def decoder_for(envelope: Envelope) -> Decoder:
    """The decoder that reads a stream of this envelope."""
    return StreamDecoder() if envelope == "serial" else PacketDecoder()


def decode_stream(data: bytes, chunk_size: int = 1 << 20) -> tuple[Decoded, StreamDecoder]:
    """A whole serial capture, decoded in bounded pieces."""
    dec = StreamDecoder()
    parts = [dec.feed(data[i : i + chunk_size]) for i in range(0, len(data), chunk_size)]
    dec.finish()
    return Decoded.concat(parts), dec
