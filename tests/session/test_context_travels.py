"""A recording carries what its session was processed with: a calibrated, routine-following
session recorded live in one home (the firm ball's calibration as the home's default ball)
is analysed, replayed, reported and imported in an empty home with the very same events and
summary, the routine included. Without the context it carries, the empty home reads other
zones (the reference ball), so the check can fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from smartball.io.calibration_file import save_calibration
from smartball.processing.calibration import Calibration
from smartball.recording import RecordingReader, RecordingWriter
from smartball.sim.ball import SimulatedBall
from smartball.sim.balls import get_ball
from smartball.sim.performers import performer_scenario
from tests.transport.ballbytes import PtyBall

SRC = str(Path(__file__).resolve().parents[2] / "src")
SPEED = 40.0
ROUTINE = "plantar-fasciitis"
TIMEOUT_S = 120.0


def firm_calibration() -> Calibration:
    """What calibrating the firm ball gives: its true settled curve and response."""
    ball = get_ball("firm")
    points = [(p["force_n"], p["pressure_rise_pa"]) for p in ball.parameters()["points"]]
    return Calibration.fit(points, overshoot=ball.overshoot, tau_s=ball.tau_s,
                           created="2026-12-01T10:00:00", ball="firm")


def smartball(home: Path, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=SRC, SMARTBALL_HOME=str(home))
    done = subprocess.run([sys.executable, "-m", "smartball", *argv], env=env,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def event_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def rows(home: Path) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(smartball(home, "history", "--json").stdout)
    return listed


def record_live(home: Path, rec: Path, events: Path, tmp_path: Path) -> None:
    """``smartball live --port`` on a pseudo-terminal the simulated firm ball streams into
    (someone doing the routine), at ``SPEED`` times real time once the host sent START."""
    scenario = performer_scenario(ROUTINE, "faithful", 3).on_ball("firm")
    sim = SimulatedBall(scenario, seed=3, seconds=get_routine_seconds() + 20.0)
    chunks = list(sim.serial_chunks())
    ball = PtyBall(tmp_path / "ttyBALL")
    stream_s = chunks[-1][0] / SPEED
    env = dict(os.environ, PYTHONPATH=SRC, SMARTBALL_HOME=str(home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "live", "--port", str(ball.link), "--routine",
         ROUTINE, "--no-plot", "--record", str(rec), "--events", str(events), "--seconds",
         f"{stream_s + 15.0:.1f}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def play() -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while not ball.commands and time.monotonic() < deadline:
            time.sleep(0.01)  # the ball streams once it is asked to (START)
        start = time.monotonic()
        for t_s, data in chunks:
            ahead = t_s / SPEED - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)  # the ball's own pace
            ball.write(data)

    player = threading.Thread(target=play, daemon=True)
    player.start()
    try:
        _out, err = proc.communicate(timeout=TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
        player.join(5.0)
        ball.close()
    assert proc.returncode == 0, err


def get_routine_seconds() -> float:
    from smartball.routines.model import load_routine

    return load_routine(ROUTINE).seconds


def without_context(rec: Path, out: Path) -> Path:
    """``rec`` as a recording made before headers carried the session's context."""
    reader = RecordingReader(rec)
    h = reader.header
    with RecordingWriter(out, envelope=h.envelope, transport=h.transport, session={},
                         start_time_s=h.start_time_s) as writer:
        if h.device is not None:
            writer.on_device_info(h.device)
        for chunk in reader:
            writer.on_chunk(chunk)
    return out


def same_row(row: dict[str, Any]) -> dict[str, Any]:
    """A history row without what differs between homes (its id, where it is kept, how
    its calibration is named: the home's ball file, or the one recorded)."""
    return {k: v for k, v in row.items()
            if k not in ("id", "recording", "source_key", "calibration")}


def test_a_recording_replays_its_session_exactly_in_an_empty_home(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "empty"
    home.mkdir()
    elsewhere.mkdir()
    save_calibration(firm_calibration(), home / "ball.json")
    rec, events = tmp_path / "session.sbrec", tmp_path / "live.jsonl"
    record_live(home, rec, events, tmp_path)

    live = event_lines(events.read_text())
    kinds = [e["type"] for e in live]
    assert "step_start" in kinds and "routine_end" in kinds and "hold_end" in kinds
    (live_row,) = rows(home)
    assert live_row["routine"] == ROUTINE and live_row["adherence"] is not None

    # What the recording carries.
    inspected = json.loads(smartball(elsewhere, "inspect", str(rec), "--json").stdout)
    context = inspected["context"]
    assert context["calibration"]["ball"] == "firm"
    assert context["routine"]["name"] == ROUTINE
    assert context["user"] == "default" and context["part"] == "foot"
    assert context["zones_n"] == [10.0, 50.0, 100.0, 200.0]

    # Replayed, analysed, reported and imported in an empty home: the same session.
    replayed = smartball(elsewhere, "replay", str(rec), "--speed", "max", "--no-plot",
                         "--events", "-")
    assert event_lines(replayed.stdout) == live
    at_home = json.loads(smartball(home, "analyze", str(rec), "--json").stdout)
    away = smartball(elsewhere, "analyze", str(rec), "--json")
    assert json.loads(away.stdout) == at_home
    assert at_home["routine"]["name"] == ROUTINE
    assert at_home["routine"]["adherence"] == live_row["adherence"]
    assert smartball(elsewhere, "analyze", str(rec)).stdout.count("recorded with the session")
    report = smartball(elsewhere, "report", str(rec), "--out", str(tmp_path / "r.png"))
    assert "recorded with the session (firm)" in report.stderr
    assert (tmp_path / "r.png").stat().st_size > 10_000
    smartball(elsewhere, "history", "import", str(rec))
    (imported,) = rows(elsewhere)
    assert same_row(imported) == same_row(live_row)
    assert "firm" in imported["calibration"]

    # An option overrides what was recorded, and says so.
    overridden = smartball(elsewhere, "analyze", str(rec), "--json", "--calibration",
                           "reference")
    assert "using calibration reference instead of the one recorded" in overridden.stderr
    assert json.loads(overridden.stdout)["time_in_zone_s"] != at_home["time_in_zone_s"]

    # The same bytes without their context read differently in the empty home (the
    # reference ball, no routine): what the context carries is what made them the same.
    old = without_context(rec, tmp_path / "old.sbrec")
    assert json.loads(smartball(elsewhere, "inspect", str(old), "--json").stdout)[
        "context"] is None
    bare = json.loads(smartball(elsewhere, "analyze", str(old), "--json").stdout)
    assert bare["time_in_zone_s"] != at_home["time_in_zone_s"]
    assert "routine" not in bare
