"""``smartball simulate``: a simulated session to a file (with its truth, and for a calibration
the marks a person would note), or a simulated ball on a pseudo-terminal in real time; any
scenario on any simulated ball (``--ball``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartball.errors import InputError, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", metavar="SCENARIO",
                        help="a scenario name (see --list) or a scenario JSON file")
    parser.add_argument("--out", metavar="FILE", type=Path,
                        help="write the session as a recording to FILE, and its "
                             "ground truth to FILE.truth.json")
    parser.add_argument("--pty", action="store_true",
                        help="play the ball in real time on a new pseudo-terminal; prints "
                             "its path; stops on Ctrl-C")
    parser.add_argument("--ball", metavar="NAME",
                        help="play the scenario on this simulated ball (see --list; default: "
                             "the scenario's own, the reference ball unless it names one)")
    parser.add_argument("--seconds", type=float, metavar="S",
                        help="length of the session (default: the scenario's)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="seed: the same seed gives the same session (default 0)")
    parser.add_argument("--channels", metavar="LIST",
                        help="the board's channels, e.g. 'pressure' for a board without an "
                             "IMU (default: the scenario's; 'pressure,gyro,accel')")
    parser.add_argument("--speed", type=float, default=1.0, metavar="X",
                        help="with --pty: play X times faster than real time (default 1)")
    parser.add_argument("--list", action="store_true",
                        help="list the scenarios and the balls, and exit")


def run(args: argparse.Namespace) -> int:
    from smartball.sim.balls import BALLS as SIM_BALLS
    from smartball.sim.catalog import list_scenarios, load_scenario

    if args.list:
        print("scenarios:")
        for name in list_scenarios():
            scenario = load_scenario(name)
            print(f"  {name:22} {scenario.description}")
        from smartball.routines.model import routine_names
        from smartball.sim.performers import STYLES, performer_name

        print("people doing a routine (each --seed is another person):")
        for routine in routine_names():
            names = ", ".join(performer_name(routine, style) for style in STYLES)
            print(f"  {names}")
        from smartball.sim.people import PEOPLE, scenario_names

        print("people with their own zones (feel-NAME: measuring them, writes FILE.feel.csv; "
              "session-NAME: a massage in them; each --seed is another session):")
        print(f"  {', '.join(scenario_names())}")
        print("  thresholds (N): " + "; ".join(
            f"{p.name} {'/'.join(f'{x:.0f}' for x in p.thresholds())}" for p in PEOPLE.values()))
        print("balls (--ball):")
        for known in SIM_BALLS.values():
            print(f"  {known.name:22} {known.description}")
        return 0
    if not args.scenario:
        raise UsageError("name a scenario (smartball simulate --list shows them), "
                         "e.g. 'smartball simulate demo --out demo.sbrec'.")
    if bool(args.out) == bool(args.pty):
        raise UsageError("give exactly one of --out FILE or --pty.")
    if args.seconds is not None and not args.seconds > 0:
        raise UsageError("--seconds must be more than 0.")
    if not args.speed > 0:
        raise UsageError("--speed must be more than 0.")
    scenario = load_scenario(args.scenario)
    if args.ball is not None:
        scenario = scenario.on_ball(args.ball)

    from smartball.sim.ball import SimulatedBall, channel_mask

    channels = None
    if args.channels:
        try:
            channels = channel_mask(args.channels)
        except ValueError as exc:
            raise UsageError(f"--channels: {exc}.") from exc

    def make_ball(seed: int) -> SimulatedBall:
        return SimulatedBall(scenario, seed=seed, seconds=args.seconds, channels=channels)

    if args.pty:
        from smartball.sim.pty import serve_pty

        def ready(path: str) -> None:
            print(path, flush=True)
            print(f"simulated ball '{scenario.name}' on {path}; Ctrl-C stops it.",
                  file=sys.stderr, flush=True)

        try:
            serve_pty(make_ball, seed=args.seed, speed=args.speed, on_ready=ready)
        except KeyboardInterrupt:
            pass
        return 0

    from smartball.sim.capture import write_session

    out: Path = args.out
    if not out.parent.is_dir():
        raise InputError(f"the folder {out.parent} does not exist; create it or choose "
                         "another --out.")
    ball = make_ball(args.seed)
    try:
        files = write_session(out, ball)
        from smartball.sim.routine_truth import write_routine_truth

        routine_truth = write_routine_truth(out, ball)  # someone doing a routine
        from smartball.sim.people_truth import write_person_files

        person_files = write_person_files(out, ball)  # a person with their own zones
    except OSError as exc:
        raise InputError(f"cannot write {out} ({exc.strerror}); choose another --out.") from exc
    also = f", {files.marks}" if files.marks else ""
    also += f", {routine_truth}" if routine_truth else ""
    also += "".join(f", {p}" for p in person_files)
    print(f"wrote {out} ({out.stat().st_size} bytes, {ball.duration_s:.1f} s of "
          f"'{scenario.name}' on the {scenario.ball.name} ball, seed {args.seed}), "
          f"{files.truth}{also}", file=sys.stderr)
    return 0
