"""How fast ``smartball replay FILE --speed max`` goes through a recording made the way a
live session records (one chunk per serial read: a SAMPLES frame every 20 ms).

    PYTHONPATH=src python benchmarks/replay_max.py [--seconds 600] [--scenario desk]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600.0)
    ap.add_argument("--scenario", default="desk")
    args = ap.parse_args()

    from smartball.recording.writer import write_recording
    from smartball.session import Session
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.link import SerialLink
    from smartball.transport import open_transport

    ball = SimulatedBall(args.scenario, seed=1, seconds=args.seconds)
    link = SerialLink(ball.link, ball.seed)

    def chunks() -> list[tuple[float, bytes]]:
        out = []
        for k in range(1, int(ball.duration_s / 0.02) + 2):
            data = b"".join(link.wrap(t, f) for t, f in ball.poll(0.02 * k))
            if data:
                out.append((0.02 * k, data))
        return out

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "session.sbrec"
        rec = write_recording(path, chunks())
        t0 = time.perf_counter()
        session = Session(open_transport("replay", str(path), speed=None))
        session.run()
        wall = time.perf_counter() - t0
    print(f"replay --speed max of {ball.duration_s:.0f} s ({rec.chunks} chunks, "
          f"{len(session.events)} events): {wall:.1f} s = {ball.duration_s / wall:.0f}x real "
          f"time, {1e3 * wall / rec.chunks:.2f} ms per chunk")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
