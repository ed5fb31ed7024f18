"""Routines for each body part against the simulated performers' truth, from recordings.

For each part's routine (``back-floor``, ``back-wall``, ``shoulder-wall``, ``neck-light``,
``hip-sciatica``) and ``plantar-fasciitis`` as the foot's reference, a faithful and a careless
performer (``--seeds`` seeds; odd seeds on a smaller, smooth ball) are written as recordings
the way ``smartball simulate`` writes them (raw serial frames, the routine, its part and the
part's zones in the header) and scored by ``smartball analyze FILE --json`` as a whole process,
with neither ``--routine`` nor ``--part``: what the recording carries decides. The truth comes
from the simulated body and ball, zoned by the part's zones
(:mod:`smartball.sim.routine_truth`), never from the processing. For seed 0 the same file is
also analysed with ``--routine NAME --part PART`` given: the routine's result must be the same.

Printed per routine and in all:

- per-step in-target fraction against truth (target: every step within 0.02);
- routine adherence of the faithful performer (target >= 0.9) and of the careless one's wrong
  steps (target <= 0.3);
- samples beyond what the ball can measure (the truth's: the simulated sensor at its end), and
  the seconds ``analyze`` says were beyond.

    PYTHONPATH=src:. python benchmarks/part_routines.py [--seeds 3] [--routines neck-light]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.routines import smartball

ROUTINES = ("back-floor", "back-wall", "shoulder-wall", "neck-light", "hip-sciatica",
            "plantar-fasciitis")
STEP_TARGET = 0.02
FAITHFUL_TARGET = 0.9
CARELESS_TARGET = 0.3


def run_one(name: str, style: str, seed: int, tmp: Path, home: str) -> dict[str, Any]:
    """One performer's recording, its truth and what ``analyze`` makes of it."""
    from smartball.routines.model import load_routine
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.capture import write_session
    from smartball.sim.performers import performer_scenario, wrong_steps
    from smartball.sim.routine_truth import routine_truth

    routine = load_routine(name)
    # Odd seeds: another ball (smaller, smooth) than the reference one.
    other = {"diameter_mm": 65.0, "spike_pitch_mm": None} if seed % 2 else None
    ball = SimulatedBall(performer_scenario(routine, style, seed, ball=other), seed=seed)
    rec = tmp / f"{name}-{style}-{seed}.sbrec"
    write_session(rec, ball)
    truth = routine_truth(ball, routine)
    summary = json.loads(smartball("analyze", str(rec), "--json", home=home))
    got = summary.get("routine")
    if got is None or got["name"] != name or got["part"] != routine.part:
        raise SystemExit(f"analyze {rec} did not score the routine {name} for the "
                         f"{routine.part} from the recording's header: {got and got['name']}")
    errors = [abs(s["in_target_fraction"] - t["in_target_fraction"])
              for j, (s, t) in enumerate(zip(got["steps"], truth["steps"], strict=True))
              if routine.steps[j].scored]
    wrong = [got["steps"][j]["adherence"] for j in wrong_steps(routine, style)]
    same = None
    if seed == 0:
        given = json.loads(smartball("analyze", str(rec), "--json", "--routine", name,
                                     "--part", routine.part, home=home))["routine"]
        same = given == got
    return {"errors": errors, "adherence": got["adherence"], "wrong": wrong,
            "beyond_true": truth["beyond_samples"],
            "beyond_said_s": float(summary.get("beyond_s") or 0.0),
            "rate_hz": summary["sample_rate_hz"], "same_with_options": same,
            "worst_step": (max(range(len(errors)), key=errors.__getitem__) if errors else -1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--routines", default=",".join(ROUTINES))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sb-part-routines-"))
    home = str(tmp / "home")
    all_err: list[float] = []
    all_faithful: list[float] = []
    all_wrong: list[float] = []
    checks: list[bool] = []
    table = []
    for name in args.routines.split(","):
        err: list[float] = []
        faithful: list[float] = []
        wrong: list[float] = []
        beyond_true = 0
        beyond_said = 0.0
        for seed in range(args.seeds):
            for style in ("faithful", "careless"):
                r = run_one(name, style, seed, tmp, home)
                err += r["errors"]
                wrong += r["wrong"]
                if style == "faithful":
                    faithful.append(r["adherence"])
                beyond_true += r["beyond_true"]
                beyond_said += r["beyond_said_s"]
                if r["same_with_options"] is not None:
                    checks.append(r["same_with_options"])
                print(f"{name:18} {style:8} seed {seed}: adherence {r['adherence']:.3f}, worst "
                      f"step error {max(r['errors']):.4f} (step {r['worst_step'] + 1} of the "
                      f"scored), beyond {r['beyond_true']} samples true, "
                      f"{r['beyond_said_s']:.2f} s said"
                      + ("" if r["same_with_options"] is None else
                         f", same with --routine/--part: {r['same_with_options']}"),
                      flush=True)
        table.append((name, max(err), float(np.median(err)), min(faithful),
                      max(wrong) if wrong else float("nan"), len(wrong), beyond_true,
                      beyond_said))
        all_err += err
        all_faithful += faithful
        all_wrong += wrong

    print()
    print(f"{'routine':18} {'worst step err':>14} {'median':>7} {'faithful min':>12} "
          f"{'careless wrong max':>18} {'(steps)':>7} {'beyond true':>11} {'said s':>7}")
    for name, worst, med, fmin, wmax, nw, bt, bs in table:
        print(f"{name:18} {worst:14.4f} {med:7.4f} {fmin:12.3f} {wmax:18.3f} {nw:7d} "
              f"{bt:11d} {bs:7.2f}")
    e = np.array(all_err)
    print()
    print(f"per-step in-target fraction vs truth: max error {e.max():.4f}, median "
          f"{np.median(e):.4f}; within {STEP_TARGET}: {100 * (e <= STEP_TARGET).mean():.1f} % "
          f"of {len(e)} steps (target: all)")
    print(f"faithful adherence: min {min(all_faithful):.3f} (target >= {FAITHFUL_TARGET})")
    print(f"careless wrong steps: adherence max {max(all_wrong):.3f} over {len(all_wrong)} "
          f"steps (target <= {CARELESS_TARGET})")
    print(f"analyze without --routine/--part scores as with them given: {sum(checks)} of "
          f"{len(checks)} recordings")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
