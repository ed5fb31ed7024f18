from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartball.errors import InputError, InputFileNotFound
from smartball.io.calibration_file import load_calibration, save_calibration
from smartball.io.load import load_session, sniff_format
from smartball.processing import Calibration
from tests.cli.capture import capture_bytes
from tests.processing.signals import session


def test_csv_and_capture_give_the_same_samples(tmp_path: Path) -> None:
    s = session([(0, 0), (1, 50), (3, 50)])
    b = s.block
    csv = tmp_path / "s.csv"
    lines = ["t_s,pressure_pa,temp_c,gyro_x_dps,gyro_y_dps,gyro_z_dps"]
    lines += [f"{t:.2f},{p:.2f},{c:.2f},{g[0]:.2f},{g[1]:.2f},{g[2]:.2f}"
              for t, p, c, g in zip(b.t_s, b.pressure_pa, b.temp_c, b.gyro_dps, strict=True)]
    csv.write_text("\n".join(lines) + "\n")
    cap = tmp_path / "s.bin"
    cap.write_bytes(capture_bytes(b, ball_diameter_mm=70))
    assert sniff_format(csv) == "csv" and sniff_format(cap) == "serial"
    bc, ic = load_session(csv)
    bs, is_ = load_session(cap)
    assert len(bc) == len(bs) == len(b)
    assert np.allclose(bc.pressure_pa, bs.pressure_pa, atol=0.01)
    assert np.allclose(bc.gyro_dps, bs.gyro_dps, atol=0.04)
    assert ic.sample_rate_hz == pytest.approx(100.0) and is_.sample_rate_hz == 100.0
    assert is_.ball_diameter_mm == 70.0 and ic.ball_diameter_mm is None
    assert np.array_equal(bc.index, np.arange(len(b)))


def test_missing_and_empty(tmp_path: Path) -> None:
    with pytest.raises(InputFileNotFound):
        load_session(tmp_path / "nope.csv")
    (tmp_path / "e").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        load_session(tmp_path / "e")


def test_calibration_file_round_trip(tmp_path: Path) -> None:
    cal = Calibration.fit([(20.0, 1250.0), (60.0, 3500.0)])
    save_calibration(cal, tmp_path / "cal.json")
    assert load_calibration(tmp_path / "cal.json") == cal
    with pytest.raises(InputFileNotFound):
        load_calibration(tmp_path / "none.json")
