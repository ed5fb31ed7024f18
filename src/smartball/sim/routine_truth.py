"""The truth of a performed routine: per step, time in target, holds and strokes, from the
simulated signals (the foot's force and the ball's true motion), never from the processing.

Steps run by time from the truth's first load (the force reaching 10 N), as the routine
tracker's do from its own. A stroke is a pass between two reversals of the true motion at
least 2 cm long; its direction is that of the phase it was rolled in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from smartball.events import ZONES
from smartball.routines.model import Routine
from smartball.sim.ball import SimulatedBall
from smartball.sim.truth import runs

MIN_STROKE_CM = 2.0


def true_strokes(ball: SimulatedBall) -> list[dict[str, Any]]:
    """Every stroke of the session: start_s, end_s (the reversal), length_cm, direction."""
    sig = ball.signals
    v = sig.speed_mps
    fs = sig.rate_hz
    sign = np.sign(np.where(np.abs(v) > 1e-5, v, 0.0)).astype(np.int8)
    starts = np.array([p.start_s for p in ball.plan])
    out: list[dict[str, Any]] = []
    for s in (1, -1):
        for a, b in runs(sign == s):
            length_cm = abs(float(v[a:b].sum())) / fs * 100.0
            if length_cm < MIN_STROKE_CM:
                continue
            mid = 0.5 * (sig.t_s[a] + sig.t_s[b - 1])
            phase = ball.plan[int(np.searchsorted(starts, mid, side="right")) - 1]
            heading = phase.heading_deg if phase.heading_deg is not None else (
                0.0 if phase.stroke == "heel_toe" else 90.0)
            axis = heading % 180.0
            along = min(axis, 180.0 - axis) < 45.0
            out.append({"start_s": float(sig.t_s[a]), "end_s": float(sig.t_s[b - 1] + 1 / fs),
                        "length_cm": length_cm, "direction": "along" if along else "across",
                        "heading_deg": axis})
    out.sort(key=lambda x: x["start_s"])
    return out


def routine_truth(ball: SimulatedBall, routine: Routine) -> dict[str, Any]:
    """Per step: start_s, end_s, in_target_fraction, holds, strokes (as :func:`true_strokes`)."""
    truth = ball.truth
    t = truth.t_s
    zone = truth.zone
    loaded = np.flatnonzero(zone >= ZONES.index("light"))
    t0 = float(t[loaded[0]]) if loaded.size else 0.0
    offsets = routine.step_starts_s()
    strokes = true_strokes(ball)
    steps: list[dict[str, Any]] = []
    for j, step in enumerate(routine.steps):
        a, b = t0 + offsets[j], t0 + offsets[j + 1]
        sel = (t >= a) & (t < b)
        z = zone[sel]
        n_loaded = int((z >= 1).sum())
        codes = [ZONES.index(x) for x in step.targets]
        in_target = int(np.isin(z, codes).sum())
        steps.append({
            "name": step.name, "motion": step.motion, "start_s": a, "end_s": b,
            "in_target_fraction": in_target / n_loaded if n_loaded else 0.0,
            "holds": sum(a <= h0 < b for h0, _h1 in truth.holds),
            "strokes": [s for s in strokes if a <= s["start_s"] < b],
        })
    return {"t0_s": t0, "steps": steps, "strokes": strokes}




def write_routine_truth(path: Path, ball: SimulatedBall) -> Path | None:
    """For a performer's session, its routine truth beside the recording
    (``FILE.routine-truth.json``); None for any other scenario."""
    from smartball.routines.model import load_routine
    from smartball.sim.performers import PerformerScenario, parse_performer, wrong_steps

    scenario = ball.scenario
    if isinstance(scenario, PerformerScenario):
        name, style = scenario.routine_name, scenario.style
    else:
        found = parse_performer(scenario.name)
        if found is None:
            return None
        name, style = found
    routine = load_routine(name)
    truth = routine_truth(ball, routine)
    truth.update(routine=name, style=style, seed=ball.seed,
                 wrong_steps=wrong_steps(routine, style))
    out = path.with_name(path.name + ".routine-truth.json")
    out.write_text(json.dumps(truth) + "\n", encoding="utf-8")
    return out
