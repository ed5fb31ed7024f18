"""Several balls: ``calibrate --name``, ``smartball balls``, ``--ball NAME``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.errors import InputError
from smartball.io.balls import ball_for_device, check_ball_name, kept_balls, save_ball
from smartball.processing.calibration import Calibration


@pytest.fixture(scope="module")
def scale_session(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("scale")
    rec = folder / "firm.sbrec"
    assert main(["simulate", "scale-calibration", "--ball", "firm", "--seed", "2",
                 "--out", str(rec)]) == 0
    return rec, Path(str(rec) + ".marks.csv")


def test_calibrate_keeps_a_named_ball_and_balls_lists_it(
        scale_session: tuple[Path, Path], smartball_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    rec, marks = scale_session
    assert main(["calibrate", "--from", str(rec), "--marks", str(marks), "--name", "cork"]) == 0
    assert "kept as the ball 'cork'" in capsys.readouterr().err
    assert (smartball_home / "balls" / "cork.json").is_file()
    assert main(["balls", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (cork,) = doc["balls"]
    assert doc["default"] == "cork" and cork["default"]
    assert cork["name"] == "cork" and 78 < cork["pa_per_n"] < 82  # the firm ball: 80 Pa/N
    assert main(["balls"]) == 0
    assert "* cork" in capsys.readouterr().out

    # A name that exists is not measured over without --replace, and nothing is written.
    before = (smartball_home / "balls" / "cork.json").read_bytes()
    assert main(["calibrate", "--from", str(rec), "--marks", str(marks), "--name", "cork"]) == 1
    assert "--replace" in capsys.readouterr().err
    assert (smartball_home / "balls" / "cork.json").read_bytes() == before
    assert main(["calibrate", "--from", str(rec), "--marks", str(marks), "--name", "cork",
                 "--replace"]) == 0
    capsys.readouterr()

    # --ball picks it; an unknown ball lists the known ones.
    assert main(["analyze", str(rec), "--ball", "cork"]) == 0
    assert "your ball 'cork'" in capsys.readouterr().out
    assert main(["analyze", str(rec), "--ball", "tennis"]) == 1
    err = capsys.readouterr().err
    assert "no ball named 'tennis'" in err and "cork" in err

    # The history names the ball each session was read with.
    assert main(["history", "import", str(rec), "--ball", "cork"]) == 0
    capsys.readouterr()
    assert main(["history", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["ball"] == "cork" and "cork" in row["calibration"]
    assert main(["history", "show", str(row["id"])]) == 0
    assert "ball:        cork, calibration" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["", "   ", "../x", "a/b", "reference", "x" * 41, ".hidden"])
def test_a_name_that_is_not_plain_gets_one_sentence(name: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as err:
        check_ball_name(name)
    assert "\n" not in str(err.value) and str(err.value).endswith(".")
    assert main(["calibrate", "--sim", "--name", name]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_the_ball_of_a_board_is_found_by_its_device_id() -> None:
    cal = Calibration.fit([(50.0, 2000.0), (100.0, 4000.0), (200.0, 8000.0)],
                          created="2026-01-01T00:00:00+00:00")
    import dataclasses

    save_ball(dataclasses.replace(cal, device_id="00112233aabbccdd"), "tennis", replace=False)
    save_ball(cal, "spiky", replace=False)
    assert [b.name for b in kept_balls()] == ["spiky", "tennis"]
    found = ball_for_device("00112233AABBCCDD")
    assert found is not None and found.name == "tennis"
    assert ball_for_device("ffffffffffffffff") is None
