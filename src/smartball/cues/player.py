"""Cues played as they happen, from an audio callback that only copies prepared samples.

The sounds are computed before the session starts (:mod:`smartball.cues.sounds`). The
coaching thread hands a cue to the output stream through a queue; the stream's callback takes
what is queued, copies the next samples of each sounding cue into the device's buffer and
returns: no allocation of sound, no lock held, no I/O in it (python-sounddevice's
``play_sine.py`` and ``priming_output.py``). The delay from a cue to its first sample leaving
the library is the queue's wait for the next callback, at most one block (960 samples at
48 kHz: 20 ms), plus what the sound server buffers; each played cue keeps the monotonic time
its first sample was handed to the library, which is how the latency benchmark measures it.

Two libraries can drive it: ``sounddevice`` (PortAudio), the default, and ``miniaudio``
(``SMARTBALL_AUDIO=miniaudio``). sounddevice has wheels for Linux (any machine: it loads
Debian's ``libportaudio2``), macOS and Windows (PortAudio inside), so it never needs a
compiler; miniaudio has none for Linux on ARM. Through a PulseAudio null sink both start a
cue well within 100 ms (``benchmarks/cue_latency.py``). Neither is needed to import this
module.
"""

from __future__ import annotations

import math
import os
import queue
import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartball.cues.logic import Cue
from smartball.cues.sounds import F32, SAMPLE_RATE_HZ, SOUND_NAMES, cue_sounds
from smartball.errors import SmartBallError

LATENCY_S = 0.04
"""The output latency asked of the library: the device's buffer. Shorter ran dry under load
(Python's callback waits for the interpreter while the session processes a block)."""
BLOCK_FRAMES = 960
"""Samples per callback: 20 ms at 48 kHz, the most a queued cue waits for its turn (256, 5 ms,
cost 5 % of a core in Python callbacks for a few ms less latency)."""
SLOTS = 8
"""Cues sounding at once, at most (a too-hard tone over a chime over a step's notes)."""
BACKENDS = ("sounddevice", "miniaudio")
START_WAIT_S = 5.0
"""Longest wait at ``open()`` for the stream to flow."""
FLOW_WINDOW_S = 0.05
"""The stream flows when three windows this long in a row each had half their callbacks
(the first fill of the server's buffer comes in a burst, then can stall)."""


class SoundUnavailable(SmartBallError, RuntimeError):
    """No audio library or no output device: the session goes on without sound."""


@dataclass(slots=True, eq=False)
class Played:
    """One cue handed to the player, and when its first sample left for the device."""

    cue: Cue | None
    sound: F32
    queued_mono: float
    started_mono: float = math.nan
    """``time.monotonic()`` in the callback that copied the first sample."""
    pos: int = 0


class Mixer:
    """The callback's side: what is sounding, copied block by block into the output."""

    def __init__(self) -> None:
        self.inbox: queue.SimpleQueue[Played] = queue.SimpleQueue()
        self._slots: list[Played | None] = [None] * SLOTS
        self.callbacks = 0
        self.underflows = 0
        """Callbacks the library reported as late (the device ran dry: a click)."""

    def fill(self, out: F32) -> None:
        """Fill ``out`` (mono float32, one callback's block). Called from the audio thread."""
        self.callbacks += 1
        out.fill(0.0)
        while True:
            try:
                played = self.inbox.get_nowait()
            except queue.Empty:
                break
            for k, slot in enumerate(self._slots):
                if slot is None:
                    self._slots[k] = played
                    break  # all slots busy: the cue is dropped rather than waiting
        if self._slots.count(None) == SLOTS:
            return  # silence: nothing to mix
        n_out = len(out)
        now = -1.0
        for k, slot in enumerate(self._slots):
            if slot is None:
                continue
            played = slot
            if played.pos == 0:
                if now < 0:
                    now = time.monotonic()
                played.started_mono = now
            n = min(n_out, len(played.sound) - played.pos)
            out[:n] += played.sound[played.pos:played.pos + n]
            played.pos += n
            if played.pos >= len(played.sound):
                self._slots[k] = None
        np.clip(out, -1.0, 1.0, out=out)


