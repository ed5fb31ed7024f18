"""A person's zones rule their sessions: analyze, the recording's header, the history (whose
session, ``--user``), replays that read a session with the zones it had, and the trends of
their tolerance."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.history.trends import tolerance
from smartball.people.store import Measurement, add_measurement, load_zones
from smartball.recording import RecordingReader
from smartball.sim.people import PEOPLE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def ann_zones() -> str:
    return ",".join(f"{x:.1f}" for x in PEOPLE["ann"].thresholds())


@pytest.fixture(scope="module")
def session_ann(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ann") / "session.sbrec"
    assert main(["simulate", "session-ann", "--out", str(path)]) == 0
    return path


def test_the_persons_zones_decide_the_labels_and_the_warnings(
        capsys: pytest.CaptureFixture[str], session_ann: Path) -> None:
    _rc, out, _ = run(capsys, "analyze", str(session_ann), "--json")
    default = json.loads(out)
    assert run(capsys, "zones", "--set", ann_zones(), "--user", "ann")[0] == 0
    _rc, out, _ = run(capsys, "analyze", str(session_ann), "--json", "--user", "ann")
    own = json.loads(out)
    truth = json.loads(Path(f"{session_ann}.person.json").read_text())
    assert truth["user"] == "ann"
    # Ann's edge is at 86 N: her three presses past it warn; by the default zones none do.
    assert len(own["too_hard"]) == 3 and len(default["too_hard"]) == 0
    assert own["time_in_zone_s"]["deep"] > 2 * default["time_in_zone_s"]["deep"]
    _rc, out, _ = run(capsys, "analyze", str(session_ann), "--json", "--zones", ann_zones())
    assert len(json.loads(out)["too_hard"]) == 3


def test_the_environment_names_the_person_as_well_as_user_does(
        capsys: pytest.CaptureFixture[str], session_ann: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "zones", "--set", ann_zones(), "--user", "ann")[0] == 0
    monkeypatch.setenv("SMARTBALL_USER", "ann")
    _rc, out, _ = run(capsys, "analyze", str(session_ann), "--json")
    assert len(json.loads(out)["too_hard"]) == 3


def test_a_part_without_measured_zones_uses_its_defaults(
        capsys: pytest.CaptureFixture[str], session_ann: Path) -> None:
    rc, out, _ = run(capsys, "analyze", str(session_ann), "--part", "neck")
    assert rc == 0 and "neck zones 5/15/30/45 N (the defaults" in out
    rc, _out, err = run(capsys, "analyze", str(session_ann), "--part", "elbow")
    assert rc == 2 or rc == 1
    assert "foot, back, shoulder, neck, hip" in err


def record_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """``record --sim`` plays the simulated ball as fast as it can (a whole session in a few
    seconds), through the same command as at the ball's pace."""
    from smartball.cli import record_cmd
    from smartball.transport.simulated import SimulatedTransport

    monkeypatch.setattr(record_cmd, "open_device",
                        lambda args: SimulatedTransport(args.sim, seed=args.seed, speed=None))


def too_hard_events(text: str) -> int:
    return sum(json.loads(line)["type"] == "too_hard" for line in text.splitlines() if line)


