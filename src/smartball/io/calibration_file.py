"""A ball's calibration as a JSON file, and which one a command uses.

Writing goes through a temporary file in the same folder and a rename, so a calibration
that fails (or a full disk) never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from smartball.errors import InputError, InputFileNotFound
from smartball.processing.calibration import Calibration

REFERENCE = "reference"
"""``--calibration reference``: the reference ball, whatever the default ball is."""


def load_calibration(path: str | Path) -> Calibration:
    p = Path(path)
    if not p.exists():
        raise InputFileNotFound(f"{p} does not exist; give the calibration file the ball was "
                                "calibrated into (or 'reference').")
    if p.is_dir():
        raise InputError(f"{p} is a folder; give a calibration file made by "
                         "'smartball calibrate'.")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = ""
    except OSError as exc:
        raise InputError(f"cannot read {p} ({exc.strerror}); check its permissions.") from None
    try:
        return Calibration.from_json(text)
    except InputError as exc:
        raise InputError(f"{p.name}: {exc}") from None


def check_writable_over(path: str | Path) -> None:
    """Refuse, before any work, an output that exists and is not a calibration: a recording,
    a marks file or anything else there would be lost."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a folder; give --out a file name such as my-ball.json.")
    if not p.exists():
        return
    try:
        load_calibration(p)
    except InputError:
        raise InputError(f"{p} exists and is not a calibration file, so it is not written "
                         "over; give --out a new file name.") from None


def save_calibration(calibration: Calibration, path: str | Path) -> None:
    """Write ``path`` whole or not at all (a temporary file renamed over it)."""
    p = Path(path)
    folder = p.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write the calibration to {p} ({exc.strerror}); choose "
                         "another --out.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(calibration.to_json() + "\n")
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def created_now() -> str:
    """A calibration's ``created`` stamp: now, ISO 8601 in UTC, to the second."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def resolve_calibration(option: str | None,
                        user: str | None = None) -> tuple[Calibration | None, str]:
    """The calibration a command uses, and how to name it to the user.

    ``option`` is the ``--calibration`` value: a file, ``reference``, or None for the
    user's default ball (``user``'s own when they calibrated one, else the household's
    ``$SMARTBALL_HOME/ball.json``) when there is one, else the reference ball. None stands
    for the reference ball (processing's default)."""
    from smartball.home import default_calibration_path

    if option is not None and option.strip().lower() == REFERENCE:
        return None, "the reference ball (60 Pa/N)"
    if option is not None:
        return load_calibration(option), option
    if user is not None:
        from smartball.people.store import ball_path

        own = ball_path(user)
        if own.exists() and own != default_calibration_path():
            return load_calibration(own), f"{user}'s ball ({own})"
    default = default_calibration_path()
    if default.exists():
        return load_calibration(default), f"your ball ({default})"
    return None, "the reference ball (60 Pa/N; calibrate yours with 'smartball calibrate')"
