"""The cues' sounds, computed once before a session so that playing one only copies samples.

Sparse and non-verbal: a low tone for too hard (it must be heard at once, and again each
second while it lasts, so it is short), a soft chime to release a hold, two rising notes for a
new step and three for the routine's end. Mono float32 in [-1, 1], scaled by the volume.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]

SAMPLE_RATE_HZ = 48_000
ATTACK_S = 0.003
"""Short enough to keep the onset sharp, long enough not to click."""

# (frequency Hz, start s, length s, level, decay time constant s or 0 for a flat note)
_NOTES: dict[str, tuple[tuple[float, float, float, float, float], ...]] = {
    # A low tone (G3 with its octave, for small laptop speakers), 0.35 s.
    "too_hard": ((196.0, 0.0, 0.35, 0.7, 0.0), (392.0, 0.0, 0.35, 0.25, 0.0)),
    # A soft chime: A5 with a fifth above, dying away.
    "release": ((880.0, 0.0, 1.0, 0.35, 0.3), (1320.0, 0.0, 1.0, 0.15, 0.2)),
    # Two rising notes: C5, E5.
    "step": ((523.25, 0.0, 0.15, 0.5, 0.0), (659.25, 0.18, 0.22, 0.5, 0.0)),
    # Three notes: C5, E5, G5.
    "routine_end": ((523.25, 0.0, 0.15, 0.5, 0.0), (659.25, 0.18, 0.15, 0.5, 0.0),
                    (783.99, 0.36, 0.4, 0.5, 0.25)),
}
SOUND_NAMES = tuple(_NOTES)


def cue_sound(name: str, sample_rate_hz: int = SAMPLE_RATE_HZ, volume: float = 1.0) -> F32:
    """The samples of cue ``name`` (one of :data:`SOUND_NAMES`)."""
    notes = _NOTES[name]
    length_s = max(start + length for _, start, length, _, _ in notes)
    out = np.zeros(round(length_s * sample_rate_hz), dtype=np.float64)
    attack = max(1, round(ATTACK_S * sample_rate_hz))
    for freq_hz, start_s, note_s, level, decay_s in notes:
        n = round(note_s * sample_rate_hz)
        t = np.arange(n) / sample_rate_hz
        env = np.ones(n)
        env[:attack] = np.linspace(0.0, 1.0, attack, endpoint=False)
        tail = min(n, round(0.02 * sample_rate_hz))
        env[n - tail:] *= np.linspace(1.0, 0.0, tail)
        if decay_s > 0:
            env *= np.exp(-t / decay_s)
        a = round(start_s * sample_rate_hz)
        out[a:a + n] += level * env * np.sin(2 * np.pi * freq_hz * t)
    return (np.clip(out * volume, -1.0, 1.0)).astype(np.float32)


def cue_sounds(sample_rate_hz: int = SAMPLE_RATE_HZ, volume: float = 1.0) -> dict[str, F32]:
    return {name: cue_sound(name, sample_rate_hz, volume) for name in SOUND_NAMES}
