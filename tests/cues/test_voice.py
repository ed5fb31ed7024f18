"""``--cues voice``: the platform's speech says the step and "release" into the sound server;
without the ``voice`` extra, one sentence and sound cues instead."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from smartball.cues import Cue
from smartball.cues.log import read_cue_log
from tests.cues.conftest import smartball
from tests.cues.sound_server import SoundServer, missing_tools


def test_the_platforms_speech_is_heard(tmp_path: Path) -> None:
    pytest.importorskip("pyttsx3")
    missing = missing_tools() or next((f"{t} is not installed (Debian package {p})"
                                       for t, p in (("espeak-ng", "espeak-ng"),
                                                    ("aplay", "alsa-utils"))
                                       if shutil.which(t) is None), None)
    if missing:
        pytest.skip(missing)
    from smartball.cues.player import CuePlayer
    from smartball.cues.voice import Speaker

    lines = ["Release.", "Roll the arch of your foot from side to side."]
    with SoundServer() as server:
        recorder = server.record()
        player = CuePlayer().open()
        speaker = Speaker(play=player.play).open()
        said = time.monotonic()
        for line in lines:
            speaker(Cue(0.0, "say", line))
        speaker.close(timeout_s=30)
        player.drain()
        time.sleep(0.3)
        player.close()
        recorder.stop()
    assert speaker.spoken == lines
    # Both lines heard whole, one after the other: about 0.6 s and 2 s of speech.
    lengths = [len(p.sound) / player.rate_hz for p in player.played]
    assert len(lengths) == 2 and 0.3 < lengths[0] < 1.5 and lengths[1] > 1.5
    x, t = recorder.samples()
    loud = t[abs(x) > 0.02]
    assert len(loud) and loud[0] - said < 3.0
    assert loud[-1] - loud[0] > 0.8 * sum(lengths)


def test_voice_cues_are_logged_with_their_words(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pytest.importorskip("pyttsx3")
    recording, _ = demo_recording
    log = tmp_path / "cues.jsonl"
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/none")  # nothing to hear it
    done = smartball("replay", str(recording), "--speed", "max", "--no-plot", "--cues", "voice",
                     "--cue-log", str(log), env=env)
    cues = read_cue_log(log.read_text())
    releases = [c for c in cues if c.name == "release"]
    said = [c for c in cues if c.name == "say"]
    assert releases and [c.t_s for c in said] == [c.t_s for c in releases]
    assert {c.text for c in said} == {"Release."}
    assert "Traceback" not in done.stderr


def test_voice_without_the_extra_is_one_sentence_and_sound_instead(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    recording, _ = demo_recording
    blocker = tmp_path / "block" / "pyttsx3"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('no pyttsx3')\n")
    log = tmp_path / "cues.jsonl"
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "block"),
               PULSE_SERVER=f"unix:{tmp_path}/none")
    done = smartball("replay", str(recording), "--speed", "30", "--no-plot", "--cues", "voice",
                     "--cue-log", str(log), env=env)
    voice_lines = [line for line in done.stderr.splitlines() if "voice" in line]
    assert len(voice_lines) == 1 and "smartball[voice]" in voice_lines[0]
    assert "sound cues instead" in voice_lines[0]
    cues = read_cue_log(log.read_text())
    assert cues and all(c.name != "say" for c in cues)
