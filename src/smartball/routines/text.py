"""Routines and routine results in words, for the terminal."""

from __future__ import annotations

from typing import Any

from smartball.routines.model import Routine
from smartball.timefmt import mmss

NO_IMU = ("strokes need an IMU (a board with gyro and accelerometer); this ball has none, "
          "so steps are scored on pressure and holds only")


def targets_words(targets: list[str] | tuple[str, ...]) -> str:
    if not targets:
        return "ball unloaded"
    if len(targets) == 1:
        return targets[0]
    return f"{targets[0]} to {targets[-1]}"


def describe_routine(r: Routine) -> str:
    lines = [f"{r.name}: {r.title} ({mmss(r.seconds)})"]
    if r.part != "foot":
        lines.append(f"  for: the {r.part}")
    lines.append(f"  when: {r.when}")
    if r.position:
        lines.append(f"  position: {r.position}")
    for i, s in enumerate(r.steps, 1):
        lines.append(f"  {i:>2}. {mmss(s.seconds):>5}  {s.name}: {r.motion_words[s.motion]}, "
                     f"{targets_words(s.targets)}")
    return "\n".join(lines) + "\n"


def percent(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:3.0f} %"


def format_routine_result(d: dict[str, Any]) -> str:
    """The ``routine`` object of ``analyze --json`` in words."""
    lines = [f"  routine: {d['name']} ({d['title']})"]
    if d["started_s"] is None:
        lines.append("    never started: the ball was never loaded (10 N or more)")
        return "\n".join(lines) + "\n"
    done = "completed" if d["completed"] else "not completed"
    lines.append(f"    started at {mmss(d['started_s'])}, {done}; adherence "
                 f"{percent(d['adherence']).strip()}")
    for i, s in enumerate(d["steps"], 1):
        if s["start_s"] is None:
            lines.append(f"    {i:>2}. {s['name']}: not reached")
            continue
        parts = [f"{mmss(s['start_s'])}-{mmss(s['end_s'])}"]
        if s["targets"]:
            parts.append(f"in target {percent(s['in_target_fraction']).strip()}")
            parts.append(f"adherence {percent(s['adherence']).strip()}")
        if s["motion"] == "holds" or s["holds"]:
            parts.append(f"{s['holds']} hold{'s' if s['holds'] != 1 else ''}")
        if s["too_hard"]:
            parts.append(f"too hard {s['too_hard']}x")
        st = s["strokes"]
        if st is not None and st["count"]:
            parts.append(f"{st['count']} strokes ({st['along']} along, {st['across']} across, "
                         f"{st['median_length_cm']:.0f} cm)")
        lines.append(f"    {i:>2}. {s['name']}: {', '.join(parts)}")
    if not d["imu"]:
        lines.append(f"    {NO_IMU}")
    return "\n".join(lines) + "\n"
