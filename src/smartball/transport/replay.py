"""A recording played back as a transport: the same chunks, in the same order, through the
same interface, so the session decodes and processes them exactly as it did live (faults
and link events included).

Reading is :class:`~smartball.recording.reader.RecordingReader`, pacing is
:class:`~smartball.recording.sync.Pacer`: at the recorded speed, ``speed`` times it, or as
fast as possible (``speed=None``). Commands sent to a recording go nowhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from smartball.pipeline import BLOCK_BYTES, batches
from smartball.recording.reader import RecordingReader
from smartball.recording.sync import Pacer
from smartball.transport.base import Received, Transport


class ReplayTransport(Transport):
    """Base of the two replay transports; use :func:`open_replay`, which picks the envelope."""

    host_starts_stream = False
    """Nothing to START: the recording already holds the stream (and its REPLYs)."""

    def __init__(
        self,
        reader: RecordingReader,
        *,
        speed: float | None = 1.0,
        max_gap_s: float | None = 2.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(f"recording {reader.path} (of {reader.header.transport})")
        self.reader = reader
        self._sleep = sleep
        self._chunks = iter(reader)
        self._blocks = reader.blocks(BLOCK_BYTES)
        self._batches: Iterator[list[Received]] = batches(self._blocks)
        self._pacer = Pacer(speed, max_gap_s=max_gap_s, clock=clock)
        self._next: Received | None = None

    @property
    def unpaced(self) -> bool:
        return self._pacer.speed is None

    def recv_many(self, timeout_s: float | None = None) -> list[Received]:
        """Paced: the next chunk when it is due. Unpaced: the next block of chunks (about
        :data:`~smartball.pipeline.BLOCK_BYTES` of data), read in one go."""
        if not self.unpaced:
            return super().recv_many(timeout_s)
        if self.closed:
            raise EOFError(f"{self.description} is closed")
        batch = next(self._batches, None)
        if batch is None:
            raise EOFError(f"end of {self.reader.path}")
        return batch

    def _recv_internal(self, timeout_s: float | None) -> Received | None:
        if self._next is None:
            self._next = next(self._chunks, None)
            if self._next is None:
                raise EOFError(f"end of {self.reader.path}")
        wait = self._pacer.wait_s(self._next.host_time_s)
        if wait > 0:
            if timeout_s is not None and wait > timeout_s:
                self._sleep(timeout_s)
                return None
            self._sleep(wait)
        chunk, self._next = self._next, None
        return chunk

    def _send_internal(self, data: bytes) -> None:
        pass  # a recording cannot hear commands

    def _shutdown(self) -> None:
        self._chunks = iter(())
        self._batches = iter(())


class SerialReplayTransport(ReplayTransport):
    envelope = "serial"


class PacketReplayTransport(ReplayTransport):
    envelope = "packet"


def open_replay(
    path: str | Path,
    *,
    speed: float | None = 1.0,
    max_gap_s: float | None = 2.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> ReplayTransport:
    """A transport replaying a recording with the envelope it was recorded with.

    ``max_gap_s`` shortens silences longer than that (a ball unplugged for minutes);
    None keeps every gap. ``clock`` and ``sleep`` pace it (tests pass a clock of their own)."""
    reader = RecordingReader(path)
    cls: type[ReplayTransport] = (
        SerialReplayTransport if reader.header.envelope == "serial" else PacketReplayTransport
    )
    return cls(reader, speed=speed, max_gap_s=max_gap_s, clock=clock, sleep=sleep)

