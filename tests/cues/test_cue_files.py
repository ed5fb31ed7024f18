"""``--cue-log`` and ``--audio-out`` through the real command: the WAV track holds each cue's
sound at its device time (the same file every time), the log agrees with the simulator's
truth, and a path that cannot be written is refused in one sentence before the session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from smartball.cues.log import read_cue_log
from smartball.cues.render import onsets_s, read_wav
from tests.cues.conftest import smartball


def replay_cues(recording: Path, out: Path, *extra: str,
                env: dict[str, str] | None = None) -> tuple[list[Any], Path]:
    log, wav = out / "cues.jsonl", out / "cues.wav"
    smartball("replay", str(recording), "--speed", "max", "--no-plot", "--cue-log", str(log),
              "--audio-out", str(wav), *extra, env=env)
    return read_cue_log(log.read_text()), wav


def test_the_wav_track_has_each_cue_at_its_device_time(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    recording, truth = demo_recording
    cues, wav = replay_cues(recording, tmp_path)
    samples, rate = read_wav(wav)
    t0 = truth["t0_s"]
    assert len(samples) / rate == pytest.approx(truth["samples"] / truth["rate_hz"], abs=0.1)
    onsets = onsets_s(samples, rate)
    assert onsets == pytest.approx([c.t_s - t0 for c in cues], abs=0.005)


def test_the_track_is_the_same_file_every_time(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    recording, _ = demo_recording
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, a = replay_cues(recording, tmp_path / "a")
    _, b = replay_cues(recording, tmp_path / "b", "--speed", "40")
    assert a.read_bytes() == b.read_bytes()


def test_voice_cues_put_their_words_in_the_track(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """With ``--cues voice`` the track also holds what the voice says, at the cue's time,
    the same file every time; everywhere else it is the sound cues' track."""
    pytest.importorskip("pyttsx3")
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    recording, truth = demo_recording
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/none")  # nothing to hear it live
    for name in ("sound", "voice", "again"):
        (tmp_path / name).mkdir()
    _, plain = replay_cues(recording, tmp_path / "sound")
    cues, spoken = replay_cues(recording, tmp_path / "voice", "--cues", "voice", env=env)
    _, again = replay_cues(recording, tmp_path / "again", "--cues", "voice", env=env)
    assert spoken.read_bytes() == again.read_bytes()
    a, rate = read_wav(plain)
    b, _ = read_wav(spoken)
    said = [c.t_s - truth["t0_s"] for c in cues if c.name == "say"]
    assert said and len(b) == len(a)
    words = np.zeros(len(b), dtype=bool)
    for t in said:  # "Release.": about 0.8 s of speech, mixed in from the cue's sample
        at = round(t * rate)
        words[at:at + 2 * rate] = True
        heard = np.abs(b[at:at + rate] - a[at:at + rate])
        assert np.sqrt(np.mean(heard**2)) > 0.02
    assert np.array_equal(a[~words], b[~words])


def test_the_cues_match_the_simulators_truth(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    recording, truth = demo_recording
    cues, _ = replay_cues(recording, tmp_path)
    too_hard = [c.t_s for c in cues if c.name == "too_hard"]
    release = [c.t_s for c in cues if c.name == "release"]
    # Each too-hard press: a tone at its start, then one a second while it lasts.
    expected_too_hard = [a + k for a, b in truth["too_hard"] for k in range(int(b - a) + 1)
                         if a + k < b]
    assert too_hard == pytest.approx(expected_too_hard, abs=0.15)
    expected_release = [a + 10.0 for a, b in truth["holds"] if b - a >= 10.0]
    assert release == pytest.approx(expected_release, abs=0.6)
    assert {c.name for c in cues} <= {"too_hard", "release"}


@pytest.mark.parametrize("where", ["folder", "missing", "unwritable"])
def test_an_audio_file_that_cannot_be_written_is_one_sentence_before_the_session(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path, where: str) -> None:
    recording, _ = demo_recording
    target = {"folder": tmp_path, "missing": tmp_path / "nope" / "a.wav",
              "unwritable": tmp_path / "ro" / "a.wav"}[where]
    if where == "unwritable":
        target.parent.mkdir()
        target.parent.chmod(0o500)
        if os.access(target.parent, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
    log = tmp_path / "cues.jsonl"
    done = smartball("replay", str(recording), "--speed", "max", "--no-plot",
                     "--audio-out", str(target), "--cue-log", str(log), check=False)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(target) in lines[0], done.stderr
    assert not log.exists()  # refused before the session started


def test_a_cue_log_that_cannot_be_written_is_refused_before_the_session(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    recording, _ = demo_recording
    done = smartball("replay", str(recording), "--no-plot", "--cue-log", str(tmp_path),
                     check=False)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
    assert "folder" in done.stderr
