"""``SimulatedBall``: the simulated device, usable wherever a real ball is (the facade; the
firmware's state machine is :mod:`smartball.sim.device`).

It plays a scenario's physics as the firmware would: INFO at the start and every 5 s,
SAMPLES batched every ~20 ms, STATUS once a second, each frame encoded by
:mod:`smartball.protocol`, and answers COMMAND frames (START, STOP, INFO_REQUEST, IDENTIFY,
SLEEP) with REPLY. The scenario's link faults are applied where they happen: lost frames and
samples lost inside the device at frame level (:meth:`SimulatedBall.frames`, also what BLE
would carry), corrupted bytes and a host attaching mid-frame on the serial stream
(:meth:`SimulatedBall.serial_chunks`). Nothing here sleeps: pacing is
:func:`smartball.sim.pacing.realtime`'s job.

Times are session seconds (``truth.t_s``): 0 is the first sample of the first boot.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt

from smartball.protocol import Channel
from smartball.protocol.constants import (
    PRESSURE_PA_PER_LSB,
    TEMPERATURE_C_PER_LSB,
    MsgType,
)
from smartball.protocol.messages import record_dtype
from smartball.sim.balls import Ball
from smartball.sim.catalog import load_scenario, scenario_zones
from smartball.sim.device import ACCEL_G_PER_LSB, GYRO_DPS_PER_LSB, Device, Wire
from smartball.sim.link import SerialLink
from smartball.sim.physics import Signals, simulate
from smartball.sim.scenario import Scenario
from smartball.sim.truth import Truth

CHANNEL_NAMES = {"pressure": Channel.PRESSURE, "gyro": Channel.GYRO, "accel": Channel.ACCEL}


def channel_mask(channels: int | str | Iterable[str]) -> int:
    """A channel mask from a mask, a name, or names (``"pressure"``, ``"gyro"``, ``"accel"``,
    or ``"all"``, ``"imu"``). Pressure is always there: it is the ball's reason to exist."""
    if isinstance(channels, int):
        mask = channels
    else:
        names = [channels] if isinstance(channels, str) else list(channels)
        mask = 0
        for name in names:
            for part in name.replace("+", ",").split(","):
                part = part.strip().lower()
                if part == "all":
                    mask |= int(Channel.PRESSURE | Channel.GYRO | Channel.ACCEL)
                elif part == "imu":
                    mask |= int(Channel.GYRO | Channel.ACCEL)
                elif part in CHANNEL_NAMES:
                    mask |= int(CHANNEL_NAMES[part])
                elif part:
                    raise ValueError(f"unknown channel {part!r}; use pressure, gyro, accel")
    if not mask & Channel.PRESSURE or mask & ~0x07:
        raise ValueError("a SmartBall board has pressure, optionally gyro and accel")
    return mask


def _to_i16(x: npt.NDArray[np.float64]) -> npt.NDArray[np.int16]:
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


