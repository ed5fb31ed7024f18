"""Thresholds from a feel session (pure, no I/O).

The person presses slowly harder, three times, and marks when it starts to feel moderate,
when it starts to feel deep, and the most they would want (the edge of too much). Each
threshold is the median, over the ramps, of the force at its marks. A mark comes a reaction
time after the feeling (a person is not a switch: about a quarter to half a second), so the
force is read :data:`REACTION_S` before the mark, over a short window.

A ramp is one loaded stretch of the session (the force above :data:`LOADED_N` between two
releases); its marks must come in the order moderate, deep, too hard. The light threshold is
not felt: it stays the part's default, or half the person's moderate where that is lower.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from smartball.errors import InputError, InputFileNotFound
from smartball.people.parts import Thresholds, default_thresholds
from smartball.people.zones import check_thresholds

FEELS = ("moderate", "deep", "too_hard")
REACTION_S = 0.3
"""Typical time from a feeling to the key press (simple reaction time of an adult)."""
WINDOW_S = 0.2
"""The force at a mark is the median over this long, centred :data:`REACTION_S` before it."""
LOADED_N = 3.0
"""Above this the ball is pressed (a ramp); below it, released between ramps."""
MIN_RAMPS = 2


@dataclass(frozen=True, slots=True)
class FeelMark:
    t_s: float
    feel: str


@dataclass(frozen=True, slots=True)
class FeelResult:
    thresholds_n: Thresholds
    ramps: list[tuple[float, float, float]]
    """The force at the moderate, deep and too-hard marks of each complete ramp."""
    spread_n: tuple[float, float, float]
    """Max - min over the ramps, per felt threshold."""
    marks_used: int


def feel_path(path: Path) -> Path:
    """Where a recording's feel marks go: its name plus ``.feel.csv``."""
    return path.with_name(path.name + ".feel.csv")


def feel_csv(marks: list[FeelMark]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(("t_s", "feel"))
    for m in marks:
        w.writerow((f"{m.t_s:.2f}", m.feel))
    return out.getvalue()


def read_feel_marks(path: str | Path) -> list[FeelMark]:
    """``t_s,feel`` rows (``#`` comments allowed); one sentence on anything else."""
    p = Path(path)
    if not p.is_file():
        raise InputFileNotFound(f"{p} does not exist; give --marks the t_s,feel file of the "
                                "feel session")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {p} ({exc}); give a t_s,feel CSV file") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader(lines))
    if not rows or [c.strip().lower() for c in rows[0]][:2] != ["t_s", "feel"]:
        raise InputError(f"{p.name} does not start with the header t_s,feel; write one row "
                         "per mark: the time in seconds and moderate, deep or too_hard")
    marks = []
    for k, row in enumerate(rows[1:], start=2):
        try:
            t = float(row[0])
            feel = row[1].strip().lower().replace(" ", "_").replace("-", "_")
        except (ValueError, IndexError):
            raise InputError(f"{p.name} row {k} is not a time and a feel; write it as "
                             "12.3,moderate") from None
        if feel not in FEELS or not np.isfinite(t) or t < 0:
            raise InputError(f"{p.name} row {k}: {','.join(row)!r} is not a time in seconds "
                             f"and one of {', '.join(FEELS)}")
        marks.append(FeelMark(t, feel))
    return sorted(marks, key=lambda m: m.t_s)


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=False)]


def force_at(t_s: npt.NDArray[np.float64], force_n: npt.NDArray[np.float64],
             mark_s: float, reaction_s: float = REACTION_S) -> float:
    """The force the person felt when they marked at ``mark_s``."""
    at = mark_s - reaction_s
    sel = (t_s >= at - WINDOW_S / 2) & (t_s <= at + WINDOW_S / 2)
    if not sel.any():
        k = int(np.clip(np.searchsorted(t_s, at), 0, t_s.size - 1))
        return float(force_n[k])
    return float(np.nanmedian(force_n[sel]))


def thresholds_from_feel(t_s: npt.NDArray[np.float64], force_n: npt.NDArray[np.float64],
                         marks: list[FeelMark], part: str = "foot", *,
                         reaction_s: float = REACTION_S) -> FeelResult:
    """The person's thresholds from the session's force (``t_s`` in the marks' seconds) and
    their marks; one sentence on marks that cannot give them."""
    if t_s.size == 0:
        raise InputError("the feel session has no samples; record it again")
    end_s = float(t_s[-1])
    for m in marks:
        if m.t_s > end_s + 1.0:
            raise InputError(f"the {m.feel} mark at {m.t_s:.1f} s is after the end of the "
                             f"session ({end_s:.1f} s); check the marks belong to this file")
    loaded = _runs(np.nan_to_num(force_n, nan=0.0) > LOADED_N)
    ramps: list[list[FeelMark]] = [[] for _ in loaded]
    starts = np.array([t_s[a] for a, _ in loaded])
    ends = np.array([t_s[b - 1] for _, b in loaded])
    for m in sorted(marks, key=lambda m: m.t_s):
        # The reaction may put a mark a little after the release began.
        inside = np.flatnonzero((starts <= m.t_s) & (m.t_s <= ends + 1.0))
        if inside.size == 0:
            raise InputError(f"the {m.feel} mark at {m.t_s:.1f} s falls where the ball was "
                             "not pressed; mark while pressing")
        ramps[int(inside[-1])].append(m)
    complete: list[tuple[float, float, float]] = []
    for k, got in enumerate(r for r in ramps if r):
        order = [FEELS.index(m.feel) for m in got]
        for a, b in itertools.pairwise(got):
            if FEELS.index(b.feel) <= FEELS.index(a.feel):
                raise InputError(
                    f"the marks of ramp {k + 1} are out of order: {b.feel.replace('_', ' ')} "
                    f"at {b.t_s:.1f} s after {a.feel.replace('_', ' ')} at {a.t_s:.1f} s; "
                    "within a ramp mark moderate, then deep, then too hard")
        if order == [0, 1, 2]:
            f = [force_at(t_s, force_n, m.t_s, reaction_s) for m in got]
            complete.append((f[0], f[1], f[2]))
    if len(complete) < MIN_RAMPS:
        raise InputError(f"only {len(complete)} ramp{'' if len(complete) == 1 else 's'} had "
                         f"all three marks (moderate, deep, too hard); at least {MIN_RAMPS} "
                         "are needed: measure again")
    per = np.array(complete)
    moderate, deep, edge = (float(np.median(per[:, j])) for j in range(3))
    light = min(default_thresholds(part)[0], moderate / 2.0)
    thresholds = check_thresholds([round(light, 1), round(moderate, 1), round(deep, 1),
                                   round(edge, 1)], "the measured zones")
    spread = tuple(float(np.ptp(per[:, j])) for j in range(3))
    return FeelResult(thresholds, complete, (spread[0], spread[1], spread[2]),
                      3 * len(complete))
