"""Stroke direction (along / across) over sessions that change direction step by step.

Each session (:mod:`smartball.sim.directions`): heel to toe, across the arch, across the ball
of the foot, heel to toe again, 40-60 s each, on one of several balls (size, spikes,
response), with the simulated IMU's offsets (up to +-3 deg/s per axis, drifting with
temperature and in a random walk; some balls start cold), floor vibration and a foot's
tremor. The session is written as a recording (what ``smartball simulate`` writes), read
back through the decoder and fed to the routine processing in 1 s chunks (the strokes do not
depend on the chunking: ``tests/strokes``; ``--chunk 2`` feeds 20 ms chunks, as live). Every
true stroke (from the simulated motion, :func:`smartball.sim.routine_truth.true_strokes`) is
matched with the measured stroke that ends nearest it; a stroke is right when its direction
is the true one. Prints each session's share of strokes right and the worst (target: >= 98 %
on every session).

    PYTHONPATH=src python benchmarks/stroke_directions.py [--sessions 20] [--first-seed 0]
        [--chunk 100]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

SRC = str(Path(__file__).resolve().parents[1] / "src")

BALLS: tuple[dict[str, Any], ...] = (
    {"variant": "reference"},
    {"variant": "soft", "diameter_mm": 65.0, "spike_pitch_mm": None},
    {"variant": "firm", "diameter_mm": 90.0},
    {"variant": "stiffening", "diameter_mm": 75.0, "spike_pitch_mm": None},
    {"variant": "creep", "diameter_mm": 100.0, "spike_pitch_mm": 10.0},
)
"""The balls the sessions cycle through."""


def session_strokes(path: Path, routine: Any, chunk: int) -> list[Any]:
    """The recording through the decoder and the routine processing in ``chunk``-sample
    chunks."""
    from smartball.io.load import load_session
    from smartball.routines.processing import RoutineProcessor

    block, info = load_session(path)
    proc = RoutineProcessor(routine, ball_diameter_mm=info.ball_diameter_mm or 80.0,
                            sample_rate_hz=info.sample_rate_hz)
    for a in range(0, len(block), chunk):
        proc.process(block[a:a + chunk])
    proc.end(float(block.t_s[-1]))
    assert proc.strokes is not None
    return proc.strokes.strokes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--chunk", type=int, default=100, help="samples per processing chunk")
    args = ap.parse_args()
    sys.path.insert(0, SRC)
    tmp = Path(tempfile.mkdtemp(prefix="sb-directions-"))
    os.environ["SMARTBALL_HOME"] = str(tmp / "home")
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.capture import write_session
    from smartball.sim.directions import direction_routine, direction_scenario
    from smartball.sim.routine_truth import true_strokes

    shares: list[float] = []
    unmatched = 0
    for seed in range(args.first_seed, args.first_seed + args.sessions):
        spec = BALLS[seed % len(BALLS)]
        ball = SimulatedBall(direction_scenario(seed, ball=spec), seed=seed)
        rec = tmp / f"directions-{seed}.sbrec"
        write_session(rec, ball)
        measured = session_strokes(rec, direction_routine(seed), args.chunk)
        truth = true_strokes(ball)
        ends = np.array([m.end_s for m in measured])
        right = 0
        for t in truth:
            k = int(np.argmin(np.abs(ends - t["end_s"]))) if len(ends) else -1
            if k < 0 or abs(ends[k] - t["end_s"]) > 0.6:
                unmatched += 1  # a stroke not found counts as wrong
                continue
            right += measured[k].direction == t["direction"]
        share = right / max(1, len(truth))
        shares.append(share)
        offset = ball.signals.gyro_offset_dps
        assert offset is not None
        drift = np.abs(offset - offset[0]).max()
        print(f"session {seed:2d} ({spec['variant']:10} {spec.get('diameter_mm', 80.0):3.0f} mm, "
              f"{ball.duration_s:3.0f} s, offset {np.abs(offset[0]).max():.2f} deg/s, drifting "
              f"{drift:.2f}): {right} of {len(truth)} strokes right = {100 * share:.1f} %",
              flush=True)
    worst = int(np.argmin(shares))
    print()
    print(f"direction right per session: median {100 * np.median(shares):.1f} %, worst "
          f"{100 * shares[worst]:.1f} % (session {args.first_seed + worst}); sessions under "
          f"98 %: {sum(s < 0.98 for s in shares)} of {len(shares)}; true strokes not found: "
          f"{unmatched} (target: >= 98 % on every session)")


if __name__ == "__main__":
    main()