class SimulatedBall:
    """A simulated SmartBall playing ``scenario`` (a :class:`Scenario`, a name or a path).

    ``seconds``: length of the session (default: the scenario's). ``channels``: the board's
    channels (mask or names; default: the scenario's; ``"pressure"`` for a board without an
    IMU). ``rate_hz``: the sample rate it starts with (default: the scenario's, 100 Hz).
    ``ball``: play the scenario on another ball (a name from
    :data:`smartball.sim.balls.BALLS` or a :class:`~smartball.sim.balls.Ball`; default: the
    scenario's own, the reference ball unless the scenario names one).
    """

    def __init__(
        self,
        scenario: Scenario | str | os.PathLike[str],
        seed: int = 0,
        seconds: float | None = None,
        channels: int | str | Iterable[str] | None = None,
        rate_hz: int | None = None,
        ball: Ball | str | None = None,
    ) -> None:
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        if ball is not None:
            self.scenario = self.scenario.on_ball(ball)
        self.seed = int(seed)
        self.plan = self.scenario.plan(self.seed, seconds)
        self.duration_s = self.plan[-1].end_s
        self.link = self.scenario.link_for(self.seed)
        self.channels = channel_mask(self.scenario.channels if channels is None else channels)
        rng = np.random.default_rng([self.seed, 5])
        self.device_id = bytes(rng.integers(0, 256, 8, dtype=np.uint8))
        self.name = f"SmartBall-{self.device_id[-2:].hex().upper()}"
        self.burst_times_s = _poisson_times(rng, self.link.drop_bursts_per_min, self.duration_s)
        self._overflow_times_s = _poisson_times(
            rng, self.link.fifo_overflows_per_min, self.duration_s
        )
        self._overflow_rng_seed = int(rng.integers(2**31))
        self._make_signals(int(rate_hz or self.scenario.rate_hz))
        self._live: Device | None = None

    # --- physics and truth at a rate

    def _make_signals(self, rate_hz: int) -> None:
        s = self.scenario
        self.signals: Signals = simulate(
            self.plan, ball=s.ball, environment=s.environment_for(self.seed), rate_hz=rate_hz,
            seed=self.seed,
        )
        n = len(self.signals)
        lost = np.zeros(n, np.bool_)
        rng = np.random.default_rng(self._overflow_rng_seed)
        for t in self._overflow_times_s:
            a = int(t * rate_hz)
            lost[a : a + int(rng.integers(3, 13))] = True
        self.lost_in_device = lost.tolist()
        self._wire: dict[int, Wire] = {}
        self.truth = Truth.from_signals(
            self.signals.force_n, self.signals.rolling, self.signals.rate_hz,
            index=np.full(n, -1, np.int64), segment=np.full(n, -1, np.int32),
            scenario=s.name, seed=self.seed,
            channels=tuple(k for k, v in CHANNEL_NAMES.items() if self.channels & v),
            intended_n=self.signals.intended_n, ball=s.ball.parameters(),
            edges_n=scenario_zones(s),
        )
        # The index and segment each sample gets on the wire: play the session once.
        Device(self).advance(self.duration_s + 1.0)

    def wire(self, mask: int) -> Wire:
        """The samples as the wire carries them for a channel mask (cached)."""
        wire = self._wire.get(mask)
        if wire is None:
            sig = self.signals
            records = np.empty(len(sig), dtype=record_dtype(mask))
            if mask & Channel.PRESSURE:
                records["p"] = np.round(sig.pressure_pa / PRESSURE_PA_PER_LSB).astype(np.uint32)
            if mask & Channel.GYRO:
                records["g"] = _to_i16(sig.gyro_dps / GYRO_DPS_PER_LSB)
            if mask & Channel.ACCEL:
                records["a"] = _to_i16(sig.accel_g / ACCEL_G_PER_LSB)
            temp = np.clip(np.round(sig.temp_c / TEMPERATURE_C_PER_LSB), -32768, 32767).astype(
                np.int64)
            sat = np.concatenate([[0], np.cumsum(sig.saturated)]).astype(np.int64)
            wire = Wire(records, temp.tolist(), sat.tolist())
            self._wire[mask] = wire
        return wire

    def use_rate(self, rate_hz: int) -> int:
        """Make ``rate_hz`` available (a divisor of the physics rate, or new physics at that
        rate); the decimation factor to use."""
        fs = round(self.signals.rate_hz)
        if fs % rate_hz == 0:
            return fs // rate_hz
        self._make_signals(rate_hz)
        return 1

    @property
    def rate_hz(self) -> float:
        return self.signals.rate_hz

    # --- the whole session at once

    def frames(self) -> Iterator[tuple[float, bytes]]:
        """``(device time of sending in s, bare frame)`` for the whole session, frames lost on
        the link left out. Always replays from the start; commands do not affect it."""
        device = Device(self)
        t = 0.0
        while t <= self.duration_s + 1.0:
            t += 1.0
            yield from device.advance(t)

    def serial_chunks(self) -> Iterator[tuple[float, bytes]]:
        """The session as it reaches a serial host: ``(time, bytes)`` per frame, with byte
        corruption and a mid-frame attach applied; empty chunks are left out."""
        link = SerialLink(self.link, self.seed)
        for t_s, frame in self.frames():
            data = link.wrap(t_s, frame)
            if data:
                yield t_s, data

    def realtime_chunks(self, speed: float = 1.0) -> Iterator[tuple[float, bytes]]:
        """:meth:`serial_chunks`, each yielded when its time comes (``speed`` times real
        time). For a ball that answers commands, use :meth:`poll` instead."""
        from smartball.sim.pacing import realtime

        return realtime(self.serial_chunks(), speed)

    def serial_bytes(self) -> bytes:
        """The whole session as one serial capture."""
        return b"".join(data for _, data in self.serial_chunks())

    # --- live: a cursor that commands can steer

    def _device(self) -> Device:
        if self._live is None:
            self._live = Device(self)
        return self._live

    def poll(self, until_s: float) -> list[tuple[float, bytes]]:
        """Frames sent since the last call, up to ``until_s`` session seconds (live use)."""
        return self._device().advance(until_s)

    @property
    def now_s(self) -> float:
        return self._device().now_s

    def next_send_s(self) -> float | None:
        """Session time of the live cursor's next frame (or reboot); None once the session
        has nothing more to send."""
        return self._device().next_send_s()

    def handle_command(self, frame: bytes) -> list[bytes]:
        """Answer one COMMAND frame (bare) at the live cursor as the firmware does: the REPLY,
        then an INFO after a good START or INFO_REQUEST. A START with the settings already
        streaming keeps the stream (and its sample indices); other settings start a new
        stream from index 0. SLEEP is refused (BUSY) while streaming. Frames that are not
        COMMANDs, and malformed ones, get no answer."""
        if len(frame) < 1 or frame[0] != MsgType.COMMAND:
            return []
        return self._device().handle(frame)


def _poisson_times(rng: np.random.Generator, per_min: float, duration_s: float) -> list[float]:
    if per_min <= 0:
        return []
    count = int(rng.poisson(per_min * duration_s / 60.0))
    return sorted(float(x) for x in rng.uniform(1.0, max(duration_s - 1.0, 1.0), count))


__all__ = ["SimulatedBall", "Wire", "channel_mask"]
