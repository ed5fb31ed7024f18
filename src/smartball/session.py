"""The conversation with the ball: a transport, a recorder and a :class:`Pipeline`.

One loop, in one thread: every chunk the transport hands out goes first to the recorder (so
the recording holds every byte, garbage included), then into the pipeline (decoder,
processing, listeners: :mod:`smartball.pipeline`). The session's own part is the ball's side:
START when the stream begins, again after a reconnection, again if the ball stays silent,
with what the board has if the first one was refused (:mod:`smartball.handshake`, the same
for a serial and a BLE ball); the ball's LOG lines; the device thread.

Whether the session sends START is the transport's ``host_starts_stream``. When the
transport hands out chunks as fast as they can be read (a replay at full speed), the
session takes every chunk that is ready at once (``recv_many``), so the pipeline decodes and
processes whole blocks; what listeners see does not depend on it.

Listeners run in the device thread: they must be quick and must not block (the live view
only copies into a buffer that matplotlib drains in the main thread).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from smartball.handshake import StartHandshake
from smartball.pipeline import EventSink, Listener, Pipeline
from smartball.protocol.constants import (
    ALL_CHANNELS,
    DEFAULT_RATE_HZ,
    LogLevel,
)
from smartball.protocol.messages import Info, Log, Message, Reply

if TYPE_CHECKING:
    from smartball.chunk import Received
    from smartball.context import SessionContext
    from smartball.events import Event
    from smartball.processing import Processor
    from smartball.processing.calibration import Calibration
    from smartball.protocol.decoder import Counters
    from smartball.routines.model import Routine
    from smartball.transport.base import Transport

__all__ = ["EventSink", "Listener", "Recorder", "Session"]

log = logging.getLogger(__name__)

POLL_S = 0.05
"""Longest wait for a chunk before the loop checks ``stop()`` and flushes the recorder."""
START_RETRY_S = 3.0
"""START again if no samples came this long after it (a command lost on the way)."""
START_ATTEMPTS = 3

_LOG_LEVELS = {LogLevel.DEBUG: logging.DEBUG, LogLevel.INFO: logging.INFO,
               LogLevel.WARNING: logging.WARNING, LogLevel.ERROR: logging.ERROR}


class Recorder(Protocol):
    def on_chunk(self, chunk: Received) -> None: ...
    def on_device_info(self, info: dict[str, Any]) -> None: ...
    def tick(self) -> None: ...


class Session:
    """``Session(transport, recorder=..., processor=...)``; ``run()`` blocks, ``start()``
    runs the loop in a thread (``stop()``, ``join()``).

    ``processor``: None makes the one ``context`` asks for (or ``calibration`` and
    ``routine``) when the ball's INFO (rate, ball size) is known; ``process=False`` skips
    processing altogether (recording only)."""

    def __init__(
        self,
        transport: Transport,
        *,
        recorder: Recorder | None = None,
        processor: Processor | None = None,
        calibration: Calibration | None = None,
        process: bool = True,
        rate_hz: int = DEFAULT_RATE_HZ,
        channels: int = int(ALL_CHANNELS),
        routine: Routine | None = None,
        context: SessionContext | None = None,
        pending: Sequence[Received] = (),
    ) -> None:
        self.transport = transport
        self.recorder = recorder
        self.pipeline = Pipeline(transport.envelope, processor=processor,
                                 calibration=calibration, process=process,
                                 on_message=self._on_message, routine=routine,
                                 context=context)
        self.routine = self.pipeline.context.routine
        """With a routine, the processing also tracks strokes and the routine's steps."""
        self.handshake = StartHandshake(rate_hz, channels)
        self._pending = list(pending)
        """Chunks read from the transport before the session (to learn the board): taken
        first, recorded and processed like any other."""
        self.sends_start = transport.host_starts_stream
        self.chunks = 0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._starter: threading.Thread | None = None
        self._start_sent_mono: float | None = None
        self._start_attempts = 0
        self._samples_at_start = 0

    # ------------------------------------------------------------------ the pipeline's view

    def add_listener(self, listener: Listener) -> None:
        self.pipeline.add_listener(listener)

    @property
    def events(self) -> list[Event]:
        """Every event so far (for summaries and tests)."""
        return self.pipeline.events

    @property
    def info(self) -> Info | None:
        return self.pipeline.info

    @property
    def counters(self) -> Counters:
        return self.pipeline.counters

    @property
    def last_t_s(self) -> float:
        return self.pipeline.last_t_s

    # ------------------------------------------------------------------ running

    def run(self, seconds: float | None = None) -> None:
        """Read until the transport ends, ``seconds`` of wall time pass, or ``stop()``."""
        deadline = None if seconds is None else time.monotonic() + seconds
        if self.sends_start:
            self._send_start()
        if self._pending:
            pending, self._pending = self._pending, []
            self.handle_chunks(pending)
        try:
            while not self._stop.is_set():
                if deadline is not None and time.monotonic() >= deadline:
                    break
                try:
                    chunks = self.transport.recv_many(POLL_S)
                except EOFError:
                    break
                if chunks:
                    self.handle_chunks(chunks)
                elif self.recorder is not None:
                    self.recorder.tick()
                self._check_start()
            self.pipeline.finish()
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

    def handle_chunks(self, chunks: list[Received]) -> None:
        """Record the chunks, then run them through the pipeline."""
        self.chunks += len(chunks)
        if self.recorder is not None:
            for chunk in chunks:
                self.recorder.on_chunk(chunk)
        self.pipeline.feed(chunks)
        if self.sends_start and any(c.link == "reconnected" for c in chunks):
            self._start_attempts = 0
            self._send_start()

    # ------------------------------------------------------------------ the ball's side

    @property
    def rate_hz(self) -> int:
        """The rate asked for (the board's default after a refusal)."""
        return self.handshake.rate_hz

    @property
    def channels(self) -> int:
        return self.handshake.channels

    def _on_message(self, msg: Message) -> None:
        if isinstance(msg, Info):
            if self.recorder is not None:
                self.recorder.on_device_info(msg.as_dict())
            if self.sends_start:
                self._send(self.handshake.on_info(msg))
        elif isinstance(msg, Reply):
            if self.sends_start:
                before = (self.handshake.rate_hz, self.handshake.channels)
                frame = self.handshake.on_reply(msg, self.pipeline.info)
                if frame is not None and before != (self.handshake.rate_hz,
                                                    self.handshake.channels):
                    log.warning("the ball refused START (%d Hz, channels %#x); asking for "
                                "%d Hz, channels %#x", *before, self.handshake.rate_hz,
                                self.handshake.channels)
                elif frame is None and msg.result and msg.token == self.handshake.start_token:
                    log.warning("the ball refused START (result %d)", msg.result)
                self._send(frame)
        elif isinstance(msg, Log):
            level = _LOG_LEVELS.get(LogLevel(min(msg.level, LogLevel.ERROR)), logging.ERROR)
            log.log(level, "ball: %s", msg.text)

    def _send(self, frame: bytes | None) -> None:
        """Send a frame of the handshake; a silent ball gets START again from then on."""
        if frame is None:
            return
        try:
            self.transport.send(frame)
        except OSError as exc:
            log.warning("cannot send a command to the ball: %s", exc)
        self._start_sent_mono = time.monotonic()
        self._samples_at_start = self.pipeline.samples

    def _send_start(self) -> None:
        self._send(self.handshake.start(self.pipeline.info))
        self._start_attempts += 1

    def _check_start(self) -> None:
        """START again if the ball stayed silent after it (the command may have been lost)."""
        if (
            self.sends_start
            and self._start_sent_mono is not None
            and self.pipeline.samples == self._samples_at_start
            and self._start_attempts < START_ATTEMPTS
            and time.monotonic() - self._start_sent_mono > START_RETRY_S
        ):
            log.info("no samples %.0f s after START; sending it again", START_RETRY_S)
            self._send_start()
