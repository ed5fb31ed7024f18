"""A kept ball picked by the board that connects: serial (pseudo-terminal) and BLE (BlueZoo).

Keeps one ball per simulated board (each seed is another board with its own device id, each
ball another Pa/N), then records a short session from each board with `smartball record`
(in process) over a pseudo-terminal, and over BLE against BlueZoo with the ball as a GATT
peripheral, and checks the recording's context names that board's ball. Prints how many
sessions got the right ball, per backend (target: all).

    PYTHONPATH=src:. python benchmarks/ball_pick.py [--boards 6]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def keep_balls(seeds: list[int]) -> dict[str, str]:
    """One kept ball per board; board hex id -> ball name."""
    from smartball.io.balls import save_ball
    from smartball.processing.calibration import Calibration
    from smartball.sim.ball import SimulatedBall

    out = {}
    for k, seed in enumerate(seeds):
        board = SimulatedBall("demo", seed=seed).device_id.hex()
        pa_per_n = 40.0 + 10.0 * k
        cal = Calibration.fit([(f, f * pa_per_n) for f in (40.0, 100.0, 200.0)],
                              created=f"2026-11-{k + 1:02d}T10:00:00+00:00")
        name = f"ball-{seed}"
        save_ball(dataclasses.replace(cal, device_id=board), name, replace=True)
        out[board] = name
    return out


def picked(argv: list[str], out: Path) -> str | None:
    from smartball.cli import main
    from smartball.recording import RecordingReader

    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        rc = main([*argv, "--seconds", "1.5", "--out", str(out), "--no-history"])
    if rc != 0:
        return None
    context = RecordingReader(out).context
    return None if context is None or context.calibration is None else context.calibration.name


def serial(seeds: list[int], folder: Path) -> list[tuple[str, str | None]]:
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.pty import serve_pty

    results = []
    for seed in seeds:
        ready: list[str] = []
        stop = threading.Event()
        server = threading.Thread(target=serve_pty, daemon=True, kwargs=dict(
            make_ball=lambda s: SimulatedBall("demo", seed=s, seconds=30), seed=seed,
            on_ready=ready.append, should_stop=stop.is_set))
        server.start()
        try:
            while not ready:
                threading.Event().wait(0.01)
            got = picked(["record", "--port", ready[0]], folder / f"s{seed}.sbrec")
        finally:
            stop.set()
            server.join(5)
        results.append((SimulatedBall("demo", seed=seed).device_id.hex(), got))
    return results


def ble(seeds: list[int], folder: Path) -> list[tuple[str, str | None]] | str:
    from tests.ble.bluezoo_env import PeripheralThread, VirtualBluez, missing_tools

    from smartball.sim.ball import SimulatedBall
    from smartball.sim.ble_peripheral import SimulatedBallSource

    if (why := missing_tools()) is not None:
        return why
    results = []
    with VirtualBluez():
        for seed in seeds:
            sim = SimulatedBall("demo", seed=seed, seconds=30)
            ball = PeripheralThread(SimulatedBallSource(sim)).start()
            try:
                got = picked(["record", "--ble", sim.name], folder / f"b{seed}.sbrec")
            finally:
                ball.stop()
            results.append((sim.device_id.hex(), got))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--boards", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SMARTBALL_HOME"] = str(Path(tmp) / "home")
        seeds = list(range(1, args.boards + 1))
        balls = keep_balls(seeds)
        for name, run in (("serial (pseudo-terminal)", serial), ("BLE (BlueZoo)", ble)):
            res = run(seeds, Path(tmp))
            if isinstance(res, str):
                print(f"{name}: not run ({res})")
                continue
            right = sum(balls[board] == got for board, got in res)
            wrong = [(balls[b], g) for b, g in res if balls[b] != g]
            print(f"{name}: right ball {right} of {len(res)} sessions"
                  + (f"; wrong: {wrong}" if wrong else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
