"""Voice cues: the step's instruction and "release" spoken with the platform's own speech
(``pyttsx3``: espeak-ng on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS), from
``say`` cues. Speaking takes seconds, so it runs in its own thread; a new line waits for the
one being spoken. The ``voice`` extra brings ``pyttsx3``; Linux also needs espeak-ng.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from smartball.cues.logic import Cue
from smartball.errors import SmartBallError

VOICE_MISSING = ("voice cues need the 'voice' extra (pip install 'smartball[voice]'); "
                 "playing sound cues instead")
MAX_WAITING = 3
"""Lines waiting to be spoken, at most: a voice that lags far behind the session misleads."""


class VoiceUnavailable(SmartBallError, RuntimeError):
    pass


class Speaker:
    """``Speaker().open()`` (raises :class:`VoiceUnavailable`); call it with each cue;
    ``close()``. ``spoken``: the lines said so far."""

    def __init__(self, rate_wpm: int = 160) -> None:
        self.rate_wpm = rate_wpm
        self.spoken: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: str | None = None

    def open(self) -> Speaker:
        try:
            import pyttsx3  # noqa: F401
        except ImportError:
            raise VoiceUnavailable(VOICE_MISSING) from None
        self._thread = threading.Thread(target=self._run, name="smartball-voice", daemon=True)
        self._thread.start()
        self._ready.wait(10.0)
        if self._error is not None:
            raise VoiceUnavailable(f"the platform's speech did not start ({self._error}); "
                                   "playing sound cues instead")
        return self

    def __call__(self, cue: Cue) -> None:
        if cue.name == "say" and cue.text and self._queue.qsize() < MAX_WAITING:
            self._queue.put(cue.text)

    def close(self, timeout_s: float = 5.0) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        import pyttsx3

        engine: Any
        try:
            engine = pyttsx3.init()
            engine.setProperty("rate", self.rate_wpm)
        except Exception as exc:  # no speech engine on this machine
            self._error = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            self._ready.set()
            return
        self._ready.set()
        while True:
            text = self._queue.get()
            if text is None:
                break
            engine.say(text)
            engine.runAndWait()
            self.spoken.append(text)
        engine.stop()
