from __future__ import annotations

from pathlib import Path

import pytest

from smartball.errors import InputError
from smartball.home import default_calibration_path
from smartball.io.calibration_file import load_calibration, resolve_calibration, save_calibration
from smartball.processing import Calibration


def test_a_save_that_fails_leaves_the_old_file_whole(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ball.json"
    old = Calibration.fit([(50.0, 3000.0)], overshoot=0.3, tau_s=9.0)
    save_calibration(old, path)

    def broken(self: Calibration) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Calibration, "to_json", broken)
    with pytest.raises(RuntimeError):
        save_calibration(Calibration.fit([(50.0, 2000.0)]), path)
    monkeypatch.undo()
    assert load_calibration(path) == old
    assert [p.name for p in tmp_path.iterdir()] == ["ball.json"]


def test_what_is_not_a_calibration_file(tmp_path: Path) -> None:
    binary = tmp_path / "rec.sbrec"
    binary.write_bytes(b"\x00\xff\xfe garbage")
    with pytest.raises(InputError, match=r"rec\.sbrec: this is not a SmartBall calibration"):
        load_calibration(binary)
    with pytest.raises(InputError, match="is a folder"):
        load_calibration(tmp_path)


def test_which_calibration(tmp_path: Path) -> None:
    assert resolve_calibration(None) == (None, resolve_calibration(None)[1])
    assert "reference ball" in resolve_calibration(None)[1]
    mine = Calibration.fit([(100.0, 9000.0)], overshoot=0.25, tau_s=6.0)
    save_calibration(mine, default_calibration_path())
    cal, name = resolve_calibration(None)
    assert cal == mine and "your ball" in name
    assert resolve_calibration("reference")[0] is None
    assert resolve_calibration("Reference")[0] is None
    other = tmp_path / "other.json"
    save_calibration(Calibration.fit([(10.0, 500.0)]), other)
    cal, name = resolve_calibration(str(other))
    assert cal is not None and cal.points == ((10.0, 500.0),) and name == str(other)
