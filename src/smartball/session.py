"""The device side of a session: transport -> recorder -> decoder -> processing -> listeners.

One loop, in one thread: every chunk the transport hands out goes first to the recorder (so
the recording holds every byte, garbage included), then through the decoder that matches
the transport's envelope, then through the processing. Listeners get the per-sample results
(``on_samples``) and every event (``on_event``): processing's ``zone``, ``hold_start``,
``hold_end``, ``too_hard``, and the device side's ``connected``, ``info``, ``gap``,
``status``, ``disconnected``, ``reconnected``.

Everything a listener sees follows from the chunks alone (never from the wall clock), so a
replay of the recording emits exactly the events the live session did.

Listeners run in the device thread: they must be quick and must not block (the live view
only copies into a buffer that matplotlib drains in the main thread).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Protocol

from smartball.events import Event
from smartball.protocol.constants import ALL_CHANNELS, Opcode, ReplyResult
from smartball.protocol.messages import Command, Info, Log, Reply, Status, encode_frame
from smartball.transport.base import Received, Transport

if TYPE_CHECKING:
    from smartball.block import SampleBlock
    from smartball.processing import Processor, ProcessResult
    from smartball.protocol.decoder import Counters, Decoded, PacketDecoder, StreamDecoder
    from smartball.routines.model import Routine

log = logging.getLogger(__name__)

DEFAULT_RATE_HZ = 100
POLL_S = 0.05
"""Longest wait for a chunk before the loop checks ``stop()`` and flushes the recorder."""
START_RETRY_S = 3.0
"""START again if no samples came this long after it (a command lost on the way)."""
START_ATTEMPTS = 3
BATCH_SAMPLES = 4096
"""When chunks come as fast as they can be read (a replay at full speed), the samples of
this many chunks' worth are processed in one call; see :meth:`Session._hold`."""


class Listener(Protocol):
    def on_samples(self, result: ProcessResult) -> None: ...
    def on_event(self, event: Event) -> None: ...


class Recorder(Protocol):
    def on_chunk(self, chunk: Received) -> None: ...
    def on_device_info(self, info: dict[str, Any]) -> None: ...
    def tick(self) -> None: ...


class EventSink:
    """A listener that hands events to a callable (an ``EventWriter``) and ignores samples."""

    def __init__(self, callback: Any) -> None:
        self._callback = callback

    def on_samples(self, result: ProcessResult) -> None:
        pass

    def on_event(self, event: Event) -> None:
        self._callback(event)


