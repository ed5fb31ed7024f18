"""The first days of a routine: shorter, and never deep, until the person is used to it.

The guides: the first sessions do not last long and use less pressure; after some days a
longer massage is comfortable. A person new to a routine gets its first-days form: every step
at half its length, deep targets capped at moderate, half the holds (at least one). They are
new to it while their current run of sessions of it has fewer than
:data:`SESSIONS_TO_UNLOCK` sessions without a too-hard press; a run ends when two weeks pass
without the routine (:data:`BREAK_S`), so coming back after a break starts gently again.

Pure: the person's past sessions come in as plain records; reading the history is the
caller's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from smartball.routines.model import Routine, Step

SESSIONS_TO_UNLOCK = 3
"""Sessions without a too-hard press that unlock the full routine."""
BREAK_S = 14 * 24 * 3600.0
"""Two weeks without the routine: the person is new to it again."""
FIRST_DAYS_SUFFIX = " (first days)"


@dataclass(frozen=True, slots=True)
class PastSession:
    """One earlier session of the routine, as the history keeps it."""

    started_at: float
    """Unix time, seconds."""
    too_hard_presses: int


@dataclass(frozen=True, slots=True)
class FirstDays:
    """Whether the person gets the first-days form, and why, in words."""

    active: bool
    clean_sessions: int
    """Sessions of the current run without a too-hard press."""
    reason: str


def first_days_form(routine: Routine) -> Routine:
    """``routine`` at half length with deep capped at moderate (already so: unchanged)."""
    if routine.title.endswith(FIRST_DAYS_SUFFIX):
        return routine
    return replace(routine, title=routine.title + FIRST_DAYS_SUFFIX,
                   steps=tuple(_gentle(s) for s in routine.steps))


def is_first_days_form(routine: Routine) -> bool:
    return routine.title.endswith(FIRST_DAYS_SUFFIX)


def _gentle(step: Step) -> Step:
    targets = tuple(dict.fromkeys("moderate" if t == "deep" else t for t in step.targets))
    holds = max(1, step.holds // 2) if step.motion == "holds" else step.holds
    return replace(step, seconds=step.seconds / 2.0, targets=targets, holds=holds)


def first_days(past: Iterable[PastSession], now_s: float) -> FirstDays:
    """Whether a person with these earlier sessions of a routine is still in its first days."""
    sessions = sorted(past, key=lambda s: s.started_at)
    run: list[PastSession] = []
    last: float | None = None
    for s in sessions:
        if last is not None and s.started_at - last > BREAK_S:
            run = []
        run.append(s)
        last = s.started_at
    if last is not None and now_s - last > BREAK_S:
        return FirstDays(True, 0, "none of it in the last two weeks")
    clean = sum(1 for s in run if s.too_hard_presses == 0)
    if clean >= SESSIONS_TO_UNLOCK:
        return FirstDays(False, clean, f"{clean} sessions without a too-hard press")
    if not run:
        return FirstDays(True, 0, "new to this routine")
    return FirstDays(True, clean, f"{clean} of {SESSIONS_TO_UNLOCK} sessions without a "
                                  "too-hard press so far")
