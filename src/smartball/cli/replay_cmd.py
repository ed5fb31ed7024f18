"""``smartball replay FILE [--speed X] [--no-plot] [--events FILE|-]``: a recording played
back in time through the same decoder and processing as live, so it shows (and emits)
exactly what the live session did."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from smartball.cli.calibration_arg import add_calibration_argument
from smartball.cli.cue_args import add_cue_arguments, attach_outputs, check_cue_arguments
from smartball.cli.person_args import add_person_arguments
from smartball.cli.routine_args import add_routine_argument
from smartball.cli.session_run import add_events_argument, check_view_available, run_session
from smartball.errors import UsageError


def speed(text: str) -> float | None:
    """A positive factor, or ``max`` (as fast as possible)."""
    if text.lower() in ("max", "inf", "fast"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a speed; give e.g. 2 or max") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the speed must be above 0 (or 'max')")
    return None if math.isinf(value) else value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?",
                        help="a recording (from 'smartball record' or 'live --record')")
    parser.add_argument("--last", action="store_true",
                        help="replay the latest kept session instead of a FILE")
    parser.add_argument("--speed", type=speed, default=1.0, metavar="X",
                        help="play X times real time (default 1), or 'max' for as fast as "
                             "possible")
    parser.add_argument("--no-plot", action="store_true", help="no window: run in the terminal")
    add_events_argument(parser)
    add_routine_argument(parser)
    parser.add_argument("--snapshot", metavar="PNG", help="save a picture of the view at the end")
    add_calibration_argument(parser)
    add_person_arguments(parser)
    add_cue_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.cli.context_args import context_of_file, overrides
    from smartball.transport import open_transport

    if args.last == (args.file is not None):
        raise UsageError("give either a recording FILE or --last (the latest kept session)")
    given = overrides(args)  # a wrong --routine or --calibration is told before anything else
    if args.last:
        from smartball.history.latest import latest_recording

        row_id, recording = latest_recording()
        args.file = str(recording)
        print(f"smartball replay: session {row_id}, {recording}", file=sys.stderr)
    if args.snapshot and args.no_plot:
        raise UsageError("--snapshot saves the view, which --no-plot turns off; drop one")
    check_cue_arguments(args)
    compact = args.view == "compact"
    if compact:
        from smartball.view.compact import check_can_show_compact

        check_can_show_compact()
    elif not args.no_plot:
        check_view_available()
    gauge = (args.no_plot and sys.stdout.isatty() and args.events != "-"
             and args.cue_log != "-")
    transport = open_transport("replay", args.file, speed=args.speed)  # tells a missing file
    try:
        chosen = context_of_file(args, args.file, "replay", given)
    except BaseException:
        transport.close()
        raise
    return run_session(
        transport,
        context=chosen.context,
        command="replay",
        events=args.events,
        plot=not args.no_plot,
        snapshot=args.snapshot,
        title=f"SmartBall - replay of {Path(args.file).name}",
        calibration_name=chosen.calibration_name,
        zones_name=chosen.zones_name,
        compact=compact,
        outputs=lambda stack, session: attach_outputs(
            args, stack, session, fast=args.speed is None, gauge=gauge),
    )
