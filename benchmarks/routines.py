"""Routines and strokes against the simulated performers' truth, from recordings.

For each routine, a faithful and a careless performer (several seeds; odd seeds on a smaller,
smooth ball) are written as
recordings (what ``smartball simulate`` writes) and scored by ``smartball analyze FILE
--routine NAME --json`` as a whole process; the truth comes from the simulated foot and ball
(:mod:`smartball.sim.routine_truth`), never from the processing. Prints:

- per-step in-target fraction against truth (target: within 0.02);
- routine adherence of the faithful performer (target >= 0.9) and the careless one's
  wrong steps (target <= 0.3);
- strokes counted (within 5 %), stroke length median error (<= 10 %), direction (>= 95 %);
- stroke latency: device time from a stroke's true reversal to the sample at which it is
  reported, with the recording fed in live-sized chunks (20 ms) (target <= 0.3 s);
- live CPU with a routine and strokes (``smartball live --sim ... --routine ... --no-plot``,
  start-up included; target <= 8 % of a core), and the session loop alone with and without
  the routine.

    PYTHONPATH=src python benchmarks/routines.py [--seeds 2] [--routines quick,inflamed]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SRC = str(Path(__file__).resolve().parents[1] / "src")


def smartball(*args: str, home: str) -> str:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "SMARTBALL_HOME": home}
    done = subprocess.run([sys.executable, "-m", "smartball", *args], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout


def match_strokes(truth: list[dict[str, Any]], measured: list[Any],
                  within_s: float = 0.6) -> list[tuple[dict[str, Any], Any]]:
    """Each true stroke with the measured one whose end is nearest (and close enough)."""
    ends = np.array([m.end_s for m in measured]) if measured else np.empty(0)
    pairs = []
    for t in truth:
        if not len(ends):
            break
        k = int(np.argmin(np.abs(ends - t["end_s"])))
        if abs(ends[k] - t["end_s"]) <= within_s:
            pairs.append((t, measured[k]))
    return pairs


def live_chunked_strokes(path: Path, routine: Any) -> list[Any]:
    """The recording through the routine processing in 2-sample chunks (20 ms, as live)."""
    from smartball.io.load import load_session
    from smartball.routines.processing import RoutineProcessor

    block, info = load_session(path)
    proc = RoutineProcessor(routine, ball_diameter_mm=info.ball_diameter_mm or 80.0,
                            sample_rate_hz=info.sample_rate_hz)
    for a in range(0, len(block), 2):
        proc.process(block[a:a + 2])
    assert proc.strokes is not None
    return proc.strokes.strokes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--routines", default="plantar-fasciitis,inflamed,bedtime,after-run,"
                    "sore-spots,quick,desk")
    ap.add_argument("--cpu-seconds", type=float, default=30.0)
    ap.add_argument("--cpu-only", action="store_true", help="only the CPU figures")
    args = ap.parse_args()
    if args.cpu_only:
        sys.path.insert(0, SRC)
        steady_cpu(args.cpu_seconds)
        return
    sys.path.insert(0, SRC)
    from smartball.routines.model import load_routine
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.capture import write_session
    from smartball.sim.performers import performer_scenario, wrong_steps
    from smartball.sim.routine_truth import routine_truth

    tmp = Path(tempfile.mkdtemp(prefix="sb-routines-"))
    home = str(tmp / "home")
    step_err: list[float] = []
    faithful: list[float] = []
    careless_wrong: list[float] = []
    count_err: list[float] = []
    length_err: list[float] = []
    dir_ok = dir_n = 0
    latency: list[float] = []
    for name in args.routines.split(","):
        routine = load_routine(name)
        for seed in range(args.seeds):
            for style in ("faithful", "careless"):
                # Odd seeds: another ball (smaller, smooth) than the reference one.
                other = {"diameter_mm": 65.0, "spike_pitch_mm": None} if seed % 2 else None
                ball = SimulatedBall(performer_scenario(routine, style, seed, ball=other),
                                     seed=seed)
                rec = tmp / f"{name}-{style}-{seed}.sbrec"
                write_session(rec, ball)
                truth = routine_truth(ball, routine)
                got = json.loads(smartball("analyze", str(rec), "--routine", name, "--json",
                                           home=home))["routine"]
                worst = 0.0
                for j, (s, t) in enumerate(zip(got["steps"], truth["steps"], strict=True)):
                    if routine.steps[j].scored:
                        e = abs(s["in_target_fraction"] - t["in_target_fraction"])
                        step_err.append(e)
                        worst = max(worst, e)
                    if j in wrong_steps(routine, style):
                        careless_wrong.append(s["adherence"])
                if style == "faithful":
                    faithful.append(got["adherence"])
                measured = live_chunked_strokes(rec, routine)
                true = truth["strokes"]
                count_err.append(abs(len(measured) - len(true)) / max(1, len(true)))
                pairs = match_strokes(true, measured)
                for t, m in pairs:
                    length_err.append(abs(m.length_cm - t["length_cm"]) / t["length_cm"])
                    if m.direction is not None:
                        dir_n += 1
                        dir_ok += m.direction == t["direction"]
                    latency.append(m.known_s - t["end_s"])
                print(f"{name:18} {style:8} seed {seed}: adherence {got['adherence']:.3f}, "
                      f"worst step in-target error {worst:.3f}, strokes {len(measured)} / "
                      f"{len(true)} true, matched {len(pairs)}", flush=True)

    e = np.array(step_err)
    print()
    print(f"per-step in-target fraction vs truth: median error {np.median(e):.4f}, max "
          f"{e.max():.4f}; within 0.02: {100 * (e <= 0.02).mean():.1f} % of "
          f"{len(e)} steps (target: all within 0.02)")
    print(f"routine adherence, faithful: min {min(faithful):.3f}, median "
          f"{np.median(faithful):.3f} (target >= 0.9)")
    print(f"careless performer's wrong steps: adherence max {max(careless_wrong):.3f}, median "
          f"{np.median(careless_wrong):.3f} over {len(careless_wrong)} steps (target <= 0.3)")
    print(f"strokes counted: error median {100 * np.median(count_err):.1f} %, max "
          f"{100 * max(count_err):.1f} % per session (target within 5 %)")
    print(f"stroke length: median error {100 * np.median(length_err):.1f} %, 95th percentile "
          f"{100 * np.percentile(length_err, 95):.1f} % over {len(length_err)} strokes "
          "(target median <= 10 %)")
    print(f"direction along/across right: {100 * dir_ok / max(1, dir_n):.1f} % of {dir_n} "
          "strokes (target >= 95 %)")
    lat = np.array(latency)
    print(f"stroke latency after its reversal: median {np.median(lat):.3f} s, 95th percentile "
          f"{np.percentile(lat, 95):.3f} s, max {lat.max():.3f} s (target <= 0.3 s)")

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    smartball("live", "--sim", "quick-faithful", "--routine", "quick", "--no-plot",
              "--seconds", str(args.cpu_seconds), "--events", os.devnull, home=home)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"live CPU, smartball live --sim quick-faithful --routine quick --no-plot --seconds "
          f"{args.cpu_seconds:g}: {used:.2f} s CPU in {wall:.1f} s = "
          f"{100 * used / wall:.1f} % of one core, start-up included (target <= 8 %)")
    steady_cpu(args.cpu_seconds)


def steady_cpu(seconds: float) -> None:
    """The session loop alone (imports and start-up excluded), with and without a routine."""
    from smartball.routines.model import load_routine
    from smartball.session import Session
    from smartball.transport import open_transport

    routine = load_routine("quick")
    Session(open_transport("sim", "quick-faithful", seconds=5, speed=None),
            routine=routine).run()  # warm up: imports, first calls
    for label, r in (("with the routine and strokes", routine), ("without a routine", None)):
        session = Session(open_transport("sim", "quick-faithful", seconds=seconds + 5),
                          routine=r)
        before = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.monotonic()
        session.run(seconds)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_SELF)
        used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print(f"session loop alone {label}, {session.counters.samples} samples: {used:.2f} s "
              f"CPU in {wall:.1f} s = {100 * used / wall:.1f} % of one core")


if __name__ == "__main__":
    main()
