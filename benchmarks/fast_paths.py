"""What each short-chunk fast path saves a live session: every one timed on a live chunk
(2 samples, one SAMPLES frame every 20 ms) by its short path and by the general numpy/scipy
path it stands in for, and the difference as a share of one core at 50 chunks a second.

A fast path earns its place when it saves a noticeable share of the live budget (5 % of a
core); the comments beside the ones kept cite these figures.

    PYTHONPATH=src python benchmarks/fast_paths.py [--repeat 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from types import ModuleType

import numpy as np

CHUNKS_PER_S = 50


def per_call_us(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn()
        runs.append(1e6 * (time.perf_counter() - t0) / repeat)
    return statistics.median(runs)


def both(module: ModuleType, name: str, general: int, make: Callable[[], Callable[[], object]],
         repeat: int) -> tuple[float, float]:
    """Per-call time with the module's threshold as it is, then with ``general`` (which sends
    every chunk down the general path). A path without a short branch times the same twice."""
    short = per_call_us(make(), repeat)
    kept = getattr(module, name)
    setattr(module, name, general)
    try:
        long = per_call_us(make(), repeat)
    finally:
        setattr(module, name, kept)
    return short, long


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2000)
    args = ap.parse_args()
    r = args.repeat

    from smartball.processing import filters, runs, zones
    from smartball.processing.config import ProcessingConfig
    from smartball.protocol import deframe
    from smartball.protocol.constants import Channel
    from smartball.protocol.decoder import StreamDecoder
    from smartball.sim.ball import SimulatedBall


    rng = np.random.default_rng(0)
    x = rng.normal(20.0, 1.0, 2)
    stream = SimulatedBall("demo", seed=0, seconds=5).serial_bytes()
    ends = [k for k, byte in enumerate(stream) if byte == 0]

    def ema() -> Callable[[], object]:
        f = filters.Ema(0.5, 100.0)
        return lambda: f(x)

    def sos() -> Callable[[], object]:
        f = filters.SosFilter.lowpass(2.0, 100.0)
        return lambda: f(x)

    def run_len() -> Callable[[], object]:
        v = np.array([1, 1], np.int8)
        return lambda: runs.run_lengths(v, 1, 5)

    def confirm() -> Callable[[], object]:
        c = runs.RunConfirm(30, 0)
        v = np.array([1, 1], np.int8)
        return lambda: c.update(v)

    def latch() -> Callable[[], object]:
        lt = runs.Latch(2, 5)
        s, rs = np.array([True, False]), np.array([False, True])
        return lambda: lt.update(s, rs)

    def trailing() -> Callable[[], object]:
        tr = runs.TrailingRange(51)
        return lambda: tr.update(x)

    def zone() -> Callable[[], object]:
        z = zones.ZoneTracker(ProcessingConfig(), 100.0)
        return lambda: z.update(x)

    def decode() -> Callable[[], object]:
        d = StreamDecoder()
        d.feed(stream[: ends[9] + 1])  # the INFO and what follows it
        packet = stream[ends[9] + 1 : ends[10] + 1]  # one live chunk: a SAMPLES frame
        return lambda: d.feed(packet)

    rows = [
        # name, module, threshold, its value for "always general", timed call, calls a chunk
        ("filters.first_order (Ema)", filters, "SMALL_CHUNK", -1, ema, 6),
        ("filters.SosFilter", filters, "SMALL_CHUNK", -1, sos, 4),
        ("runs.run_lengths", runs, "SMALL_CHUNK", -1, run_len, 1),
        ("runs.RunConfirm", runs, "SMALL_CHUNK", 0, confirm, 0),
        ("runs.Latch", runs, "SMALL_CHUNK", 0, latch, 3),
        ("runs.TrailingRange", runs, "SMALL_CHUNK", 0, trailing, 3),
        ("zones.ZoneTracker", zones, "SMALL_CHUNK", 0, zone, 1),
        ("deframe (few packets)", deframe, "_FEW_PACKETS", 0, decode, 1),
    ]
    print(f"{'fast path':<28}{'short us':>10}{'general us':>12}{'calls/chunk':>12}"
          f"{'saved, % core':>15}")
    for name, module, const, general, make, calls in rows:
        if not hasattr(module, const):
            continue  # no short path (any more): nothing to compare
        short, long = both(module, const, general, make, r)
        saved = (long - short) * calls * CHUNKS_PER_S / 1e4
        print(f"{name:<28}{short:>10.1f}{long:>12.1f}{calls:>12}{saved:>15.2f}")

    a = np.array([7, 7], np.uint8)
    enum_us = per_call_us(lambda: (a & Channel.GYRO, a == Channel.PRESSURE), r)
    int_us = per_call_us(lambda: (a & 2, a == 1), r)
    print(f"{'decoder plain-int masks':<28}{int_us:>10.1f}{enum_us:>12.1f}{10:>12}"
          f"{(enum_us - int_us) * 10 * CHUNKS_PER_S / 1e4:>15.2f}")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
