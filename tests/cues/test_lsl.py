"""``--lsl`` with a real pylsl inlet: the Force, Markers and IMU streams describe themselves
(labels, units, types, the device id as source id) and deliver what was sent; without
pylsl, one sentence naming the extra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

pylsl = pytest.importorskip("pylsl")

from smartball.lsl import LslOutlets  # noqa: E402
from smartball.session import Session  # noqa: E402
from smartball.transport.simulated import SimulatedTransport  # noqa: E402


def channels(info: object) -> list[tuple[str, str, str]]:
    out = []
    ch = info.desc().child("channels").child("channel")  # type: ignore[attr-defined]
    while not ch.empty():
        out.append((ch.child_value("label"), ch.child_value("unit"), ch.child_value("type")))
        ch = ch.next_sibling()
    return out


def test_an_inlet_receives_the_sessions_streams_as_they_were_sent() -> None:
    session = Session(SimulatedTransport("demo", seed=5, seconds=14.0, speed=2.0))
    outlets = LslOutlets(session)
    session.start()
    try:
        found = {s: pylsl.resolve_byprop("type", s, timeout=10) for s in ("Force", "Markers",
                                                                          "IMU")}
        assert all(found.values()), found
        inlets = {k: pylsl.StreamInlet(v[0], processing_flags=0) for k, v in found.items()}
        for inlet in inlets.values():
            inlet.open_stream(timeout=5)
        got: dict[str, list[tuple[list[object], float]]] = {k: [] for k in inlets}

        def pull() -> None:
            while session.running or any(i.samples_available() for i in inlets.values()):
                for k, inlet in inlets.items():
                    data, stamps = inlet.pull_chunk(timeout=0.05)
                    got[k] += list(zip(data, stamps, strict=True))

        reader = threading.Thread(target=pull)
        reader.start()
        session.join(60)
        reader.join(10)
    finally:
        session.stop()
        session.join()
    info = inlets["Force"].info()
    device_id = session.info.device_id.hex()  # type: ignore[union-attr]
    assert info.source_id() == f"smartball-{device_id}"
    assert info.nominal_srate() == pytest.approx(session.pipeline.sample_rate_hz)
    assert channels(info) == [("force_n", "newtons", "Force"),
                              ("pressure_pa", "pascals", "Pressure"),
                              ("temp_c", "degrees Celsius", "Temperature")]
    assert [c[0] for c in channels(inlets["IMU"].info())] == [
        "gyro_x_dps", "gyro_y_dps", "gyro_z_dps", "accel_x_g", "accel_y_g", "accel_z_g"]
    force = np.array([s for s, _ in got["Force"]])
    stamps = np.array([t for _, t in got["Force"]])
    # From the first sample the inlet saw to the last one sent, every one arrived, in order,
    # a sample apart.
    rate = session.pipeline.sample_rate_hz
    assert stamps[-1] == pytest.approx(outlets.last_stamp_s, abs=1e-6)
    assert len(force) >= 0.99 * (round((stamps[-1] - stamps[0]) * rate) + 1)
    assert np.allclose(np.diff(stamps), 1 / rate, atol=2e-3)
    assert np.all((force[:, 1] > 90_000) & (force[:, 1] < 120_000))  # pascals
    assert np.nanmax(force[:, 0]) > 10  # newtons: the foot came on
    markers = [json.loads(s[0]) for s, _ in got["Markers"]]
    assert markers and all("type" in m and "t_s" in m for m in markers)
    imu_stamps = [t for _, t in got["IMU"]]
    assert imu_stamps[-1] == stamps[-1]
    assert len(imu_stamps) >= 0.99 * (round((stamps[-1] - imu_stamps[0]) * rate) + 1)


def test_lsl_without_pylsl_names_the_extra(tmp_path: Path) -> None:
    blocker = tmp_path / "pylsl"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('pylsl is not installed')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path) + os.pathsep + os.environ.get(
        "PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "smartball", "live", "--sim", "demo",
                           "--no-plot", "--seconds", "1", "--lsl"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "smartball[lsl]" in done.stderr, done.stderr
