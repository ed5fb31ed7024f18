"""``smartball calibrate --from FILE --marks MARKS.csv`` through the command line, its
refusals, and which calibration every command uses (the default ball, ``--calibration``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from smartball.cli import main
from smartball.home import default_calibration_path
from smartball.io.calibration_file import load_calibration, save_calibration
from smartball.processing import Calibration
from tests.cli_run import full_sentence as one_sentence
from tests.cli_run import run
from tests.processing.calibration_signals import linear, play


@pytest.fixture(scope="module")
def soft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("soft") / "soft.sbrec"
    assert main(["simulate", "scale-calibration", "--ball", "soft", "--out", str(path)]) == 0
    return path


def marks_of(rec: Path) -> Path:
    return rec.with_name(rec.name + ".marks.csv")


def test_calibrate_a_recording_saves_your_ball(soft: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    rc, out, err = run(capsys, "calibrate", "--from", str(soft), "--marks", str(marks_of(soft)))
    assert rc == 0, err
    assert "your ball from now on" in err
    rows = [ln for ln in out.splitlines() if ln.strip().endswith("kg)")]
    assert len(rows) == len(marks_of(soft).read_text().splitlines()) - 1
    assert all(" N   (" in r for r in rows)  # each point's residual in newton
    cal = load_calibration(default_calibration_path())
    f = np.array([p[0] for p in cal.points])
    assert cal.rise_pa(f) / f == pytest.approx(40.0, rel=0.03)  # the soft ball: 40 Pa/N
    assert cal.overshoot == pytest.approx(0.15, abs=0.05)
    assert cal.tau_s == pytest.approx(5.0, rel=0.2)

    # --json, --out; the CSV form of the same session gives the same calibration.
    csv = soft.with_suffix(".csv")
    assert main(["export", str(soft), "--out", str(csv)]) == 0
    other = soft.with_name("from-csv.json")
    capsys.readouterr()
    rc, out, err = run(capsys, "calibrate", "--from", str(csv), "--marks", str(marks_of(soft)),
                       "--out", str(other), "--json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["version"] == 2 and doc["saved_to"] == str(other)
    assert len(doc["loads"]) == len(cal.points)
    assert {"start_s", "end_s", "force_n", "settled_rise_pa", "residual_n"} <= set(doc["loads"][0])
    from_csv = load_calibration(other)
    assert np.array(from_csv.points) == pytest.approx(np.array(cal.points), rel=2e-3)


def write_marks(path: Path, rows: list[tuple[float, float, float]]) -> Path:
    path.write_text("start_s,end_s,load_kg\n"
                    + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    return path


@pytest.mark.parametrize("change, match", [
    (lambda rows: rows[:-1] + [(rows[-1][0], 999.0, rows[-1][2])], "outside the file"),
    (lambda rows: rows[:2], "at least 3 different loads"),
    (lambda rows: [(rows[0][0], rows[0][0] + 3.0, rows[0][2])] + rows[1:], "under 4 s"),
    (lambda rows: [rows[0], (rows[1][0], rows[1][1], rows[3][2]), rows[2],
                   (rows[3][0], rows[3][1], rows[1][2])] + rows[4:],
     "does not grow with the load"),
])
def test_bad_marks_are_one_sentence_and_keep_your_ball(
        soft: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object,
        match: str) -> None:
    good = Calibration.fit([(50.0, 3000.0)])
    save_calibration(good, default_calibration_path())
    before = default_calibration_path().read_bytes()
    rows = [tuple(float(x) for x in ln.split(","))
            for ln in marks_of(soft).read_text().splitlines()[1:]]
    marks = write_marks(tmp_path / "m.csv", change(rows))  # type: ignore[operator]
    capsys.readouterr()
    rc, _, err = run(capsys, "calibrate", "--from", str(soft), "--marks", str(marks))
    assert rc == 1
    one_sentence(err, match)
    assert default_calibration_path().read_bytes() == before
    assert [p.name for p in default_calibration_path().parent.iterdir()] == ["ball.json"]


def test_no_unloaded_stretch_before_a_load(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    pr = play(linear(60.0), (30.0, 80.0, 150.0), rest_s=0.0)
    csv = tmp_path / "straight-on.csv"
    csv.write_text("t_s,pressure_pa\n" + "".join(
        f"{t:.2f},{p:.2f}\n" for t, p in zip(pr.t_s, pr.pressure_pa, strict=True)))
    marks = write_marks(tmp_path / "m.csv", [(m.start_s, m.end_s, m.force_n / 9.80665)
                                             for m in pr.marks])
    rc, _, err = run(capsys, "calibrate", "--from", str(csv), "--marks", str(marks),
                     "--out", str(tmp_path / "x.json"))
    assert rc == 1
    one_sentence(err, "never seen unloaded and at rest")
    assert not (tmp_path / "x.json").exists()


def test_out_never_writes_over_a_file_that_is_not_a_calibration(
        soft: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marks = marks_of(soft)
    marks_before, soft_before = marks.read_bytes(), soft.read_bytes()
    for target in (soft, marks):
        capsys.readouterr()
        rc, _, err = run(capsys, "calibrate", "--from", str(soft), "--marks", str(marks),
                         "--out", str(target))
        assert rc == 1
        one_sentence(err, "is not a calibration file")
    assert marks.read_bytes() == marks_before and soft.read_bytes() == soft_before
    rc, _, err = run(capsys, "calibrate", "--sim", "--out", str(tmp_path))
    assert rc == 1
    one_sentence(err, "is a folder")
    # A calibration is written over: calibrating the same ball again is the usual case.
    again = tmp_path / "ball.json"
    for _ in range(2):
        rc, _, err = run(capsys, "calibrate", "--from", str(soft), "--marks", str(marks),
                         "--out", str(again))
        assert rc == 0, err
    assert load_calibration(again).points


def test_other_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forces = tmp_path / "forces.csv"
    forces.write_text("t_s,force_n\n" + "".join(f"{k / 100:.2f},{20.0}\n" for k in range(2000)))
    marks = write_marks(tmp_path / "m.csv", [(1, 6, 2), (7, 12, 5), (13, 19, 8)])
    cases = [
        (["--from", str(forces), "--marks", str(marks)], "nothing to calibrate"),
        (["--from", str(forces)], "--from needs --marks"),
        (["--from", str(forces), "--marks", str(tmp_path / "nope.csv")], "does not exist"),
        (["--marks", str(marks)], "--marks goes with --from"),
        ([], "choose the ball with exactly one of"),
        (["--sim", "demo", "--from", str(forces), "--marks", str(marks)], "not both"),
    ]
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("when,kg\n1,2\n")
    cases.append((["--from", str(forces), "--marks", str(bad_header)], "start_s,end_s,load_kg"))
    bad_row = tmp_path / "row.csv"
    bad_row.write_text("start_s,end_s,load_n\n1,6,x\n")
    cases.append((["--from", str(forces), "--marks", str(bad_row)], "row 2"))
    for argv, match in cases:
        capsys.readouterr()
        rc, _, err = run(capsys, "calibrate", *argv)
        assert rc != 0, argv
        one_sentence(err, match)
    assert not default_calibration_path().exists()


# ---------------------------------------------------------------------------- which ball


def test_every_command_uses_your_ball_unless_told(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = tmp_path / "demo.sbrec"
    assert main(["simulate", "demo", "--seconds", "25", "--out", str(rec)]) == 0

    def analyze(*extra: str) -> dict[str, object]:
        capsys.readouterr()
        rc, out, err = run(capsys, "analyze", str(rec), "--json", *extra)
        assert rc == 0, err
        d: dict[str, object] = json.loads(out)
        return d

    reference = analyze()
    # A ball twice as stiff as the reference one: the same pressure is half the force.
    save_calibration(Calibration.fit([(100.0, 12_000.0)]), default_calibration_path())
    yours = analyze()
    assert set(yours) == set(reference)  # the --json contract is unchanged
    assert float(yours["max_force_n"]) == pytest.approx(  # type: ignore[arg-type]
        float(reference["max_force_n"]) / 2, rel=0.05)  # type: ignore[arg-type]
    assert analyze("--calibration", "reference") == reference
    other = tmp_path / "other.json"
    save_calibration(Calibration.fit([(100.0, 6000.0)]), other)
    assert analyze("--calibration", str(other))["max_force_n"] == reference["max_force_n"]

    rc, out, _ = run(capsys, "analyze", str(rec))
    assert rc == 0 and f"force from your ball ({default_calibration_path()})" in out
    rc, out, _ = run(capsys, "analyze", str(rec), "--calibration", "reference")
    assert "force from the reference ball" in out
    rc, _, err = run(capsys, "report", str(rec), "--out", str(tmp_path / "r.png"))
    assert rc == 0 and "force from your ball" in err
    rc, _, err = run(capsys, "replay", str(rec), "--speed", "max", "--no-plot",
                     "--calibration", str(other))
    assert rc == 0 and f"force from {other}" in err
    rc, _, err = run(capsys, "replay", str(rec), "--speed", "max", "--no-plot")
    assert rc == 0 and "force from your ball" in err
    csv = tmp_path / "processed.csv"
    rc, _, err = run(capsys, "export", str(rec), "--out", str(csv), "--processed")
    assert rc == 0, err
    assert "# force from your ball" in csv.read_text()
    rc, _, err = run(capsys, "export", str(rec), "--out", str(csv), "--calibration", str(other))
    assert rc == 1
    one_sentence(err, "only --processed adds")

    # A default ball that is not a calibration says so, and how to get past it.
    default_calibration_path().write_text("{\"hello\": 1}")
    rc, _, err = run(capsys, "analyze", str(rec))
    assert rc == 1
    one_sentence(err, "ball.json: this is not a SmartBall calibration file")
    rc, _, err = run(capsys, "analyze", str(rec), "--calibration", str(tmp_path / "none.json"))
    one_sentence(err, "does not exist")


@pytest.mark.parametrize("text, newton", [
    ("12.4", 12.4 * 9.80665), ("12.4 kg", 12.4 * 9.80665), ("12,4KG", 12.4 * 9.80665),
    ("120 N", 120.0), ("120n", 120.0), ("27 lb", 27 * 0.45359237 * 9.80665),
    ("", None), ("twelve", None), ("-3", None), ("0", None), ("12 stone", None),
])
def test_scale_readings(text: str, newton: float | None) -> None:
    from smartball.cli.calibrate_live import parse_reading

    got = parse_reading(text)
    assert (got is None) if newton is None else got == pytest.approx(newton)


def test_calibrate_a_replayed_recording_interactively(
        soft: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``--replay`` runs the interactive form on a recording (played as fast as it reads):
    each hold it finds is asked about; here two readings, a typo and 'done' too early,
    then the rest."""
    import io

    kg = [ln.split(",")[2] for ln in marks_of(soft).read_text().splitlines()[1:]]
    typed = [kg[0], "three kilos", kg[1], "done", kg[2] + " kg", "done"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed) + "\n"))
    out = tmp_path / "replayed.json"
    rc, _, err = run(capsys, "calibrate", "--replay", str(soft), "--out", str(out))
    assert rc == 0, err
    assert "'three kilos' is not a scale reading" in err
    assert "needs at least 3 loads (2 so far)" in err
    assert "press to about" not in err  # a recording is not guided
    cal = load_calibration(out)
    assert len(cal.points) == 3
    f = np.array([p[0] for p in cal.points])
    assert cal.rise_pa(f) / f == pytest.approx(40.0, rel=0.03)
    assert cal.ball is not None and "SmartBall" in cal.ball


def test_an_interactive_calibration_with_too_few_loads_saves_nothing(
        soft: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("3.2\n6.4\n"))
    rc, _, err = run(capsys, "calibrate", "--replay", str(soft))
    assert rc == 1
    assert err.splitlines()[-1] == ("smartball calibrate: the input ended after 2 loads; a "
                                    "calibration needs at least 3: run it again.")
    assert not default_calibration_path().exists()
