"""``smartball report FILE --out PNG``: one figure summarising a finished session."""

from __future__ import annotations

import argparse
import sys

from smartball.cli.calibration_arg import add_calibration_argument, resolve


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a recording, a raw serial capture or a CSV file")
    parser.add_argument("--out", required=True, metavar="PNG",
                        help="where to write the figure (.png, .pdf or .svg)")
    add_calibration_argument(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.view.report import write_report

    calibration, calibration_name = resolve(args)
    write_report(args.file, args.out, calibration)
    print(f"wrote {args.out} (force from {calibration_name})", file=sys.stderr)
    return 0
