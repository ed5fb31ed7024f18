"""Processing accuracy and latency against the simulated ball's truth.

For every scenario, several seeds, with the board's gyro and without one (pressure only):
- zone accuracy, judged away from boundaries (true force more than 12 % from a threshold and
  more than 0.6 s from a true zone change);
- flicker: reported zone changes over true zone changes;
- hold F1: a reported hold matches a true one when start and end are each within 1 s;
- too-hard presses found, and false alarms (a warning with no true press within 0.5 s);
- latency (median, samples at the stream's rate and ms): from the first sample at or above
  200 N to the too-hard event, and from a true zone change to the reported one.

Run: PYTHONPATH=src:. python benchmarks/accuracy.py [--seeds 3] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict

import numpy as np

from benchmarks.simrun import Run, run_sim

THRESHOLDS_N = (10.0, 50.0, 100.0, 200.0)
MARGIN = 0.12
CHANGE_GUARD_S = 0.6
MATCH_S = 1.0


def _truth_t(run: Run) -> np.ndarray:
    return run.truth.t_s  # type: ignore[attr-defined, no-any-return]


def zone_scores(run: Run) -> tuple[int, int, int, int]:
    """(judged samples, correct, reported changes, true changes)."""
    ok = run.row >= 0
    row = run.row[ok]
    tf = run.truth.force_n  # type: ignore[attr-defined]
    tz = run.truth.zone  # type: ignore[attr-defined]
    tt = _truth_t(run)
    f = tf[row]
    near = np.zeros(row.size, np.bool_)
    for thr in THRESHOLDS_N:
        near |= np.abs(f - thr) <= MARGIN * thr
    change_t = tt[1:][np.diff(tz) != 0]
    t = tt[row]
    if change_t.size:
        pos = np.searchsorted(change_t, t)
        d_next = np.abs(change_t[np.minimum(pos, change_t.size - 1)] - t)
        d_prev = np.abs(t - change_t[np.maximum(pos - 1, 0)])
        near |= np.minimum(d_next, d_prev) <= CHANGE_GUARD_S
    judged = ~near
    correct = int(np.sum(run.result.zone[ok][judged] == tz[row][judged]))
    reported = sum(1 for e in run.events if e.type == "zone")
    return int(judged.sum()), correct, reported, int(change_t.size)


def _to_truth_time(run: Run, t_s: float) -> float:
    k = min(int(np.searchsorted(run.t_s, t_s)), run.t_s.size - 1)
    r = run.row[k]
    return float(_truth_t(run)[r]) if r >= 0 else float("nan")


def hold_scores(run: Run) -> tuple[int, int, int]:
    """(matched, reported, true)."""
    reported = []
    for e in run.events:
        if e.type == "hold_end":
            start = e.t_s - float(e.fields["duration_s"])
            reported.append((_to_truth_time(run, start), _to_truth_time(run, e.t_s)))
    true = list(run.truth.holds)  # type: ignore[attr-defined]
    used = [False] * len(true)
    matched = 0
    for a, b in reported:
        for i, (ta, tb) in enumerate(true):
            if not used[i] and abs(a - ta) <= MATCH_S and abs(b - tb) <= MATCH_S:
                used[i] = True
                matched += 1
                break
    return matched, len(reported), len(true)


def too_hard_scores(run: Run) -> tuple[int, int, int, list[int]]:
    """(true presses found, true presses, false alarms, latencies in samples)."""
    true = list(run.truth.too_hard)  # type: ignore[attr-defined]
    warn = [(e, k) for e, k in zip(run.events, run.sample_of_event, strict=True)
            if e.type == "too_hard"]
    warn_t = [_to_truth_time(run, e.t_s) for e, _k in warn]
    found = 0
    latencies: list[int] = []
    tt = _truth_t(run)
    for a, b in true:
        hits = [i for i, t in enumerate(warn_t) if a - 0.5 <= t <= b + 0.5]
        if hits:
            found += 1
            # First decoded sample at or after the true crossing.
            first_row = int(np.searchsorted(tt, a - 1e-9))
            k0 = np.flatnonzero(run.row >= first_row)
            if k0.size:
                latencies.append(warn[hits[0]][1] - int(k0[0]))
    false = sum(1 for t in warn_t if not any(a - 0.5 <= t <= b + 0.5 for a, b in true))
    return found, len(true), false, latencies


def zone_latencies(run: Run) -> list[float]:
    """Seconds from each true zone change to the first matching reported change after it
    (within 1 s), skipping true changes that are undone within 1 s."""
    tz = run.truth.zone  # type: ignore[attr-defined]
    tt = _truth_t(run)
    idx = np.flatnonzero(np.diff(tz) != 0) + 1
    rep = [(_to_truth_time(run, e.t_s), e.fields["zone"]) for e in run.events
           if e.type == "zone"]
    from smartball.events import ZONES

    out = []
    for j, i in enumerate(idx):
        if j + 1 < idx.size and tt[idx[j + 1]] - tt[i] < 1.0:
            continue
        z = ZONES[tz[i]]
        cands = [t - tt[i] for t, rz in rep if rz == z and 0 <= t - tt[i] <= 1.0]
        if cands:
            out.append(min(cands))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--scenario", action="append")
    args = ap.parse_args()
    from smartball.sim.scenario import list_scenarios

    names = args.scenario or list(list_scenarios())
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
    th_lat: list[int] = []
    zone_lat: list[float] = []
    rate = 100.0
    print(f"{'scenario':<18}{'ch':<9}{'seed':>4}{'zone acc':>10}{'flicker':>9}"
          f"{'holds m/r/t':>13}{'too hard f/t':>13}{'false':>6}")
    for name in names:
        for channels in (None, "pressure"):
            for seed in range(args.seeds):
                run = run_sim(name, seed, channels)
                rate = float(run.truth.rate_hz)  # type: ignore[attr-defined]
                j, c, rep, true = zone_scores(run)
                hm, hr, ht = hold_scores(run)
                tf, tt, fa, lat = too_hard_scores(run)
                th_lat += lat
                zone_lat += zone_latencies(run)
                for key in (f"{run.channels}", f"{name}/{run.channels}"):
                    acc = totals[key]
                    for i, v in enumerate((j, c, rep, true, hm, hr, ht, tf, tt)):
                        acc[i] += v
                    totals[f"false/{key}"][0] += fa
                print(f"{name:<18}{run.channels:<9}{seed:>4}{c / max(j, 1):>10.4f}"
                      f"{rep / max(true, 1):>9.2f}{f'{hm}/{hr}/{ht}':>13}{f'{tf}/{tt}':>13}"
                      f"{fa:>6}", flush=True)
    print()
    print("totals")
    for key in ("all", "pressure", *[f"{n}/{c}" for n in names for c in ("all", "pressure")]):
        j, c, rep, true, hm, hr, ht, tf, tt = totals[key]
        prec = hm / hr if hr else 1.0
        rec = hm / ht if ht else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        fa = totals[f"false/{key}"][0]
        print(f"  {key:<28} zone acc {c / max(j, 1):.4f}  flicker {rep / max(true, 1):.2f}  "
              f"hold F1 {f1:.3f} ({hm}/{hr} reported, {ht} true)  too hard {tf}/{tt} found, "
              f"{fa} false")
    ms = 1000.0 / rate
    if th_lat:
        med = float(np.median(th_lat))
        print(f"too-hard latency: median {med:.1f} samples = {med * ms:.0f} ms "
              f"(max {max(th_lat)} samples, n={len(th_lat)})")
    if zone_lat:
        med = float(np.median(zone_lat))
        print(f"zone latency: median {med * 1000:.0f} ms = {med * rate:.1f} samples "
              f"(90th pct {np.percentile(zone_lat, 90) * 1000:.0f} ms, n={len(zone_lat)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
