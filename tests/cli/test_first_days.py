"""A routine new to the person: its first days, until three clean sessions; ``--full``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.history.row import SessionRow
from smartball.history.store import HistoryStore
from smartball.routines.model import load_routine

FIRST_STEP_S = load_routine("quick").steps[0].seconds


def _first_step(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    assert main(["live", "--sim", "quick-faithful", "--no-plot", "--seconds", "5",
                 "--routine", "quick", "--events", "-", "--no-history", "--cues", "none",
                 *extra]) == 0
    out, err = capsys.readouterr()
    starts = [e for e in map(json.loads, out.splitlines()) if e["type"] == "step_start"]
    assert starts, out[-500:]
    return starts[0], err


def test_new_then_full_after_three_clean_sessions(smartball_home: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    step, err = _first_step(capsys)
    assert "first days of quick (new to this routine)" in err and "--full" in err
    assert step["seconds"] == FIRST_STEP_S / 2

    step, err = _first_step(capsys, "--full")
    assert "first days" not in err and step["seconds"] == FIRST_STEP_S

    now = time.time()
    with HistoryStore(smartball_home / "history.sqlite3") as store:
        for k, too_hard in enumerate((0, 2, 0, 0)):
            store.add(SessionRow(started_at=now - (4 - k) * 86400, duration_s=600.0,
                                 command="live", routine="quick",
                                 too_hard_presses=too_hard))
    step, err = _first_step(capsys)
    assert "first days" not in err and step["seconds"] == FIRST_STEP_S
