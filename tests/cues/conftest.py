"""A simulated session recorded once for the cue tests, with its ground truth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def demo_recording(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """90 s of the ``demo`` scenario: two holds of over 10 s and a too-hard press."""
    path = tmp_path_factory.mktemp("cues") / "demo.sbr"
    subprocess.run([sys.executable, "-m", "smartball", "simulate", "demo", "--seed", "3",
                    "--out", str(path)], check=True, capture_output=True)
    truth = json.loads(Path(str(path) + ".truth.json").read_text())
    return path, truth


def smartball(*argv: str, env: dict[str, str] | None = None, timeout: float = 120,
              check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "smartball", *argv], capture_output=True,
                          text=True, timeout=timeout, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done
