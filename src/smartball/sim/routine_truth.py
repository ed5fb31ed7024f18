"""The truth of a performed routine: per step, time in target, holds and strokes, from the
simulated signals (the body's force and the ball's true motion), never from the processing.

The force is zoned by the zones the performer means: the routine's part's defaults (a back's,
a neck's), or a person's own (:func:`smartball.sim.people_truth.person_truth`, which also
takes holds from their moderate). Steps run by time from the truth's first load (the force
reaching the light zone, 10 N on most parts, 5 N on the neck), as the routine tracker's do
from its own. A step's in-target fraction is the share of its loaded samples whose zone is
one of its targets (DESIGN.md, "Routines").

A sample the sensor could not measure (the simulated pressure at the end of its range:
beyond what this ball can measure) is loaded and not in target: a session's zones must end
below the ball's top (DESIGN.md, "People, body parts, balls"), so beyond the top is past too
hard, and too hard is never a target. The processing cannot give it a zone from a force
either; it says too hard there (the warning), which is what the contract asks.

A stroke is a pass between two reversals of the true motion at least 2 cm long; its direction
is that of the phase it was rolled in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from smartball.events import ZONES
from smartball.people.parts import Thresholds, default_thresholds
from smartball.routines.model import Routine
from smartball.sim.ball import SimulatedBall
from smartball.sim.people_truth import person_truth
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


def routine_truth(ball: SimulatedBall, routine: Routine,
                  zones_n: Thresholds | None = None) -> dict[str, Any]:
    """Per step: start_s, end_s, in_target_fraction, holds, strokes (as :func:`true_strokes`),
    the force zoned by ``zones_n`` (default: the routine's part's defaults); ``beyond``: the
    samples the sensor could not measure, per step and in all."""
    edges = zones_n or default_thresholds(routine.part)
    truth = person_truth(ball.truth, edges)
    t = truth.t_s
    beyond = np.asarray(ball.signals.saturated, np.bool_)
    zone = np.where(beyond, ZONES.index("too_hard"), truth.zone).astype(np.int8)
    loaded = np.flatnonzero(zone >= ZONES.index("light"))
    t0 = float(t[loaded[0]]) if loaded.size else 0.0
    offsets = routine.step_starts_s()
    strokes = true_strokes(ball)
    steps: list[dict[str, Any]] = []
    for j, step in enumerate(routine.steps):
        a, b = t0 + offsets[j], t0 + offsets[j + 1]
        sel = (t >= a) & (t < b)
        z = zone[sel]
        n_loaded = int((z >= ZONES.index("light")).sum())
        codes = [ZONES.index(x) for x in step.targets]
        in_target = int(np.isin(z, codes).sum())
        steps.append({
            "name": step.name, "motion": step.motion, "start_s": a, "end_s": b,
            "in_target_fraction": in_target / n_loaded if n_loaded else 0.0,
            "holds": sum(a <= h0 < b for h0, _h1 in truth.holds),
            "strokes": [s for s in strokes if a <= s["start_s"] < b],
            "beyond_samples": int(beyond[sel].sum()),
        })
    return {"t0_s": t0, "part": routine.part, "zones_n": list(edges), "steps": steps,
            "strokes": strokes, "beyond_samples": int(beyond.sum())}


def write_routine_truth(path: Path, ball: SimulatedBall) -> Path | None:
    """For a performer's session, its routine truth beside the recording
    (``FILE.routine-truth.json``), zoned by the routine's part; None for any other scenario."""
    from smartball.sim.performers import performer_of, wrong_steps

    found = performer_of(ball.scenario)
    if found is None:
        return None
    routine, style = found
    truth = routine_truth(ball, routine)
    truth.update(routine=routine.name, style=style, seed=ball.seed,
                 wrong_steps=wrong_steps(routine, style))
    out = path.with_name(path.name + ".routine-truth.json")
    out.write_text(json.dumps(truth) + "\n", encoding="utf-8")
    return out
