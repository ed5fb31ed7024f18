"""``--calibration FILE|reference``: which ball's response a command turns pressure into
force with. Shared by every command that processes pressure.

Without the option, the user's default ball (``$SMARTBALL_HOME/ball.json``, written by
``smartball calibrate`` without ``--out``) when there is one, else the reference ball;
``--calibration reference`` ignores the default ball; ``--ball NAME`` picks one of the balls
kept with ``smartball calibrate --name``. Nothing heavy is imported until the calibration is
resolved.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartball.processing.calibration import Calibration


def add_calibration_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calibration", metavar="FILE|reference",
        help="the ball's calibration (from 'smartball calibrate'); default: your ball "
             "(saved by 'smartball calibrate', for --user the person's own, else the "
             "household's) if you calibrated one, else the reference ball; 'reference' "
             "ignores your ball")
    parser.add_argument(
        "--ball", metavar="NAME",
        help="one of your balls, kept by 'smartball calibrate --name NAME' ('smartball "
             "balls' lists them)")


def resolve(args: argparse.Namespace) -> tuple[Calibration | None, str]:
    """The calibration the arguments ask for (None: the reference ball) and its name for
    the user."""
    from smartball.io.calibration_file import resolve_calibration
    from smartball.people.names import current_user

    ball = getattr(args, "ball", None)
    option = getattr(args, "calibration", None)
    if ball is not None:
        from smartball.errors import UsageError
        from smartball.io.balls import load_ball

        if option is not None:
            raise UsageError("give either --ball NAME or --calibration FILE, not both.")
        kept = load_ball(ball)
        return kept.calibration, f"your ball {kept.name!r} ({kept.pa_per_n:.0f} Pa/N)"
    return resolve_calibration(option, user=current_user(getattr(args, "user", None)))


PA_PER_N_AT_N = 100.0
"""The load at which a calibration's settled Pa/N is quoted."""


def describe(args: argparse.Namespace, calibration: Calibration | None, *,
             recorded: bool = False) -> dict[str, Any]:
    """Which calibration turned pressure into force, for JSON output: ``source``
    (``"reference"``, ``"recorded"`` (carried by the recording), ``"default ball"`` (the
    person's own, else the household's) or the ``--calibration`` file), ``file`` (the file
    read, or None), ``ball`` (the ball it was measured on, if known), ``pa_per_n`` (settled,
    at 100 N), ``overshoot`` and ``tau_s``."""
    from smartball.processing.calibration import Calibration as _Calibration

    option = getattr(args, "calibration", None)
    cal = calibration if calibration is not None else _Calibration.reference()
    file: str | None
    ball: str | None
    if calibration is None:
        source, file, ball = "reference", None, "reference"
    elif option is None and recorded:
        source, file, ball = "recorded", None, cal.name or cal.ball
    elif option is None:
        from smartball.home import default_calibration_path
        from smartball.people.names import current_user
        from smartball.people.store import ball_path

        own = ball_path(current_user(getattr(args, "user", None)))  # the person's own ball
        path = own if own.exists() else default_calibration_path()
        source, file, ball = "default ball", str(path), cal.ball
    elif getattr(args, "ball", None) is not None:
        source, file, ball = "kept ball", None, cal.name
    else:
        source, file, ball = option, option, cal.ball
    return {
        "source": source,
        "file": file,
        "ball": ball,
        "pa_per_n": round(float(cal.rise_pa(PA_PER_N_AT_N)) / PA_PER_N_AT_N, 3),
        "overshoot": round(cal.overshoot, 4),
        "tau_s": round(cal.tau_s, 3),
    }
