"""``smartball demo``: the live coaching window on the simulated ball, the first thing a new
user runs.

The ``demo`` scenario (rolling, two holds, one too-hard press, in about 90 s) plays in real
time, repeated, until the window is closed. Without a display it says how to proceed
instead; with a non-interactive backend (``MPLBACKEND=Agg``) and ``--seconds`` or
``--snapshot`` it runs headless and saves the view.
"""

from __future__ import annotations

import argparse

from smartball.cli.cue_args import add_cue_arguments, attach_outputs, check_cue_arguments
from smartball.cli.person_args import add_person_arguments
from smartball.cli.routine_args import add_routine_argument
from smartball.cli.session_run import positive_seconds

LOOP_S = 600.0
"""Length of the simulated session behind the window: the routine, repeated for 10 min."""

NO_DISPLAY_HINT = (
    "there is no display to show the demo on: set DISPLAY (or run under xvfb-run), "
    "run 'smartball live --sim demo --no-plot --events -' to follow it as text, or "
    "'MPLBACKEND=Agg smartball demo --seconds 30 --snapshot demo.png' for a picture"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="NAME",
                        help="the simulated session to play (default: demo, or with --routine "
                             "someone following it; 'smartball simulate --list' shows them)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="seed of the simulated session (default 0)")
    parser.add_argument("--seconds", type=positive_seconds, metavar="S",
                        help="close the window after S seconds (default: when you close it)")
    add_routine_argument(parser)
    parser.add_argument("--snapshot", metavar="PNG", help="save the view at the end")
    add_person_arguments(parser)
    add_cue_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from smartball.cli.context_args import context_of_file, overrides
    from smartball.cli.session_run import run_session
    from smartball.io.file_context import Override
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.performers import performer_scenario
    from smartball.transport.simulated import SimulatedTransport
    from smartball.view.app import check_can_show

    # The simulated ball is the reference ball, whoever's ball is calibrated here.
    chosen = context_of_file(args, None, "demo", [
        *overrides(args), Override("calibration", None, "the simulated ball",
                                   "the simulated ball (the reference ball)")])
    routine = chosen.context.routine
    check_cue_arguments(args)
    compact = args.view == "compact"
    if compact:
        from smartball.view.compact import check_can_show_compact

        check_can_show_compact(hint=NO_DISPLAY_HINT)
        window = True
    else:
        window = check_can_show(seconds=args.seconds, snapshot=args.snapshot,
                                hint=NO_DISPLAY_HINT)
    seconds = args.seconds
    # A window plays until closed (the routine repeats); headless plays one pass at most.
    sim_seconds = LOOP_S if window else None
    if seconds is not None:
        sim_seconds = seconds + 1.0 if window else min(seconds + 1.0, LOOP_S)
    scenario = args.scenario
    ball = None
    if scenario is None and routine is not None:
        # Someone following the routine, be it one of the guides' or a file of the user's own.
        if window and args.seconds is None:
            sim_seconds = routine.seconds + 30.0
        ball = SimulatedBall(performer_scenario(routine, "faithful", args.seed),
                             seed=args.seed, seconds=sim_seconds)
    transport = SimulatedTransport(scenario or "demo", seed=args.seed, seconds=sim_seconds,
                                   speed=1.0, ball=ball)
    return run_session(
        transport,
        context=chosen.context, command="demo", seconds=seconds, plot=True,
        snapshot=args.snapshot, title="SmartBall demo", quiet=True, compact=compact,
        outputs=lambda stack, session: attach_outputs(args, stack, session),
    )
