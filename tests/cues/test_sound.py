"""Cues through a real sound stack: a user-space PulseAudio with a null sink, its monitor
recorded. The player's sounds come out where and as they should; ``replay --cues sound``
sounds at the cue log's times; no sound device is one line and the session goes on."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from smartball.cues import Cue
from smartball.cues.log import read_cue_log
from smartball.cues.player import CuePlayer
from tests.cues.conftest import smartball
from tests.cues.sound_server import RATE_HZ, SoundServer, missing_tools


@pytest.fixture
def sound_server() -> Iterator[SoundServer]:
    missing = missing_tools()
    if missing:
        pytest.skip(missing)
    with SoundServer() as server:
        yield server


def dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / RATE_HZ)[np.argmax(spectrum)])


def test_each_cue_sounds_once_in_the_sound_server(sound_server: SoundServer) -> None:
    recorder = sound_server.record()
    player = CuePlayer(volume=0.8).open()
    names = ["too_hard", "release", "step", "routine_end"]
    try:
        for name in names:
            player(Cue(0.0, name))
            time.sleep(1.5)
    finally:
        player.close()
        recorder.stop()
    onsets = recorder.onsets_mono()
    assert len(onsets) == len(names)
    for played, onset in zip(player.played, onsets, strict=True):
        # Heard within 100 ms of being handed over, and handed to the library first.
        assert 0 <= onset - played.queued_mono < 0.1
        assert played.queued_mono <= played.started_mono <= onset + 0.005
    x, t = recorder.samples()
    first = np.flatnonzero(t >= onsets[0])[0]
    assert dominant_hz(x[first:first + RATE_HZ // 4]) == pytest.approx(196, abs=8)  # low
    chime = np.flatnonzero(t >= onsets[1])[0]
    assert dominant_hz(x[chime:chime + RATE_HZ // 4]) == pytest.approx(880, abs=8)


def test_a_replayed_session_sounds_each_cue_within_100_ms_of_its_sample(
        sound_server: SoundServer, demo_recording: tuple[Path, dict[str, Any]]) -> None:
    """The session's own cues, played as it runs: each heard within 100 ms of the moment the
    processing made it due (in process, so the moment is known)."""
    from smartball.cues import CueMaker
    from smartball.session import Session
    from smartball.transport import open_transport

    recording, _ = demo_recording
    recorder = sound_server.record()
    player = CuePlayer().open()
    try:
        session = Session(open_transport("replay", str(recording), speed=6.0))
        cues: list[Cue] = []
        session.add_listener(CueMaker(lambda c: (cues.append(c), player(c))))
        session.run()
        player.drain()
        time.sleep(0.3)
    finally:
        player.close()
        recorder.stop()
    heard = recorder.onsets_mono(quiet_s=0.05)
    queued = [p.queued_mono for p in player.played]
    assert len(cues) >= 3 and len(queued) == len(cues)
    # Every sound heard is a cue's, starting within 100 ms of it being due ...
    for onset in heard:
        assert any(0 <= onset - q < 0.1 for q in queued), (onset, queued)
    # ... and every cue after a silence (the last sound over) is heard.
    for k, q in enumerate(queued):
        if k == 0 or q - queued[k - 1] > 1.2:
            assert any(0 <= onset - q < 0.1 for onset in heard), (q, heard)


def test_replay_with_sound_cues_plays_them_into_the_sound_server(
        sound_server: SoundServer, demo_recording: tuple[Path, dict[str, Any]],
        tmp_path: Path) -> None:
    recording, _ = demo_recording
    log = tmp_path / "cues.jsonl"
    recorder = sound_server.record()
    try:
        done = smartball("replay", str(recording), "--speed", "10", "--no-plot",
                         "--cues", "sound", "--cue-log", str(log), env=sound_server.env())
    finally:
        recorder.stop()
    assert "no sound" not in done.stderr
    cues = read_cue_log(log.read_text())
    assert {c.name for c in cues} == {"too_hard", "release"}
    # The releases are far apart from anything else: each is heard.
    assert len(recorder.onsets_mono()) >= sum(c.name == "release" for c in cues)


def test_no_sound_device_is_one_line_and_the_session_goes_on(
        demo_recording: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    recording, _ = demo_recording
    log = tmp_path / "cues.jsonl"
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/no-server",
               XDG_RUNTIME_DIR=str(tmp_path))
    done = smartball("replay", str(recording), "--speed", "30", "--no-plot", "--cues", "sound",
                     "--cue-log", str(log), env=env)
    said = [line for line in done.stderr.splitlines() if "sound" in line]
    assert len(said) == 1 and "no sound device" in said[0], done.stderr
    assert "goes on" in said[0]
    assert len(read_cue_log(log.read_text())) >= 3
