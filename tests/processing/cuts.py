"""Random cuts of an input into chunks, for the tests that feed a helper in chunks of mixed
sizes and compare with one call on the whole input."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

chunk_cuts = st.lists(st.integers(0, 300), max_size=120)
"""Where to cut: positions (repeats and positions past the end are dropped)."""


def edges(cuts: list[int], n: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each chunk of ``n`` samples cut at ``cuts``."""
    points = [0, *sorted({min(c, n) for c in cuts}), n]
    return list(itertools.pairwise(points))
