"""Writing a simulated session to disk: the capture, and its ground truth beside it.

``write_session`` is what ``smartball simulate --out`` calls. It writes a raw serial capture
(exactly the bytes a host would have read from the port); a recording format with host
timestamps can take its place here without touching the simulator or the command.
"""

from __future__ import annotations

from pathlib import Path

from smartball.sim.ball import SimulatedBall


def truth_path(path: Path) -> Path:
    """Where the truth of a capture goes: the capture's name plus ``.truth.json``."""
    return path.with_name(path.name + ".truth.json")


def write_serial_capture(path: Path, ball: SimulatedBall) -> int:
    """The whole session as raw serial bytes; returns the number of bytes written."""
    data = ball.serial_bytes()
    path.write_bytes(data)
    return len(data)


def write_session(path: Path, ball: SimulatedBall) -> tuple[Path, Path]:
    """Capture at ``path``, truth at :func:`truth_path`; returns both paths."""
    write_serial_capture(path, ball)
    tpath = truth_path(path)
    tpath.write_text(ball.truth.to_json() + "\n", encoding="utf-8")
    return path, tpath
