"""Simulator throughput: how long an hour of a 100 Hz session takes to generate.

Times, each the median of several runs: the physics alone (``smartball.sim.physics``), a
``SimulatedBall`` ready to stream (physics, truth and the wire indices), every frame of the
session, the whole serial capture, and the truth as JSON. Target: the physics of an hour in
a few seconds.

    PYTHONPATH=src python benchmarks/sim_generate.py [--scenario desk] [--seconds 3600] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from smartball.sim.ball import SimulatedBall
from smartball.sim.catalog import load_scenario
from smartball.sim.physics import simulate


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="desk")
    parser.add_argument("--seconds", type=float, default=3600.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sc = load_scenario(args.scenario)
    plan = sc.plan(0, args.seconds)
    physics = median_s(lambda: simulate(plan, ball=sc.ball, environment=sc.environment,
                                        rate_hz=sc.rate_hz, seed=0), args.runs)
    ball_s = median_s(lambda: SimulatedBall(sc, seconds=args.seconds), args.runs)
    ball = SimulatedBall(sc, seconds=args.seconds)
    frames = median_s(lambda: sum(1 for _ in ball.frames()), args.runs)
    serial = median_s(ball.serial_bytes, args.runs)
    truth = median_s(ball.truth.to_json, args.runs)
    n = len(ball.signals)
    print(f"scenario {sc.name}, {args.seconds:.0f} s at {sc.rate_hz} Hz = {n:,} samples, "
          f"median of {args.runs} runs")
    print(f"  physics           {physics:7.2f} s   ({n / physics / 1e6:.2f} M samples/s)")
    print(f"  SimulatedBall()   {ball_s:7.2f} s")
    print(f"  frames()          {frames:7.2f} s   ({n / frames / 1e6:.2f} M samples/s)")
    print(f"  serial_bytes()    {serial:7.2f} s   ({len(ball.serial_bytes()) / 1e6:.1f} MB)")
    print(f"  truth.to_json()   {truth:7.2f} s")
    print(f"  real time / generation (physics + frames): {args.seconds / (ball_s + serial):.0f}x")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
