"""The too-hard warning on presses held past the line, and in the frame of the crossing.

``tests/data/hangboard_presses.csv`` stands for a real force recording (a load cell under a
hang board, then a foot rolling a hedgehog ball): presses held at 205-214 N for 1.6 s and
203-211 N for 0.8 s straight from a force that swung 150-195 N, three of 0.5-0.6 s just past
200 N, and a rolling foot whose heel takes the force past 200 N for under half a second.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from smartball.block import SampleBlock
from smartball.cli import main
from smartball.processing import Processor
from tests.data.make_hangboard_csv import HELD, ROLL_S, build
from tests.processing.signals import session

CSV = Path(__file__).parents[1] / "data" / "hangboard_presses.csv"


def test_the_file_is_what_its_script_writes() -> None:
    t, f = build()
    data = np.loadtxt(CSV, delimiter=",", skiprows=2)
    assert np.allclose(data[:, 0], t, atol=0.006) and np.allclose(data[:, 1], f, atol=0.006)


def test_analyze_warns_every_held_press_and_no_rolling_peak(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(CSV), "--json"]) == 0
    warned = [(w["start_s"], w["end_s"]) for w in json.loads(capsys.readouterr().out)["too_hard"]]
    for start, held_s, _lo, _hi in HELD:
        # Past 200 N from about ``start``: warned once it has stayed there half a second.
        hits = [a for a, _b in warned if start <= a <= start + 0.6]
        assert len(hits) == 1 and hits[0] <= start + held_s, (start, warned)
    a, b = ROLL_S
    assert not [w for w in warned if a - 2 <= w[0] <= b + 2], warned
    assert len(warned) == len(HELD)


def test_held_presses_are_warned_whatever_the_chunks() -> None:
    data = np.loadtxt(CSV, delimiter=",", skiprows=2)
    block = SampleBlock.from_arrays(data[:, 0], force_n=data[:, 1])
    whole = [(e.type, e.t_s) for e in Processor().process(block).events]
    p = Processor()
    chunked = [(e.type, e.t_s) for k in range(0, len(block), 5)
               for e in p.process(block[k:k + 5]).events]
    assert chunked == whole
    assert sum(1 for kind, _t in whole if kind == "too_hard") == len(HELD)


@pytest.mark.parametrize("gyro", [True, False])
def test_a_press_is_warned_in_the_frame_that_carries_the_crossing(gyro: bool) -> None:
    # From rest to 250 N in 0.05-0.3 s, starting anywhere in a 5-sample frame.
    for start in np.arange(3.0, 3.05, 0.01):
        for rise_s in (0.05, 0.1, 0.2, 0.3):
            s = session([(0, 0), (start, 0), (start + rise_s, 250), (start + rise_s + 1, 250),
                         (start + rise_s + 1.2, 0), (7, 0)], gyro=gyro)
            p = Processor()
            forces, raised = [], []
            for k in range(0, len(s.block), 5):
                r = p.process(s.block[k:k + 5])
                forces.append(r.force_n)
                raised += [k + i for e, i in zip(r.events, r.event_index, strict=True)
                           if e.type == "too_hard"]
            crossing = int(np.argmax(np.concatenate(forces) >= 200.0))
            assert len(raised) == 1 and raised[0] // 5 == crossing // 5, (start, rise_s)


def _pressure_only(s: SampleBlock) -> SampleBlock:
    return SampleBlock.from_arrays(s.t_s, pressure_pa=s.pressure_pa, temp_c=s.temp_c)


@pytest.mark.parametrize("held_s", [0.6, 0.8, 1.5])
def test_a_press_held_straight_from_a_roll_is_warned_without_a_gyro(held_s: float) -> None:
    # Rolling hard at 185 N (the spikes ripple the force), then held at 207 N straight from
    # the roll: the ripple says "rolling" for a while after it stops, the press is held all
    # the same.
    a = 20.0
    s = session([(0, 0), (1, 0), (3, 185), (a, 185), (a + 0.15, 207), (a + held_s, 207),
                 (a + held_s + 0.3, 180), (30, 180), (31, 0), (33, 0)],
                rolling=[(2, a), (a + held_s, 30)], ripple=0.05, wander=0.005)
    r = Processor().process(_pressure_only(s.block))
    past = np.flatnonzero(s.force_n >= 200.0)
    assert past.size == past[-1] - past[0] + 1  # one stretch past the line
    warned = [e.t_s for e in r.events if e.type == "too_hard"]
    assert len(warned) == 1 and r.t_s[past[0]] <= warned[0] <= r.t_s[past[-1]], warned


def test_a_rolling_foot_past_the_line_for_over_half_a_second_is_no_held_press() -> None:
    # A slow stroke's heel takes a 190 N roll past 200 N for most of a second each stroke;
    # the spikes ripple it all along: a rolling foot, not a press.
    s = session([(0, 0), (1, 0), (3, 190), (40, 190), (41, 0), (43, 0)], rolling=[(2, 40)],
                ripple=0.05, swing=0.1, stroke_s=8.0)
    past = s.force_n >= 200.0
    edges = np.flatnonzero(np.diff(past.astype(np.int8)))
    assert np.max(np.diff(edges)[::2]) >= 50  # the premise: past the line for 0.5 s or more
    for block in (s.block, _pressure_only(s.block)):
        r = Processor().process(block)
        assert not [e for e in r.events if e.type == "too_hard"]


@pytest.mark.parametrize("gyro", [True, False])
def test_the_warning_of_a_held_press_ends_with_it_in_a_hard_roll_after(gyro: bool) -> None:
    # Held at 207 N straight from a roll, then rolling hard at 188 N (the heel takes it past
    # 200 N now and then): the press was too hard, the roll after it is not.
    a, held_s = 20.0, 1.0
    s = session([(0, 0), (1, 0), (6, 185), (a, 185), (a + 0.15, 207), (a + held_s, 207),
                 (a + held_s + 0.3, 188), (40, 188), (41, 0), (43, 0)],
                rolling=[(2, a), (a + held_s, 40)], ripple=0.05, swing=0.06, wander=0.005)
    r = Processor().process(s.block if gyro else _pressure_only(s.block))
    warned = [e.t_s for e in r.events if e.type == "too_hard"]
    assert len(warned) == 1 and a <= warned[0] <= a + held_s, warned
    after = r.t_s >= a + held_s + 2.0
    assert not r.too_hard[after].any()
