"""``smartball analyze FILE [--json]``: summary of a recording, a raw serial capture, or a CSV.

The file is read and processed in chunks, so an hour of data needs little memory. The text
form is for people; ``--json`` gives the contract of DESIGN.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from smartball.cli.calibration_arg import add_calibration_argument, describe
from smartball.cli.routine_args import add_routine_argument
from smartball.hold_target import HOLD_TARGET_S, reached_target
from smartball.sensor_range import BEYOND_WORDS
from smartball.timefmt import mmss

if TYPE_CHECKING:
    from smartball.processing import Calibration
    from smartball.routines.model import Routine


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a recording, a raw serial capture or a CSV file")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_calibration_argument(parser)
    add_routine_argument(parser)


def analyze(path: str, calibration: Calibration | None = None,
            routine: Routine | None = None) -> dict[str, Any]:
    """The ``analyze --json`` dict of a session file."""
    from smartball.analysis import analyze_file

    return analyze_file(path, calibration, routine=routine).summary


def run(args: argparse.Namespace) -> int:
    from smartball.analysis import analyze_file
    from smartball.cli.context_args import context_of_file

    chosen = context_of_file(args, args.file, "analyze")
    calibration_name = chosen.calibration_name
    result = analyze_file(args.file, context=chosen.context).summary
    if args.json:
        result["calibration"] = describe(args, chosen.context.calibration,
                                         recorded=chosen.recorded)
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_summary(result, calibration_name=calibration_name))
        if "routine" in result:
            from smartball.routines.text import format_routine_result

            sys.stdout.write(format_routine_result(result["routine"]))
    return 0


SHOWN = 12  # holds and too-hard presses listed in the text form


def _seconds(s: float) -> str:
    """A stretch of time in words: ``0.4 s``, ``12 s``, ``3:05``."""
    if s < 10:
        return f"{s:.1f} s"
    return f"{s:.0f} s" if s < 120 else mmss(s)


def format_summary(d: dict[str, Any], hold_target_s: float = HOLD_TARGET_S,
                   calibration_name: str | None = None) -> str:
    dur = float(d["duration_s"])
    lines = [
        f"{d['source']}",
        f"  {mmss(dur)} ({dur:.1f} s), {d['samples']} samples at {d['sample_rate_hz']:g} Hz; "
        f"{d['lost_samples']} lost, {d['crc_errors']} CRC errors",
    ]
    if calibration_name:
        lines.append(f"  force from {calibration_name}")
    lines.append("  time in zone:")
    for zone, secs in d["time_in_zone_s"].items():
        share = 100.0 * secs / dur if dur > 0 else 0.0
        lines.append(f"    {zone.replace('_', ' '):<9} {mmss(secs):>7}  {share:5.1f} %")
    holds = d["holds"]
    reached = sum(reached_target(h["end_s"] - h["start_s"], hold_target_s) for h in holds)
    lines.append(f"  holds: {len(holds)} ({reached} reached {hold_target_s:g} s)")
    for h in holds[:SHOWN]:
        lines.append(f"    {mmss(h['start_s']):>7}  {h['end_s'] - h['start_s']:5.1f} s  "
                     + (f"peak {BEYOND_WORDS}" if h.get("beyond") else
                        f"mean {h['mean_force_n']:.0f} N, peak {h['peak_force_n']:.0f} N"))
    if len(holds) > SHOWN:
        lines.append(f"    ... and {len(holds) - SHOWN} more (--json lists them all)")
    th = d["too_hard"]
    if th:
        lines.append(f"  too hard: {len(th)} time{'s' if len(th) != 1 else ''}")
        for x in th[:SHOWN]:
            lines.append(f"    {mmss(x['start_s']):>7}  {x['end_s'] - x['start_s']:5.1f} s  "
                         + (f"peak {BEYOND_WORDS}" if x.get("beyond")
                            else f"peak {x['peak_force_n']:.0f} N"))
        if len(th) > SHOWN:
            lines.append(f"    ... and {len(th) - SHOWN} more")
    else:
        lines.append("  too hard: never")
    beyond_s = float(d.get("beyond_s") or 0.0)
    if beyond_s > 0:
        measured = d.get("max_force_n")
        lines.append(f"  max force measured: {measured:.0f} N" if measured is not None
                     else "  max force measured: none")
        lines.append(f"  {_seconds(beyond_s)} {BEYOND_WORDS}")
    else:
        lines.append(f"  max force: {d['max_force_n']:.0f} N")
    return "\n".join(lines) + "\n"
