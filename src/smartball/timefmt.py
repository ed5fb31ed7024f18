"""Times for people: a duration or a time into the session as minutes:seconds."""

from __future__ import annotations


def mmss(seconds: float) -> str:
    """``seconds`` as minutes:seconds (``1:05``), as every view and summary prints it."""
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"
