"""``smartball routines [--json] [--part P]``: the routines from the guides."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from smartball.parts import PARTS

    parser.add_argument("--json", action="store_true", help="print the routines as JSON")
    parser.add_argument("--part", metavar="PART", help="only the routines for one body part: "
                        f"{', '.join(PARTS)}")


def run(args: argparse.Namespace) -> int:
    from smartball.errors import InputError
    from smartball.parts import PARTS
    from smartball.routines.model import all_routines
    from smartball.routines.text import describe_routine

    if args.part is not None and args.part not in PARTS:
        raise InputError(f"there is no body part {args.part!r}; choose one of: "
                         f"{', '.join(PARTS)}.")
    routines = all_routines(args.part)
    if args.json:
        json.dump([r.as_dict() for r in routines], sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(describe_routine(r) for r in routines))
        sys.stdout.write("\nFollow one with 'smartball demo --routine NAME' or "
                         "'smartball live DEVICE --routine NAME'.\n")
    return 0
