"""A real sound stack in user space for tests and benchmarks: Debian's ``pulseaudio`` with a
null sink, in its own runtime folder, and a recorder of the sink's monitor (``parec``) that
time-stamps what it reads, so that the start of each sound can be found in monotonic time.

``with SoundServer() as server:`` sets ``PULSE_SERVER`` for this process (and its children,
through ``server.env()``); PortAudio (through ALSA's pulse plugin) and miniaudio play into the
null sink. ``server.record()`` starts the monitor's recorder; ``recorder.onsets_mono()`` gives
the monotonic times at which sound started after silence.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import numpy as np

RATE_HZ = 48_000
READ_FRAMES = 240
"""The recorder reads 5 ms at a time; each read is time-stamped when it returns."""


def missing_tools() -> str | None:
    for tool, package in (("pulseaudio", "pulseaudio"), ("parec", "pulseaudio-utils")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian package {package})"
    return None


class MonitorRecorder:
    def __init__(self, server: str) -> None:
        self._proc = subprocess.Popen(
            ["parec", "--server", server, "-d", "null.monitor", "--raw", "--format=float32le",
             f"--rate={RATE_HZ}", "--channels=1", "--latency-msec=5"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._chunks: list[tuple[float, np.ndarray]] = []  # (monotonic at read end, samples)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        want = READ_FRAMES * 4
        buf = b""
        while True:
            data = os.read(fd, want - len(buf))
            if not data:
                return
            buf += data
            if len(buf) >= want:
                self._chunks.append((time.monotonic(), np.frombuffer(buf, dtype="<f4").copy()))
                buf = b""

    def stop(self) -> None:
        self._proc.terminate()
        self._proc.wait(5)
        self._thread.join(5)

    def samples(self) -> tuple[np.ndarray, np.ndarray]:
        """All samples so far, and each one's monotonic time (from its read's end)."""
        chunks = list(self._chunks)
        if not chunks:
            return np.zeros(0), np.zeros(0)
        x = np.concatenate([c for _, c in chunks])
        t = np.concatenate([end - (len(c) - 1 - np.arange(len(c))) / RATE_HZ
                            for end, c in chunks])
        return x.astype(np.float64), t

    def onsets_mono(self, threshold: float = 0.02, quiet_s: float = 0.1) -> list[float]:
        x, t = self.samples()
        loud = np.flatnonzero(np.abs(x) > threshold)
        if len(loud) == 0:
            return []
        starts = np.concatenate(([loud[0]], loud[1:][np.diff(loud) > quiet_s * RATE_HZ]))
        return [float(t[k]) for k in starts]


class SoundServer:
    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="smartball-pulse-"))
        self.socket = self._dir / "pulse" / "native"
        self.address = f"unix:{self.socket}"
        self._proc: subprocess.Popen[bytes] | None = None
        self._old: dict[str, str | None] = {}

    def env(self) -> dict[str, str]:
        return dict(os.environ, PULSE_SERVER=self.address, XDG_RUNTIME_DIR=str(self._dir))

    def __enter__(self) -> SoundServer:
        self._proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes",
             "--use-pid-file=no", "-L", "module-native-protocol-unix",
             "-L", "module-null-sink sink_name=null", "-L", "module-always-sink"],
            env=dict(os.environ, XDG_RUNTIME_DIR=str(self._dir), HOME=str(self._dir)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            ok = subprocess.run(["pactl", "--server", self.address, "info"],
                                capture_output=True).returncode == 0
            if ok:
                break
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("pulseaudio did not start")
            time.sleep(0.1)
        for key, value in (("PULSE_SERVER", self.address), ("XDG_RUNTIME_DIR", str(self._dir))):
            self._old[key] = os.environ.get(key)
            os.environ[key] = value
        return self

    def record(self) -> MonitorRecorder:
        rec = MonitorRecorder(self.address)
        time.sleep(0.3)  # the recorder is connected and reading
        return rec

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for key, value in self._old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)
