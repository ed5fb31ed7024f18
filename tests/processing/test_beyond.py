"""Readings at the sensor's end: beyond what this ball can measure, never given a force."""

from __future__ import annotations

import json

import numpy as np
import pytest

from smartball.block import SampleBlock
from smartball.events import Event
from smartball.processing import Processor
from smartball.processing.summary import SessionSummary
from smartball.sensor_range import SENSOR_MAX_PA, ball_top_n
from tests.processing.signals import session

# Lying on the ball: the weight comes on, rolls at 150 N, then the whole weight (450 N, past
# the reference ball's top) held still for 6 s, then back to 150 N and off.
FLOOR = [(0, 0), (2, 0), (4, 150), (10, 150), (11.5, 450), (18, 450), (19.5, 150), (26, 150),
         (27, 0), (34, 0)]


def _floor_block() -> tuple[SampleBlock, np.ndarray]:  # type: ignore[type-arg]
    s = session(FLOOR, rolling=[(4, 10), (20, 26)])
    b = s.block
    at_end = b.pressure_pa >= SENSOR_MAX_PA
    block = SampleBlock.from_arrays(b.t_s, pressure_pa=np.minimum(b.pressure_pa, SENSOR_MAX_PA),
                                    temp_c=b.temp_c, gyro_dps=b.gyro_dps, saturated=at_end)
    return block, at_end


def _run(block: SampleBlock) -> tuple[object, list[Event], dict]:  # type: ignore[type-arg]
    p = Processor()
    r = p.process(block)
    summary = SessionSummary("floor", 100.0)
    summary.add(r)
    tail = p.finish(float(block.t_s[-1]) + 0.01)
    summary.add_events(tail)
    return r, r.events + tail, summary.as_dict()


def test_no_force_is_given_where_the_sensor_was_at_its_end() -> None:
    block, at_end = _floor_block()
    assert at_end.sum() > 300 and ball_top_n(None) < 450  # the press is past the ball's top
    r, events, d = _run(block)
    said = r.saturated  # type: ignore[attr-defined]
    assert said[at_end].all()
    assert np.isnan(r.measured_force_n[said]).all()  # type: ignore[attr-defined]
    assert np.isfinite(r.measured_force_n[~said]).all()  # type: ignore[attr-defined]
    # The summary: the largest force measured, the time beyond, the stretch without a peak.
    assert d["beyond_s"] == pytest.approx(said.sum() / 100.0)
    measured_max = float(np.max(r.force_n[~said]))  # type: ignore[attr-defined]
    assert d["max_force_n"] == pytest.approx(measured_max, abs=1e-3)
    assert d["max_force_n"] < ball_top_n(None)
    over = [x for x in d["too_hard"] if x["start_s"] <= 12.0 <= x["end_s"] + 6]
    assert over and all(x["beyond"] is True and x["peak_force_n"] is None for x in over)
    # A hold on the press: its mean and peak are not known.
    holds = [h for h in d["holds"] if h["start_s"] < 15 < h["end_s"]]
    assert holds and all(h["beyond"] is True and h["peak_force_n"] is None
                         and h["mean_force_n"] is None for h in holds)
    assert all(isinstance(x["peak_force_n"], float) for x in d["too_hard"]
               if not x.get("beyond"))
    # No event at a beyond sample carries a number.
    t = block.t_s
    for e in events:
        k = int(np.searchsorted(t, e.t_s))
        if e.type in ("too_hard", "zone") and k < t.size and said[k]:
            assert e.fields["force_n"] is None and e.fields["beyond"] is True, e
        span = (t >= e.t_s - e.fields.get("duration_s", 0.0)) & (t < e.t_s)
        if e.type == "hold_end" and said[span].any():
            assert e.fields["peak_force_n"] is None and e.fields["beyond"] is True, e
    json.dumps(d)  # plain JSON: null, never NaN


def test_a_press_straight_to_the_end_warns_without_a_number() -> None:
    t = np.arange(0, 4, 0.01)
    p = np.full(t.size, 101_325.0)
    p[200:260] = SENSOR_MAX_PA
    sat = np.zeros(t.size, np.bool_)
    sat[200:260] = True
    r = Processor().process(SampleBlock.from_arrays(t, pressure_pa=p, saturated=sat))
    warnings = [e for e in r.events if e.type == "too_hard"]
    assert len(warnings) == 1
    assert warnings[0].fields == {"force_n": None, "beyond": True}
    line = json.loads(warnings[0].to_json())
    assert line["force_n"] is None and line["beyond"] is True
    zones = [e for e in r.events if e.type == "zone" and 2.0 <= e.t_s < 2.6]
    assert zones and all(e.fields == {"zone": "too_hard", "force_n": None, "beyond": True}
                         for e in zones)


def test_a_measured_press_keeps_its_number() -> None:
    s = session([(0, 0), (2, 0), (2.5, 240), (4, 240), (4.5, 0), (8, 0)])
    _r, events, d = _run(s.block)
    warnings = [e for e in events if e.type == "too_hard"]
    assert warnings and all(isinstance(e.fields["force_n"], float) and "beyond" not in e.fields
                            for e in warnings)
    assert d["beyond_s"] == 0.0 and d["too_hard"][0]["peak_force_n"] > 220
    assert "beyond" not in d["too_hard"][0]
