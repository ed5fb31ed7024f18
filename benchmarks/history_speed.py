"""How long the history takes, as whole processes on a filled history (noisy on a shared
machine: medians are printed).

    python benchmarks/history_speed.py [--runs 7]

- ``smartball history`` with 2000 kept sessions (target <= 0.3 s);
- ``smartball trends --days 365`` over a year of 3 sessions a day (target <= 3 s);
- the time the history adds to the end of a session: ``SessionKeeper.finish`` (closing and
  syncing the kept recording, summing up, one row written into a history of 2000 sessions)
  at the end of real ``live --sim`` and ``record --sim`` processes of 10 s, and of a
  30-minute simulated session fed through the same live path as fast as it goes
  (target <= 50 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smartball.history.row import SessionRow
from smartball.history.store import HistoryStore

ROUTINES = ("plantar-fasciitis", "desk", "plantar-fasciitis")
HOURS = (7, 13, 21)


def fill(db: Path, sessions: int, per_day: int = 3, seed: int = 1) -> None:
    """``sessions`` plausible rows, ``per_day`` a day, ending today."""
    rng = random.Random(seed)
    today = dt.date.today()
    days = -(-sessions // per_day)
    with HistoryStore(db) as store:
        for k in range(sessions):
            day = today - dt.timedelta(days=days - 1 - k // per_day)
            slot = k % per_day
            if rng.random() < 0.1:
                continue  # a missed session now and then
            start = dt.datetime(day.year, day.month, day.day, HOURS[slot],
                                rng.randrange(60)).timestamp()
            dur = rng.uniform(100, 600) if slot != 1 else rng.uniform(900, 1800)
            light, moderate = dur * rng.uniform(0.2, 0.4), dur * rng.uniform(0.3, 0.5)
            deep = dur * rng.uniform(0.0, 0.15)
            th = dur * rng.uniform(0, 0.01) if rng.random() < 0.15 else 0.0
            holds = rng.randrange(0, 6)
            store.add(SessionRow(
                started_at=start, duration_s=dur, command="live", device="simulated ball",
                routine=ROUTINES[slot], rest_s=dur - light - moderate - deep - th,
                light_s=light, moderate_s=moderate, deep_s=deep, too_hard_s=th,
                holds=holds, holds_reached=rng.randrange(0, holds + 1),
                too_hard_presses=rng.randrange(1, 4) if th else 0,
                adherence=min(1.0, rng.gauss(0.7 + 0.2 * k / sessions, 0.1)),
                recording=f"/nowhere/{k}.sbrec", source_key=f"bench:{k}", max_force_n=120.0,
            ))


def bench_env(home: str) -> dict[str, str]:
    """The environment of the timed processes: their own home, Agg, and bytecode caching on
    as in an installed package (a first, untimed run writes the caches)."""
    env = dict(os.environ, SMARTBALL_HOME=home, MPLBACKEND="Agg")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run([sys.executable, "-m", "smartball", *argv], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # warm-up: bytecode caches, file cache
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "smartball", *argv], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
    return out


def report(name: str, times: list[float], target_s: float) -> None:
    med = statistics.median(times)
    print(f"{name:<44} median {med * 1000:7.1f} ms  (min {min(times) * 1000:.1f}, "
          f"max {max(times) * 1000:.1f}, {len(times)} runs; target <= {target_s * 1000:.0f} ms"
          f": {'met' if med <= target_s else 'MISSED'})")


def end_of_session(env: dict[str, str], runs: int) -> list[float]:
    """``finish`` times printed by real ``live`` processes (the --debug-free way: a tiny
    driver that runs the CLI in-process and prints the keeper's ``finish_s``)."""
    driver = (
        "import sys, smartball.history.keeper as k\n"
        "orig = k.SessionKeeper.finish\n"
        "def finish(self, *a, **kw):\n"
        "    r = orig(self, *a, **kw)\n"
        "    print(f'FINISH {self.finish_s:.6f}', file=sys.__stdout__)\n"
        "    return r\n"
        "k.SessionKeeper.finish = finish\n"
        "from smartball.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    out = []
    for argv in (["live", "--sim", "--no-plot", "--seconds", "10"],
                 ["record", "--sim", "--out", "{tmp}/r.sbrec", "--seconds", "10"]):
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                args = [a.replace("{tmp}", tmp) for a in argv]
                done = subprocess.run([sys.executable, "-c", driver, *args], env=env,
                                      check=True, capture_output=True, text=True)
                line = [x for x in done.stdout.splitlines() if x.startswith("FINISH")][-1]
                out.append(float(line.split()[1]))
    return out


LONG_DRIVER = """
import sys, smartball.history.keeper as k
from smartball.cli.session_run import run_session
from smartball.transport import open_transport
orig = k.SessionKeeper.finish
def finish(self, *a, **kw):
    r = orig(self, *a, **kw)
    print(f'FINISH {self.finish_s:.6f}', file=sys.__stdout__)
    return r
k.SessionKeeper.finish = finish
run_session(open_transport("replay", sys.argv[1], speed=None), command="live", history=True,
            quiet=True)
"""


def end_of_long_session(env: dict[str, str], runs: int, minutes: int = 30) -> list[float]:
    """A ``minutes`` long simulated session fed through the live path as fast as it goes
    (the end of a long session costs what the end of a short one does: nothing is re-read)."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        rec = str(Path(tmp) / "long.sbrec")
        subprocess.run([sys.executable, "-m", "smartball", "simulate", "desk", "--seconds",
                        str(minutes * 60), "--out", rec], env=env, check=True,
                       capture_output=True)
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", LONG_DRIVER, rec], env=env,
                                  check=True, capture_output=True, text=True)
            line = [x for x in done.stdout.splitlines() if x.startswith("FINISH")][-1]
            out.append(float(line.split()[1]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
        os.environ["SMARTBALL_HOME"] = tmp
        fill(Path(tmp) / "history.sqlite3", 2000)
        report("smartball history (2000 sessions)", timed(["history"], env, args.runs), 0.3)
        report("smartball history --json (2000 sessions)",
               timed(["history", "--json"], env, args.runs), 0.3)
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
        fill(Path(tmp) / "history.sqlite3", 365 * 3)
        png = str(Path(tmp) / "trends.png")
        report("smartball trends --days 365 (3 a day)",
               timed(["trends", "--days", "365", "--out", png], env, args.runs), 3.0)
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
        fill(Path(tmp) / "history.sqlite3", 2000)  # a full database, as after a year or two
        report("end of a session: history's share (live/record 10 s)",
               end_of_session(env, max(2, args.runs // 2)), 0.05)
        report("end of a 30 min session: history's share",
               end_of_long_session(env, max(2, args.runs // 2)), 0.05)


if __name__ == "__main__":
    main()
