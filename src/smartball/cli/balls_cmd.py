"""``smartball balls [--json]``: the balls calibrated, and which is the default."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the balls as JSON")


def run(args: argparse.Namespace) -> int:
    from smartball.errors import InputError
    from smartball.home import default_calibration_path
    from smartball.io.balls import KeptBall, kept_balls
    from smartball.io.calibration_file import load_calibration

    balls = kept_balls()
    default = default_calibration_path()
    default_name: str | None = None
    if default.exists():
        try:
            default_name = load_calibration(default).name
        except InputError:
            default_name = None

    def row(b: KeptBall) -> dict[str, Any]:
        return {"name": b.name, "created": b.created, "pa_per_n": round(b.pa_per_n, 2),
                "overshoot": b.calibration.overshoot, "tau_s": b.calibration.tau_s,
                "device": b.device, "device_id": b.calibration.device_id,
                "default": b.name == default_name, "path": str(b.path)}

    if args.json:
        json.dump({"balls": [row(b) for b in balls], "default": default_name
                   if default.exists() else None}, sys.stdout)
        sys.stdout.write("\n")
        return 0
    if not balls:
        sys.stdout.write("No ball is kept yet: 'smartball calibrate DEVICE --name NAME' "
                         "measures one and keeps it under that name.\n")
        if default.exists():
            sys.stdout.write(f"Your default ball ({default}) has no name.\n")
        return 0
    width = max(len(b.name) for b in balls)
    sys.stdout.write(f"  {'name':<{width}}  measured    Pa/N  device\n")
    for b in balls:
        mark = "*" if b.name == default_name else " "
        day = (b.created or "")[:10] or "-"
        sys.stdout.write(f"{mark} {b.name:<{width}}  {day:<10} {b.pa_per_n:5.1f}  "
                         f"{b.device or '-'}\n")
    if default_name is not None:
        sys.stdout.write("* your default ball (used when no other is picked)\n")
    sys.stdout.write("Pick one with --ball NAME; a ball measured with a board is picked when "
                     "that board connects.\n")
    return 0
