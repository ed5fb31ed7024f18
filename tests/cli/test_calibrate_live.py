"""``smartball calibrate --port`` end to end: a real process, the simulated ball's serial
stream on a pseudo-terminal (the 'firm' ball on the scale-calibration scenario, played 40
times faster than real time once the host has sent START), and the scale's readings typed on
stdin as the process asks for them, taken from what the simulation's scale showed."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from smartball.io.calibration_file import load_calibration
from smartball.sim.ball import SimulatedBall
from smartball.sim.catalog import load_scenario
from smartball.sim.marks import marks_for
from tests.transport.ballbytes import PtyBall

SRC = str(Path(__file__).resolve().parents[2] / "src")
SPEED = 40.0
TIMEOUT_S = 90.0


class Talk:
    """A running calibrate process: its stderr lines as they come, for answering its
    questions, and its stdout whole at the end. Each pipe has its own reader thread, so no
    pipe is closed under a reader (``communicate`` would close stderr under ours)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.said: queue.Queue[str] = queue.Queue()
        self._out: list[str] = []
        self._readers = [
            threading.Thread(target=lambda: [self.said.put(ln) for ln in proc.stderr or ()],
                             daemon=True),
            threading.Thread(target=lambda: self._out.extend(proc.stdout or ()), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def finish(self) -> str:
        """Close stdin, wait for the process and its readers; what it wrote to stdout."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=TIMEOUT_S)
        for reader in self._readers:
            reader.join(timeout=TIMEOUT_S)
        return "".join(self._out)


def play(ball: PtyBall, chunks: list[tuple[float, bytes]], stop: threading.Event) -> None:
    """Wait for the host's START, then write the stream at ``SPEED`` times real time."""
    deadline = time.monotonic() + TIMEOUT_S
    while not ball.commands and time.monotonic() < deadline and not stop.is_set():
        time.sleep(0.01)
    os.set_blocking(ball.master, False)  # a host that has finished reads no more
    start = time.monotonic()
    for t_s, data in chunks:
        ahead = t_s / SPEED - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
        view = memoryview(data)
        while view:
            if stop.is_set():
                return
            try:
                view = view[os.write(ball.master, view):]
            except BlockingIOError:
                time.sleep(0.005)
            except OSError:
                return


def test_interactive_calibration_finds_the_simulated_ball(tmp_path: Path) -> None:
    sim = SimulatedBall(load_scenario("scale-calibration").on_ball("firm"), seed=0)
    truth = sim.scenario.ball
    readings = [f"{m.load_kg:.1f}" for m in marks_for(sim)]
    readings[1] += " kg"  # as a user might type them
    readings[2] = f"{float(readings[2]) * 9.80665:.0f} N"
    chunks = list(sim.serial_chunks())
    ball = PtyBall(tmp_path / "ttyBALL")
    out = tmp_path / "firm.json"
    rec = tmp_path / "firm.sbrec"
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "calibrate", "--port", str(ball.link), "--out",
         str(out), "--record", str(rec)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env)
    stop = threading.Event()
    player = threading.Thread(target=play, args=(ball, chunks, stop), daemon=True)
    player.start()
    talk = Talk(proc)
    said = talk.said
    transcript = []
    answered = 0
    try:
        assert proc.stdin is not None
        deadline = time.monotonic() + TIMEOUT_S
        while answered < 6 and time.monotonic() < deadline:
            try:
                line = said.get(timeout=1.0)
            except queue.Empty:
                if proc.poll() is not None:
                    break
                continue
            transcript.append(line)
            if "What did the scale read?" in line:
                proc.stdin.write(readings[answered] + "\n")
                proc.stdin.flush()
                answered += 1
        stdout = talk.finish()
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
        player.join()
        ball.close()
    transcript += list(said.queue)
    assert proc.returncode == 0, "".join(transcript)
    assert answered == 6
    assert any("press to about 3 kg and hold steady" in ln for ln in transcript)
    assert not any("simulated scale" in ln for ln in transcript)  # a ball on a port
    assert "settles with" in stdout

    cal = load_calibration(out)
    loads = np.linspace(cal.points[0][0], cal.points[-1][0], 50)
    gain_err = cal.rise_pa(loads) / truth.settled_rise_pa(loads) - 1.0
    assert np.max(np.abs(gain_err)) < 0.03
    assert abs(cal.overshoot - truth.overshoot) < 0.05
    assert abs(cal.tau_s / truth.tau_s - 1.0) < 0.2
    assert cal.ball is not None and cal.created is not None

    # The recording and the marks it kept give the same calibration offline.
    marks = rec.with_name(rec.name + ".marks.csv")
    assert len(marks.read_text().splitlines()) == 7
    again = tmp_path / "again.json"
    done = subprocess.run(
        [sys.executable, "-m", "smartball", "calibrate", "--from", str(rec), "--marks",
         str(marks), "--out", str(again)], env=env, capture_output=True, text=True,
        timeout=TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    cal2 = load_calibration(again)
    # (the marks keep times to 0.01 s and loads to 1 g)
    assert np.array(cal2.points) == pytest.approx(np.array(cal.points), rel=2e-3)
    assert cal2.overshoot == pytest.approx(cal.overshoot, abs=2e-3)


def test_the_simulated_ball_shows_its_scale(tmp_path: Path) -> None:
    """``calibrate --sim``: a real process that says, for each hold, what the simulated
    scale reads; typing those readings back calibrates the simulated ball."""
    out = tmp_path / "sim.json"
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "calibrate", "--sim", "--seed", "3", "--speed",
         "40", "--out", str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env)
    talk = Talk(proc)
    said = talk.said
    transcript, shown = [], []
    try:
        assert proc.stdin is not None
        deadline = time.monotonic() + TIMEOUT_S
        while len(shown) < 6 and time.monotonic() < deadline:
            try:
                line = said.get(timeout=1.0)
            except queue.Empty:
                if proc.poll() is not None:
                    break
                continue
            transcript.append(line)
            if "the simulated scale reads" in line:
                kg = line.split("reads")[1].split("kg")[0].strip()
                shown.append(float(kg))
                proc.stdin.write(kg + "\n")
                proc.stdin.flush()
        stdout = talk.finish()
    finally:
        if proc.poll() is None:
            proc.kill()
    transcript += list(said.queue)
    assert proc.returncode == 0, "".join(transcript)
    # Each hold's reading is the simulated force held, from the truth: the loads planned.
    sim = SimulatedBall(load_scenario("scale-calibration"), seed=3)
    planned = [p.force_n / 9.80665 for p in sim.plan if p.mark][:6]
    assert shown == pytest.approx(planned, rel=0.05)
    cal = load_calibration(out)
    truth = sim.scenario.ball
    loads = np.linspace(cal.points[0][0], cal.points[-1][0], 50)
    assert np.max(np.abs(cal.rise_pa(loads) / truth.settled_rise_pa(loads) - 1.0)) < 0.03
    assert "settles with" in stdout


def test_speed_goes_with_the_simulated_ball_only(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=SRC)
    done = subprocess.run(
        [sys.executable, "-m", "smartball", "calibrate", "--replay", str(tmp_path / "x"),
         "--speed", "4"], env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode != 0 and "--speed" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "smartball", "calibrate", "--sim", "--speed", "0"], env=env,
        capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode != 0 and "speed" in done.stderr and "Traceback" not in done.stderr
