"""``smartball report FILE --out PNG``: one figure summarising a finished session."""

from __future__ import annotations

import argparse
import sys

from smartball.cli.calibration_arg import add_calibration_argument, resolve
from smartball.cli.routine_args import add_routine_argument, chosen_routine


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a recording, a raw serial capture or a CSV file")
    parser.add_argument("--out", required=True, metavar="PNG",
                        help="where to write the figure (.png, .pdf or .svg)")
    add_calibration_argument(parser)
    add_routine_argument(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.view.report import write_report

    calibration, calibration_name = resolve(args)
    write_report(args.file, args.out, calibration, chosen_routine(args))
    print(f"wrote {args.out} (force from {calibration_name})", file=sys.stderr)
    return 0
