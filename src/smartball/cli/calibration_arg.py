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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartball.processing.calibration import Calibration


def add_calibration_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calibration", metavar="FILE|reference",
        help="the ball's calibration (from 'smartball calibrate'); default: your ball "
             "(saved by 'smartball calibrate') if you calibrated one, else the reference "
             "ball; 'reference' ignores your ball")
    parser.add_argument(
        "--ball", metavar="NAME",
        help="one of your balls, kept by 'smartball calibrate --name NAME' ('smartball "
             "balls' lists them)")


def resolve(args: argparse.Namespace) -> tuple[Calibration | None, str]:
    """The calibration the arguments ask for (None: the reference ball) and its name for
    the user."""
    from smartball.io.calibration_file import resolve_calibration

    ball = getattr(args, "ball", None)
    option = getattr(args, "calibration", None)
    if ball is not None:
        from smartball.errors import UsageError
        from smartball.io.balls import load_ball

        if option is not None:
            raise UsageError("give either --ball NAME or --calibration FILE, not both.")
        kept = load_ball(ball)
        return kept.calibration, f"your ball {kept.name!r} ({kept.pa_per_n:.0f} Pa/N)"
    return resolve_calibration(option)
