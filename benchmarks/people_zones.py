"""Personal zones: measured from feel sessions, and what they change in a person's sessions.

1. Thresholds from feel sessions: each simulated person (``smartball simulate --list``: five
   people, 0.4x to 1.3x the default zones) measures their foot zones in ``--seeds`` feel
   sessions; each session is written as a recording with its marks (``FILE.feel.csv``) and run
   through ``smartball zones --from FILE --marks FILE.feel.csv --user NAME --json`` as a whole
   process (raw stream: recorded serial bytes through the decoder). Printed: each measured
   threshold's error against the person's true one; the target is within 8 %.
2. Each person's massage sessions (``session-NAME``, ``--seeds`` seeds, with the gyro and
   pressure only), raw serial bytes in live-sized chunks through the processing, with the
   zones the person measured in part 1 (their first measurement) and, to show why it matters,
   with the default zones; both scored against the person's true zones (labels, holds from
   their moderate, too-hard presses past their edge), as ``benchmarks/accuracy.py`` scores.
   Target with their zones: zone accuracy >= 0.98, every too-hard press found, none false.
3. ``--interactive N``: ``smartball zones --sim feel-NAME --user NAME`` as a real process on a
   pseudo-terminal, for N people: the simulated person presses Enter when they feel each
   threshold (at their marks, read off the live line's time); start to saved, the saved
   zones' error as in part 1. Real time: about 95 s a person, run side by side.

Run: PYTHONPATH=src:. python benchmarks/people_zones.py [--seeds 3] [--interactive 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.accuracy import Tally
from benchmarks.simrun import run_sim
from smartball.context import SessionContext
from smartball.sim.people import PEOPLE
from smartball.sim.people_truth import person_truth

TARGET_ERR = 0.08
NAMES = ("moderate", "deep", "too hard")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SMARTBALL_HOME"] = str(home)
    env.pop("SMARTBALL_USER", None)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _smartball(*args: str, home: Path, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "smartball", *args], env=_env(home),
                          capture_output=True, text=True, check=False, **kw)


def measure_from_files(name: str, seed: int, tmp: Path, home: Path) -> list[float]:
    """One feel session of ``name`` written and measured by the ``zones --from`` process;
    the saved thresholds."""
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.capture import write_session
    from smartball.sim.people_truth import write_person_files

    rec = tmp / f"feel-{name}-{seed}.sbrec"
    ball = SimulatedBall(f"feel-{name}", seed=seed)
    write_session(rec, ball)
    write_person_files(rec, ball)
    done = _smartball("zones", "--from", str(rec), "--marks", f"{rec}.feel.csv", "--user", name,
                      "--json", home=home)
    if done.returncode != 0:
        raise SystemExit(f"zones --from failed for {name} seed {seed}: {done.stderr}")
    return [float(x) for x in json.loads(done.stdout)["thresholds_n"]]


def errors(got: list[float], true: tuple[float, ...]) -> list[float]:
    return [got[k] / true[k] - 1.0 for k in (1, 2, 3)]


def part1(seeds: int, tmp: Path, home: Path) -> dict[str, list[float]]:
    print(f"1. thresholds from feel sessions ({len(PEOPLE)} people x {seeds} seeds, "
          "'smartball zones --from FILE --marks FEEL.csv' on recordings of the raw stream)")
    print(f"   {'person':6} {'true moderate/deep/too hard N':>30}   errors per seed (moderate, "
          "deep, too hard)")
    first: dict[str, list[float]] = {}
    worst = 0.0
    every: list[float] = []
    for name, person in PEOPLE.items():
        true = person.thresholds()
        cells = []
        for seed in range(seeds):
            got = measure_from_files(name, seed, tmp, home)
            first.setdefault(name, got)
            err = errors(got, true)
            every += [abs(e) for e in err]
            worst = max(worst, *(abs(e) for e in err))
            cells.append(" ".join(f"{100 * e:+5.1f}" for e in err))
        print(f"   {name:6} {'/'.join(f'{x:.1f}' for x in true[1:]):>30}   "
              + " | ".join(cells) + " %")
    print(f"   worst {100 * worst:.1f} %, median {100 * float(np.median(every)):.1f} % "
          f"(target: each within {100 * TARGET_ERR:.0f} %): "
          f"{'met' if worst <= TARGET_ERR else 'MISSED'}")
    return first


def part2(seeds: int, measured: dict[str, list[float]]) -> None:
    print(f"2. each person's sessions (session-NAME, {seeds} seeds, gyro and pressure only, raw "
          "serial bytes in live-sized chunks), scored against their true zones")
    totals = {"their zones": Tally(), "default zones": Tally()}
    for name, person in PEOPLE.items():
        true = person.thresholds()
        own = measured[name]
        # As a session of theirs is processed: the context's zones make the configuration.
        configs = {"their zones": SessionContext(
                       user=name, zones_n=(own[0], own[1], own[2], own[3])).processing_config(),
                   "default zones": SessionContext().processing_config()}
        row = []
        for label, cfg in configs.items():
            tally = Tally()
            for seed in range(seeds):
                for channels in (None, "pressure"):
                    run = run_sim(f"session-{name}", seed, channels, config=cfg)
                    run.truth = person_truth(run.truth, true)  # type: ignore[arg-type]
                    tally.add(run, f"{name}/{label}/{seed}")
            totals[label].merge(tally)
            row.append(f"{label}: acc {tally.correct / max(tally.judged, 1):.4f}, too hard "
                       f"{tally.caught}/{tally.presses} found, {tally.false} false")
        print(f"   {name:6} " + "; ".join(row))
    for label, tally in totals.items():
        acc = tally.correct / max(tally.judged, 1)
        ok = acc >= 0.98 and tally.caught == tally.presses and tally.false == 0
        verdict = ("(target >= 0.98, all found, none false: "
                   f"{'met' if ok else 'MISSED'})" if label == "their zones" else
                   "(printed to show why it matters)")
        print(f"   all, {label}: zone accuracy {acc:.4f}, too hard {tally.caught}/"
              f"{tally.presses} found, {tally.false} false; hold F1 rows: "
              f"{tally.rows()[2]} {verdict}")


def interactive(names: list[str], seed: int, home: Path) -> None:
    """``smartball zones --sim feel-NAME`` as real processes on pseudo-terminals."""
    from benchmarks.zones_driver import drive

    print(f"3. 'smartball zones --sim feel-NAME --user NAME' interactive, real processes on "
          f"pseudo-terminals, {len(names)} people side by side (real time)")
    results = drive(names, seed, _env(home))
    worst = 0.0
    for name, r in results.items():
        true = PEOPLE[name].thresholds()
        if r.get("error"):
            print(f"   {name:6} FAILED: {r['error']}")
            worst = float("inf")
            continue
        err = errors(r["thresholds_n"], true)
        worst = max(worst, *(abs(e) for e in err))
        print(f"   {name:6} exit {r['exit']}, {r['seconds']:.0f} s start to saved, saved "
              f"{'/'.join(f'{x:.1f}' for x in r['thresholds_n'])} N, errors "
              + " ".join(f"{100 * e:+.1f}" for e in err) + " %")
    print(f"   worst {100 * worst:.1f} % (target within {100 * TARGET_ERR:.0f} %): "
          f"{'met' if worst <= TARGET_ERR else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--interactive", type=int, default=0, metavar="N",
                        help="also measure N people interactively, in real time")
    parser.add_argument("--skip-files", action="store_true",
                        help="only the interactive part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        if not args.skip_files:
            measured = part1(args.seeds, tmp, home)
            part2(args.seeds, measured)
        if args.interactive:
            interactive(list(PEOPLE)[: args.interactive], 0, tmp / "home-interactive")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
