"""A ball's calibration as a JSON file."""

from __future__ import annotations

from pathlib import Path

from smartball.errors import InputFileNotFound
from smartball.processing.calibration import Calibration


def load_calibration(path: str | Path) -> Calibration:
    p = Path(path)
    if not p.exists():
        raise InputFileNotFound(f"{p} does not exist; give the calibration file the ball was "
                                "calibrated into.")
    return Calibration.from_json(p.read_text(encoding="utf-8"))


def save_calibration(calibration: Calibration, path: str | Path) -> None:
    Path(path).write_text(calibration.to_json() + "\n", encoding="utf-8")
