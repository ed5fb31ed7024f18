"""BLE delivery over BlueZoo: samples the host received / samples the ball sent, at 100 Hz.

Starts a private D-Bus and BlueZoo (as the BLE tests do), the simulated ball as a GATT
peripheral on hci1, and the real BleTransport (bleak, BlueZ backend) on the default adapter.
Streams for ``--seconds``, then STOP, drains, and compares the sample indices the peripheral
notified with those the host decoded. Prints the delivery ratio (target 1.0), the
notification rate, and how late notifications arrive against the 20 ms batching grid.

    PYTHONPATH=src python benchmarks/ble_delivery.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.ble.bluezoo_env import PeripheralThread, VirtualBluez, missing_tools  # noqa: E402
from tests.ble.sim_source import ball_source  # noqa: E402

from smartball.handshake import StartHandshake  # noqa: E402
from smartball.protocol import Command, encode_frame  # noqa: E402
from smartball.protocol.constants import Opcode  # noqa: E402
from smartball.protocol.decoder import PacketDecoder  # noqa: E402
from smartball.transport.ble import BleTransport  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    if (why := missing_tools()) is not None:
        print(f"cannot run: {why}")
        return 1
    with VirtualBluez():
        ball = PeripheralThread(ball_source(seconds=args.seconds + 30)).start()
        try:
            with BleTransport(scan_timeout_s=10) as transport:
                transport.send(StartHandshake().start(None))  # as the session does
                decoder = PacketDecoder()
                received: list[int] = []
                arrivals_s: list[float] = []
                t_end = time.monotonic() + args.seconds
                stopping = False
                notifications = 0
                drain_until = float("inf")
                while time.monotonic() < drain_until:
                    if not stopping and time.monotonic() >= t_end:
                        transport.send(encode_frame(Command(1000, 0, Opcode.STOP, 9)))
                        stopping = True
                        drain_until = time.monotonic() + 1.0
                    chunk = transport.recv(0.1)
                    if chunk is None or chunk.link is not None:
                        continue
                    notifications += 1
                    decoded = decoder.feed(chunk.data)
                    if len(decoded.samples.index):
                        received.extend(decoded.samples.index.tolist())
                        arrivals_s.append(chunk.host_time_s)
                att_mtu = transport.att_mtu
        finally:
            ball.stop()
    sent = ball.peripheral.log.sample_indices_sent
    delivered = len(set(received) & set(sent))
    duration_s = arrivals_s[-1] - arrivals_s[0] if len(arrivals_s) > 1 else float("nan")
    gaps_ms = [1000 * (b - a) for a, b in itertools.pairwise(arrivals_s)]
    c = decoder.counters
    print(f"BLE delivery over BlueZoo, {args.seconds:g} s at 100 Hz, ATT MTU {att_mtu}")
    print(f"samples sent {len(sent)}, received {len(received)}, delivered {delivered}")
    print(f"delivery ratio {delivered / len(sent) if sent else float('nan'):.6f} (target 1.0)")
    print(f"decoder: lost_samples {c.lost_samples}, missing_frames {c.missing_frames}, "
          f"malformed {c.malformed}")
    print(f"notifications {notifications} (SAMPLES {len(arrivals_s)}), SAMPLES rate "
          f"{(len(arrivals_s) - 1) / duration_s:.2f}/s over {duration_s:.1f} s, all frames "
          f"{notifications / duration_s:.2f}/s")
    if gaps_ms:
        q = statistics.quantiles(gaps_ms, n=100)
        print(f"interval between notifications: median {statistics.median(gaps_ms):.1f} ms, "
              f"p99 {q[98]:.1f} ms, max {max(gaps_ms):.1f} ms")
    return 0 if sent and delivered == len(sent) else 2


if __name__ == "__main__":
    # A home of its own: a benchmark never reads or writes the user's files.
    os.environ["SMARTBALL_HOME"] = tempfile.mkdtemp(prefix="smartball-bench-")
    raise SystemExit(main())
