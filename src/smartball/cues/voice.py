"""Voice cues: the step's instruction and "release" spoken with the platform's own speech
(``pyttsx3``: espeak-ng on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS), from
``say`` cues. Speaking takes seconds, so it runs in its own thread; a new line waits for the
one being spoken. The ``voice`` extra brings ``pyttsx3``; Linux also needs espeak-ng.

On Linux the words are synthesised to a WAV file and played through the cues' own output
stream (``play``): pyttsx3's espeak driver plays each line through ``aplay`` one call late
and drops some (with pyttsx3 2.99, three lines said gave "Release.", an empty file, and
"Release." again), while its ``save_to_file`` gives every line whole.
"""

from __future__ import annotations

import contextlib
import io
import queue
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

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

    def __init__(self, rate_wpm: int = 160, *, play: Callable[[Any], Any] | None = None,
                 play_rate_hz: int = 48_000) -> None:
        self.rate_wpm = rate_wpm
        self.play = play
        """Plays float32 mono samples at ``play_rate_hz`` (the cue player); None: the
        platform's engine plays the words itself."""
        self.play_rate_hz = play_rate_hz
        self.via_file = play is not None and sys.platform.startswith("linux")
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
            if self.via_file:
                self._say_via_file(engine, text)
            else:
                engine.say(text)
                engine.runAndWait()
            self.spoken.append(text)
        engine.stop()

    def _say_via_file(self, engine: Any, text: str) -> None:
        assert self.play is not None
        with tempfile.TemporaryDirectory(prefix="smartball-voice-") as folder:
            path = Path(folder) / "say.wav"
            # The espeak driver prints "Audio saved to ..."; stdout may carry JSON lines.
            with contextlib.redirect_stdout(io.StringIO()):
                engine.save_to_file(text, str(path))
                engine.runAndWait()
            sound = wav_samples(path, self.play_rate_hz)
        if sound is None:
            return
        self.play(sound)
        time.sleep(len(sound) / self.play_rate_hz)  # heard before the next line


def wav_samples(path: Path, rate_hz: int) -> npt.NDArray[np.float32] | None:
    """The speech a 16-bit WAV file holds, as float32 mono at ``rate_hz`` (None: no file, or
    not such a WAV)."""
    from scipy.signal import resample_poly

    try:
        with wave.open(str(path), "rb") as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            raw = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error):
        return None
    if width != 2 or not raw:
        return None
    x = np.frombuffer(raw, dtype="<i2").astype(np.float64).reshape(-1, channels).mean(axis=1)
    g = np.gcd(rate, rate_hz)
    return np.asarray(resample_poly(x / 32768.0, rate_hz // g, rate // g), dtype=np.float32)


_SYNTHESIZE = """
import contextlib, io, sys
import pyttsx3
engine = pyttsx3.init()
engine.setProperty("rate", int(sys.argv[3]))
with contextlib.redirect_stdout(io.StringIO()):
    engine.save_to_file(sys.argv[1], sys.argv[2])
    engine.runAndWait()
"""


def synthesize(text: str, rate_hz: int, rate_wpm: int = 160,
               timeout_s: float = 30.0) -> npt.NDArray[np.float32]:
    """``text`` spoken by the platform's speech, as float32 mono at ``rate_hz``: for a WAV
    track, not for the speakers. In a process of its own (pyttsx3 keeps one engine per
    driver, which a :class:`Speaker` may be using); raises :class:`VoiceUnavailable` with
    the reason when nothing comes of it."""
    with tempfile.TemporaryDirectory(prefix="smartball-voice-") as folder:
        path = Path(folder) / "say.wav"
        try:
            done = subprocess.run([sys.executable, "-c", _SYNTHESIZE, text, str(path),
                                   str(rate_wpm)], capture_output=True, text=True,
                                  timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise VoiceUnavailable(f"the platform's speech took over {timeout_s:.0f} s to "
                                   "say a line") from None
        sound = wav_samples(path, rate_hz)
    if sound is None:
        lines = done.stderr.strip().splitlines()
        why = lines[-1] if lines else "it wrote no 16-bit WAV file"
        raise VoiceUnavailable(f"the platform's speech gave no sound to render ({why})")
    return sound
