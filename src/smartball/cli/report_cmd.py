"""``smartball report FILE --out PNG``: one figure summarising a finished session."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from smartball.cli.calibration_arg import add_calibration_argument, resolve
from smartball.cli.routine_args import add_routine_argument, chosen_routine

if TYPE_CHECKING:
    from smartball.routines.model import Routine


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a recording, a raw serial capture or a CSV file")
    parser.add_argument("--out", required=True, metavar="PNG",
                        help="where to write the figure (.png, .pdf or .svg)")
    add_calibration_argument(parser)
    add_routine_argument(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.out_file import FIGURE, check_args
    from smartball.view.report import write_report

    check_args(args, out=FIGURE)
    calibration, calibration_name = resolve(args)
    routine = chosen_routine(args)
    if routine is None:
        routine = _recorded_routine(args.file)
    write_report(args.file, args.out, calibration, routine, calibration_name=calibration_name)
    print(f"wrote {args.out} (force from {calibration_name})", file=sys.stderr)
    return 0


def _recorded_routine(path: str) -> Routine | None:
    """The routine the recording was made with, if it can still be read from here: a routine
    file named by a relative path may not be, and the report is drawn without it then."""
    from smartball.errors import SmartBallError
    from smartball.routines.model import load_routine
    from smartball.view.routine_report import routine_of_recording

    name = routine_of_recording(path)
    if not name:
        return None
    try:
        return load_routine(name)
    except SmartBallError:
        print(f"smartball report: note: the recording followed the routine {name}, which "
              "cannot be read from here, so the report leaves it out (add --routine FILE to "
              "draw it).", file=sys.stderr)
        return None
