"""``smartball routines`` and ``--routine`` through the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.sim.ball import SimulatedBall
from smartball.sim.capture import write_session
from smartball.sim.performers import performer_scenario

STEP_KEYS = {"name", "motion", "targets", "start_s", "end_s", "in_target_fraction", "holds",
             "too_hard", "strokes"}


def test_routines_lists_the_guides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routines", "--json"]) == 0
    names = [r["name"] for r in json.loads(capsys.readouterr().out)]
    assert len(names) == 12 and "plantar-fasciitis" in names
    assert main(["routines"]) == 0
    assert "Plantar fasciitis" in capsys.readouterr().out


def test_routines_for_one_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routines", "--json", "--part", "foot"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 7
    assert main(["routines", "--part", "back"]) == 0
    out = capsys.readouterr().out
    assert "back-floor" in out and "position: Lie on your back" in out
    assert "heel" not in out and "plantar" not in out
    for part in ("shoulder", "neck", "hip"):
        assert main(["routines", "--json", "--part", part]) == 0
        assert all(r["part"] == part for r in json.loads(capsys.readouterr().out))


def test_an_unknown_part_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routines", "--part", "knee"]) == 1
    err = capsys.readouterr().err
    assert "no body part 'knee'" in err and "foot, back, shoulder, neck, hip" in err


def test_an_unknown_routine_lists_the_known_ones(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    assert main(["analyze", str(tmp_path / "x.csv"), "--routine", "nope"]) == 1
    err = capsys.readouterr().err
    assert "no routine 'nope'" in err and "quick" in err and "Traceback" not in err


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    folder = tmp_path_factory.mktemp("rec")
    for channels in (("pressure", "gyro", "accel"), ("pressure",)):
        ball = SimulatedBall(performer_scenario("plantar-fasciitis", "careless", 2,
                                                channels=channels), seed=2, seconds=80)
        path = folder / f"{len(channels)}.sbrec"
        write_session(path, ball)
        out["imu" if len(channels) == 3 else "pressure"] = path
    return out


def test_analyze_with_a_routine_adds_its_steps(capsys: pytest.CaptureFixture[str],
                                               recordings: dict[str, Path]) -> None:
    assert main(["analyze", str(recordings["imu"]), "--routine", "plantar-fasciitis",
                 "--json"]) == 0
    r = json.loads(capsys.readouterr().out)["routine"]
    assert r["name"] == "plantar-fasciitis" and not r["completed"] and r["imu"]
    assert all(STEP_KEYS <= set(s) for s in r["steps"])
    light = r["steps"][0]  # the careless one goes deep when told light
    assert light["targets"] == ["light"] and light["adherence"] < 0.3
    assert r["steps"][1]["holds"] == 0 and r["steps"][1]["strokes"]["count"] > 5


def test_a_routine_for_another_part_reads_with_that_parts_zones(
        capsys: pytest.CaptureFixture[str], recordings: dict[str, Path]) -> None:
    # A back routine chosen for a session reads it with the back's zones, unless --part
    # says another part.
    assert main(["analyze", str(recordings["imu"]), "--routine", "back-floor"]) == 0
    assert "back zones 10/50/120/220 N" in capsys.readouterr().out
    assert main(["analyze", str(recordings["imu"]), "--routine", "back-floor",
                 "--part", "foot"]) == 0
    assert "back zones" not in capsys.readouterr().out


def test_a_pressure_only_recording_still_scores_and_says_why_no_strokes(
        capsys: pytest.CaptureFixture[str], recordings: dict[str, Path]) -> None:
    assert main(["analyze", str(recordings["pressure"]), "--routine",
                 "plantar-fasciitis"]) == 0
    out = capsys.readouterr().out
    assert "strokes need an IMU" in out and "in target" in out
    assert main(["analyze", str(recordings["pressure"]), "--routine", "plantar-fasciitis",
                 "--json"]) == 0
    r = json.loads(capsys.readouterr().out)["routine"]
    assert r["imu"] is False and all(s["strokes"] is None for s in r["steps"])


def test_report_draws_the_routine(recordings: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "r.png"
    assert main(["report", str(recordings["imu"]), "--routine", "plantar-fasciitis",
                 "--out", str(out)]) == 0
    assert out.stat().st_size > 20_000


def test_live_steps_equal_analyze_of_its_recording(tmp_path: Path) -> None:
    """A live session on the simulated ball, recorded, with events; analyze --routine of the
    recording gives the very step boundaries the live session announced, the last step's
    end (the session's) included."""
    routine = tmp_path / "short.json"
    routine.write_text(json.dumps({"name": "short", "title": "Short", "when": "tests", "steps": [
        {"name": "a", "instruction": "Roll.", "seconds": 2.5, "targets": ["light", "moderate"],
         "motion": "along", "foot": "left"},
        {"name": "b", "instruction": "Change.", "seconds": 1.5, "targets": [],
         "motion": "switch", "foot": "right"},
        {"name": "c", "instruction": "Roll.", "seconds": 60.0, "targets": ["moderate"],
         "motion": "free", "foot": "right"}]}))  # still going when the session ends
    rec, events = tmp_path / "live.sbrec", tmp_path / "events.jsonl"
    subprocess.run([sys.executable, "-m", "smartball", "live", "--sim", "plantar-fasciitis",
                    "--routine", str(routine), "--record", str(rec), "--events", str(events),
                    "--no-plot", "--seconds", "11", "--full"], check=True, env=os.environ.copy(),
                   capture_output=True, timeout=120)
    lines = [json.loads(x) for x in events.read_text().splitlines()]
    live = [(e["type"], e["t_s"]) for e in lines
            if e["type"] in ("step_start", "step_end", "routine_end")]
    assert [k for k, _t in live] == ["step_start", "step_end"] * 3 + ["routine_end"]
    done = subprocess.run([sys.executable, "-m", "smartball", "analyze", str(rec), "--routine",
                           str(routine), "--json"], check=True, capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)
    steps = json.loads(done.stdout)["routine"]["steps"]
    first_t = 0.0  # simulated device time starts at 0 with the first sample
    analysed = []
    for s in steps:
        if s["start_s"] is not None:
            analysed += [("step_start", round(s["start_s"] + first_t, 3)),
                         ("step_end", round(s["end_s"] + first_t, 3))]
    live_pairs = [(k, round(t, 3)) for k, t in live if k != "routine_end"]
    assert live_pairs == analysed


def without_context(rec: Path, out: Path) -> Path:
    """A copy of ``rec`` as a recording made before headers carried the session's context:
    the same bytes and command line, no context."""
    from smartball.recording import RecordingReader, RecordingWriter

    reader = RecordingReader(rec)
    h = reader.header
    with RecordingWriter(out, envelope=h.envelope, transport=h.transport, session=h.session,
                         start_time_s=h.start_time_s) as writer:
        if h.device is not None:
            writer.on_device_info(h.device)
        for chunk in reader:
            writer.on_chunk(chunk)
    assert RecordingReader(out).context is None
    return out


def test_report_of_a_recording_whose_routine_file_is_gone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The report draws the routine a recording was made with, from the recording itself:
    a routine file removed since changes nothing. An older recording (the routine only
    named on its command line) whose routine file is gone is drawn without it, with a note,
    never refused."""
    routine = tmp_path / "mine.json"
    routine.write_text(json.dumps({"name": "mine", "title": "Mine", "when": "tests", "steps": [
        {"name": "a", "instruction": "Roll.", "seconds": 60.0, "targets": ["moderate"],
         "motion": "free", "foot": "left"}]}))
    rec = tmp_path / "live.sbrec"
    argv = ["live", "--sim", "plantar-fasciitis", "--routine", str(routine), "--record",
            str(rec), "--no-plot", "--seconds", "2"]
    monkeypatch.setattr(sys, "argv", ["smartball", *argv])  # the recording keeps its argv
    assert main(argv) == 0
    old = without_context(rec, tmp_path / "old.sbrec")
    capsys.readouterr()
    with_routine, kept, without = tmp_path / "a.png", tmp_path / "b.png", tmp_path / "c.png"
    assert main(["report", str(old), "--out", str(with_routine)]) == 0
    assert "note" not in capsys.readouterr().err
    routine.unlink()
    assert main(["report", str(rec), "--out", str(kept)]) == 0
    assert "note" not in capsys.readouterr().err
    assert main(["report", str(old), "--out", str(without)]) == 0
    err = capsys.readouterr().err
    assert "mine.json" in err and "--routine FILE" in err and "Traceback" not in err
    assert without.stat().st_size > 10_000
    assert with_routine.stat().st_size > without.stat().st_size  # the tiles were drawn
    assert kept.stat().st_size > without.stat().st_size  # drawn from the recording
