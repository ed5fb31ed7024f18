"""The simulated ball's firmware: one power-on of the device as a state machine over session
time. It emits INFO, SAMPLES, STATUS and REPLY frames as ``sb_app.c`` does (batching,
restarts, frames lost on the link, FIFO overflows, the saturation flag) and answers COMMAND
frames at its cursor. It reads the session's physics and wire samples from the
:class:`~smartball.sim.ball.SimulatedBall` it belongs to (as :class:`BallData`), which is the
facade the rest of the program uses."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from smartball.protocol import Info, Reply, Status, encode_frame
from smartball.protocol.constants import (
    CHANNEL_BITS,
    VALID_RATES_HZ,
    MsgType,
    Opcode,
    ReplyResult,
    SamplesFlag,
)
from smartball.protocol.header import HEADER
from smartball.protocol.messages import Command, MalformedFrame, decode_frame

if TYPE_CHECKING:
    import numpy.typing as npt

    from smartball.sim.physics import Signals
    from smartball.sim.scenario import Link, Scenario
    from smartball.sim.truth import Truth

GYRO_DPS_PER_LSB = 0.07
"""LSM6DS3 at +-2000 dps."""
ACCEL_G_PER_LSB = 0.000122
"""LSM6DS3 at +-4 g."""
BATCH_S = 0.02
IDENTIFY_S = 2.0
INFO_EVERY_S = 5.0
STATUS_EVERY_S = 1.0
SEND_LATENCY_S = 0.001
FIRMWARE = (0, 1, 0)

_TEMPERATURE = struct.Struct("<h")


@dataclass
class Boot:
    """What the device knows during one power-on."""

    boot_id: int
    start_s: float
    seq: int = 0
    streaming: bool = True
    stream_first: int = 0  # physics row of index 0 of the current stream
    next_row: int = 0
    decim: int = 1
    mask: int = 0
    next_info_s: float = 0.0
    next_status_s: float = 0.0
    overflow_pending: bool = False


@dataclass(frozen=True)
class Wire:
    """The session's samples in wire units, for one channel mask, laid out once."""

    records: npt.NDArray[np.void]
    """Every row as a SAMPLES record (the protocol's ``record_dtype``)."""
    temperature_cdeg: list[int]
    saturated_before: list[int]
    """Number of saturated rows before each row (one more entry than rows)."""


class BallData(Protocol):
    """What the device reads of the session it plays (a
    :class:`~smartball.sim.ball.SimulatedBall`)."""

    seed: int
    duration_s: float
    link: Link
    scenario: Scenario
    signals: Signals
    truth: Truth
    channels: int
    device_id: bytes
    name: str
    burst_times_s: list[float]
    lost_in_device: list[bool]

    def wire(self, mask: int) -> Wire: ...
    def use_rate(self, rate_hz: int) -> int: ...


