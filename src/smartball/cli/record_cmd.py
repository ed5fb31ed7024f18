"""``smartball record DEVICE --out FILE [--seconds S]``: record a session without a view.

Every byte the ball sends is kept with its receive time; Ctrl-C (or SIGTERM) ends the
recording cleanly, and even a killed recorder leaves a file readable up to its last second.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from smartball.cli.calibration_arg import add_calibration_argument
from smartball.cli.device_args import add_device_arguments, chosen, open_device
from smartball.cli.session_run import (
    add_events_argument,
    add_history_argument,
    keeps_history,
    positive_seconds,
    run_session,
)
from smartball.out_file import RECORDING, check_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_device_arguments(parser, replay=False)
    parser.add_argument("--out", metavar="FILE", type=Path, required=True,
                        help="the recording to write (.sbrec)")
    parser.add_argument("--seconds", type=positive_seconds, metavar="S",
                        help="stop after S seconds (default: until Ctrl-C)")
    add_events_argument(parser)
    add_history_argument(parser)
    add_calibration_argument(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.cli.context_args import context_of_file

    chosen(args)
    check_args(args, out=RECORDING)
    history = keeps_history(args)
    # The recording keeps what the session is processed with (the user's ball...), and the
    # history sums the session up with it, as analyze of the recording will.
    context = context_of_file(args, None, "record")
    transport = open_device(args)
    return run_session(
        transport,
        command="record",
        record=args.out,
        events=args.events,
        seconds=args.seconds,
        process=args.events is not None,
        history=history,
        context=context.context,
        calibration_name=context.calibration_name if history else None,
        pick_ball=args.calibration is None and args.ball is None,
        progress=True,
    )
