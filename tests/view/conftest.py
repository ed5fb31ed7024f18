"""An X server for the window tests: Xvfb on a free display number, and the interactive
backend that works on it (TkAgg when tkinter can open a window there)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class XDisplay:
    display: str
    backend: str

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(DISPLAY=self.display, MPLBACKEND=self.backend)
        env.update(extra)
        return env


def _free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number between :90 and :199")


def _backend_for(display: str) -> str | None:
    probes = {
        "TkAgg": "import tkinter; tkinter.Tk().destroy()",
        "QtAgg": "from matplotlib.backends.qt_compat import QtWidgets; "
                 "QtWidgets.QApplication([])",
        "GTK4Agg": "import gi; gi.require_version('Gtk', '4.0'); from gi.repository import Gtk",
    }
    for backend, code in probes.items():
        env = dict(os.environ, DISPLAY=display)
        probe = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                               timeout=30)
        if probe.returncode == 0:
            return backend
    return None


@pytest.fixture(scope="session")
def xdisplay() -> Iterator[XDisplay]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (Debian package xvfb)")
    n = _free_display()
    proc = subprocess.Popen([xvfb, f":{n}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sock = Path(f"/tmp/.X11-unix/X{n}")
        deadline = time.monotonic() + 10.0
        while not sock.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"Xvfb :{n} did not start")
            time.sleep(0.05)
        backend = _backend_for(f":{n}")
        if backend is None:
            pytest.skip("no interactive matplotlib backend can open a window "
                        "(tkinter, Qt and GTK are all missing)")
        yield XDisplay(f":{n}", backend)
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
