"""Step boundaries live against ``analyze`` of the live session's recording: identical?

Runs ``smartball live --sim ROUTINE-STYLE --routine ROUTINE --record FILE --events FILE
--no-plot`` (the simulated ball in real time, as a user would run it), then ``smartball
analyze FILE --routine ROUTINE --json``, and compares every step's start and end.

    PYTHONPATH=src python benchmarks/routine_boundaries.py [--routine plantar-fasciitis]
        [--style careless] [--seed 7] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--routine", default="plantar-fasciitis")
    ap.add_argument("--style", default="careless")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--seconds", type=float, help="end the live session early (mid-routine)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sb-bounds-"))
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "SMARTBALL_HOME": str(tmp / "home")}
    rec, events = tmp / "live.sbrec", tmp / "events.jsonl"
    live = [sys.executable, "-m", "smartball", "live", "--sim", f"{args.routine}-{args.style}",
            "--seed", str(args.seed), "--routine", args.routine, "--record", str(rec),
            "--events", str(events), "--no-plot"]
    if args.seconds:
        live += ["--seconds", str(args.seconds)]
    print(" ".join(live[2:]), flush=True)
    subprocess.run(live, env=env, check=True, capture_output=True)
    said = [json.loads(x) for x in events.read_text().splitlines()]
    live_steps = [(e["type"], round(e["t_s"], 3)) for e in said
                  if e["type"] in ("step_start", "step_end")]
    out = subprocess.run([sys.executable, "-m", "smartball", "analyze", str(rec), "--routine",
                          args.routine, "--json"], env=env, check=True, capture_output=True,
                         text=True).stdout
    sys.path.insert(0, SRC)
    from smartball.io.load import load_session

    t0 = float(load_session(rec)[0].t_s[0])  # analyze counts from the first sample
    analysed = []
    for s in json.loads(out)["routine"]["steps"]:
        if s["start_s"] is not None:
            analysed += [("step_start", round(t0 + s["start_s"], 3)),
                         ("step_end", round(t0 + s["end_s"], 3))]
    same = live_steps == analysed
    print(f"{len(live_steps) // 2} steps live, {len(analysed) // 2} from analyze; boundaries "
          f"{'identical' if same else 'DIFFERENT'}")
    if not same:
        for a, b in zip(live_steps, analysed, strict=False):
            print(f"  live {a}  analyze {b}")


if __name__ == "__main__":
    main()
