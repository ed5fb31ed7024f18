"""What ``scipy.signal`` costs, and what the alternatives would cost and give up.

1. Import time (fresh processes, median CPU and wall): Python alone, numpy, scipy.ndimage,
   scipy.signal, and ``smartball.processing`` (which needs the filters).
2. A numpy-only stand-in for the recursive filters: ``y[k] = p*y[k-1] + b*x[k]`` in closed
   form over blocks (``y = p**k * (y0 + cumsum(b*x*p**-k))``, blocks short enough that
   ``p**-k`` stays finite), against ``scipy.signal.lfilter``: time for an hour at 100 Hz,
   largest difference, and whether feeding it in 2-sample chunks gives the same bits as
   one call (what makes a live session, its replay and ``analyze`` agree event for event).

3. An exact numpy stand-in (:class:`ModalBiquads`): each biquad as its direct term plus one
   complex mode in the same closed form, but over blocks aligned to the absolute sample index,
   with the block's start state and the running sum carried between chunks, so the
   floating-point operations of a sample do not depend on the chunking.

    PYTHONPATH=src python benchmarks/scipy_alternatives.py [--runs 7]

Measured (2 shared cores, load average about 1.3, medians of 7):

- imports: numpy 0.11 s CPU, scipy.ndimage 0.36 s, scipy.signal 0.70 s (it imports
  scipy.ndimage, scipy.interpolate and scipy.stats itself), ``smartball.processing`` 0.84 s.
  Every scipy import of ``analyze`` comes through ``scipy.signal`` in ``processing/filters.py``
  (``python -X importtime``); the PCHIP of a calibrated curve and the calibration fit import
  scipy only when used.
- the blocked first order of 2.: 10 ms an hour against 2.5 ms for ``lfilter``, 2.5e-12 off, but
  not the same bits in 2-sample chunks, so live, replay and ``analyze`` could disagree.
- :class:`ModalBiquads`, the 1.5 Hz level low-pass over an hour: 25-28 ms (blocks of 1024 or
  128) against 2.1 ms for ``sosfilt``, within 4e-11 of it (values about 1000), and the same
  bits in one call, in 2-sample chunks and in random chunks; 20-29 us a 2-sample call against
  2 us for the Python loop in ``filters.py``.

Not adopted yet. Dropping ``scipy.signal`` would take about 0.5 s of wall time and 0.7 s of
CPU off every file command (a 5-minute ``analyze``, 0.76 s wall in ``file_commands.py``, would
meet its 0.6 s), but the processing runs
seven such sections and six first-order filters, so an hour would take about 0.2 s more
(``analyze`` of an hour is at 1.3-1.4 s CPU against 1.5 s); the live path would need the same
operations as a Python loop for short chunks, and the Butterworth design and the steady-state
start (``butter``, ``sosfilt_zi``) in closed form, tested against scipy.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
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


class ModalBlocks:
    """One complex mode of a filter, ``s[k] = p*s[k-1] + x[k]``, output ``2*Re(r*s[k])``, in
    closed form over blocks of ``block`` samples aligned to the absolute sample index:
    ``s[b0+j] = p**(j+1) * s[b0-1] + p**j * C[j]`` with ``C[j] = sum(x[b0+i] * p**-i)``.
    The block start state and the running sum ``C`` are carried between chunks, and the sum
    always starts from the carried value, so every sample sees the same floating-point
    operations however the input was cut: chunked and whole input give the same bits."""

    def __init__(self, p: complex, r: complex, block: int = 128) -> None:
        self.block = block
        j = np.arange(block, dtype=np.float64)
        down, up, up1 = p ** -j, p ** j, p ** (j + 1.0)
        self.dr, self.di = down.real.copy(), down.imag.copy()
        self.ur, self.ui = up.real.copy(), up.imag.copy()
        self.vr, self.vi = up1.real.copy(), up1.imag.copy()
        self.rr, self.ri = r.real, r.imag
        self.pos = 0
        self.sr = self.si = 0.0  # the state before the current block
        self.cr = self.ci = 0.0  # the running sum within it

    def __call__(self, x: F64) -> F64:
        blk, n, start = self.block, x.shape[0], self.pos
        nb = -(-(start + n) // blk)
        b = np.zeros(nb * blk)
        b[start:start + n] = x
        b2 = b.reshape(nb, blk)
        tr, ti = np.zeros((nb, blk + 1)), np.zeros((nb, blk + 1))
        tr[0, 0], ti[0, 0] = self.cr, self.ci
        tr[:, 1:], ti[:, 1:] = b2 * self.dr, b2 * self.di
        cr, ci = np.cumsum(tr, axis=1)[:, 1:], np.cumsum(ti, axis=1)[:, 1:]
        s0r, s0i = np.empty(nb), np.empty(nb)
        a, c = self.sr, self.si
        er, ei, qr, qi = self.vr[-1], self.vi[-1], self.ur[-1], self.ui[-1]
        for k in range(nb):  # block start states: one step per block, in order
            s0r[k], s0i[k] = a, c
            xr, xi = float(cr[k, -1]), float(ci[k, -1])
            a, c = ((er * a - ei * c) + (qr * xr - qi * xi),
                    (er * c + ei * a) + (qr * xi + qi * xr))
        sr = (self.vr * s0r[:, None] - self.vi * s0i[:, None]) + (self.ur * cr - self.ui * ci)
        si = (self.vr * s0i[:, None] + self.vi * s0r[:, None]) + (self.ur * ci + self.ui * cr)
        end = start + n
        self.pos, last = end % blk, (end - 1) // blk
        if self.pos == 0:
            self.sr, self.si, self.cr, self.ci = a, c, 0.0, 0.0
        else:
            self.sr, self.si = float(s0r[last]), float(s0i[last])
            self.cr, self.ci = float(cr[last, self.pos - 1]), float(ci[last, self.pos - 1])
        out = self.rr * sr - self.ri * si
        return np.asarray(out.ravel()[start:end] * 2.0, dtype=np.float64)


class ModalBiquads:
    """An SOS cascade of complex-pole biquads, each as its direct term plus one mode."""

    def __init__(self, sos: F64, block: int = 128) -> None:
        from scipy import signal

        self.parts = []
        for row in sos:
            r, p, k = signal.residuez(row[:3], row[3:])
            i = int(np.argmax(p.imag))
            self.parts.append((float(np.real(k[0])), ModalBlocks(complex(p[i]), complex(r[i]),
                                                                block)))

    def __call__(self, x: F64) -> F64:
        for d, mode in self.parts:
            x = d * x + mode(x)
        return x


def modal_figures(x: F64, rate_hz: float) -> None:
    from scipy import signal

    rng = np.random.default_rng(1)
    sos = signal.butter(2, 1.5 / (rate_hz / 2.0), output="sos")  # the level filter
    t0 = time.perf_counter()
    ref = signal.sosfilt(sos, x)
    t_ref = time.perf_counter() - t0
    for block in (128, 1024):
        t0 = time.perf_counter()
        got = ModalBiquads(sos, block)(x)
        t_got = time.perf_counter() - t0
        part = x[:20_000]
        whole = ModalBiquads(sos, block)(part)
        two_f = ModalBiquads(sos, block)
        t0 = time.perf_counter()
        two = np.concatenate([two_f(part[i:i + 2]) for i in range(0, part.size, 2)])
        per_call = (time.perf_counter() - t0) / (part.size / 2)
        cuts = np.sort(rng.choice(np.arange(1, part.size), 300, replace=False))
        any_f = ModalBiquads(sos, block)
        anyc = np.concatenate([any_f(c) for c in np.split(part, cuts)])
        print(f"one hour, 2nd-order low-pass 1.5 Hz: sosfilt {1e3 * t_ref:.1f} ms, exact modal "
              f"blocks of {block} {1e3 * t_got:.1f} ms, largest difference "
              f"{np.max(np.abs(got - ref)):.1e}; equal bit for bit to one call in 2-sample "
              f"chunks {np.array_equal(two, whole)}, in random chunks "
              f"{np.array_equal(anyc, whole)}; {1e6 * per_call:.0f} us a 2-sample call")


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
    modal_figures(x, 100.0)


def _starts(p: float, b: float, x: F64) -> list[tuple[int, float]]:
    """Chunk starts and the state before each, as a live session would carry it."""
    out = []
    y = float(x[0])
    for i in range(0, x.shape[0], 2):
        out.append((i, y))
        y = float(blocked_first_order(p, b, x[i : i + 2], y)[-1])
    return out


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
