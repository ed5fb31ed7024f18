"""``--lsl``: the session as Lab Streaming Layer streams, for research tools (LabRecorder,
MNE-LSL, BrainFlow ...).

- type ``Force``: ``force_n`` (from the processing), ``pressure_pa`` and ``temp_c`` (as the
  ball sent them), one sample per ball sample at the ball's rate;
- type ``Markers``: every event as its ``--events`` JSON line, at irregular rate;
- type ``IMU`` where the ball has one: ``gyro_x_dps`` ... ``accel_z_g``.

Each stream describes itself (channel ``label``, ``unit``, ``type``; the acquisition's
manufacturer and model) and its ``source_id`` is the ball's device id, so a recorder that
lost the stream finds it again after a reconnect. Time stamps are device time moved onto
LSL's clock once, at the first sample, so they keep the ball's own spacing. The streams are
made when the ball's INFO is known (its id and rate). ``pylsl`` (the ``lsl`` extra) carries
liblsl in its wheels.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

import numpy as np

from smartball.errors import UsageError

if TYPE_CHECKING:
    from smartball.block import SampleBlock
    from smartball.events import Event
    from smartball.processing import ProcessResult
    from smartball.session import Session

LSL_MISSING = ("--lsl needs the 'lsl' extra: pip install 'smartball[lsl]' "
               "(pylsl, which brings liblsl)")

FORCE_CHANNELS = (("force_n", "newtons", "Force"), ("pressure_pa", "pascals", "Pressure"),
                  ("temp_c", "degrees Celsius", "Temperature"))
IMU_CHANNELS = tuple((f"gyro_{a}_dps", "degrees per second", "AngularVelocity") for a in "xyz") \
    + tuple((f"accel_{a}_g", "g", "Acceleration") for a in "xyz")


def _pylsl() -> Any:
    try:
        import pylsl
    except (ImportError, RuntimeError, OSError):  # the module, or its liblsl
        raise UsageError(LSL_MISSING) from None
    return pylsl


def check_lsl_available() -> None:
    _pylsl()


def stream_info(pylsl: Any, name: str, kind: str, channels: tuple[tuple[str, str, str], ...],
                rate_hz: float, channel_format: Any, source_id: str,
                model: str = "") -> Any:
    """A ``StreamInfo`` with its channels and acquisition described."""
    info = pylsl.StreamInfo(name, kind, len(channels), rate_hz, channel_format, source_id)
    desc = info.desc()
    chans = desc.append_child("channels")
    for label, unit, ctype in channels:
        ch = chans.append_child("channel")
        ch.append_child_value("label", label)
        ch.append_child_value("unit", unit)
        ch.append_child_value("type", ctype)
    acq = desc.append_child("acquisition")
    acq.append_child_value("manufacturer", "SmartBall")
    acq.append_child_value("model", model or "SmartBall")
    acq.append_child_value("compensated_lag", "0")
    return info


class LslOutlets:
    """Publishes a session: ``LslOutlets(session)`` hooks itself to it; ``close()``."""

    def __init__(self, session: Session) -> None:
        self._pylsl = _pylsl()
        if "LSLAPICFG" not in os.environ:  # liblsl's INFO lines are noise in a terminal
            self._pylsl.set_config_content("[log]\nlevel = -1\n")
        self.session = session
        self.force: Any = None
        self.markers: Any = None
        self.imu: Any = None
        self.offset_s: float | None = None
        """LSL clock minus device time, fixed at the first sample."""
        self.sent_samples = 0
        self.last_stamp_s = math.nan
        self.sent_markers = 0
        self._pending: list[Event] = []
        session.add_listener(self)
        session.pipeline.add_block_listener(self._on_block)

    # ------------------------------------------------------------------ listener

    def on_samples(self, result: ProcessResult) -> None:
        pass

    def on_event(self, event: Event) -> None:
        if self.markers is None:
            self._pending.append(event)
            if event.type == "info":
                self._open(event.fields)
            return
        self._push_marker(event)

    # ------------------------------------------------------------------ streams

    def _open(self, info: dict[str, Any] | None, has_imu: bool | None = None) -> None:
        pl = self._pylsl
        info = info or {}
        source_id = f"smartball-{info.get('device_id') or 'unknown'}"
        model = str(info.get("name") or "SmartBall")
        rate_hz = float(info.get("sample_rate_hz") or self.session.pipeline.sample_rate_hz)
        self.rate_hz = rate_hz
        self.force = pl.StreamOutlet(stream_info(
            pl, "SmartBall Force", "Force", FORCE_CHANNELS, rate_hz, pl.cf_float32,
            source_id, model))
        self.markers = pl.StreamOutlet(stream_info(
            pl, "SmartBall Markers", "Markers", (("event", "", "Marker"),), pl.IRREGULAR_RATE,
            pl.cf_string, source_id + "-markers", model))
        self._source_id, self._model = source_id, model
        pending, self._pending = self._pending, []
        for ev in pending:
            self._push_marker(ev)

    def _open_imu(self) -> None:
        pl = self._pylsl
        self.imu = pl.StreamOutlet(stream_info(
            pl, "SmartBall IMU", "IMU", IMU_CHANNELS, self.rate_hz, pl.cf_float32,
            self._source_id + "-imu", self._model))

    def _stamp(self, t_s: float) -> float:
        if self.offset_s is None:
            self.offset_s = self._pylsl.local_clock() - t_s
        return t_s + self.offset_s

    def _push_marker(self, event: Event) -> None:
        t = event.t_s if math.isfinite(event.t_s) else 0.0
        self.markers.push_sample([event.to_json()], self._stamp(t))
        self.sent_markers += 1

    def _on_block(self, block: SampleBlock, result: ProcessResult | None) -> None:
        n = len(block)
        if n == 0:
            return
        if self.force is None:
            info = self.session.pipeline.info
            self._open(None if info is None else info.as_dict())
        if self.imu is None and block.has_gyro:
            self._open_imu()
        # NaN where the sensor was at its end: beyond what this ball can measure, no force.
        force = (result.measured_force_n if result is not None and len(result) == n
                 else np.full(n, np.nan))
        data = np.column_stack([force, block.pressure_pa, block.temp_c]).astype(np.float32)
        self._stamp(float(block.t_s[0]))
        assert self.offset_s is not None
        stamps = (block.t_s + self.offset_s).tolist()
        self.force.push_chunk(data, stamps)
        if self.imu is not None:
            imu = np.column_stack([block.gyro_dps, block.accel_g]).astype(np.float32)
            self.imu.push_chunk(imu, stamps)
        self.sent_samples += n
        self.last_stamp_s = stamps[-1]

    def close(self) -> None:
        self.force = self.markers = self.imu = None
