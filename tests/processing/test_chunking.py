"""One session in one chunk or in many gives the same arrays and events."""

from __future__ import annotations

import itertools
import math
from dataclasses import fields

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.block import SampleBlock
from smartball.events import Event
from smartball.processing import Processor, ProcessResult
from smartball.processing.summary import SessionSummary
from tests.processing.signals import session

ARRAYS = [f.name for f in fields(ProcessResult)
          if f.name not in ("events", "event_index", "sample_rate_hz", "routine")]


def _rich(gyro: bool) -> SampleBlock:
    s = session(
        [(0, 0), (2, 0), (2.5, 30), (6, 30), (6.5, 80), (12, 80), (13, 120), (16, 120),
         (16.3, 260), (17.5, 260), (18, 40), (20, 40), (20.5, 0), (24, 0)],
        rolling=[(2.5, 7.0), (10.5, 14.0), (18, 20.5)],
        temp_c=np.linspace(15.0, 17.0, 2400),
        gyro=gyro,
    )
    b = s.block
    sat = b.saturated.copy()
    sat[1660:1680] = True
    return SampleBlock.from_arrays(b.t_s, pressure_pa=b.pressure_pa, temp_c=b.temp_c,
                                   gyro_dps=b.gyro_dps, saturated=sat)


BLOCKS = {True: _rich(True), False: _rich(False)}


def _run(block: SampleBlock, cuts: list[int]) -> tuple[list[ProcessResult], list[Event], dict]:
    p = Processor()
    summary = SessionSummary("x", 100.0)
    edges = [0, *sorted(set(cuts)), len(block)]
    results = []
    events: list[Event] = []
    for a, b in itertools.pairwise(edges):
        r = p.process(block[a:b])
        summary.add(r)
        results.append(r)
        events += r.events
    tail = p.finish(float(block.t_s[-1]) + 0.01)
    summary.add_events(tail)
    return results, events + tail, summary.as_dict()


def _same_event(a: Event, b: Event) -> bool:
    if (a.t_s, a.type, a.fields.keys()) != (b.t_s, b.type, b.fields.keys()):
        return False
    for k, va in a.fields.items():
        vb = b.fields[k]
        if isinstance(va, float):
            if not math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-9):
                return False
        elif va != vb:
            return False
    return True


WHOLE = {g: _run(BLOCKS[g], []) for g in (True, False)}


def test_the_reference_run_has_every_kind_of_event() -> None:
    for g in (True, False):
        kinds = {e.type for e in WHOLE[g][1]}
        assert kinds == {"zone", "too_hard", "hold_start", "hold_end"}, (g, kinds)


@settings(max_examples=40, deadline=None)
@given(gyro=st.booleans(), cuts=st.lists(st.integers(0, 2400), max_size=60))
def test_chunked_equals_whole(gyro: bool, cuts: list[int]) -> None:
    whole, whole_events, whole_summary = WHOLE[gyro]
    parts, events, summary = _run(BLOCKS[gyro], cuts)
    for name in ARRAYS:
        a = getattr(whole[0], name)
        b = np.concatenate([getattr(r, name) for r in parts])
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    assert len(events) == len(whole_events)
    assert all(_same_event(a, b) for a, b in zip(events, whole_events, strict=True))
    assert summary == whole_summary
    starts = itertools.accumulate([0, *(len(r) for r in parts)])
    indices = [k + s for r, s in zip(parts, starts, strict=False) for k in r.event_index]
    assert indices == whole[0].event_index


def test_sample_by_sample_equals_whole() -> None:
    _parts, events, summary = _run(BLOCKS[True], list(range(0, 2400, 1)))
    assert all(_same_event(a, b) for a, b in zip(events, WHOLE[True][1], strict=True))
    assert summary == WHOLE[True][2]
