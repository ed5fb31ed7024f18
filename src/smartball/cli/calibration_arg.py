"""``--calibration FILE|reference``: which ball's response a command turns pressure into
force with. Shared by every command that processes pressure.

Without the option, the user's default ball (``$SMARTBALL_HOME/ball.json``, written by
``smartball calibrate`` without ``--out``) when there is one, else the reference ball;
``--calibration reference`` ignores the default ball. Nothing heavy is imported until the
calibration is resolved.
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
             "(saved by 'smartball calibrate', for --user the person's own, else the "
             "household's) if you calibrated one, else the reference ball; 'reference' "
             "ignores your ball")


def resolve(args: argparse.Namespace) -> tuple[Calibration | None, str]:
    """The calibration the arguments ask for (None: the reference ball) and its name for
    the user."""
    from smartball.io.calibration_file import resolve_calibration
    from smartball.people.names import current_user

    return resolve_calibration(getattr(args, "calibration", None),
                               user=current_user(getattr(args, "user", None)))
