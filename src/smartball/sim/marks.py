"""The marks a person notes while calibrating a ball on a scale (DESIGN.md, "The ball's
response, and calibration"): one row per held load, ``start_s,end_s,load_kg``, times in the
recording's own seconds from its first sample, the window in which that load was steady.

A person is not a stopwatch: each window starts a little after or before the load became
steady and ends a little before or after the hand eased off (up to about a second), times are
noted to 0.1 s, and the scale is read to 0.1 kg (its typical reading in the window: a hand
wobbles). The phases marked ``"mark": true`` in a scenario are the held loads.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from smartball.sim.ball import SimulatedBall

G_MPS2 = 9.80665
HEADER = ("start_s", "end_s", "load_kg")
EARLY_START_S, LATE_START_S = 0.3, 1.2
"""A window starts up to this much before / after the load became steady."""
EARLY_END_S, LATE_END_S = 1.2, 0.3
"""A window ends up to this much before / after the hand began to ease off."""


@dataclass(frozen=True, slots=True)
class Mark:
    start_s: float
    """In the recording's own seconds from its first sample."""
    end_s: float
    load_kg: float

    @property
    def load_n(self) -> float:
        return self.load_kg * G_MPS2


def marks_path(path: Path) -> Path:
    """Where the marks of a recording go: its name plus ``.marks.csv``."""
    return path.with_name(path.name + ".marks.csv")


def first_sample_s(ball: SimulatedBall) -> float:
    """Session time of the first sample a serial host receives (later than 0 where the host
    attached mid-stream): time 0 of the recording's own seconds."""
    from smartball.protocol.decoder import StreamDecoder

    decoder = StreamDecoder()
    for _t, data in ball.serial_chunks():
        block = decoder.feed(data).samples
        if len(block):
            row = int(ball.truth.lookup(block.segment[:1], block.index[:1])[0])
            return float(ball.truth.t_s[row]) if row >= 0 else 0.0
    return 0.0


def marks_for(ball: SimulatedBall) -> list[Mark]:
    """The marks a person would note for the marked phases of the ball's session (none if
    the scenario marks no phase). Reproducible for the ball's seed."""
    phases = [p for p in ball.plan if p.mark]
    if not phases:
        return []
    rng = np.random.default_rng([ball.seed, 8])
    t0 = first_sample_s(ball)
    t = ball.truth.t_s
    force = ball.truth.force_n
    last_s = float(t[-1])
    marks = []
    for p in phases:
        steady_s = p.start_s + p.ramp_s
        start = steady_s + rng.uniform(-EARLY_START_S, LATE_START_S)
        end = p.end_s + rng.uniform(-EARLY_END_S, LATE_END_S)
        start, end = max(start, t0), min(end, last_s)
        if end - start < 1.0:
            continue
        rows = (t >= max(start, steady_s)) & (t <= min(end, p.end_s))
        load_kg = float(np.median(force[rows])) / G_MPS2
        marks.append(Mark(round(start - t0, 1), round(end - t0, 1), round(load_kg, 1)))
    return marks


def scale_reading_kg(ball: SimulatedBall, segment: np.ndarray, index: np.ndarray) -> float | None:
    """What the simulated scale under the ball showed while the samples ``segment``/``index``
    (as received) were taken, read the way a person reads a scale: its typical reading over
    that time (a hand wobbles), to 0.1 kg. None if the truth knows none of those samples."""
    rows = ball.truth.lookup(segment, index)
    rows = rows[rows >= 0]
    if not len(rows):
        return None
    return round(float(np.median(ball.truth.force_n[rows])) / G_MPS2, 1)


def marks_csv(marks: list[Mark]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for m in marks:
        writer.writerow([f"{m.start_s:.1f}", f"{m.end_s:.1f}", f"{m.load_kg:.1f}"])
    return out.getvalue()


def write_marks(path: Path, marks: list[Mark]) -> None:
    path.write_text(marks_csv(marks), encoding="utf-8")


def read_marks(path: Path) -> list[Mark]:
    """Marks written by :func:`write_marks` (``start_s,end_s,load_kg``)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [Mark(float(r["start_s"]), float(r["end_s"]), float(r["load_kg"])) for r in rows]
