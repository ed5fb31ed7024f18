"""``smartball report FILE --out PNG``: one figure summarising a finished session."""

from __future__ import annotations

import argparse
import sys

from smartball.cli.calibration_arg import add_calibration_argument
from smartball.cli.person_args import add_person_arguments
from smartball.cli.routine_args import add_routine_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a recording, a raw serial capture or a CSV file")
    parser.add_argument("--out", required=True, metavar="PNG",
                        help="where to write the figure (.png, .pdf or .svg)")
    add_calibration_argument(parser)
    add_routine_argument(parser)
    add_person_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.cli.context_args import context_of_file
    from smartball.out_file import FIGURE, check_args
    from smartball.view.report import write_report

    check_args(args, out=FIGURE)
    chosen = context_of_file(args, args.file, "report")
    write_report(args.file, args.out, context=chosen.context,
                 calibration_name=chosen.calibration_name)
    print(f"wrote {args.out} (force from {chosen.calibration_name}; "
          f"{chosen.zones.describe()})", file=sys.stderr)
    return 0
