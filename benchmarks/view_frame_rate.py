"""Frame rate of the live coaching view on Agg, fed the simulated ball's 100 Hz stream.

The demo scenario is simulated, decoded and processed as a live session would be (20 ms
batches). The view then draws frames while ~3 new samples arrive per frame (100 Hz at
~30 fps): each frame is the blit cycle FuncAnimation runs (restore the background, update
every animated artist from the buffer, draw them, blit). A full redraw is timed too, for
the ratio. Target: >= 30 frames per second for the blit cycle.

    MPLBACKEND=Agg python benchmarks/view_frame_rate.py [--frames 600]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from tests.view.blit import Blitter

from smartball.processing import Processor
from smartball.protocol.decoder import PacketDecoder
from smartball.sim.ball import SimulatedBall
from smartball.view.buffer import LiveBuffer
from smartball.view.live import LiveView


def processed_demo(seconds: float) -> list[object]:
    ball = SimulatedBall("demo", seed=0, seconds=seconds)
    decoder = PacketDecoder()
    processor: Processor | None = None
    results: list[object] = []
    for _t, frame in ball.frames():
        block = decoder.feed(frame).samples
        if len(block) == 0:
            continue
        if processor is None:
            processor = Processor(sample_rate_hz=ball.rate_hz)
        results.append(processor.process(block))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=600)
    args = ap.parse_args()

    results = processed_demo(90.0)
    buf = LiveBuffer()
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig, title="benchmark")
    # Fill the 20 s window first so every frame draws a full trace.
    k = 0
    while k < len(results) and buf.read().elapsed_s < 20.0:
        buf.on_samples(results[k])  # type: ignore[arg-type]
        k += 1
    blit = Blitter(view)

    times: list[float] = []
    samples_per_frame = 0
    for i in range(args.frames):
        # 100 Hz at 30 fps: 3.3 samples, i.e. one or two 2-sample batches, per frame.
        for _ in range(1 + (i % 3 == 0)):
            r = results[k % len(results)]
            if k >= len(results):
                break
            buf.on_samples(r)  # type: ignore[arg-type]
            samples_per_frame += len(r)  # type: ignore[arg-type]
            k += 1
        t0 = time.perf_counter()
        blit.frame()
        times.append(time.perf_counter() - t0)
        if k >= len(results):
            k = 0
            buf = LiveBuffer()
            view.buffer = buf
            for r in results[:1000]:
                buf.on_samples(r)  # type: ignore[arg-type]
            k = 1000

    # Worst case: every animated artist redrawn (as after a resize, or when all texts change).
    worst: list[float] = []
    for _ in range(100):
        view._full_next = True
        t0 = time.perf_counter()
        blit.frame()
        worst.append(time.perf_counter() - t0)

    full: list[float] = []
    for _ in range(30):
        t0 = time.perf_counter()
        view.update()
        fig.canvas.draw()
        full.append(time.perf_counter() - t0)

    med = statistics.median(times)
    p95 = sorted(times)[int(0.95 * len(times))]
    print(f"blit cycle (update + draw animated artists + blit), {len(times)} frames, "
          f"{len(view.artists)} animated artists, {fig.bbox.width:.0f}x{fig.bbox.height:.0f} px")
    print(f"  median {med * 1e3:.2f} ms  -> {1 / med:.0f} frames/s   (p95 {p95 * 1e3:.2f} ms)")
    print(f"  samples fed per frame: {samples_per_frame / len(times):.1f}")
    wmed = statistics.median(worst)
    print(f"  every artist redrawn each frame: median {wmed * 1e3:.2f} ms -> {1 / wmed:.0f} "
          "frames/s")
    fmed = statistics.median(full)
    print(f"full redraw: median {fmed * 1e3:.1f} ms -> {1 / fmed:.0f} frames/s; "
          f"blitting is {fmed / med:.1f}x faster")
    ok = 1 / wmed >= 30
    print(f"target >= 30 frames/s (worst case): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
