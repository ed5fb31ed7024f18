"""The marks a person notes while calibrating on a scale (DESIGN.md: ``start_s,end_s,load_kg``,
times in the file's own seconds from its first sample, the window in which that load was
steady), checked against the recording and the truth."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from smartball.cli import main
from smartball.protocol.decoder import StreamDecoder
from smartball.recording import RecordingReader
from smartball.sim.api import simulate_session
from smartball.sim.marks import G_MPS2, marks_for, read_marks


def test_simulate_writes_marks_beside_a_calibration_and_they_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "cal.sbrec"
    assert main(["simulate", "scale-calibration", "--out", str(out), "--seed", "4",
                 "--ball", "firm"]) == 0
    marks_file = tmp_path / "cal.sbrec.marks.csv"
    with marks_file.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["start_s", "end_s", "load_kg"]
    assert 6 <= len(rows) - 1 <= 7
    # Read to 0.1 kg and 0.1 s, as written by a person.
    assert all(len(v.split(".")[1]) == 1 for row in rows[1:] for v in row)
    marks = read_marks(marks_file)
    assert marks == marks_for(simulate_session("scale-calibration", ball="firm", seed=4).device)
    # Inside the file: its own seconds, from its first sample to its last.
    data = b"".join(c.data for c in RecordingReader(out))
    block = StreamDecoder().feed(data).samples
    length_s = float(block.t_s[-1] - block.t_s[0])
    assert all(0 <= m.start_s < m.end_s <= length_s for m in marks)
    assert all(m.end_s - m.start_s >= 8 for m in marks)
    loads = [m.load_kg for m in marks]
    assert min(loads) * G_MPS2 < 35 and max(loads) * G_MPS2 > 215


def test_each_mark_is_a_steady_load_read_as_a_scale_would_show() -> None:
    for seed in range(3):
        s = simulate_session("scale-calibration", seed=seed)
        truth = s.truth
        for m in s.marks:
            rows = (truth.t_s >= m.start_s) & (truth.t_s <= m.end_s)
            applied = truth.force_n[rows]
            # The window lies (almost all) where the load was steady; a person's window may
            # catch the end of the ramp or the start of the lift by a fraction of a second.
            near = np.abs(applied - m.load_n) <= 0.05 * m.load_n + 0.5
            assert near.mean() > 0.9
            # Read to 0.1 kg over the steady part: a wobbling hand moves the typical reading
            # of the window around it by a fraction of a percent.
            assert np.median(applied) == pytest.approx(
                m.load_n, abs=max(0.05 * G_MPS2, 0.005 * m.load_n) + 1e-6)


def test_windows_are_a_little_imprecise_like_a_persons() -> None:
    s = simulate_session("scale-calibration", seed=2)
    loads = [p for p in s.device.plan if p.mark]
    starts = [m.start_s - (p.start_s + p.ramp_s) for m, p in zip(s.marks, loads, strict=True)]
    ends = [m.end_s - p.end_s for m, p in zip(s.marks, loads, strict=True)]
    assert all(-0.4 <= d <= 1.3 for d in starts) and all(-1.3 <= d <= 0.4 for d in ends)
    assert len({round(d, 1) for d in starts}) > 2  # not one fixed offset


def test_marks_count_from_the_first_sample_the_host_received() -> None:
    s = simulate_session("scale-calibration", seed=1)
    late = simulate_session(s.device.scenario.__class__.from_dict(
        {"name": "late", "routine": list(s.device.scenario.routine), "ball": "stiffening",
         "link": {"attach_at_s": 3.0}}), seed=1)
    assert [m.load_kg for m in late.marks] == [m.load_kg for m in s.marks]
    shift = [a.start_s - b.start_s for a, b in zip(s.marks, late.marks, strict=True)]
    assert all(3.0 <= d <= 3.1 for d in shift)


def test_scenarios_without_marked_loads_write_no_marks(tmp_path: Path) -> None:
    files = simulate_session("demo", seed=0, seconds=5).write(tmp_path / "d.sbrec")
    assert files.marks is None and not (tmp_path / "d.sbrec.marks.csv").exists()
    assert files.truth.exists() and files.recording.exists()
