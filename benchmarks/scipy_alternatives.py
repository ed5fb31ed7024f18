"""What ``scipy.signal`` costs, and what the alternatives would cost and give up.

1. Import time (fresh processes, median CPU and wall): Python alone, numpy, scipy.ndimage,
   scipy.signal, and ``smartball.processing`` (which needs the filters).
2. A numpy-only stand-in for the recursive filters: ``y[k] = p*y[k-1] + b*x[k]`` in closed
   form over blocks (``y = p**k * (y0 + cumsum(b*x*p**-k))``, blocks short enough that
   ``p**-k`` stays finite), against ``scipy.signal.lfilter``: time for an hour at 100 Hz,
   largest difference, and whether feeding it in 2-sample chunks gives the same bits as
   one call (what makes a live session, its replay and ``analyze`` agree event for event).

    PYTHONPATH=src python benchmarks/scipy_alternatives.py [--runs 7]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def import_cost(stmt: str, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", stmt], check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def blocked_first_order(p: float, b: float, x: F64, y0: float, block: int = 256) -> F64:
    """``lfilter([b], [1, -p], x)`` from state ``y0`` (the output before ``x[0]``), numpy only."""
    n = x.shape[0]
    out = np.empty(n)
    k = np.arange(block, dtype=np.float64)
    up, down = p ** (k + 1), p ** -k
    for s in range(0, n, block):
        m = min(block, n - s)
        acc = np.cumsum(b * x[s : s + m] * down[:m])
        out[s : s + m] = up[:m] * y0 + p ** k[:m] * acc
        y0 = float(out[s + m - 1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()

    for stmt in ("pass", "import numpy", "import scipy.ndimage", "import scipy.signal",
                 "import smartball.processing"):
        wall, cpu = import_cost(stmt, args.runs)
        print(f"{stmt:<32} wall {wall:.3f} s, CPU {cpu:.3f} s (median of {args.runs})")

    from scipy import signal

    rng = np.random.default_rng(0)
    x = np.cumsum(rng.normal(0.0, 1.0, 360_000)) + 1000.0
    a = 1.0 - np.exp(-1.0 / 50.0)  # an EMA of 0.5 s at 100 Hz
    p, b = 1.0 - a, a
    t0 = time.perf_counter()
    ref, _ = signal.lfilter([b], [1.0, -p], x, zi=[p * x[0]])
    t_lfilter = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = blocked_first_order(p, b, x, float(x[0]))
    t_blocked = time.perf_counter() - t0
    part = x[:20_000]  # 200 s in 2-sample chunks
    chunked = np.concatenate([blocked_first_order(p, b, part[i : i + 2], y0)
                              for i, y0 in _starts(p, b, part)])
    whole = blocked_first_order(p, b, part, float(x[0]))
    print(f"one hour at 100 Hz, first order: lfilter {1e3 * t_lfilter:.1f} ms, numpy blocks "
          f"{1e3 * t_blocked:.1f} ms; largest difference {np.max(np.abs(got - ref)):.2e} "
          f"(values ~{np.mean(np.abs(ref)):.0f})")
    print(f"numpy blocks fed in 2-sample chunks equal one call bit for bit: "
          f"{np.array_equal(chunked, whole)} (largest difference "
          f"{np.max(np.abs(chunked - whole)):.2e}); lfilter and the 2-sample loop are equal "
          "bit for bit (tests/processing/test_filters.py)")


def _starts(p: float, b: float, x: F64) -> list[tuple[int, float]]:
    """Chunk starts and the state before each, as a live session would carry it."""
    out = []
    y = float(x[0])
    for i in range(0, x.shape[0], 2):
        out.append((i, y))
        y = float(blocked_first_order(p, b, x[i : i + 2], y)[-1])
    return out


if __name__ == "__main__":
    main()
