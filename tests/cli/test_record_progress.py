"""``smartball record`` on a terminal keeps one line up to date (time, samples, lost, the
zone), rewritten in place; piped, it prints only its summary. Real processes, a real
pseudo-terminal."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from smartball.cli.progress import ERASE

SRC = str(Path(__file__).resolve().parents[2] / "src")
LINE = re.compile(r"recording (\d\d):(\d\d) · ([\d,]+) samples · ([\d,]+) lost"
                  r"(?: · zone (\w[\w ]*))?")


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=SRC, SMARTBALL_HOME=str(home), COLUMNS="120")


def on_a_terminal(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run ``argv`` with stdin, stdout and stderr on a new pseudo-terminal; all it wrote."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                            close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 4096)
                except OSError:  # the other end closed (EIO)
                    break
                if not data:
                    break
                out += data
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.wait(), out.decode("utf-8", "replace")


def test_on_a_terminal_one_line_is_rewritten_in_place(tmp_path: Path) -> None:
    rc, out = on_a_terminal([sys.executable, "-m", "smartball", "record", "--sim", "demo",
                             "--seconds", "6", "--out", "s.sbrec", "--no-history"],
                            _env(tmp_path / "home"), tmp_path)
    assert rc == 0, out
    drawn = out.split(ERASE)
    lines = [LINE.fullmatch(d) for d in drawn[1:-1]]
    assert len(lines) >= 10 and all(lines), drawn[:3]
    samples = [int(m.group(3).replace(",", "")) for m in lines if m]
    seconds = [60 * int(m.group(1)) + int(m.group(2)) for m in lines if m]
    assert samples == sorted(samples) and samples[-1] > 400
    assert seconds[0] == 0 and seconds[-1] in (5, 6)  # a last draw may fall on the end
    zones = [m.group(5) for m in lines if m and m.group(3) != "0"]
    assert all(zones) and set(zones) >= {"rest", "light"}  # the demo starts to roll
    assert "\n" not in "".join(drawn[1:-1])  # one line, never a new one
    # The line is wiped before the summary, which starts on a clean line.
    assert drawn[-1].startswith("smartball: ") and "samples in 6.0 s" in drawn[-1]
    assert (tmp_path / "s.sbrec").stat().st_size > 10_000


def test_piped_it_prints_only_the_summary(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "smartball", "record", "--sim", "demo",
                           "--seconds", "2", "--out", "s.sbrec", "--no-history"],
                          env=_env(tmp_path / "home"), cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        line for line in proc.stderr.splitlines() if line.startswith("smartball: ")]
    assert "\r" not in proc.stderr and "\x1b" not in proc.stderr
    assert "samples in 2.0 s; recorded to s.sbrec" in proc.stderr
