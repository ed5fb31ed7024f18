"""Decoder throughput: an hour of 100 Hz pressure+IMU serial stream.

Builds the stream the firmware would send (INFO every 5 s, SAMPLES of 2 records every
20 ms, STATUS every second), then decodes it in 1 MiB chunks as `smartball inspect` and
`smartball analyze` do. Prints the median of several runs and the peak memory the decoding
allocates (tracemalloc, a separate run). Target: >= 1,000,000 samples/s.

    python benchmarks/decode_stream.py [--seconds 3600] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import tracemalloc

import numpy as np

from smartball.protocol import Info, Samples, Status, encode_serial
from smartball.protocol.decoder import decode_stream


def build_stream(seconds: float, rate_hz: int = 100, per_frame: int = 2) -> bytes:
    rng = np.random.default_rng(0)
    n = int(seconds * rate_hz)
    pressure_cpa = (10_132_500 + np.cumsum(rng.normal(0, 200, n))).astype(np.uint32)
    gyro = rng.normal(0, 300, (n, 3)).astype(np.int16)
    accel = (rng.normal(0, 100, (n, 3)) + [0, 0, 8197]).astype(np.int16)
    info = Info(0, 0, (1, 0, 0), bytes(range(8)), 1234, 1_000_000 // rate_hz, 7, 0.07,
                0.000122, 80, "SmartBall-0607")
    parts: list[bytes] = []
    seq = 0
    for f, first in enumerate(range(0, n, per_frame)):
        t_ms = first * 1000 // rate_hz
        if f % (5 * rate_hz // per_frame) == 0:
            parts.append(encode_serial(Info(seq, t_ms, *_info_fields(info))))
            seq += 1
        if f % (rate_hz // per_frame) == 0:
            parts.append(encode_serial(Status(seq, t_ms, 3900, 80, 0, 0)))
            seq += 1
        sl = slice(first, first + per_frame)
        parts.append(encode_serial(Samples(seq & 0xFFFF, first, 7, 2300, pressure_cpa[sl],
                                           gyro[sl], accel[sl])))
        seq += 1
    return b"".join(parts)


def _info_fields(i: Info) -> tuple:  # type: ignore[type-arg]
    return (i.firmware, i.device_id, i.boot_id, i.sample_period_us, i.channels,
            i.gyro_dps_per_lsb, i.accel_g_per_lsb, i.ball_diameter_mm, i.name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3600.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    data = build_stream(args.seconds)
    print(f"stream: {len(data) / 1e6:.2f} MB, {args.seconds:g} s at 100 Hz, "
          f"built in {time.perf_counter() - t0:.1f} s")

    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        out, dec = decode_stream(data)
        times.append(time.perf_counter() - t0)
    c = dec.counters
    assert c.crc_errors == 0 and c.malformed == 0 and c.lost_samples == 0
    n = len(out.samples)
    med = statistics.median(times)
    print(f"decoded: {n:,} samples, {sum(c.frames.values()):,} frames")
    print(f"decode time: median {med * 1000:.0f} ms over {args.runs} runs "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    print(f"throughput: {n / med:,.0f} samples/s ({n / med / 1e6:.2f}x the 1,000,000 target), "
          f"{len(data) / med / 1e6:.1f} MB/s, {args.seconds / med:,.0f}x real time")

    tracemalloc.start()
    decode_stream(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory allocated while decoding: {peak / 1e6:.1f} MB "
          f"(the decoded samples alone: {n * 8 * 10 / 1e6:.1f} MB)")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