class Device:
    """One run of the device from power-on: a cursor over session time that emits frames.
    Commands change its state at the cursor. Kept apart from :class:`SimulatedBall` so
    ``frames()`` can replay the session from the start while a live run goes on."""

    def __init__(self, ball: BallData) -> None:
        self.ball = ball
        self.now_s = 0.0
        self.segment = 0
        self.dropped_in_device = 0
        self.restarts = sorted(t for t in ball.link.restarts_at_s if 0 < t < ball.duration_s)
        self.down_until_s = -1.0
        self.asleep = False
        self.identify_until_s = -1.0
        self._boot_rng = np.random.default_rng([ball.seed, 6])
        self._drop_rng = np.random.default_rng([ball.seed, 7])
        self._burst_left = 0
        self._bursts = list(ball.burst_times_s)
        self.boot = self._new_boot(0.0)

    def _new_boot(self, t_s: float) -> Boot:
        b = self.ball
        first = int(np.searchsorted(b.signals.t_s, t_s - 1e-9))
        return Boot(
            boot_id=int(self._boot_rng.integers(1, 2**32)), start_s=t_s, stream_first=first,
            next_row=first, decim=1, mask=b.channels, next_info_s=t_s, next_status_s=t_s + 0.5,
        )

    # --- the device's clock

    def _uptime_ms(self, t_s: float) -> int:
        return round((t_s - self.boot.start_s) * 1000) & 0xFFFFFFFF

    def _seq(self) -> int:
        s = self.boot.seq
        self.boot.seq = (s + 1) & 0xFFFF
        return s

    def _lost_on_link(self, t_s: float) -> bool:
        link = self.ball.link
        if self._bursts and t_s >= self._bursts[0]:
            self._bursts.pop(0)
            self._burst_left = int(self._drop_rng.integers(5, 31))
        if self._burst_left > 0:
            self._burst_left -= 1
            return True
        return link.drop_frame_rate > 0 and bool(self._drop_rng.random() < link.drop_frame_rate)

    def _next_batch(self) -> tuple[float, list[int]] | None:
        """Send time and physics rows of the next SAMPLES frame of this stream."""
        b, boot = self.ball, self.boot
        sig = b.signals
        n_rows = len(sig)
        per = max(1, round(BATCH_S * sig.rate_hz / boot.decim))
        row = boot.next_row
        while row < n_rows and b.lost_in_device[row]:
            # The device's FIFO overflowed: these samples are gone, their indices skipped.
            self.dropped_in_device += 1
            boot.overflow_pending = True
            row += boot.decim
        boot.next_row = row
        rows: list[int] = []
        while row < n_rows and len(rows) < per and not b.lost_in_device[row]:
            rows.append(row)
            row += boot.decim
        if not rows:
            return None
        return (rows[-1] + boot.decim) / sig.rate_hz + SEND_LATENCY_S, rows

    def _next_due(self) -> tuple[float, int, tuple[float, list[int]] | None] | None:
        """The device's next action: its time, what it is (0 reboot, 1 back up, 2 INFO,
        3 SAMPLES, 4 STATUS) and, for SAMPLES, the batch; None if it has nothing to do."""
        boot = self.boot
        batch = None
        candidates: list[tuple[float, int]] = []
        if self.restarts:
            candidates.append((self.restarts[0], 0))
        if self.now_s < self.down_until_s:
            candidates.append((self.down_until_s, 1))
        elif not self.asleep:
            if boot.streaming:
                candidates.append((boot.next_info_s, 2))
                batch = self._next_batch()
                if batch is not None:
                    candidates.append((batch[0], 3))
            candidates.append((boot.next_status_s, 4))
        if not candidates:
            return None
        t_s, what = min(candidates)
        return t_s, what, batch

    def next_send_s(self) -> float | None:
        """Session time of the next thing the device does (a frame, a reboot), None if
        nothing is left: a real-time player can sleep until then."""
        end_s = self.ball.duration_s + SEND_LATENCY_S + 1e-6
        due = self._next_due()
        return None if due is None or due[0] > end_s else due[0]

    def advance(self, until_s: float) -> list[tuple[float, bytes]]:
        """Every frame the device sends up to ``until_s`` (session seconds), in order, with
        the frames lost on the link already left out."""
        out: list[tuple[float, bytes]] = []
        # The session ends with its last sample's frame.
        end_s = min(until_s, self.ball.duration_s + SEND_LATENCY_S + 1e-6)
        while True:
            boot = self.boot
            due = self._next_due()
            if due is None:
                break
            t_s, what, batch = due
            if t_s > end_s:
                break
            self.now_s = max(self.now_s, t_s)
            if what == 0:  # the device reboots: everything it had is gone
                self.restarts.pop(0)
                self.down_until_s = t_s + self.ball.link.reboot_s
                self.boot.streaming = False
                continue
            if what == 1:
                self.asleep = False
                self.segment += 1
                self.dropped_in_device = 0
                self.boot = self._new_boot(t_s)
                continue
            if what == 2:
                frame = self.info_frame(t_s)
                boot.next_info_s = t_s + INFO_EVERY_S
            elif what == 3:
                assert batch is not None
                frame = self._samples_frame(batch[1])
            else:
                frame = self._status_frame(t_s)
                boot.next_status_s = t_s + STATUS_EVERY_S
            if not self._lost_on_link(t_s):
                out.append((t_s, frame))
        self.now_s = max(self.now_s, min(until_s, end_s))
        return out

    # --- frames

    def info_frame(self, t_s: float) -> bytes:
        b = self.ball
        period_us = round(1e6 * self.boot.decim / b.signals.rate_hz)
        return encode_frame(Info(
            seq=self._seq(), uptime_ms=self._uptime_ms(t_s), firmware=FIRMWARE,
            device_id=b.device_id, boot_id=self.boot.boot_id, sample_period_us=period_us,
            channels=b.channels, gyro_dps_per_lsb=GYRO_DPS_PER_LSB,
            accel_g_per_lsb=ACCEL_G_PER_LSB, ball_diameter_mm=round(b.scenario.ball.diameter_mm),
            name=b.name,
        ))

    def _samples_frame(self, rows: list[int]) -> bytes:
        b, boot = self.ball, self.boot
        first, last = rows[0], rows[-1]
        wire = b.wire(boot.mask)
        first_index = (first - boot.stream_first) // boot.decim
        b.truth.index[first : last + 1 : boot.decim] = np.arange(
            first_index, first_index + len(rows)
        )
        b.truth.segment[first : last + 1 : boot.decim] = self.segment
        flags = boot.mask
        if boot.overflow_pending:
            flags |= SamplesFlag.FIFO_OVERFLOW
        if wire.saturated_before[last + 1] > wire.saturated_before[first]:
            flags |= SamplesFlag.SATURATED
        boot.overflow_pending = False
        boot.next_row = last + boot.decim
        # The records were laid out once with the protocol's record layout; a frame is its
        # header, the temperature and a slice of them (tests check every frame against
        # smartball.protocol.encode_frame).
        return (
            HEADER.pack(MsgType.SAMPLES, int(flags), self._seq(), first_index & 0xFFFFFFFF)
            + _TEMPERATURE.pack(wire.temperature_cdeg[last])
            + wire.records[first : last + 1 : boot.decim].tobytes()
        )

    def _status_frame(self, t_s: float) -> bytes:
        mv = round(4100 - 0.05 * t_s)
        pct = int(np.clip(round((mv - 3300) / 9), 0, 100))
        return encode_frame(Status(
            seq=self._seq(), uptime_ms=self._uptime_ms(t_s), battery_mv=mv, battery_percent=pct,
            flags=0, dropped_samples=self.dropped_in_device,
        ))

    def _reply(self, t_s: float, opcode: int, token: int, result: int) -> bytes:
        return encode_frame(Reply(self._seq(), self._uptime_ms(t_s), opcode, token, result))

    # --- commands

    def _forget_from(self, row: int) -> None:
        """The truth's wire columns from ``row`` on held what the device would have sent
        without commands; after a command they hold only what it really sends."""
        self.ball.truth.index[row:] = -1
        self.ball.truth.segment[row:] = -1

    def handle(self, frame: bytes) -> list[bytes]:
        """Answer a COMMAND as the firmware's ``sb_app.c`` does (same results, same order)."""
        t_s = self.now_s
        if t_s < self.down_until_s or self.asleep:
            return []  # rebooting or asleep: nobody listens
        try:
            msg = decode_frame(frame)
        except MalformedFrame:
            return []
        if not isinstance(msg, Command):
            return []
        boot = self.boot
        op, token, n_args = msg.opcode, msg.token, len(msg.args)
        if op == Opcode.START:
            result = self._start(t_s, msg.args)
            if result != ReplyResult.OK:
                return [self._reply(t_s, op, token, result)]
            return [self._reply(t_s, op, token, result), self.info_frame(t_s)]
        if op == Opcode.INFO_REQUEST:
            if n_args:
                return [self._reply(t_s, op, token, ReplyResult.BAD_ARGUMENT)]
            return [self._reply(t_s, op, token, ReplyResult.OK), self.info_frame(t_s)]
        if op == Opcode.STOP:
            result = ReplyResult.BAD_ARGUMENT if n_args else ReplyResult.OK
            if result == ReplyResult.OK and boot.streaming:
                boot.streaming = False
                self._forget_from(boot.next_row)
        elif op == Opcode.IDENTIFY:
            result = (ReplyResult.BAD_ARGUMENT if n_args
                      else ReplyResult.BUSY if t_s < self.identify_until_s else ReplyResult.OK)
            if result == ReplyResult.OK:
                self.identify_until_s = t_s + IDENTIFY_S
        elif op == Opcode.SLEEP:
            # Not while streaming: a host that forgot the stream would lose it silently.
            result = (ReplyResult.BAD_ARGUMENT if n_args
                      else ReplyResult.BUSY if boot.streaming else ReplyResult.OK)
        else:
            result = ReplyResult.UNSUPPORTED
        reply = [self._reply(t_s, op, token, result)]
        if op == Opcode.SLEEP and result == ReplyResult.OK:
            self.asleep = True
            self._forget_from(boot.next_row)
        return reply

    def _start(self, t_s: float, args: bytes) -> ReplyResult:
        if len(args) != 3:
            return ReplyResult.BAD_ARGUMENT
        rate_hz, channels = struct.unpack("<HB", args)
        if rate_hz not in VALID_RATES_HZ or channels == 0 or channels & ~CHANNEL_BITS:
            return ReplyResult.BAD_ARGUMENT
        if channels & ~self.ball.channels:
            return ReplyResult.UNSUPPORTED
        boot = self.boot
        current_hz = self.ball.signals.rate_hz / boot.decim
        if boot.streaming and rate_hz == round(current_hz) and channels == boot.mask:
            return ReplyResult.OK  # the same START again (a host reconnecting): same stream
        decim = self.ball.use_rate(rate_hz)
        first = int(np.searchsorted(self.ball.signals.t_s, t_s - 1e-9))
        self._forget_from(min(first, boot.next_row))
        if boot.next_row > boot.stream_first:
            self.segment += 1  # a new stream: sample index from 0 again
        boot.streaming, boot.decim, boot.mask = True, decim, channels
        boot.stream_first = boot.next_row = first
        boot.next_info_s = t_s + INFO_EVERY_S
        return ReplyResult.OK
