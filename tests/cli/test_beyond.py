"""A simulated session lying on the floor, past the ball's top, through the real command
line: ``analyze`` (JSON and words), ``replay --events``, ``export --processed`` and
``report`` say "beyond what this ball can measure" and give no force there."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from smartball.cli import main
from smartball.sensor_range import BEYOND_WORDS


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("floor") / "floor-back.sbrec"
    assert main(["simulate", "floor-back", "--ball", "firm", "--seed", "1",
                 "--out", str(out)]) == 0
    return out


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    assert rc == 0, err
    return out


def test_analyze_says_beyond_and_gives_the_largest_measured_force(
        floor: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = json.loads(_run(capsys, "analyze", str(floor), "--json"))
    assert d["beyond_s"] > 1.0
    beyond = [x for x in d["too_hard"] if x.get("beyond")]
    assert beyond and all(x["peak_force_n"] is None for x in beyond)
    # Processed as the reference ball (nothing told), the firm ball's end reads near
    # (125000 - 101800) / 60 = 387 N: the largest measured force stays under it.
    assert 0 < d["max_force_n"] < 387
    text = _run(capsys, "analyze", str(floor))
    assert f"s {BEYOND_WORDS}" in text
    assert f"peak {BEYOND_WORDS}" in text
    assert "max force measured:" in text


def test_the_history_keeps_the_time_beyond(
        floor: Path, smartball_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    beyond_s = json.loads(_run(capsys, "analyze", str(floor), "--json"))["beyond_s"]
    _run(capsys, "history", "import", str(floor))
    (row,) = json.loads(_run(capsys, "history", "--json"))
    assert row["beyond_s"] == pytest.approx(beyond_s, abs=0.01) and row["beyond_s"] > 1.0
    assert "beyond what the ball can measure:" in _run(capsys, "history", "show",
                                                       str(row["id"]))


def test_events_at_the_end_carry_no_force(floor: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.loads(x) for x in _run(capsys, "replay", str(floor), "--speed", "max",
                                         "--no-plot", "--cues", "none",
                                         "--events", "-").splitlines() if x.strip()]
    marked = [e for e in lines if e.get("beyond")]
    assert marked, "a floor session past the ball's top has events at the end"
    for e in marked:
        numbers = [e[k] for k in ("force_n", "mean_force_n", "peak_force_n") if k in e]
        assert numbers and all(x is None for x in numbers), e


def test_export_leaves_the_force_empty_where_the_sensor_was_at_its_end(
        floor: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "floor.csv"
    _run(capsys, "export", str(floor), "--out", str(out), "--processed")
    rows = list(csv.DictReader(x for x in out.read_text().splitlines()
                               if not x.startswith("#")))
    at_end = np.array([float(r["pressure_pa"]) >= 125_000 for r in rows])
    assert at_end.sum() > 100
    assert all(r["force_n"] == "" and r["zone"] == "too_hard"
               for r, e in zip(rows, at_end, strict=True) if e)
    assert sum(r["force_n"] != "" for r in rows) > 0.9 * len(rows)


def test_the_report_marks_the_stretches_beyond(floor: Path, tmp_path: Path) -> None:
    from smartball.view.report import write_report

    data = write_report(str(floor), str(tmp_path / "floor.png"))
    assert data.beyond_s and sum(b - a for a, b in data.beyond_s) == pytest.approx(
        data.summary["beyond_s"], abs=0.5)
    assert (tmp_path / "floor.png").stat().st_size > 10_000
