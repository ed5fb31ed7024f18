"""A read-only home or a full disk: one sentence, and the live session itself goes on.

Real file systems: a small tmpfs mounted (read-only, or nearly full) over the home inside a
private mount namespace (``unshare``, as an unprivileged user namespace), where a real
``smartball live`` process runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _in_namespace(home: Path, mount: str, *argv: str) -> subprocess.CompletedProcess[str]:
    script = (f"mount -t tmpfs -o {mount} tmpfs {home} || exit 97\n"
              f"{'mount -o remount,ro ' + str(home) + ' || exit 97' if 'ro' in mount else ''}\n"
              f'exec "$@"')
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh",
         sys.executable, "-m", "smartball", *argv],
        capture_output=True, text=True, timeout=120)
    if done.returncode == 97:
        pytest.skip(f"cannot mount a tmpfs in a user namespace here: {done.stderr.strip()}")
    return done


@pytest.fixture(autouse=True)
def _needs_unshare() -> None:
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")


def _history_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "history" in ln or "kept" in ln]


def test_a_read_only_home_gives_one_sentence_and_the_session_goes_on(
        smartball_home: Path) -> None:
    done = _in_namespace(smartball_home, "size=1m,ro", "live", "--sim", "--no-plot",
                         "--seconds", "2")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    [line] = _history_lines(done.stderr)
    assert "not kept" in line and "Read-only file system" in line
    assert "samples in 2.0 s" in done.stderr  # the session ran to its end


def test_a_disk_that_fills_mid_session_gives_a_sentence_and_the_session_goes_on(
        smartball_home: Path) -> None:
    done = _in_namespace(smartball_home, "size=8k", "live", "--sim", "--no-plot",
                         "--seconds", "3", "--events", "-")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = _history_lines(done.stderr)
    assert "stops here" in lines[0] and "No space left on device" in lines[0]
    assert "the session goes on" in lines[0]
    assert "samples in 3.0 s" in done.stderr
    # Events went on to the end of the session, after the disk was full.
    assert done.stdout.count("\n") > 3 and '"type": "status"' in done.stdout