def test_a_recorded_session_carries_its_person_and_is_listed_as_theirs(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        session_ann: Path) -> None:
    # Ann measured her back: the same edge of too much as her foot (86 N).
    assert run(capsys, "zones", "--set", ann_zones(), "--user", "ann", "--part", "back")[0] == 0
    rec = tmp_path / "ann.sbrec"
    record_fast(monkeypatch)
    rc, _out, err = run(capsys, "record", "--sim", "session-ann", "--out", str(rec),
                        "--user", "ann", "--part", "back")
    assert rc == 0, err
    assert "ann's back zones" in err
    context = RecordingReader(rec).context
    assert context is not None and context.user == "ann" and context.part == "back"
    assert context.zones_n == pytest.approx(PEOPLE["ann"].thresholds(), abs=0.06)
    rc, out, _ = run(capsys, "history", "--json", "--user", "Ann")
    rows = json.loads(out)
    assert len(rows) == 1 and rows[0]["user"] == "ann" and rows[0]["part"] == "back"
    assert rows[0]["zones_n"] == "/".join(f"{x:g}" for x in context.zones_n)
    rc, out, _ = run(capsys, "history")
    assert " ann (back) " in out
    rc, out, _ = run(capsys, "history", "--user", "ben")
    assert out.startswith("No sessions of ben") and "ann" in out

    # In an empty home (no zones of Ann's, no history), the recording carries her back zones:
    # her three presses past her edge warn, replayed as analysed.
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("SMARTBALL_HOME", str(empty))
    rc, out, err = run(capsys, "inspect", str(rec), "--json")
    assert json.loads(out)["context"]["part"] == "back"
    rc, out, err = run(capsys, "analyze", str(rec), "--json")
    assert rc == 0 and err == ""
    assert len(json.loads(out)["too_hard"]) == 3
    rc, out, _ = run(capsys, "analyze", str(rec))
    assert "ann's back zones" in out and "as recorded with the session" in out
    rc, out, err = run(capsys, "replay", str(rec), "--speed", "max", "--no-plot", "--events",
                       "-", "--cues", "none")
    assert rc == 0, err
    assert too_hard_events(out) == 3
    # The same session without her zones (the simulated one, no context) warns nowhere.
    rc, out, _ = run(capsys, "analyze", str(session_ann), "--json")
    assert RecordingReader(session_ann).context is None and len(json.loads(out)["too_hard"]) == 0

    # Told otherwise, it reads the session so, and says so.
    rc, out, err = run(capsys, "analyze", str(rec), "--json", "--zones", "10,50,100,200")
    assert "using zones 10,50,100,200 instead of the one recorded" in err
    assert len(json.loads(out)["too_hard"]) == 0
    rc, out, err = run(capsys, "analyze", str(rec), "--json", "--user", "ben")
    assert "using user ben instead of the one recorded" in err
    assert "reading it with ben's back zones 10/50/120/220 N (the defaults" in err
    assert len(json.loads(out)["too_hard"]) == 0


def test_a_persons_ball_is_their_own(capsys: pytest.CaptureFixture[str],
                                     smartball_home: Path) -> None:
    from smartball.io.calibration_file import resolve_calibration, save_calibration
    from smartball.processing import Calibration

    save_calibration(Calibration(((100.0, 5000.0),)), smartball_home / "ball.json")
    own = smartball_home / "people" / "ann" / "ball.json"
    save_calibration(Calibration(((100.0, 7000.0),)), own)
    cal, name = resolve_calibration(None, user="ann")
    assert cal is not None and cal.points[0][1] == 7000.0 and "ann's ball" in name
    cal, name = resolve_calibration(None, user="ben")  # no ball of his own: the household's
    assert cal is not None and cal.points[0][1] == 5000.0
    cal, name = resolve_calibration(None, user="default")
    assert cal is not None and cal.points[0][1] == 5000.0


def test_trends_draw_the_edge_of_too_much_in_force_each_day(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    today = dt.date.today()
    early = (today - dt.timedelta(days=10)).isoformat() + "T08:00:00+00:00"
    later = (today - dt.timedelta(days=3)).isoformat() + "T08:00:00+00:00"
    add_measurement("ann", "foot", Measurement(early, (10, 30, 60, 120)))
    add_measurement("ann", "foot", Measurement(later, (10, 35, 70, 140)))
    add_measurement("ann", "back", Measurement(later, (10, 40, 80, 180)))
    days = [today - dt.timedelta(days=k) for k in range(13, -1, -1)]
    in_force, measured = tolerance(load_zones("ann"), days)
    assert in_force["foot"][:3] == [None, None, None]
    assert in_force["foot"][3] == 120 and in_force["foot"][-1] == 140
    assert in_force["back"][-1] == 180 and in_force["back"][9] is None
    assert [v for _d, v in measured["foot"]] == [120, 140]
    out = tmp_path / "trends.png"
    rc, _o, err = run(capsys, "trends", "--user", "ann", "--out", str(out), "--days", "14")
    assert rc == 0, err
    assert out.stat().st_size > 10_000


def test_calibrating_for_a_person_keeps_the_households_ball(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, smartball_home: Path) -> None:
    rec = tmp_path / "scale.sbrec"
    assert main(["simulate", "scale-calibration", "--out", str(rec)]) == 0
    rc, _out, err = run(capsys, "calibrate", "--from", str(rec), "--marks",
                        f"{rec}.marks.csv", "--user", "ann")
    assert rc == 0, err
    assert (smartball_home / "people" / "ann" / "ball.json").exists()
    assert not (smartball_home / "ball.json").exists()
    assert "ann's ball from now on" in err
    rc, out, err = run(capsys, "analyze", str(rec), "--user", "ann")
    assert "force from ann's ball" in out
