"""``smartball live DEVICE [--record FILE] [--no-plot] [--events FILE|-] [--seconds S]
[--snapshot PNG]``: a live session with the coaching view (or without it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartball.cli.calibration_arg import add_calibration_argument
from smartball.cli.cue_args import add_cue_arguments, attach_outputs, check_cue_arguments
from smartball.cli.device_args import add_device_arguments, chosen, describe, open_device
from smartball.cli.first_days_args import add_full_argument, apply_first_days
from smartball.cli.routine_args import add_routine_argument
from smartball.cli.session_run import (
    add_events_argument,
    add_history_argument,
    check_view_available,
    keeps_history,
    positive_seconds,
    run_session,
)
from smartball.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_device_arguments(parser)
    parser.add_argument("--record", metavar="FILE", type=Path,
                        help="record the session (every byte, with times) to FILE")
    parser.add_argument("--no-plot", action="store_true", help="no window: run in the terminal")
    add_events_argument(parser)
    parser.add_argument("--seconds", type=positive_seconds, metavar="S",
                        help="stop after S seconds (default: until Ctrl-C or the ball's end)")
    add_routine_argument(parser)
    parser.add_argument("--snapshot", metavar="PNG",
                        help="save a picture of the view at the end")
    add_calibration_argument(parser)
    add_history_argument(parser)
    add_full_argument(parser)
    add_cue_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.cli.context_args import context_of_file

    context = apply_first_days(args, context_of_file(args, None, "live"), "live")
    chosen(args)
    if args.snapshot and args.no_plot:
        raise UsageError("--snapshot saves the view, which --no-plot turns off; drop one")
    check_cue_arguments(args)
    compact = args.view == "compact"
    if compact:
        from smartball.view.compact import check_can_show_compact

        check_can_show_compact()
    elif not args.no_plot:
        check_view_available()
    # On a terminal, --no-plot shows a one-line gauge, unless stdout carries JSON lines.
    gauge = (args.no_plot and sys.stdout.isatty() and args.events != "-"
             and args.cue_log != "-")
    transport = open_device(args)
    return run_session(
        transport,
        context=context.context,
        command="live",
        record=args.record,
        events=args.events,
        seconds=args.seconds,
        plot=not args.no_plot,
        snapshot=args.snapshot,
        title=f"SmartBall - {describe(args)}",
        calibration_name=context.calibration_name,
        history=keeps_history(args),
        compact=compact,
        outputs=lambda stack, session: attach_outputs(args, stack, session, gauge=gauge),
        pick_ball=args.calibration is None and args.ball is None,
    )
