"""Zones the ball cannot tell: a too-hard edge at or above the force where the person's ball
reaches the top of its sensor would never warn. Setting such zones, measuring them, or
starting a session with them is refused in one sentence, and nothing is saved or recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartball.io.calibration_file import save_calibration
from smartball.people.store import load_zones
from smartball.processing import Calibration
from tests.cli_run import one_sentence, run

HIP = "10,60,150,260"


def stiff_ball() -> Calibration:
    """Twice as stiff as the reference ball: its sensor ends near 197 N at sea level."""
    return Calibration.fit([(100.0, 12_000.0)])


def test_zones_past_the_persons_ball_are_not_saved(capsys: pytest.CaptureFixture[str],
                                                   smartball_home: Path) -> None:
    save_calibration(stiff_ball(), smartball_home / "people" / "ann" / "ball.json")
    rc, _out, err = run(capsys, "zones", "--set", HIP, "--part", "hip", "--user", "ann")
    assert rc != 0
    one_sentence(err)
    assert "too hard at 260 N, beyond what this ball can measure" in err
    assert "ann's ball ends near 197 N" in err
    assert load_zones("ann").parts == {}  # nothing saved
    # On her stiff ball, zones that end lower are fine; on the reference ball (Ben has no
    # ball of his own, nor has the household) the hip's are.
    assert run(capsys, "zones", "--set", "10,60,120,180", "--part", "hip", "--user", "ann")[0] == 0
    assert run(capsys, "zones", "--set", HIP, "--part", "hip", "--user", "ben")[0] == 0
    rc, _out, err = run(capsys, "zones", "--set", HIP, "--part", "hip", "--user", "ben",
                        "--calibration", str(smartball_home / "people" / "ann" / "ball.json"))
    assert rc != 0 and "beyond what this ball can measure" in err
    assert load_zones("ben").latest("hip") is not None
    assert len(load_zones("ben").parts["hip"]) == 1


def test_a_session_in_zones_past_the_ball_does_not_start(capsys: pytest.CaptureFixture[str],
                                                        smartball_home: Path,
                                                        tmp_path: Path) -> None:
    save_calibration(stiff_ball(), smartball_home / "people" / "ann" / "ball.json")
    out = tmp_path / "hip.sbrec"
    # The hip's default zones end at 260 N, past her ball's 197 N.
    rc, _o, err = run(capsys, "record", "--sim", "demo", "--seconds", "1", "--out", str(out),
                      "--user", "ann", "--part", "hip")
    assert rc != 0 and not out.exists()
    one_sentence(err)
    assert "set zones that end lower, or use a softer ball" in err
    rc, _o, err = run(capsys, "record", "--sim", "demo", "--seconds", "1", "--out", str(out),
                      "--user", "ann", "--part", "hip", "--zones", "10,60,120,180",
                      "--no-history")
    assert rc == 0, err
    # A finished session is read whatever its zones were.
    rc, _o, err = run(capsys, "analyze", str(out), "--calibration",
                      str(smartball_home / "people" / "ann" / "ball.json"))
    assert rc == 0, err


def test_the_body_parts_are_one_list() -> None:
    import smartball.parts as words
    import smartball.people.parts as people_parts

    assert words.PARTS is people_parts.PARTS and words.DEFAULT_PART == people_parts.DEFAULT_PART
    assert set(words.WORDS) == set(people_parts.PART_DEFAULTS_N) == set(people_parts.PARTS)
