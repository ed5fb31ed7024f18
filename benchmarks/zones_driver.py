"""A simulated person at a terminal: runs ``smartball zones --sim feel-NAME --user NAME`` as a
real process on a pseudo-terminal (stdin and the live line), and presses Enter when the
person feels each threshold: at their marks (:func:`smartball.sim.people.feel_marks`, the same
person and seed the simulated ball plays), read against the time on the live line, as a
person watching nothing but their own foot would. Several people run side by side."""

from __future__ import annotations

import json
import os
import pty
import re
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

POLL_S = 0.01
LIVE = re.compile(r"^\s+(-?\d+\.\d) s\s+(-?\d+) N")
TIMEOUT_S = 240.0


@dataclass
class _Person:
    name: str
    marks_s: list[float]
    proc: subprocess.Popen[str]
    master: int
    started: float
    buffer: str = ""
    sent: int = 0
    shown_s: float = float("nan")
    shown_at: float = 0.0
    """When the live line last showed ``shown_s`` (monotonic seconds)."""
    screen: list[str] = field(default_factory=list)


def drive(names: list[str], seed: int, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    from smartball.sim.ball import SimulatedBall
    from smartball.sim.people_truth import feel_marks

    people: list[_Person] = []
    sel = selectors.DefaultSelector()
    for name in names:
        marks = [m.t_s for m in feel_marks(SimulatedBall(f"feel-{name}", seed=seed))]
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "smartball", "zones", "--sim", f"feel-{name}", "--seed",
             str(seed), "--user", name, "--json"],
            stdin=slave, stderr=slave, stdout=subprocess.PIPE, text=True, env=env)
        os.close(slave)
        person = _Person(name, marks, proc, master, time.monotonic())
        people.append(person)
        sel.register(master, selectors.EVENT_READ, person)
    results: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + TIMEOUT_S
    while len(results) < len(people) and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=POLL_S):
            p: _Person = key.data
            try:
                data = os.read(p.master, 4096).decode("utf-8", "replace")
            except OSError:  # the process closed its terminal
                sel.unregister(p.master)
                continue
            p.buffer += data
            *done, p.buffer = re.split(r"[\r\n]", p.buffer)
            for line in done:
                m = LIVE.match(line)
                if m:
                    p.shown_s, p.shown_at = float(m.group(1)), time.monotonic()
                elif line.strip():
                    p.screen.append(line.strip())
        for p in people:
            # The person's own sense of time between two refreshes of the line.
            now_s = p.shown_s + (time.monotonic() - p.shown_at)
            if p.sent < len(p.marks_s) and now_s >= p.marks_s[p.sent]:
                os.write(p.master, b"\n")
                p.sent += 1
        for p in people:
            if p.name in results or p.proc.poll() is None:
                continue
            out = p.proc.stdout.read() if p.proc.stdout else ""
            r: dict[str, Any] = {"exit": p.proc.returncode,
                                 "seconds": time.monotonic() - p.started, "marks": p.sent}
            try:
                r["thresholds_n"] = json.loads(out)["thresholds_n"]
            except (ValueError, KeyError):
                r["error"] = f"exit {p.proc.returncode}: " + " / ".join(p.screen[-4:])
            results[p.name] = r
    for p in people:
        if p.name not in results:
            p.proc.kill()
            results[p.name] = {"error": "no result in time: " + " / ".join(p.screen[-4:])}
        try:
            os.close(p.master)
        except OSError:
            pass
    return results
