"""The WAV track with voice: each line's words at its cue's time, each distinct line
synthesised once, and a speech that fails said once while the sound cues stay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartball.cues import Cue
from smartball.cues.render import CueTrack, read_wav
from smartball.cues.voice import VoiceUnavailable

RATE_HZ = 8000


def test_each_line_is_at_its_cue_and_made_once(tmp_path: Path) -> None:
    made: list[str] = []

    def speech(text: str, rate_hz: int) -> np.ndarray:
        made.append(text)
        return np.full(rate_hz // 2, 0.25 if text == "Release." else 0.5, dtype=np.float32)

    track = CueTrack(tmp_path / "t.wav", sample_rate_hz=RATE_HZ, speech=speech)
    for t, text in [(10.0, "Roll."), (12.0, "Release."), (15.0, "Release.")]:
        track(Cue(t, "say", text))
    track.close()
    x, rate = read_wav(tmp_path / "t.wav")
    assert rate == RATE_HZ and len(x) == 5.5 * RATE_HZ  # from the first cue to the last word
    assert sorted(made) == ["Release.", "Roll."]
    for t, level in [(0.0, 0.5), (2.0, 0.25), (5.0, 0.25)]:
        at = round(t * RATE_HZ)
        assert x[at:at + RATE_HZ // 2] == pytest.approx(level, abs=1e-4)
        assert x[at - 1] == 0.0 if at else True
    assert np.all(x[round(0.5 * RATE_HZ):round(2.0 * RATE_HZ)] == 0.0)


def test_a_speech_that_fails_is_said_once_and_the_sounds_stay(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def speech(text: str, rate_hz: int) -> np.ndarray:
        raise VoiceUnavailable("the platform's speech gave no sound to render (no engine)")

    track = CueTrack(tmp_path / "t.wav", sample_rate_hz=RATE_HZ, speech=speech)
    track(Cue(1.0, "release"))
    track(Cue(1.0, "say", "Release."))
    track(Cue(4.0, "say", "Roll."))
    track.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no engine" in err[0] and "without the words" in err[0]
    x, _ = read_wav(tmp_path / "t.wav")
    assert np.abs(x[:RATE_HZ // 4]).max() > 0.05  # the chime
