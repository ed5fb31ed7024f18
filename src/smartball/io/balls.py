"""The balls a household keeps: each calibrated ball under its own name.

A tennis ball to start, cork or spikes later: ``smartball calibrate ... --name NAME`` keeps
each ball as a calibration file ``$SMARTBALL_HOME/balls/NAME.json`` (the calibration's own
JSON, with its ``name`` and the ``device_id`` of the board it was measured with). ``--ball
NAME`` picks one, and a ball measured with a board is picked when that board connects.
Writing goes through :func:`smartball.io.calibration_file.save_calibration` (whole or not at
all); a name that exists is replaced only when asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from smartball.errors import InputError
from smartball.io.calibration_file import load_calibration, save_calibration
from smartball.processing.calibration import Calibration

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _+.-]{0,39}")
PA_PER_N_AT_N = 100.0
"""The force at which a ball's Pa/N is quoted (the settled slope from rest to there)."""


@dataclass(frozen=True, slots=True)
class KeptBall:
    name: str
    path: Path
    calibration: Calibration

    @property
    def pa_per_n(self) -> float:
        """Settled Pa per N from rest to :data:`PA_PER_N_AT_N`."""
        return float(self.calibration.rise_pa(PA_PER_N_AT_N)) / PA_PER_N_AT_N

    @property
    def created(self) -> str | None:
        return self.calibration.created

    @property
    def device(self) -> str | None:
        """The board it was measured with, as the calibration names it."""
        return self.calibration.ball or self.calibration.device_id


def balls_dir() -> Path:
    from smartball.home import smartball_home

    return smartball_home() / "balls"


def check_ball_name(name: str) -> str:
    """``name`` if it is a plain name (letters, digits, spaces, ``_+.-``; at most 40), else
    one sentence saying what a name may be."""
    text = name.strip()
    if not text:
        raise InputError("a ball's name cannot be empty; give a plain name such as cork or "
                         "tennis.")
    if text.lower() == "reference" or not _PLAIN.fullmatch(text):
        raise InputError(f"{name!r} is not a plain ball name; use letters, digits, spaces, "
                         "'-', '_', '+' or '.' (at most 40, no folders), such as cork or "
                         "tennis.")
    return text


def ball_path(name: str) -> Path:
    return balls_dir() / f"{check_ball_name(name)}.json"


def kept_balls() -> list[KeptBall]:
    """Every kept ball, by name; a file that is not a calibration is left out."""
    folder = balls_dir()
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            cal = load_calibration(path)
        except InputError:
            continue
        out.append(KeptBall(cal.name or path.stem, path, cal))
    return out


def load_ball(name: str) -> KeptBall:
    """The kept ball ``name``; an unknown name lists the known ones."""
    path = ball_path(name)
    if not path.is_file():
        known = [b.name for b in kept_balls()]
        also = (f"the balls kept are: {', '.join(known)}" if known else
                "no ball is kept yet ('smartball calibrate DEVICE --name NAME' keeps one)")
        raise InputError(f"there is no ball named {name!r}; {also}.")
    cal = load_calibration(path)
    return KeptBall(cal.name or path.stem, path, cal)


def check_new_ball(name: str, *, replace: bool) -> Path:
    """Where ball ``name`` will be saved; refuses, before any work, a name that exists
    unless ``replace``."""
    path = ball_path(name)
    if path.exists() and not replace:
        raise InputError(f"a ball named {name!r} is kept already; add --replace to measure "
                         "it again, or choose another --name.")
    return path


def save_ball(calibration: Calibration, name: str, *, replace: bool) -> KeptBall:
    """Keep ``calibration`` as ball ``name`` (its name written into it)."""
    import dataclasses

    path = check_new_ball(name, replace=replace)
    named = dataclasses.replace(calibration, name=check_ball_name(name))
    save_calibration(named, path)
    return KeptBall(named.name or name, path, named)


def ball_for_device(device_id: str) -> KeptBall | None:
    """The ball measured with board ``device_id`` (hex), the latest if several."""
    found = [b for b in kept_balls() if b.calibration.device_id == device_id.lower()]
    if not found:
        return None
    return max(found, key=lambda b: (b.created or "", b.name))
