"""Latency of a sound cue: from the moment the ball writes the frame that makes the too-hard
warning due to the moment the cue's first sample comes out of the sound server.

The ball is this script, on the far end of a pseudo-terminal (as in live_latency_pty.py: INFO,
STATUS, SAMPLES of two samples every 20 ms at 100 Hz, a 250 N press of 0.2 s every
``--period`` seconds). ``smartball live --port PTY --no-plot --cues sound`` is a separate
process playing into a user-space PulseAudio with a null sink (tests/cues/sound_server.py),
whose monitor this script records with ``parec``, time-stamping what it reads: the onset of
each tone, minus the time the press's first frame was written, is the latency. That includes
the decoder, the processing, the queue to the audio callback, the library's and the sound
server's buffers: an upper bound on "the first sample leaves the library". Each library
(``--backend sounddevice|miniaudio``, default both) runs as its own session.

    PYTHONPATH=src:. python benchmarks/cue_latency.py [--presses 30] [--period 1.5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import tty
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.cues.sound_server import SoundServer, missing_tools  # noqa: E402

from smartball.protocol import Info, Samples, Status, encode_serial  # noqa: E402

RATE_HZ = 100
PER_FRAME = 2
BASE_PA = 101_325.0
PA_PER_N = 60.0
PRESS_N = 250.0
PRESS_S = 0.2


def one_run(backend: str, presses: int, period_s: float
            ) -> tuple[list[float], list[float], int]:
    """Latencies (s) of the presses heard, of their too_hard event lines, and the number
    of presses."""
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    with SoundServer() as server, tempfile.TemporaryDirectory() as tmp:
        env = dict(server.env(), PYTHONPATH=str(ROOT / "src"), SMARTBALL_AUDIO=backend,
                   SMARTBALL_HOME=tmp)
        recorder = server.record()
        proc = subprocess.Popen(
            [sys.executable, "-m", "smartball", "live", "--port", path, "--no-plot",
             "--events", "-", "--cues", "sound", "--no-history"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, bufsize=1)
        connected = threading.Event()
        warned: list[float] = []  # when each too_hard event line was read

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                kind = json.loads(line)["type"]
                if kind == "connected":
                    connected.set()
                elif kind == "too_hard":
                    warned.append(time.monotonic())

        def drain_commands() -> None:
            while True:
                try:
                    if not os.read(master, 4096):
                        return
                except OSError:
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=drain_commands, daemon=True).start()
        if not connected.wait(30):
            proc.kill()
            raise SystemExit(f"smartball live did not connect: {proc.stderr.read()}")
        time.sleep(0.3)
        info = Info(0, 0, (1, 0, 0), b"\x01" * 8, 42, 1_000_000 // RATE_HZ, 1, 0.0, 0.0, 80,
                    "SmartBall-BENC")
        seq = 1
        os.write(master, encode_serial(info))
        period_frames = round(period_s * RATE_HZ / PER_FRAME)
        lead_frames = int(3.0 * RATE_HZ / PER_FRAME)
        press_frames = int(PRESS_S * RATE_HZ / PER_FRAME)
        total = lead_frames + presses * period_frames
        press_written: list[float] = []
        t0 = time.perf_counter()
        for f in range(total):
            due = t0 + f * PER_FRAME / RATE_HZ
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            k = f - lead_frames
            pressed = k >= 0 and k % period_frames < press_frames
            force = PRESS_N if pressed else 0.0
            p = np.full(PER_FRAME, round((BASE_PA + PA_PER_N * force) * 100), np.uint32)
            os.write(master, encode_serial(Samples(seq & 0xFFFF, f * PER_FRAME, 1, 2200, p,
                                                   None, None)))
            seq += 1
            if pressed and k % period_frames == 0:
                press_written.append(time.monotonic())
            if f % (RATE_HZ // PER_FRAME) == 0:
                os.write(master, encode_serial(Status(seq & 0xFFFF, f * 20, 4000, 90, 0, 0)))
                seq += 1
        time.sleep(1.0)
        proc.terminate()
        proc.wait(10)
        recorder.stop()
        err = proc.stderr.read() if proc.stderr else ""
        if "no sound" in err:
            raise SystemExit(f"{backend}: {err.strip()}")
        heard = recorder.onsets_mono()
    os.close(master)
    os.close(slave)
    latencies = []
    events = []
    for w in press_written:
        after = [h - w for h in heard if 0 <= h - w < 0.5]
        if after:
            latencies.append(min(after))
        ev = [e - w for e in warned if 0 <= e - w < 0.5]
        if ev:
            events.append(min(ev))
    return latencies, events, len(press_written)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=30)
    ap.add_argument("--period", type=float, default=1.5)
    ap.add_argument("--backend", choices=("sounddevice", "miniaudio"), action="append")
    args = ap.parse_args()
    missing = missing_tools()
    if missing:
        raise SystemExit(missing)
    for backend in args.backend or ["sounddevice", "miniaudio"]:
        lat, ev, n = one_run(backend, args.presses, args.period)
        ms = np.array(lat) * 1000
        ev_ms = np.array(ev) * 1000
        if len(ev_ms):
            print(f"{backend}: the too_hard event line (same process, --events -): median "
                  f"{np.median(ev_ms):.1f} ms, p95 {np.percentile(ev_ms, 95):.1f} ms")
        if not len(ms):
            print(f"{backend}: no cue heard for {n} presses")
            continue
        p95 = float(np.percentile(ms, 95))
        print(f"{backend}: {len(ms)} of {n} presses heard; frame written -> tone out of the "
              f"sound server: median {np.median(ms):.1f} ms, p95 {p95:.1f} ms, "
              f"max {ms.max():.1f} ms  (target p95 <= 100: {'met' if p95 <= 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
