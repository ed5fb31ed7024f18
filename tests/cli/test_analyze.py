"""``smartball analyze`` on good and bad files, through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from smartball.cli import main
from tests.cli.capture import capture_bytes
from tests.processing.signals import session

KEYS = {"source", "duration_s", "samples", "sample_rate_hz", "lost_samples", "crc_errors",
        "time_in_zone_s", "segments", "holds", "too_hard", "max_force_n", "beyond_s"}

KNOTS = [(0, 0), (1, 0), (1.5, 30), (4, 30), (5, 80), (20, 80), (21, 230), (23, 230),
         (24, 0), (26, 0)]
ROLLING = [(1, 8), (20, 24)]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["analyze", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def _write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("# SmartBall session\n" + header + "\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def sess():  # type: ignore[no-untyped-def]
    return session(KNOTS, rolling=ROLLING)


@pytest.fixture
def csv_file(tmp_path: Path, sess) -> Path:  # type: ignore[no-untyped-def]
    b = sess.block
    rows = [f"{t:.2f},{p:.2f},{c:.2f},{g[0]:.3f},{g[1]:.3f},{g[2]:.3f}"
            for t, p, c, g in zip(b.t_s, b.pressure_pa, b.temp_c, b.gyro_dps, strict=True)]
    return _write_csv(tmp_path / "s.csv", "t_s,pressure_pa,temp_c,gyro_x_dps,gyro_y_dps,"
                      "gyro_z_dps", rows)


def _check(d: dict, samples: int) -> None:  # type: ignore[type-arg]
    assert set(d) - {"calibration"} == KEYS
    assert d["samples"] == samples
    assert d["sample_rate_hz"] == pytest.approx(100.0)
    assert d["duration_s"] == pytest.approx(26.0, abs=0.02)
    assert sum(d["time_in_zone_s"].values()) == pytest.approx(d["duration_s"], abs=1e-3)
    assert [s["zone"] for s in d["segments"]][:3] == ["rest", "light", "moderate"]
    assert len(d["holds"]) == 1
    assert d["holds"][0]["start_s"] == pytest.approx(8.0, abs=0.3)
    assert d["holds"][0]["end_s"] == pytest.approx(20.0, abs=0.5)
    assert len(d["too_hard"]) == 1 and d["too_hard"][0]["peak_force_n"] > 220
    assert d["max_force_n"] == pytest.approx(d["too_hard"][0]["peak_force_n"])


def test_csv_json(capsys: pytest.CaptureFixture[str], csv_file: Path) -> None:
    rc, out, err = _run(capsys, str(csv_file), "--json")
    assert rc == 0 and err == ""
    d = json.loads(out)
    _check(d, 2600)
    assert d["source"] == str(csv_file)
    assert d["lost_samples"] == 0 and d["crc_errors"] == 0


def test_json_names_the_calibration_it_used(capsys: pytest.CaptureFixture[str],
                                            csv_file: Path, tmp_path: Path) -> None:
    from smartball.home import default_calibration_path
    from smartball.processing.calibration import Calibration

    rc, out, _err = _run(capsys, str(csv_file), "--json")
    assert rc == 0
    assert json.loads(out)["calibration"] == {
        "source": "reference", "file": None, "ball": "reference", "pa_per_n": 60.0,
        "overshoot": 0.2, "tau_s": 7.0}
    mine = Calibration.fit([(50.0, 2000.0), (100.0, 4500.0), (200.0, 10000.0)],
                           overshoot=0.3, tau_s=9.0, ball="SmartBall-12AB")
    path = tmp_path / "mine.json"
    path.write_text(mine.to_json())
    rc, out, _err = _run(capsys, str(csv_file), "--json", "--calibration", str(path))
    cal = json.loads(out)["calibration"]
    assert cal["source"] == str(path) and cal["file"] == str(path)
    assert cal["ball"] == "SmartBall-12AB" and cal["pa_per_n"] == pytest.approx(45.0)
    assert (cal["overshoot"], cal["tau_s"]) == (0.3, 9.0)
    default = default_calibration_path()
    default.parent.mkdir(parents=True, exist_ok=True)
    default.write_text(mine.to_json())
    rc, out, _err = _run(capsys, str(csv_file), "--json")
    cal = json.loads(out)["calibration"]
    assert cal["source"] == "default ball" and cal["file"] == str(default)
    rc, out, _err = _run(capsys, str(csv_file), "--json", "--calibration", "reference")
    assert json.loads(out)["calibration"]["source"] == "reference"


def test_csv_text(capsys: pytest.CaptureFixture[str], csv_file: Path) -> None:
    rc, out, _err = _run(capsys, str(csv_file))
    assert rc == 0
    assert "time in zone" in out and "holds: 1 (1 reached 10 s)" in out
    assert "too hard: 1 time" in out


def test_csv_with_force_column(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                               sess) -> None:  # type: ignore[no-untyped-def]
    rows = [f"{t:.2f},{f:.3f}" for t, f in zip(sess.block.t_s, sess.force_n, strict=True)]
    path = _write_csv(tmp_path / "f.csv", "t_s,force_n", rows)
    rc, out, _err = _run(capsys, str(path), "--json")
    d = json.loads(out)
    assert rc == 0 and d["max_force_n"] == pytest.approx(230.0)
    assert len(d["too_hard"]) == 1


def test_serial_capture(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                        sess) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.bin"
    data = bytearray(capture_bytes(sess.block, drop_frames=(100, 101)))
    data[5000] ^= 0xFF  # one corrupted byte: one CRC error
    path.write_bytes(bytes(data))
    rc, out, err = _run(capsys, str(path), "--json")
    assert rc == 0, err
    d = json.loads(out)
    assert d["lost_samples"] == 15  # two dropped frames and the corrupted one
    assert d["crc_errors"] == 1
    _check(d, 2600 - 15)


BAD_CSV = {
    "no_time.csv": ("force_n\n1\n2\n", "no 't_s' column"),
    "no_force.csv": ("t_s,temp_c\n0,20\n0.01,20\n", "neither a 'force_n' nor a 'pressure_pa'"),
    "backwards.csv": ("t_s,force_n\n0,1\n0.02,1\n0.01,1\n", "line 4: t_s does not increase"),
    "nan.csv": ("t_s,force_n\n0,1\n0.01,nan\n", "line 3: force_n is empty or not a number"),
    "empty_row.csv": ("t_s,force_n\n0,1\n,\n0.02,1\n", "line 3: t_s is empty"),
    "short_row.csv": ("t_s,force_n\n0,1\n0.01\n", "line 3: 1 fields where the header names 2"),
    "text.csv": ("t_s,force_n\n0,1\n0.01,abc\n", "'abc' in column force_n is not a number"),
    "header_only.csv": ("# c\nt_s,force_n\n", "no rows of samples"),
    "empty.csv": ("", "is empty"),
    "comments_only.csv": ("# nothing\n", "no header row"),
}


@pytest.mark.parametrize("name", sorted(BAD_CSV))
def test_bad_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    text, message = BAD_CSV[name]
    path = tmp_path / name
    path.write_text(text)
    rc, out, err = _run(capsys, str(path))
    assert rc != 0 and out == ""
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_capture_without_samples(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from smartball.protocol import Info, encode_serial

    info = Info(0, 0, (1, 0, 0), b"\x01" * 8, 7, 10_000, 1, 0.07, 0.0001, 80, "x")
    path = tmp_path / "nosamples.bin"
    path.write_bytes(encode_serial(info) * 3)
    rc, _out, err = _run(capsys, str(path))
    assert rc != 0 and "holds no SAMPLES frames" in err and "Traceback" not in err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _out, err = _run(capsys, str(tmp_path / "nope.csv"))
    assert rc != 0 and "does not exist" in err and "Traceback" not in err


def test_chunked_csv_reading_gives_the_same_summary(tmp_path: Path, csv_file: Path) -> None:
    import smartball.io.csv_samples as csv_samples
    from smartball.cli.analyze_cmd import analyze

    whole = analyze(str(csv_file))
    small = csv_samples.CHUNK_ROWS
    try:
        csv_samples.CsvSamplesReader.__init__.__defaults__ = (97,)  # type: ignore[attr-defined]
        chunked = analyze(str(csv_file))
    finally:
        csv_samples.CsvSamplesReader.__init__.__defaults__ = (small,)  # type: ignore[attr-defined]
    assert chunked == whole
    assert np.isfinite(whole["max_force_n"])