class CuePlayer:
    """``CuePlayer(volume=...)``; ``open()`` (raises :class:`SoundUnavailable`), then call it
    with each cue (a cue callback); ``close()`` at the end. ``played``: every cue handed over."""

    def __init__(self, *, volume: float = 1.0, backend: str = "sounddevice",
                 sample_rate_hz: int = SAMPLE_RATE_HZ, device: Any = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}")
        self.backend = backend
        self.rate_hz = sample_rate_hz
        self.device = device
        self.sounds = cue_sounds(sample_rate_hz, volume)
        self.mixer = Mixer()
        self.played: list[Played] = []
        self._stream: Any = None

    def open(self) -> CuePlayer:
        try:
            if self.backend == "sounddevice":
                self._stream = _open_sounddevice(self.mixer, self.rate_hz, self.device)
            else:
                self._stream = _open_miniaudio(self.mixer, self.rate_hz)
        except SoundUnavailable:
            raise
        except Exception as exc:  # each library has its own errors for "no device"
            raise SoundUnavailable(f"no sound device ({_short(exc)})") from None
        # A sound server can take a second or two to start consuming a new stream (the
        # first callbacks only fill its buffer): wait until it flows, before the session,
        # so the first cue is not the one that waits.
        deadline = time.monotonic() + START_WAIT_S
        per_window = 0.5 * FLOW_WINDOW_S * self.rate_hz / BLOCK_FRAMES
        steady = 0
        while steady < 3 and time.monotonic() < deadline:
            before = self.mixer.callbacks
            time.sleep(FLOW_WINDOW_S)
            steady = steady + 1 if self.mixer.callbacks - before >= per_window else 0
        return self

    def __call__(self, cue: Cue) -> None:
        if cue.name in SOUND_NAMES:
            self.play(self.sounds[cue.name], cue)

    def play(self, sound: F32, cue: Cue | None = None) -> Played:
        played = Played(cue, sound, time.monotonic())
        self.played.append(played)
        self.mixer.inbox.put(played)
        return played

    def drain(self, timeout_s: float = 2.0) -> None:
        """Wait until what was handed over has been played (at most ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and any(
                p.pos < len(p.sound) for p in self.played[-SLOTS:]):
            time.sleep(0.02)

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_ALSA_HANDLER: Any = None


def _quiet_alsa() -> None:
    """ALSA writes "underrun occurred" and the like straight to stderr, in the middle of the
    user's terminal; an underrun in a cue's silence is not heard. Give it a handler that
    says nothing (kept referenced: ALSA holds only its address)."""
    global _ALSA_HANDLER
    if _ALSA_HANDLER is not None or not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("asound")
    if name is None:
        return
    try:
        lib = ctypes.CDLL(name)
        handler_t = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                     ctypes.c_int, ctypes.c_char_p)
        _ALSA_HANDLER = handler_t(lambda *_args: None)
        lib.snd_lib_error_set_handler(_ALSA_HANDLER)
    except (OSError, AttributeError):
        pass


def _open_sounddevice(mixer: Mixer, rate_hz: int, device: Any) -> Any:
    _quiet_alsa()
    try:
        import sounddevice as sd
    except ImportError as exc:  # the module, or PortAudio (Debian's libportaudio2)
        raise SoundUnavailable(f"sound needs sounddevice and PortAudio ({_short(exc)})") from None
    except OSError as exc:
        raise SoundUnavailable(f"PortAudio is missing ({_short(exc)}); on Debian or Ubuntu "
                               "install libportaudio2") from None

    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status.output_underflow:
            mixer.underflows += 1
        mixer.fill(outdata[:, 0])

    latency = float(os.environ.get("SMARTBALL_AUDIO_LATENCY", LATENCY_S))

    def open_stream() -> Any:
        return sd.OutputStream(samplerate=rate_hz, blocksize=BLOCK_FRAMES, channels=1,
                               dtype="float32", latency=latency, callback=callback,
                               device=device)

    try:
        stream = open_stream()
    except sd.PortAudioError:
        # PortAudio lists the devices once, when first loaded: a sound server started since
        # (or gone since) is seen only after it looks again.
        sd._terminate()
        sd._initialize()
        stream = open_stream()
    stream.start()
    return stream


class _MiniaudioStream:
    def __init__(self, device: Any) -> None:
        self.device = device

    def close(self) -> None:
        self.device.close()


def _open_miniaudio(mixer: Mixer, rate_hz: int) -> Any:
    try:
        import miniaudio
    except ImportError as exc:
        raise SoundUnavailable(f"sound needs miniaudio ({_short(exc)})") from None
    buffer = np.zeros(48_000, dtype=np.float32)

    def generator() -> Any:
        frames = yield b""
        while True:
            out = buffer[:frames]
            mixer.fill(out)
            frames = yield out

    device = miniaudio.PlaybackDevice(
        output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=rate_hz,
        buffersize_msec=round(1000 * float(os.environ.get("SMARTBALL_AUDIO_LATENCY", LATENCY_S))
                              / 2), callback_periods=2,
        backends=[b for b in (miniaudio.Backend.PULSEAUDIO, miniaudio.Backend.ALSA,
                              miniaudio.Backend.WASAPI, miniaudio.Backend.COREAUDIO)])
    gen = generator()
    next(gen)
    device.start(gen)
    return _MiniaudioStream(device)