class Session:
    """``Session(transport, recorder=..., processor=...)``; ``run()`` blocks, ``start()``
    runs the loop in a thread (``stop()``, ``join()``).

    ``processor``: None makes the default one when the ball's INFO (rate, ball size) is
    known; ``process=False`` skips processing altogether (recording only)."""

    def __init__(
        self,
        transport: Transport,
        *,
        recorder: Recorder | None = None,
        processor: Processor | None = None,
        process: bool = True,
        rate_hz: int = DEFAULT_RATE_HZ,
        channels: int = int(ALL_CHANNELS),
        routine: Routine | None = None,
    ) -> None:
        from smartball.protocol.decoder import PacketDecoder, StreamDecoder

        self.transport = transport
        self.recorder = recorder
        self.processor = processor
        self.process = process
        self.rate_hz = rate_hz
        self.channels = channels
        self.routine = routine
        """With a routine, the default processor also tracks strokes and the routine's steps."""
        self.decoder: StreamDecoder | PacketDecoder = (
            StreamDecoder() if transport.envelope == "serial" else PacketDecoder()
        )
        self.listeners: list[Listener] = []
        self.events: list[Event] = []
        """Every event so far (for summaries and tests)."""
        self.chunks = 0
        self.last_t_s = 0.0
        """Device time of the last sample seen."""
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._starter: threading.Thread | None = None
        self._token = 0
        self._seq = 0
        self._start_token: int | None = None
        self._start_sent_mono: float | None = None
        self._start_attempts = 0
        self._samples_since_start = 0
        self._last_info: dict[str, Any] | None = None
        # Decoded chunks whose processing is deferred (unpaced transports only).
        self._held: list[tuple[list[Event], SampleBlock]] = []
        self._held_samples = 0
        # A packet transport (BLE) subscribes and sends START itself: the protocol wants
        # START only after the subscription, which only the transport can order. A replay
        # cannot hear commands at all. A transport says so with ``starts_stream = True``.
        self.sends_start = not getattr(
            transport, "starts_stream", transport.envelope == "packet"
        )

    # ------------------------------------------------------------------ listeners

    def add_listener(self, listener: Listener) -> None:
        self.listeners.append(listener)

    @property
    def info(self) -> Info | None:
        return self.decoder.info

    @property
    def counters(self) -> Counters:
        """The decoder's counts: frames, samples, CRC errors, lost samples, restarts."""
        return self.decoder.counters

    # ------------------------------------------------------------------ running

    def run(self, seconds: float | None = None) -> None:
        """Read until the transport ends, ``seconds`` of wall time pass, or ``stop()``."""
        deadline = None if seconds is None else time.monotonic() + seconds
        if self.sends_start:
            self._send_start()
        try:
            while not self._stop.is_set():
                if deadline is not None and time.monotonic() >= deadline:
                    break
                try:
                    chunk = self.transport.recv(POLL_S)
                except EOFError:
                    break
                if chunk is None:
                    self._flush_held()
                    if self.recorder is not None:
                        self.recorder.tick()
                else:
                    self.handle_chunk(chunk)
                self._check_start()
            self._finish()
        finally:
            if self.recorder is not None:
                self.recorder.tick()

    def start(self, seconds: float | None = None) -> None:
        """Run in a background thread (the device thread)."""
        if self._thread is not None:
            raise RuntimeError("the session is already running")

        def target() -> None:
            try:
                self.run(seconds)
            except BaseException as exc:  # handed to join() in the caller's thread
                self.error = exc

        self._starter = threading.current_thread()
        self._thread = threading.Thread(target=target, name="smartball-device", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout_s: float | None = None) -> None:
        """Wait for the device thread. An error it met is raised here in the thread that
        called ``start()`` (other threads, such as a view watching for the end, only wait)."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        if self.error is not None and threading.current_thread() is self._starter:
            err, self.error = self.error, None
            raise err

    # ------------------------------------------------------------------ one chunk

    def handle_chunk(self, chunk: Received) -> None:
        """Record, decode and process one chunk.

        Chunks are decoded one by one, never merged: the order of the events of one chunk
        (device events before processing events at the same device time) then depends on
        the chunks alone, so a replay of the recording emits them in the same order."""
        self.chunks += 1
        if self.recorder is not None:
            self.recorder.on_chunk(chunk)
        if chunk.link is not None:
            self._on_link(chunk)
        if chunk.data:
            self._on_decoded(self.decoder.feed(chunk.data))

    def _on_link(self, chunk: Received) -> None:
        link = chunk.link
        assert link is not None
        # Only what the chunk says, so a replay emits the same event.
        fields: dict[str, Any] = {"detail": chunk.detail} if chunk.detail else {}
        self._flush_held()
        if link == "disconnected":
            # What was half received is lost; a hold cannot go on without the ball.
            self.decoder.finish()
            self._close_processing()
        self._emit([Event(self.last_t_s, link, fields)])
        if link == "reconnected" and self.sends_start:
            self._start_attempts = 0
            self._send_start()

    def _on_decoded(self, decoded: Decoded) -> None:
        device: list[Event] = []
        for msg, t in zip(decoded.messages, decoded.message_t_s, strict=True):
            t_s = t if t == t else self.last_t_s  # NaN: before the first sample
            ev = self._on_message(msg, t_s)
            if ev is not None:
                device.append(ev)
        for gap in decoded.gaps:
            device.append(Event(gap.t_s, "gap", {"lost_samples": gap.lost_samples}))
        samples = decoded.samples
        processed: list[Event] = []
        if len(samples):
            self._samples_since_start += len(samples)
            self.last_t_s = float(samples.t_s[-1])
        if self.process and (self._held or (len(samples) and self.transport.unpaced)):
            self._hold(device, samples)
            return
        if len(samples) and self.process:
            result = self._processor().process(samples)
            for listener in self.listeners:
                listener.on_samples(result)
            processed = result.events
        self._emit_chunk(device, processed)

    def _hold(self, device: list[Event], samples: SampleBlock) -> None:
        """Defer a chunk's processing, to process many chunks' samples in one call.

        Per call, processing costs far more than per sample; a replay at full speed need not
        answer any one chunk at once. Everything a listener sees stays as if each chunk were
        processed alone (processing is chunk-invariant, and each event says at which sample
        it became known): :meth:`_flush_held` hands out each chunk's part of the result and
        events, in the order chunk-by-chunk processing would have."""
        if len(samples):
            self._processor()  # made from the INFO in force at this chunk, as without holding
        self._held.append((device, samples))
        self._held_samples += len(samples)
        if self._held_samples >= BATCH_SAMPLES:
            self._flush_held()

    def _flush_held(self) -> None:
        if not self._held:
            return
        from smartball.block import SampleBlock

        held, self._held, self._held_samples = self._held, [], 0
        blocks = [samples for _device, samples in held if len(samples)]
        result = self._processor().process(SampleBlock.concat(blocks)) if blocks else None
        start = 0
        for device, samples in held:
            processed: list[Event] = []
            if result is not None and len(samples):
                part = result.part(start, start + len(samples))
                start += len(samples)
                for listener in self.listeners:
                    listener.on_samples(part)
                processed = part.events
            self._emit_chunk(device, processed)

    def _emit_chunk(self, device: list[Event], processed: list[Event]) -> None:
        if device and processed:
            # Device events before processing events at the same device time.
            merged = sorted(
                [(e.t_s, 0, k, e) for k, e in enumerate(device)]
                + [(e.t_s, 1, k, e) for k, e in enumerate(processed)],
                key=lambda x: (x[0], x[1], x[2]),
            )
            self._emit([e for *_, e in merged])
        else:
            self._emit(device or processed)

    def _on_message(self, msg: object, t_s: float) -> Event | None:
        if isinstance(msg, Info):
            # The ball repeats its INFO every 5 s; only a new one (first, restart, new
            # scales) is news.
            info = msg.as_dict()
            if info == self._last_info:
                return None
            self._last_info = info
            if self.recorder is not None:
                self.recorder.on_device_info(info)
            return Event(t_s, "info", info)
        if isinstance(msg, Status):
            return Event(t_s, "status", {
                "battery_mv": msg.battery_mv,
                "battery_percent": msg.battery_percent,
                "flags": msg.flags,
                "dropped_samples": msg.dropped_samples,
            })
        if isinstance(msg, Reply):
            self._on_reply(msg)
        elif isinstance(msg, Log):
            level = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)[min(msg.level, 3)]
            log.log(level, "ball: %s", msg.text)
        return None

    def _emit(self, events: list[Event]) -> None:
        for ev in events:
            self.events.append(ev)
            for listener in self.listeners:
                listener.on_event(ev)

    # ------------------------------------------------------------------ processing

    def _processor(self) -> Processor:
        if self.processor is None:
            from smartball.processing import Processor

            info = self.decoder.info
            diameter_mm = 80.0
            if info is not None:
                diameter_mm = float(info.ball_diameter_mm or 80)
                rate_hz = info.sample_rate_hz or float(self.rate_hz)
            else:
                rate_hz = 1e6 / self.decoder.sample_period_us
            if self.routine is not None:
                from smartball.routines.processing import RoutineProcessor

                self.processor = RoutineProcessor(self.routine, ball_diameter_mm=diameter_mm,
                                                  sample_rate_hz=rate_hz)
            else:
                self.processor = Processor(ball_diameter_mm=diameter_mm, sample_rate_hz=rate_hz)
        return self.processor

    def _close_processing(self) -> None:
        self._flush_held()
        if self.process and self.processor is not None:
            self._emit(self.processor.finish(self.last_t_s))

    def _finish(self) -> None:
        self.decoder.finish()
        self._close_processing()
        end = getattr(self.processor, "end", None)  # a routine ends with the session
        if self.process and end is not None:
            self._emit(end(self.last_t_s))

    # ------------------------------------------------------------------ commands

    def _send_start(self) -> None:
        self._token = (self._token + 1) & 0xFF
        self._start_token = self._token
        cmd = Command.start(self._seq, self._token, self.rate_hz, self.channels)
        self._seq = (self._seq + 1) & 0xFFFF
        try:
            self.transport.send(encode_frame(cmd))
        except OSError as exc:
            log.warning("cannot send START to the ball: %s", exc)
        self._start_sent_mono = time.monotonic()
        self._start_attempts += 1
        self._samples_since_start = 0

    def _check_start(self) -> None:
        """START again if the ball stayed silent after it (the command may have been lost)."""
        if (
            self.sends_start
            and self._start_sent_mono is not None
            and self._samples_since_start == 0
            and self._start_attempts < START_ATTEMPTS
            and time.monotonic() - self._start_sent_mono > START_RETRY_S
        ):
            log.info("no samples %.0f s after START; sending it again", START_RETRY_S)
            self._send_start()

    def _on_reply(self, reply: Reply) -> None:
        if not self.sends_start or reply.opcode != Opcode.START or reply.token != self._start_token:
            return
        if reply.result == ReplyResult.OK:
            return
        info = self.decoder.info
        fallback = (DEFAULT_RATE_HZ, info.channels if info is not None else int(ALL_CHANNELS))
        if reply.result == ReplyResult.BAD_ARGUMENT and (self.rate_hz, self.channels) != fallback:
            # Ask for what every board does: the default rate, the channels it has.
            log.warning("the ball refused START (%d Hz, channels %#x); asking for %d Hz, "
                        "channels %#x", self.rate_hz, self.channels, *fallback)
            self.rate_hz, self.channels = fallback
            self._start_attempts = 0
            self._send_start()
        else:
            log.warning("the ball refused START (result %d)", reply.result)
