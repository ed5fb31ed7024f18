"""The text and JSON forms of the history: what ``smartball history`` prints."""

from __future__ import annotations

import time
from typing import Any

from smartball.history.row import SessionRow
from smartball.timefmt import mmss


def since_days(days: int, now_s: float | None = None) -> float:
    """Unix time of local midnight ``days - 1`` days ago: the last ``days`` calendar days,
    today included."""
    now = time.localtime(time.time() if now_s is None else now_s)
    midnight = time.mktime((now.tm_year, now.tm_mon, now.tm_mday - (days - 1), 0, 0, 0, 0, 0,
                            -1))
    return midnight


def when(started_at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(started_at))


def as_json(row: SessionRow) -> dict[str, Any]:
    d = row.as_dict()
    d["started"] = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(row.started_at))
    d["time_in_zone_s"] = {z: d.pop(f"{z}_s") for z in
                           ("rest", "light", "moderate", "deep", "too_hard")}
    d["id"] = row.id
    return d


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100.0 * x:.0f} %"


HEADER = (f"{'id':>5}  {'started':<16}  {'who':<10}  {'length':>6}  {'routine':<17}  "
          f"{'light':>5}  {'moder.':>6}  {'deep':>5}  {'holds':>7}  {'too hard':>8}  "
          f"{'adher.':>6}")


def who(row: SessionRow) -> str:
    """Whose session, and the body part unless the foot: ``Ann``, ``Ann (back)``."""
    name = "-" if row.user == "default" else row.user
    return name if row.part == "foot" else f"{name} ({row.part})"


def table(rows: list[SessionRow]) -> str:
    """One line a session, newest last, and a total."""
    lines = [HEADER]
    for r in rows:
        holds = f"{r.holds_reached}/{r.holds}" if r.holds else "0"
        lines.append(
            f"{r.id:>5}  {when(r.started_at):<16}  {who(r)[:10]:<10}  {mmss(r.duration_s):>6}  "
            f"{(r.routine or '-')[:17]:<17}  {mmss(r.light_s):>5}  {mmss(r.moderate_s):>6}  "
            f"{mmss(r.deep_s):>5}  {holds:>7}  {r.too_hard_presses:>8}  "
            f"{_pct(r.adherence):>6}"
        )
    total = sum(r.duration_s for r in rows)
    lines.append(f"{len(rows)} session{'s' if len(rows) != 1 else ''}, {mmss(total)} in all; "
                 "holds are reached/all; 'smartball history show ID' tells more")
    return "\n".join(lines) + "\n"


def _ball(row: SessionRow) -> str:
    """The ball and its calibration: ``cork, calibration .../balls/cork.json``."""
    if row.calibration is None:
        return row.ball or "the reference ball (60 Pa/N)"
    return f"{row.ball or 'unnamed'}, calibration {row.calibration}"


def details(row: SessionRow, recording_exists: bool) -> str:
    """Everything the history holds about one session."""
    zones = [("light", row.light_s), ("moderate", row.moderate_s), ("deep", row.deep_s),
             ("too hard", row.too_hard_s), ("rest", row.rest_s)]
    dur = row.duration_s
    lines = [
        f"session {row.id}: {row.command}, started {when(row.started_at)}, "
        f"{mmss(dur)} ({dur:.1f} s)",
        f"  device:      {row.device or 'unknown'}",
        f"  person:      {'the default person' if row.user == 'default' else row.user}, "
        f"{row.part}" + (f", zones {row.zones_n} N" if row.zones_n else ""),
        f"  routine:     {row.routine or 'none'}"
        + (f", adherence {_pct(row.adherence)}" if row.adherence is not None else ""),
        f"  ball:        {_ball(row)}",
        "  time in zone:",
    ]
    for name, secs in zones:
        share = 100.0 * secs / dur if dur > 0 else 0.0
        lines.append(f"    {name:<9} {mmss(secs):>7}  {share:5.1f} %")
    lines.append(f"  holds: {row.holds} ({row.holds_reached} reached the target)")
    lines.append(f"  too hard: {row.too_hard_presses} time"
                 f"{'s' if row.too_hard_presses != 1 else ''}"
                 + (f"; max force measured {row.max_force_n:.0f} N" if row.max_force_n is not None
                    else ""))
    if row.beyond_s:
        lines.append(f"  beyond what the ball can measure: {mmss(row.beyond_s)} "
                     f"({row.beyond_s:.1f} s)")
    if row.lost_samples:
        lines.append(f"  lost samples: {row.lost_samples}")
    state = "" if recording_exists else " (missing: moved or deleted)"
    lines.append(f"  recording: {row.recording or 'none'}{state}")
    if row.torn_bytes:
        lines.append(f"    cut off at the end ({row.torn_bytes} bytes of a partial record)")
    return "\n".join(lines) + "\n"
