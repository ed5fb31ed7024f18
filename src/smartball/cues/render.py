"""``--audio-out WAV``: the cue track rendered in device time, not played.

Sample 0 of the file is the session's first sample; each cue's sound starts at its device
time, so the same session always gives the same file (tests compare it with the cue log; a
person can hear what a recorded session would have said). Written as the session goes, with
a short lag so that cues a block reports slightly out of order still land in place; the file
is closed at the end. Mono, 16-bit.

With ``speech`` (voice cues), each ``say`` cue's words are rendered too, by the platform's
speech, at the cue's time. A line is synthesised in a thread of its own (once per distinct
line); the file waits for it only when the writing reaches the line's time, so a live
session is not held up, and a replay at full speed gets every line in place.
"""

from __future__ import annotations

import sys
import wave
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from smartball.cues.logic import Cue
from smartball.cues.sounds import SOUND_NAMES, cue_sounds

if TYPE_CHECKING:
    from smartball.events import Event
    from smartball.processing import ProcessResult

RENDER_RATE_HZ = 22_050
"""Plenty for tones under 2 kHz; half an hour of track is 80 MB."""
LAG_S = 3.0
"""Audio is written this far behind the newest sample, for cues reported a little late."""


class CueTrack:
    """A pipeline listener (for the session's time span) and a cue callback (``track(cue)``)."""

    def __init__(self, path: Path, *, volume: float = 1.0,
                 sample_rate_hz: int = RENDER_RATE_HZ,
                 speech: Callable[[str, int], npt.NDArray[np.float32]] | None = None) -> None:
        """``speech(text, rate_hz)``: the words as samples (``voice.synthesize``); None:
        ``say`` cues are not rendered."""
        self.path = path
        self.volume = volume
        self.rate_hz = sample_rate_hz
        self._sounds = cue_sounds(sample_rate_hz, volume)
        self._wav = wave.open(str(path), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate_hz)
        self.t0_s: float | None = None
        self._written = 0  # samples written to the file
        self._end = 0  # samples the session has lasted so far
        self._pending = np.zeros(0, dtype=np.float32)  # audio from _written on
        self.cues: list[Cue] = []
        self._speech = speech
        self._lines: dict[str, Future[npt.NDArray[np.float32]]] = {}
        self._said: list[tuple[int, Future[npt.NDArray[np.float32]]]] = []  # (index, words)
        self._speaker = ThreadPoolExecutor(1, "smartball-speech") if speech else None

    # ------------------------------------------------------------------ listener

    def on_samples(self, result: ProcessResult) -> None:
        if len(result) == 0:
            return
        if self.t0_s is None:
            self.t0_s = float(result.t_s[0])
        # The cues of this block come after it: write only what lies before it.
        self._flush(self._index(float(result.t_s[0])) - round(LAG_S * self.rate_hz))
        self._end = max(self._end, self._index(float(result.t_s[-1])) + 1)

    def on_event(self, event: Event) -> None:
        pass

    # ------------------------------------------------------------------ cues

    def __call__(self, cue: Cue) -> None:
        if cue.name == "say":
            if not cue.text or self._speaker is None or self._speech is None:
                return  # no words to render (or the speech has failed once)
            if self.t0_s is None:
                self.t0_s = cue.t_s
            self.cues.append(cue)
            words = self._lines.get(cue.text)
            if words is None:
                words = self._speaker.submit(self._speech, cue.text, self.rate_hz)
                self._lines[cue.text] = words
            self._said.append((self._index(cue.t_s), words))
            return
        if cue.name not in SOUND_NAMES:
            return
        if self.t0_s is None:
            self.t0_s = cue.t_s
        self.cues.append(cue)
        self._add(self._index(cue.t_s), self._sounds[cue.name])

    def _add(self, index: int, sound: npt.NDArray[np.float32]) -> None:
        at = index - self._written
        if at < 0:  # later than the lag allows: the part still to be written
            sound, at = sound[-at:], 0
        need = at + len(sound)
        if need > len(self._pending):
            self._pending = np.concatenate(
                [self._pending, np.zeros(need - len(self._pending), dtype=np.float32)])
        self._pending[at:need] += sound

    def close(self) -> None:
        """Write the rest: the session's whole length, and the last cue's sound to its end."""
        if self._wav is None:
            return
        self._place_words(None)
        if self._speaker is not None:
            self._speaker.shutdown()
        self._flush(max(self._end, self._written + len(self._pending)))
        self._wav.close()
        self._wav = None  # type: ignore[assignment]

    def _place_words(self, before: int | None) -> None:
        """Mix in the spoken lines that start before sample ``before`` (None: all), waiting
        for their synthesis if need be. A line the speech cannot give is said once on
        stderr, and the track goes on with the sound cues."""
        keep = []
        for index, words in self._said:
            if before is not None and index >= before:
                keep.append((index, words))
                continue
            try:
                sound = words.result()
            except Exception as exc:  # the platform's speech, whatever it raised
                if self._speech is not None:
                    print(f"smartball: {exc}; {self.path} has the sound cues without the "
                          "words", file=sys.stderr)
                self._speech = None
                continue
            self._add(index, sound * np.float32(self.volume))
        self._said = keep

    # ------------------------------------------------------------------ steps

    def _index(self, t_s: float) -> int:
        assert self.t0_s is not None
        return round((t_s - self.t0_s) * self.rate_hz)

    def _flush(self, upto: int) -> None:
        n = upto - self._written
        if n <= 0:
            return
        if self._said:
            self._place_words(upto)
        chunk = self._pending[:n]
        if len(chunk) < n:
            chunk = np.concatenate([chunk, np.zeros(n - len(chunk), dtype=np.float32)])
        self._pending = self._pending[n:]
        pcm = np.clip(np.round(chunk * 32767.0), -32768, 32767).astype("<i2")
        self._wav.writeframes(pcm.tobytes())
        self._written = upto


def read_wav(path: Path) -> tuple[npt.NDArray[np.float64], int]:
    """A mono 16-bit WAV as floats in [-1, 1], and its rate (for tests and benchmarks)."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        raw = w.readframes(w.getnframes())
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0, rate


def onsets_s(samples: npt.NDArray[np.float64], rate_hz: int, *, threshold: float = 0.05,
             quiet_s: float = 0.1) -> list[float]:
    """Where sound starts after at least ``quiet_s`` of silence, in seconds from the start."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if len(loud) == 0:
        return []
    gap = round(quiet_s * rate_hz)
    starts = np.concatenate(([loud[0]], loud[1:][np.diff(loud) > gap]))
    return [int(s) / rate_hz for s in starts]
