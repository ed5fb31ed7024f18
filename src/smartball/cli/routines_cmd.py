"""``smartball routines [--json]``: the routines from the guides."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the routines as JSON")


def run(args: argparse.Namespace) -> int:
    from smartball.routines.model import all_routines
    from smartball.routines.text import describe_routine

    routines = all_routines()
    if args.json:
        json.dump([r.as_dict() for r in routines], sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(describe_routine(r) for r in routines))
        sys.stdout.write("\nFollow one with 'smartball demo --routine NAME' or "
                         "'smartball live DEVICE --routine NAME'.\n")
    return 0
