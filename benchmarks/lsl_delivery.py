"""LSL delivery: samples a pylsl inlet receives over the samples the session's outlets sent
(from the first one the inlet could have seen: an inlet gets what is pushed after it
subscribed), for the Force, IMU and Markers streams of a simulated session in real time.
Target: >= 99 %.

    PYTHONPATH=src:. python benchmarks/lsl_delivery.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

import pylsl  # noqa: E402

from smartball.lsl import LslOutlets  # noqa: E402
from smartball.session import Session  # noqa: E402
from smartball.transport.simulated import SimulatedTransport  # noqa: E402


class CountingOutlets(LslOutlets):
    """The outlets, keeping the time stamp of everything pushed."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.stamps: dict[str, list[float]] = {"Force": [], "IMU": [], "Markers": []}

    def _on_block(self, block: Any, result: Any) -> None:
        super()._on_block(block, result)
        if len(block) and self.offset_s is not None:
            stamps = (block.t_s + self.offset_s).tolist()
            self.stamps["Force"] += stamps
            if self.imu is not None:
                self.stamps["IMU"] += stamps

    def _push_marker(self, event: Any) -> None:
        super()._push_marker(event)
        assert self.offset_s is not None
        self.stamps["Markers"].append(event.t_s + self.offset_s)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory():
        session = Session(SimulatedTransport("demo", seed=1, seconds=args.seconds, speed=1.0))
        outlets = CountingOutlets(session)
        session.start()
        inlets = {}
        for kind in ("Force", "IMU", "Markers"):
            found = pylsl.resolve_byprop("type", kind, timeout=10)
            if not found:
                raise SystemExit(f"no {kind} stream found")
            inlets[kind] = pylsl.StreamInlet(found[0], processing_flags=0)
            inlets[kind].open_stream(timeout=5)
        got: dict[str, list[float]] = {k: [] for k in inlets}

        def pull() -> None:
            while session.running or any(i.samples_available() for i in inlets.values()):
                for k, inlet in inlets.items():
                    _data, stamps = inlet.pull_chunk(timeout=0.05)
                    got[k] += stamps

        reader = threading.Thread(target=pull)
        reader.start()
        session.join()
        reader.join(10)
    print(f"LSL, a simulated session of {args.seconds:g} s in real time, one inlet per stream:")
    worst = 1.0
    for kind, received in got.items():
        if not received:
            print(f"  {kind}: nothing received")
            worst = 0.0
            continue
        sent = [t for t in outlets.stamps[kind] if t >= received[0] - 1e-9]
        ratio = len(received) / max(1, len(sent))
        worst = min(worst, ratio)
        print(f"  {kind:<8} received {len(received)} of {len(sent)} sent since its first "
              f"({100 * ratio:.2f} %)")
    print(f"target >= 99 %: {'met' if worst >= 0.99 else 'NOT met'}")


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    main()
