"""Per-call cost of the live path on small chunks: processing, decoding and the simulated
ball, each timed alone on the demo scenario as the live session meets it (one 2-sample
SAMPLES frame every 20 ms).

    PYTHONPATH=src python benchmarks/process_small_chunks.py [--seconds 60] [--chunk 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--chunk", type=int, default=2, help="samples per processing call")
    ap.add_argument("--scenario", default="demo")
    args = ap.parse_args()

    from smartball.processing import Processor
    from smartball.protocol.constants import DEFAULT_RATE_HZ, REFERENCE_BALL_DIAMETER_MM
    from smartball.protocol.decoder import StreamDecoder
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.link import SerialLink

    ball = SimulatedBall(args.scenario, seed=0, seconds=args.seconds)
    link = SerialLink(ball.link, ball.seed)
    steps = [0.02 * (k + 1) for k in range(int(args.seconds / 0.02))]
    t0 = time.perf_counter()
    chunks: list[bytes] = []
    for t in steps:
        data = b"".join(link.wrap(tf, f) for tf, f in ball.poll(t))
        if data:
            chunks.append(data)
    ball_us = 1e6 * (time.perf_counter() - t0) / len(steps)

    decoder = StreamDecoder()
    t0 = time.perf_counter()
    blocks = [decoder.feed(c).samples for c in chunks]
    decode_us = 1e6 * (time.perf_counter() - t0) / len(chunks)

    whole = blocks[0].concat([b for b in blocks if len(b)])
    info = decoder.info
    rate = info.sample_rate_hz if info else float(DEFAULT_RATE_HZ)
    n = args.chunk
    pieces = [whole[i : i + n] for i in range(0, len(whole), n)]
    times = []
    for _ in range(3):
        p = Processor(sample_rate_hz=rate,
                      ball_diameter_mm=float(info.ball_diameter_mm if info
                                             else REFERENCE_BALL_DIAMETER_MM))
        t0 = time.perf_counter()
        for piece in pieces:
            p.process(piece)
        times.append(1e6 * (time.perf_counter() - t0) / len(pieces))
    process_us = statistics.median(times)
    print(f"simulated ball, per 20 ms poll: {ball_us:.0f} us")
    print(f"StreamDecoder.feed, per chunk: {decode_us:.0f} us")
    print(f"Processor.process, per {n}-sample call: {process_us:.0f} us "
          f"(median of 3 passes over {len(pieces)} calls)")
    per_s = (ball_us * len(steps) + decode_us * len(chunks)) / args.seconds \
        + process_us * len(pieces) / args.seconds
    print(f"together: {per_s / 1e4:.1f} % of one core")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
