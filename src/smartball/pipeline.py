"""The one pipeline: chunks -> decoder -> processing -> listeners.

Live sessions, replays, ``analyze``, ``report``, ``export`` and ``calibrate`` all run their
bytes through a :class:`Pipeline`; only where the chunks come from differs (a transport, a
recording, a raw capture). It does no I/O and talks to no ball: starting the stream,
retrying and threads belong to :class:`smartball.session.Session`.

``feed(chunks)`` takes one chunk or many. Consecutive data chunks are decoded as one block
(the decoder's cost is per call, not per byte), so a file read as fast as it can be read
costs what a raw capture costs; link events split the blocks. Listeners get the per-sample
results (``on_samples``) and every event (``on_event``): processing's ``zone``,
``hold_start``, ``hold_end``, ``too_hard`` (with a routine also ``step_start``, ``step_end``
and ``routine_end``), and the stream's ``connected``, ``info``, ``gap``, ``status``,
``disconnected``, ``reconnected``.

What listeners see depends on the bytes alone, never on how they were cut into chunks or
batches: events are handed out in stream order (each processing event at the sample that
made it known, each device event where its frame stood), so a live session, its replay and
``analyze`` of its recording emit the same events. A ``disconnected`` link closes what the
ball's absence ends everywhere: the decoder drops a half-received frame, and the processing
closes an open hold and resets the too-hard warning.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from smartball.events import Event
from smartball.protocol.constants import REFERENCE_BALL_DIAMETER_MM

if TYPE_CHECKING:
    from smartball.block import SampleBlock
    from smartball.chunk import Envelope, Received
    from smartball.context import SessionContext
    from smartball.processing import Processor, ProcessResult
    from smartball.processing.calibration import Calibration
    from smartball.protocol.decoder import Counters, Decoded, Decoder
    from smartball.protocol.messages import Info, Message
    from smartball.routines.model import Routine

BLOCK_BYTES = 1 << 20
"""Most bytes decoded as one block when chunks come as fast as they can be read (a file, a
replay at full speed): about five minutes of stream at 100 Hz with every channel."""

# Sort keys of events that became known at the same place in the stream: what the samples
# before it made known, then the frames there, then a gap found with the next samples.
_PROCESSED, _MESSAGE, _GAP = 0, 1, 2


class Listener(Protocol):
    """What the pipeline hands out, in stream order, in the thread that feeds it (the
    device thread of a live session: be quick, never block).

    ``on_samples(result)``: the per-sample arrays of each processed block (force, zone,
    rolling, hold time, too-hard...), its ``sample_rate_hz`` and, with a routine, where the
    routine stands (``result.routine``, a
    :class:`~smartball.processing.routine_clock.RoutineClock`).
    It never carries events: ``on_event(event)`` gets each event exactly once, processing's
    and the stream's alike, where it became known in the stream."""

    def on_samples(self, result: ProcessResult) -> None: ...
    def on_event(self, event: Event) -> None: ...


BlockListener = Callable[["SampleBlock", "ProcessResult | None"], None]
"""Called with each decoded block and its processing result (None when not processing;
without events, as for :class:`Listener`)."""


class EventSink:
    """A listener that hands events to a callable (an ``EventWriter``) and ignores samples."""

    def __init__(self, callback: Callable[[Event], Any]) -> None:
        self._callback = callback

    def on_samples(self, result: ProcessResult) -> None:
        pass

    def on_event(self, event: Event) -> None:
        self._callback(event)


