"""Readings beyond the sensor's end in simulated floor sessions: all said as beyond, none
given a force.

Lying on the floor on the ball (the back, the hip) puts more on it than the BMP390's 1250 hPa
can read on the reference ball (about 390 N settled) and far more than on a firm one. Each
session (``floor-back``, ``floor-hip`` x the reference and firm balls x seeds) is simulated,
written as a recording (what ``smartball record`` writes) and read back the whole way a user
reads it: the raw frames through the decoder and the processing (``analyze``'s pipeline,
with the ball's calibration), the events a session writes, the ``analyze --json`` summary and
the ``export --processed`` CSV. The truth is the simulator's: a sample is beyond where the
simulated sensor clipped.

Figures, per ball and scenario:
- ``truth``: received samples at the sensor's end in the simulation;
- ``said beyond``: of those, samples processing marks beyond (the target: all of them);
- ``given a force``: of those, samples anything gives a number for (the processing's
  measured force, the export's force_n, an event's force, a hold's or a too-hard stretch's
  peak, the summary's max force; the target: none);
- ``frame-mates``: samples said beyond that were measured (the flag is per frame: the other
  samples of a flagged frame), a cost, not an error;
- ``events``: too-hard, zone and hold events at or over a beyond sample, and how many of
  them carry ``"beyond": true`` instead of a force;
- the force error in the 10 s after each beyond stretch (the response's inverse took in the
  clipped reading), median and 95th percentile against the truth's force, beside the same
  figure for all other loaded samples.

Run: PYTHONPATH=src:. python benchmarks/beyond.py [--seeds 3] [--scenario NAME] [--ball NAME]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SCENARIOS = ("floor-back", "floor-hip")
BALLS = ("reference", "firm")
AFTER_S = 10.0


@dataclass
class Tally:
    sessions: int = 0
    samples: int = 0
    truth: int = 0
    said: int = 0
    given: dict[str, int] = field(default_factory=dict)
    frame_mates: int = 0
    events: int = 0
    events_beyond: int = 0
    stretches: int = 0
    stretches_beyond: int = 0
    max_true_n: float = 0.0
    max_measured_n: float = 0.0
    err_after: list[float] = field(default_factory=list)
    err_other: list[float] = field(default_factory=list)

    def give(self, where: str, n: int) -> None:
        self.given[where] = self.given.get(where, 0) + int(n)


def _calibration(ball: Any) -> Any:
    from smartball.processing import Calibration

    params = ball.parameters()
    pts = tuple((float(p["force_n"]), float(p["pressure_rise_pa"])) for p in params["points"])
    return Calibration(pts, overshoot=float(params["overshoot"]), tau_s=float(params["tau_s"]))


def run_one(scenario: str, ball: str, seed: int, folder: Path, tally: Tally) -> None:
    from smartball.cli.export_cmd import export
    from smartball.context import SessionContext
    from smartball.io.load import open_file
    from smartball.pipeline import EventSink
    from smartball.processing.summary import SummaryListener
    from smartball.sim.ball import SimulatedBall

    sim = SimulatedBall(scenario, seed=seed, ball=ball)
    path = folder / f"{scenario}-{ball}-{seed}.sbrec"
    from smartball.sim.capture import write_session

    write_session(path, sim)
    cal = _calibration(sim.scenario.ball)
    context = SessionContext(calibration=cal)

    source = open_file(str(path))
    pipeline = source.pipeline(context=context)
    listener = SummaryListener(str(path))
    events: list[Any] = []
    pairs: list[tuple[Any, Any]] = []
    pipeline.add_listener(listener)
    pipeline.add_listener(EventSink(events.append))
    pipeline.add_block_listener(lambda b, r: pairs.append((b, r)))
    source.run(pipeline)
    assert listener.summary is not None
    summary = listener.summary.as_dict()

    seg = np.concatenate([b.segment for b, _r in pairs])
    idx = np.concatenate([b.index for b, _r in pairs])
    t = np.concatenate([r.t_s for _b, r in pairs])
    said = np.concatenate([r.saturated for _b, r in pairs])
    measured = np.concatenate([r.measured_force_n for _b, r in pairs])
    raw_force = np.concatenate([r.force_n for _b, r in pairs])
    row = sim.truth.lookup(seg, idx)
    ok = row >= 0
    truth_sat = np.zeros(t.shape[0], bool)
    truth_sat[ok] = sim.signals.saturated[row[ok]]
    true_force = np.full(t.shape[0], np.nan)
    true_force[ok] = sim.signals.force_n[row[ok]]

    tally.sessions += 1
    tally.samples += int(t.shape[0])
    tally.truth += int(truth_sat.sum())
    tally.said += int((truth_sat & said).sum())
    tally.frame_mates += int((said & ~truth_sat).sum())
    tally.give("processing", int((truth_sat & np.isfinite(measured)).sum()))
    tally.max_true_n = max(tally.max_true_n, float(np.nanmax(true_force)))

    # export --processed: force_n column empty where beyond.
    out = io.StringIO()
    export(str(path), out, processed=True, context=context)
    rows = [ln for ln in out.getvalue().splitlines() if ln and not ln.startswith("#")]
    header = rows[0].split(",")
    col = header.index("force_n")
    forces = [r.split(",")[col] for r in rows[1:]]
    assert len(forces) == t.shape[0], (len(forces), t.shape[0])
    written = np.array([f != "" for f in forces])
    tally.give("export", int((truth_sat & written).sum()))

    # Events: at (too_hard, zone) or over (hold_end) a beyond sample.
    sat_t = t[truth_sat]
    for ev in events:
        f = ev.fields
        if ev.type == "too_hard":
            k = min(int(np.searchsorted(t, ev.t_s - 1e-6)), t.shape[0] - 1)
            over = bool(truth_sat[k])
        elif ev.type == "zone":
            k = min(int(np.searchsorted(t, ev.t_s - 1e-6)), t.shape[0] - 1)
            over = bool(truth_sat[max(0, k - 150):k + 1].any())
        elif ev.type == "hold_end":
            start = ev.t_s - float(f["duration_s"])
            over = bool(((sat_t >= start) & (sat_t < ev.t_s)).any())
        else:
            continue
        if not over:
            continue
        tally.events += 1
        numbers = [f.get(k) for k in ("force_n", "mean_force_n", "peak_force_n") if k in f]
        if f.get("beyond") is True and all(x is None for x in numbers):
            tally.events_beyond += 1
        else:
            tally.give(f"event {ev.type}", 1)

    # The summary: each too-hard stretch over a beyond sample says beyond, no peak.
    for x in summary["too_hard"]:
        a, b = x["start_s"] + t[0], x["end_s"] + t[0]
        if ((sat_t >= a) & (sat_t < b)).any():
            tally.stretches += 1
            if x.get("beyond") is True and x["peak_force_n"] is None:
                tally.stretches_beyond += 1
            else:
                tally.give("summary too_hard", 1)
    for h in summary["holds"]:
        a, b = h["start_s"] + t[0], h["end_s"] + t[0]
        if ((sat_t >= a) & (sat_t < b)).any() and not h.get("beyond"):
            tally.give("summary holds", 1)
    best = float(np.nanmax(np.where(truth_sat, np.nan, measured)))
    m = summary["max_force_n"]
    if m is not None and m > best + 1e-3:
        tally.give("summary max_force_n", 1)
    if m is not None:
        tally.max_measured_n = max(tally.max_measured_n, float(m))
    if summary["beyond_s"] <= 0 and truth_sat.any():
        tally.give("summary beyond_s", 1)

    # Force error after each beyond stretch (response inverse fed the clipped reading).
    rate = pipeline.sample_rate_hz
    after = np.zeros(t.shape[0], bool)
    for k in np.flatnonzero(said[:-1] & ~said[1:]):
        after[k + 1 : k + 1 + int(AFTER_S * rate)] = True
    loaded = ok & ~said & (true_force > 20)
    err = np.abs(raw_force - true_force)
    tally.err_after += err[loaded & after].tolist()
    tally.err_other += err[loaded & ~after].tolist()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--scenario", choices=SCENARIOS)
    ap.add_argument("--ball", choices=BALLS)
    args = ap.parse_args(argv)
    scenarios = [args.scenario] if args.scenario else list(SCENARIOS)
    balls = [args.ball] if args.ball else list(BALLS)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SMARTBALL_HOME"] = str(Path(tmp) / "home")
        from smartball.sensor_range import ball_top_n

        total = Tally()
        for ball in balls:
            for scenario in scenarios:
                tally = Tally()
                for seed in range(args.seeds):
                    run_one(scenario, ball, seed, Path(tmp), tally)
                from smartball.sim.balls import get_ball

                b = get_ball(ball)
                top = ball_top_n(_calibration(b), b.baseline_pa)
                _print(f"{scenario} on {ball} (top {top:.0f} N settled)", tally)
                for k, v in vars(tally).items():
                    if isinstance(v, int):
                        setattr(total, k, getattr(total, k) + v)
                    elif isinstance(v, list):
                        getattr(total, k).extend(v)
                    elif isinstance(v, dict):
                        for kk, vv in v.items():
                            total.give(kk, vv)
                    elif isinstance(v, float):
                        setattr(total, k, max(getattr(total, k), v))
        _print("all", total)
        given = sum(total.given.values())
        print(f"\ntarget: all said as beyond ({total.said}/{total.truth}: "
              f"{'met' if total.said == total.truth else 'MISSED'}); none given a force "
              f"({given}: {'met' if given == 0 else 'MISSED'})")
    return 0 if total.said == total.truth and given == 0 else 1


def _print(title: str, t: Tally) -> None:
    given = sum(t.given.values())
    where = ", ".join(f"{k} {v}" for k, v in sorted(t.given.items()) if v) or "nowhere"
    print(f"{title}: {t.sessions} sessions, {t.samples} samples")
    print(f"  beyond in truth {t.truth}, said beyond {t.said}, given a force {given} ({where});"
          f" frame-mates said beyond {t.frame_mates}")
    print(f"  events over a beyond sample {t.events}, saying beyond {t.events_beyond}; "
          f"too-hard stretches over one {t.stretches}, saying beyond {t.stretches_beyond}")
    print(f"  largest true force {t.max_true_n:.0f} N, largest measured (summary) "
          f"{t.max_measured_n:.0f} N")
    if t.err_after and t.err_other:
        print(f"  force error in the {AFTER_S:g} s after a beyond stretch: median "
              f"{np.median(t.err_after):.1f} N, p95 {np.percentile(t.err_after, 95):.1f} N "
              f"(elsewhere under load: median {np.median(t.err_other):.1f} N, p95 "
              f"{np.percentile(t.err_other, 95):.1f} N)")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
