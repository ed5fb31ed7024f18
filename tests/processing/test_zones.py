"""Zone label: thresholds, hysteresis against ripple, dwell; the fast too-hard warning."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.block import SampleBlock
from smartball.events import ZONES
from smartball.processing import ProcessingConfig, Processor
from smartball.processing.zones import ZoneTracker
from tests.processing.signals import session


def _force_block(f: np.ndarray) -> SampleBlock:
    return SampleBlock.from_arrays(np.arange(f.size) / 100.0, force_n=f)


def _zone_events(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.fields["zone"] for e in r.events if e.type == "zone"]


def test_each_zone_is_reached_in_order() -> None:
    f = np.repeat([0.0, 30.0, 75.0, 150.0, 250.0, 150.0, 75.0, 30.0, 0.0], 200)
    r = Processor().process(_force_block(f))
    assert _zone_events(r) == ["light", "moderate", "deep", "too_hard", "deep", "moderate",
                               "light", "rest"]
    assert r.zone.dtype == np.int8
    assert [ZONES[z] for z in r.zone[150::200]] == ["rest", "light", "moderate", "deep",
                                                    "too_hard", "deep", "moderate", "light",
                                                    "rest"]


def test_thresholds_are_configurable() -> None:
    f = np.repeat([0.0, 30.0, 0.0], 200)
    cfg = ProcessingConfig(thresholds_n=(5.0, 20.0, 40.0, 80.0))
    r = Processor(cfg).process(_force_block(f))
    assert ZONES[r.zone[350]] == "moderate"
    assert "deep" not in _zone_events(r) and _zone_events(r)[-1] == "rest"


def test_ripple_on_a_threshold_does_not_flicker() -> None:
    # Rolling at 50 N, right on the light/moderate line, with a hedgehog ball's ripple.
    s = session([(0, 0), (1, 0), (1.5, 50), (30, 50)], rolling=[(1, 30)], ripple=0.1,
                gyro=False, seed=3)
    r = Processor().process(s.block)
    assert len(_zone_events(r)) <= 2  # light, then at most one move to moderate


def test_hysteresis_holds_a_zone_in_its_band() -> None:
    # 103 N enters deep; dipping to 97 N (inside the 5 % band) stays deep.
    f = np.concatenate([np.full(100, 0.0), np.full(300, 106.0), np.full(300, 97.0)])
    r = Processor().process(_force_block(f))
    assert ZONES[r.zone[-1]] == "deep"
    assert _zone_events(r)[-1] == "deep"


def test_dwell_ignores_a_short_excursion() -> None:
    f = np.full(600, 75.0)
    f[300:305] = 130.0  # 50 ms into deep: shorter than the dwell after smoothing
    cfg = ProcessingConfig(smooth_cutoff_hz=20.0, dwell_s=0.1)
    r = Processor(cfg).process(_force_block(f))
    assert _zone_events(r) == ["moderate"]


def test_zone_latency_is_within_300_ms() -> None:
    f = np.concatenate([np.full(300, 75.0), np.full(300, 150.0)])
    r = Processor().process(_force_block(f))
    k = [int(np.searchsorted(r.t_s, e.t_s)) for e in r.events if e.fields.get("zone") == "deep"]
    assert len(k) == 1 and 0 <= k[0] - 300 <= 30


def test_too_hard_fires_within_two_samples() -> None:
    f = np.concatenate([np.full(300, 150.0), np.linspace(150.0, 260.0, 50), np.full(100, 260.0)])
    crossing = int(np.argmax(f >= 200.0))
    r = Processor().process(_force_block(f))
    warn = [e for e in r.events if e.type == "too_hard"]
    assert len(warn) == 1
    k = int(np.searchsorted(r.t_s, warn[0].t_s))
    assert 0 <= k - crossing <= 2
    assert warn[0].fields["force_n"] >= 200.0


def test_too_hard_ignores_a_single_spike_and_repeats_after_release() -> None:
    f = np.full(1000, 150.0)
    f[100] = 240.0  # one sample: a glitch, not a press
    f[300:400] = 230.0
    f[600:700] = 230.0
    r = Processor().process(_force_block(f))
    warnings = [round(e.t_s, 2) for e in r.events if e.type == "too_hard"]
    # The second press comes 2 s after the first: the force has just swung 150-230 N both
    # ways, which the fast path now allows for, so the slower confirmation raises it.
    assert len(warnings) == 2 and warnings[0] == 3.01 and 6.01 <= warnings[1] <= 6.6


def _labels(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.fields["zone"] for e in r.events if e.type == "zone"]


def test_a_roll_hovering_near_a_boundary_keeps_its_label() -> None:
    # Rolls at 54 N, 46 N and 95 N: the foot swings +-10 % over heel, arch and ball with
    # every stroke, the spikes ripple, the foot wanders.
    for level, zone in ((54.0, "moderate"), (46.0, "light"), (95.0, "moderate"),
                        (106.0, "deep")):
        s = session([(0, 0), (1, 0), (2, level), (60, level)], rolling=[(1, 60)],
                    ripple=0.05, swing=0.10, stroke_s=4.0, wander=0.02, seed=int(level))
        for gyro in (True, False):
            b = s.block
            block = b if gyro else SampleBlock.from_arrays(b.t_s, pressure_pa=b.pressure_pa,
                                                           temp_c=b.temp_c)
            r = Processor().process(block)
            labels = _labels(r)
            assert labels[-1] == zone and len(labels) <= 3, (level, gyro, labels)
            assert np.mean([ZONES[z] == zone for z in r.zone[1500:]]) > 0.99


def test_too_hard_never_fires_on_a_roll_just_under_it() -> None:
    # Intended 190 N, straight from rest or after a moderate roll: heel and ball take the
    # force to about 215 N every stroke, the spikes ripple it.
    for seed, stroke_s, knots in ((1, 2.0, [(0, 0), (1, 0), (2.5, 190), (70, 190)]),
                                  (2, 4.0, [(0, 0), (1, 0), (2, 75), (12, 75), (14, 190),
                                            (70, 190)]),
                                  (3, 8.0, [(0, 0), (1, 0), (2.5, 190), (70, 190)])):
        s = session(knots, rolling=[(1, 70)],
                    ripple=0.05, swing=0.10, stroke_s=stroke_s, wander=0.02, seed=seed)
        assert s.force_n.max() > 205.0
        for gyro in (True, False):
            b = s.block
            block = b if gyro else SampleBlock.from_arrays(b.t_s, pressure_pa=b.pressure_pa,
                                                           temp_c=b.temp_c)
            r = Processor().process(block)
            assert not r.too_hard.any(), (seed, gyro)


def test_too_hard_fires_fast_on_a_press_from_a_roll() -> None:
    # A light roll, then a quick press to 240 N (0.12 s), as the simulator's press.
    s = session([(0, 0), (1, 0), (2, 35), (20, 35), (20.12, 240), (21.5, 240), (22, 0),
                 (25, 0)], rolling=[(1, 20)], ripple=0.05, swing=0.10, wander=0.02)
    crossing = int(np.argmax(s.intended_n >= 200.0))
    for gyro in (True, False):
        b = s.block
        block = b if gyro else SampleBlock.from_arrays(b.t_s, pressure_pa=b.pressure_pa,
                                                       temp_c=b.temp_c)
        r = Processor().process(block)
        k = [int(np.searchsorted(r.t_s, e.t_s)) for e in r.events if e.type == "too_hard"]
        assert len(k) == 1 and 0 <= k[0] - crossing <= 3, (gyro, k, crossing)


def test_the_result_tells_the_current_zone_and_warning() -> None:
    r = Processor().process(_force_block(np.full(100, 250.0)))
    assert r.too_hard[-1] and ZONES[r.zone[-1]] == "too_hard" and r.force_n[-1] == 250.0
    assert np.isnan(r.hold_elapsed_s[-1])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), cuts=st.lists(st.integers(0, 400), max_size=150))
def test_zone_tracker_in_short_chunks_equals_one_call(seed: int, cuts: list[int]) -> None:
    """Short chunks take the per-sample path, a long one the vectorised path: with the level
    alone, and with the slow average and the swing."""
    rng = np.random.default_rng(seed)
    levels = rng.choice([0.0, 9.8, 10.3, 30.0, 49.0, 52.0, 75.0, 101.0, 150.0, 210.0], 40)
    f = np.repeat(levels, 10) + rng.normal(0.0, 1.5, 400)
    slow = np.convolve(f, np.ones(25) / 25, mode="same")
    swing = np.abs(rng.normal(0.0, 0.06, 400))
    warned = np.repeat(rng.random(40) < 0.2, 10)
    f[rng.integers(0, 400, 3)] = np.nan
    config = ProcessingConfig()
    edges = [0, *sorted(set(cuts)), 400]
    for extra in ((), (slow, swing), (slow, swing, warned)):
        whole_label, whole_changes = ZoneTracker(config, 100.0).update(f, *extra)
        zt = ZoneTracker(config, 100.0)
        parts = [zt.update(f[a:b], *(x[a:b] for x in extra))
                 for a, b in itertools.pairwise(edges)]
        assert np.array_equal(np.concatenate([p[0] for p in parts]), whole_label)
        changes = np.concatenate([p[1] + a for p, a in zip(parts, edges, strict=False)])
        assert changes.tolist() == whole_changes.tolist()
        assert len(whole_changes) > 3