def batches(chunks: Iterable[Received], max_bytes: int = BLOCK_BYTES) -> Iterator[list[Received]]:
    """The chunks in lists of about ``max_bytes`` of data (for :meth:`Pipeline.feed`)."""
    batch: list[Received] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk.data)
        if size >= max_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class Pipeline:
    """``Pipeline(envelope)``; ``feed(chunks)`` as they come, ``finish()`` at the end.

    ``envelope``: ``serial`` or ``packet`` (the decoder), or None for a source of samples
    already decoded (a CSV: :meth:`feed_samples`). ``processor``: None makes one from the
    ball's INFO in force before the first sample (rate, ball size) and ``context`` (what
    the session is processed with: calibration, routine, zones; or, for short,
    ``calibration`` and ``routine`` alone); ``process=False`` only decodes (recording,
    export). ``on_message`` sees every frame but
    SAMPLES, in order (the session answers REPLYs and logs the ball's LOG lines)."""

    def __init__(
        self,
        envelope: Envelope | None = "serial",
        *,
        processor: Processor | None = None,
        calibration: Calibration | None = None,
        process: bool = True,
        on_message: Callable[[Message], None] | None = None,
        routine: Routine | None = None,
        context: SessionContext | None = None,
    ) -> None:
        from smartball.context import SessionContext
        from smartball.protocol.decoder import decoder_for

        if context is not None and (calibration is not None or routine is not None):
            raise ValueError("give the calibration and routine in the context, not beside it")
        self.decoder: Decoder | None = None if envelope is None else decoder_for(envelope)
        self.processor = processor
        self.context = context or SessionContext(calibration=calibration, routine=routine)
        """What the processing is made with (with a routine, it also tracks strokes and the
        routine's steps)."""
        self.process = process
        self.on_message = on_message
        self.listeners: list[Listener] = []
        self.block_listeners: list[BlockListener] = []
        self.events: list[Event] = []
        """Every event so far."""
        self.last_t_s = 0.0
        """Device time of the last sample seen."""
        self.samples = 0
        self._last_info: dict[str, Any] | None = None
        self._info_before_samples: Info | None = None

    # ------------------------------------------------------------------ wiring

    def add_listener(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def add_block_listener(self, listener: BlockListener) -> None:
        self.block_listeners.append(listener)

    @property
    def info(self) -> Info | None:
        """The ball's last INFO."""
        return None if self.decoder is None else self.decoder.info

    @property
    def counters(self) -> Counters:
        """The decoder's counts: frames, samples, CRC errors, lost samples, restarts."""
        from smartball.protocol.decoder import Counters

        return Counters() if self.decoder is None else self.decoder.counters

    @property
    def sample_rate_hz(self) -> float:
        """The rate the processing runs at (or would, before the first sample)."""
        if self.processor is not None:
            return self.processor.sample_rate_hz
        return self._rate_hz(None)

    # ------------------------------------------------------------------ input

    def feed(self, chunks: Sequence[Received]) -> None:
        """Chunks in the order they came: data is decoded as one block between link events."""
        run: list[bytes] = []
        for chunk in chunks:
            if chunk.link is not None:
                self._decode(run)
                run = []
                self._on_link(chunk)
            if chunk.data:
                run.append(chunk.data)
        self._decode(run)

    def feed_samples(self, block: SampleBlock, *, sample_rate_hz: float | None = None) -> None:
        """Samples decoded already (a CSV); ``sample_rate_hz`` if the source knows it."""
        if len(block):
            self._deliver([], block, sample_rate_hz)

    def finish(self) -> None:
        """The input ended: count a half-received frame, close an open hold, end a routine."""
        self._close_stream()
        if self.process and self.processor is not None:  # a routine ends with the input
            self._emit(self.processor.end(self.last_t_s))

    def _close_stream(self) -> None:
        if self.decoder is not None:
            self.decoder.finish()
        self._close_processing()

    # ------------------------------------------------------------------ steps

    def _decode(self, run: list[bytes]) -> None:
        if run and self.decoder is not None:
            self._on_decoded(self.decoder.feed_many(run))

    def _on_link(self, chunk: Received) -> None:
        link = chunk.link
        assert link is not None
        if link == "disconnected":
            # What was half received is lost; a hold cannot go on without the ball. A
            # routine goes on by time: the ball may come back.
            self._close_stream()
        self._emit([Event(self.last_t_s, link, {"detail": chunk.detail} if chunk.detail else {})])

    def _on_decoded(self, decoded: Decoded) -> None:
        import numpy as np

        keyed: list[tuple[int, int, int, Event]] = []
        t_before = self.last_t_s
        for k, (msg, t, at) in enumerate(
            zip(decoded.messages, decoded.message_t_s, decoded.message_at, strict=True)
        ):
            ev = self._on_message(msg, t if t == t else t_before, at)  # NaN: no sample yet
            if ev is not None:
                keyed.append((at, _MESSAGE, k, ev))
        if decoded.gaps:
            at_gap = np.searchsorted(decoded.samples.t_s, [g.t_s for g in decoded.gaps])
            for k, (gap, at) in enumerate(zip(decoded.gaps, at_gap.tolist(), strict=True)):
                keyed.append((at, _GAP, k, Event(gap.t_s, "gap",
                                                 {"lost_samples": gap.lost_samples})))
        self._deliver(keyed, decoded.samples, None)

    def _on_message(self, msg: Message, t_s: float, at: int) -> Event | None:
        from smartball.protocol.messages import Info, Status

        if self.on_message is not None:
            self.on_message(msg)
        if isinstance(msg, Info):
            if at == 0 and self.samples == 0:
                self._info_before_samples = msg
            # The ball repeats its INFO every 5 s; only a new one (first, restart, new
            # scales) is news.
            info = msg.as_dict()
            if info == self._last_info:
                return None
            self._last_info = info
            return Event(t_s, "info", info)
        if isinstance(msg, Status):
            return Event(t_s, "status", {
                "battery_mv": msg.battery_mv,
                "battery_percent": msg.battery_percent,
                "flags": int(msg.flags),
                "dropped_samples": msg.dropped_samples,
            })
        return None

    def _deliver(
        self, keyed: list[tuple[int, int, int, Event]], samples: SampleBlock,
        sample_rate_hz: float | None,
    ) -> None:
        n = len(samples)
        result: ProcessResult | None = None
        if n:
            if self.process:
                result = self._processor(sample_rate_hz).process(samples)
                keyed += [(at + 1, _PROCESSED, k, ev) for k, (at, ev) in
                          enumerate(zip(result.event_index, result.events, strict=True))]
                if result.events:  # they go out one by one below, in stream order
                    result = dataclasses.replace(result, events=[], event_index=[])
            self.samples += n
            self.last_t_s = float(samples.t_s[-1])
            for block_listener in self.block_listeners:
                block_listener(samples, result)
            if result is not None:
                for listener in self.listeners:
                    listener.on_samples(result)
        keyed.sort(key=lambda x: x[:3])
        self._emit([ev for *_, ev in keyed])

    def _emit(self, events: list[Event]) -> None:
        for ev in events:
            self.events.append(ev)
            for listener in self.listeners:
                listener.on_event(ev)

    # ------------------------------------------------------------------ processing

    def _rate_hz(self, source_rate_hz: float | None) -> float:
        info = self._info_before_samples
        if source_rate_hz:
            return source_rate_hz
        if info is not None and info.sample_rate_hz > 0:
            return info.sample_rate_hz
        if self.decoder is not None:
            return 1e6 / self.decoder.sample_period_us
        from smartball.protocol.constants import DEFAULT_RATE_HZ

        return float(DEFAULT_RATE_HZ)

    def _processor(self, source_rate_hz: float | None) -> Processor:
        """The processor, made for the ball described before the first sample."""
        if self.processor is None:
            info = self._info_before_samples
            diameter_mm = float(info.ball_diameter_mm if info is not None
                                and info.ball_diameter_mm else REFERENCE_BALL_DIAMETER_MM)
            self.processor = self.context.make_processor(
                ball_diameter_mm=diameter_mm, sample_rate_hz=self._rate_hz(source_rate_hz))
        return self.processor

    def _close_processing(self) -> None:
        if self.process and self.processor is not None:
            self._emit(self.processor.finish(self.last_t_s))
