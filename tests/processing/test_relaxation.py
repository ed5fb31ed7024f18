"""The relaxation compensator gives the same output in short chunks (the per-sample path)
as in one call (the vectorised path)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.processing.config import ProcessingConfig
from smartball.processing.relaxation import RelaxationCompensator


def _compensator() -> RelaxationCompensator:
    c = ProcessingConfig()
    return RelaxationCompensator(c.relax_fractions, c.relax_taus_s, c.relax_recover_s, 100.0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), cuts=st.lists(st.integers(0, 600), max_size=200))
def test_short_chunks_equal_one_call(seed: int, cuts: list[int]) -> None:
    rng = np.random.default_rng(seed)
    force = np.repeat(rng.uniform(-5.0, 250.0, 30), 20) + rng.normal(0.0, 2.0, 600)
    still = np.repeat(rng.random(40) < 0.6, 15)
    whole = _compensator().update(force, still)
    comp = _compensator()
    edges = [0, *sorted(set(cuts)), 600]
    parts = [comp.update(force[a:b], still[a:b]) for a, b in itertools.pairwise(edges)]
    assert np.array_equal(np.concatenate(parts), whole)
    assert not np.array_equal(whole, force)  # the compensation did something
