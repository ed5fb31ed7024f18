"""``--no-plot`` on a terminal: a one-line gauge rewritten in place (in a real pseudo-
terminal); nothing of it when stdout is a pipe or carries ``--events -``."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from smartball.view.gauge import Gauge, StepClock, mmss


def run_in_pty(*argv: str, timeout_s: float = 90) -> str:
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "smartball", *argv], stdin=slave,
                            stdout=slave, stderr=subprocess.PIPE, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            out += data
        elif proc.poll() is not None:
            break
    proc.wait(10)
    os.close(master)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return out.decode()


def test_the_gauge_updates_in_place_on_a_terminal(
        demo_recording: tuple[Path, dict[str, Any]]) -> None:
    recording, _ = demo_recording
    out = run_in_pty("replay", str(recording), "--speed", "6", "--no-plot", "--cues", "none")
    lines = out.split("\r")
    updates = [u for u in lines if " N" in u]
    assert len(updates) >= 20  # about five a second
    assert out.count("\n") <= 2  # one line, rewritten; a newline at the end
    words = {u.split()[0] for u in updates}
    assert {"rest", "moderate"} <= words and "TOO" in words  # TOO HARD
    assert any(re.search(r"hold\s+\d+ s", u) for u in updates)


def test_no_gauge_on_a_pipe_or_with_events_on_stdout(
        demo_recording: tuple[Path, dict[str, Any]]) -> None:
    recording, _ = demo_recording
    piped = subprocess.run([sys.executable, "-m", "smartball", "replay", str(recording),
                            "--speed", "max", "--no-plot"], capture_output=True, text=True,
                           timeout=120)
    assert piped.returncode == 0 and piped.stdout == ""
    out = run_in_pty("replay", str(recording), "--speed", "max", "--no-plot", "--events", "-")
    assert "\r" not in out.replace("\r\n", "\n")
    assert all(line.startswith("{") for line in out.splitlines() if line)


@pytest.mark.parametrize("seconds, text", [(0.2, "0:01"), (59.0, "0:59"), (61.5, "1:02")])
def test_time_left_reads_in_minutes_and_seconds(seconds: float, text: str) -> None:
    assert mmss(seconds) == text


def test_the_gauge_names_the_step_and_its_time_left() -> None:
    from smartball.events import Event

    class Out:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

        def flush(self) -> None:
            pass

    gauge = Gauge(Out(), clock=StepClock())  # type: ignore[arg-type]
    gauge.on_event(Event(10.0, "step_start", {"step": 2, "name": "arch", "seconds": 90}))
    gauge.t_s, gauge.word, gauge.force_n = 25.0, "moderate", 62.0
    assert gauge.line().split() == ["moderate", "62", "N", "step", "2", "arch,", "1:15",
                                    "left"]
