"""Every message of the wire protocol as a typed value, and its payload layout.

Values here hold what is on the wire (raw integers where the wire has them); conversion to
physical units for SAMPLES happens in :mod:`smartball.protocol.samples`, which needs the
scales of the device's INFO. This module does no I/O.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from smartball.protocol.constants import (
    CHANNEL_BITS,
    HEADER_SIZE,
    MAX_FRAME_SIZE,
    MAX_NAME_LEN,
    PROTOCOL_VERSION,
    Channel,
    MsgType,
    Opcode,
    SamplesFlag,
    StatusFlag,
    record_size,
)
from smartball.protocol.header import HEADER, SAMPLES_PREFIX

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

BATTERY_PERCENT_UNKNOWN = 255
"""STATUS ``battery_percent`` when the device does not know it."""
_INFO_FIXED = struct.Struct("<B3s8sIIBBffHB")
_STATUS = struct.Struct("<HBBI")
_REPLY = struct.Struct("<BBB")


class MalformedFrame(ValueError):
    """A frame whose bytes do not fit its type's layout (counted, never fatal)."""


@dataclass(frozen=True, slots=True)
class Info:
    seq: int
    uptime_ms: int
    firmware: tuple[int, int, int]
    device_id: bytes
    boot_id: int
    sample_period_us: int
    channels: int
    gyro_dps_per_lsb: float
    accel_g_per_lsb: float
    ball_diameter_mm: int
    name: str
    protocol: int = PROTOCOL_VERSION
    TYPE: ClassVar[MsgType] = MsgType.INFO

    @property
    def sample_rate_hz(self) -> float:
        return 1e6 / self.sample_period_us if self.sample_period_us else 0.0

    def as_dict(self) -> dict[str, object]:
        """The fields as plain JSON values (``device`` in ``inspect --json``)."""
        return {
            "protocol": self.protocol,
            "firmware": ".".join(str(v) for v in self.firmware),
            "device_id": self.device_id.hex(),
            "boot_id": self.boot_id,
            "sample_period_us": self.sample_period_us,
            "sample_rate_hz": self.sample_rate_hz,
            "channels": {
                "pressure": bool(self.channels & Channel.PRESSURE),
                "gyro": bool(self.channels & Channel.GYRO),
                "accel": bool(self.channels & Channel.ACCEL),
            },
            "gyro_dps_per_lsb": self.gyro_dps_per_lsb,
            "accel_g_per_lsb": self.accel_g_per_lsb,
            "ball_diameter_mm": self.ball_diameter_mm,
            "name": self.name,
        }


@dataclass(frozen=True, slots=True, eq=False)
class Samples:
    """One SAMPLES frame, raw. Record k is sample ``first_index + k``."""

    seq: int
    first_index: int
    channels: int
    temperature_cdeg: int
    pressure_cpa: npt.NDArray[np.uint32] | None
    gyro_raw: npt.NDArray[np.int16] | None
    accel_raw: npt.NDArray[np.int16] | None
    fifo_overflow: bool = False
    saturated: bool = False
    TYPE: ClassVar[MsgType] = MsgType.SAMPLES

    @property
    def count(self) -> int:
        for arr in (self.pressure_cpa, self.gyro_raw, self.accel_raw):
            if arr is not None:
                return int(arr.shape[0])
        return 0

    @property
    def flags(self) -> int:
        return (
            (self.channels & CHANNEL_BITS)
            | (SamplesFlag.FIFO_OVERFLOW if self.fifo_overflow else 0)
            | (SamplesFlag.SATURATED if self.saturated else 0)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Samples):
            return NotImplemented
        import numpy as np

        def same(a: object, b: object) -> bool:
            if a is None or b is None:
                return a is b
            return bool(np.array_equal(a, b))  # type: ignore[arg-type]

        return (
            (self.seq, self.first_index, self.channels, self.temperature_cdeg)
            == (other.seq, other.first_index, other.channels, other.temperature_cdeg)
            and (self.fifo_overflow, self.saturated) == (other.fifo_overflow, other.saturated)
            and same(self.pressure_cpa, other.pressure_cpa)
            and same(self.gyro_raw, other.gyro_raw)
            and same(self.accel_raw, other.accel_raw)
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Status:
    seq: int
    uptime_ms: int
    battery_mv: int
    battery_percent: int | None  # None: the device does not know (255 on the wire)
    flags: int
    """:class:`StatusFlag` bits (decoded frames carry a ``StatusFlag``)."""
    dropped_samples: int
    TYPE: ClassVar[MsgType] = MsgType.STATUS


@dataclass(frozen=True, slots=True)
class Log:
    seq: int
    uptime_ms: int
    level: int
    text: str
    TYPE: ClassVar[MsgType] = MsgType.LOG


@dataclass(frozen=True, slots=True)
class Command:
    seq: int
    uptime_ms: int
    opcode: int
    token: int
    args: bytes = b""
    TYPE: ClassVar[MsgType] = MsgType.COMMAND

    @staticmethod
    def start(seq: int, token: int, rate_hz: int, channels: int, uptime_ms: int = 0) -> Command:
        return Command(seq, uptime_ms, Opcode.START, token,
                       struct.pack("<HB", rate_hz, channels))

    def start_args(self) -> tuple[int, int]:
        """``(rate_hz, channels)`` of a START command."""
        if len(self.args) != 3:
            raise MalformedFrame("START takes 3 bytes of arguments")
        rate_hz, channels = struct.unpack("<HB", self.args)
        return rate_hz, channels


@dataclass(frozen=True, slots=True)
class Reply:
    seq: int
    uptime_ms: int
    opcode: int
    token: int
    result: int
    TYPE: ClassVar[MsgType] = MsgType.REPLY


@dataclass(frozen=True, slots=True)
class Unknown:
    """A frame of a type this host does not know; skipped and counted."""

    seq: int
    stamp: int
    type: int
    flags: int
    payload: bytes = field(repr=False)


Message = Info | Samples | Status | Log | Command | Reply | Unknown


# ---------------------------------------------------------------------------- encoding


def encode_frame(msg: Message) -> bytes:
    """The bare frame (header and payload) of a message, as sent over BLE."""
    if isinstance(msg, Samples):
        header = HEADER.pack(MsgType.SAMPLES, msg.flags, msg.seq & 0xFFFF, msg.first_index)
        payload = _samples_payload(msg)
    elif isinstance(msg, Unknown):
        header = HEADER.pack(msg.type, msg.flags, msg.seq & 0xFFFF, msg.stamp)
        payload = msg.payload
    else:
        header = HEADER.pack(msg.TYPE, 0, msg.seq & 0xFFFF, msg.uptime_ms & 0xFFFFFFFF)
        payload = _payload(msg)
    frame = header + payload
    if len(frame) > MAX_FRAME_SIZE:
        raise ValueError(f"a frame is at most {MAX_FRAME_SIZE} bytes, this one is {len(frame)}")
    return frame


def _payload(msg: Info | Status | Log | Command | Reply) -> bytes:
    if isinstance(msg, Info):
        name = msg.name.encode("utf-8")
        if len(name) > MAX_NAME_LEN:
            raise ValueError(f"a device name is at most {MAX_NAME_LEN} bytes of UTF-8")
        if len(msg.device_id) != 8:
            raise ValueError("a device_id is 8 bytes")
        return (
            _INFO_FIXED.pack(
                msg.protocol,
                bytes(msg.firmware),
                msg.device_id,
                msg.boot_id,
                msg.sample_period_us,
                msg.channels,
                0,
                msg.gyro_dps_per_lsb,
                msg.accel_g_per_lsb,
                msg.ball_diameter_mm,
                len(name),
            )
            + name
        )
    if isinstance(msg, Status):
        pct = BATTERY_PERCENT_UNKNOWN if msg.battery_percent is None else msg.battery_percent
        return _STATUS.pack(msg.battery_mv, pct, msg.flags, msg.dropped_samples)
    if isinstance(msg, Log):
        return bytes([msg.level]) + msg.text.encode("utf-8")
    if isinstance(msg, Command):
        return bytes([msg.opcode, msg.token]) + msg.args
    return _REPLY.pack(msg.opcode, msg.token, msg.result)


def _samples_payload(msg: Samples) -> bytes:
    import numpy as np

    n = msg.count
    if n == 0:
        raise ValueError("a SAMPLES frame holds at least one record")
    dtype = record_dtype(msg.channels)
    records = np.empty(n, dtype=dtype)
    if msg.channels & Channel.PRESSURE:
        records["p"] = msg.pressure_cpa
    if msg.channels & Channel.GYRO:
        records["g"] = msg.gyro_raw
    if msg.channels & Channel.ACCEL:
        records["a"] = msg.accel_raw
    return SAMPLES_PREFIX.pack(msg.temperature_cdeg) + records.tobytes()


def record_dtype(channels: int) -> np.dtype[np.void]:
    """The numpy layout of one SAMPLES record for a channel mask (little-endian, packed)."""
    import numpy as np

    fields: list[tuple[str, str] | tuple[str, str, tuple[int]]] = []
    if channels & Channel.PRESSURE:
        fields.append(("p", "<u4"))
    if channels & Channel.GYRO:
        fields.append(("g", "<i2", (3,)))
    if channels & Channel.ACCEL:
        fields.append(("a", "<i2", (3,)))
    dt = np.dtype(fields)
    assert dt.itemsize == record_size(channels)
    return dt


# ---------------------------------------------------------------------------- decoding


def decode_frame(frame: bytes) -> Message:
    """A typed message from a bare frame; raises :class:`MalformedFrame` if it does not fit."""
    if len(frame) < HEADER_SIZE:
        raise MalformedFrame(f"a frame is at least {HEADER_SIZE} bytes, this is {len(frame)}")
    if len(frame) > MAX_FRAME_SIZE:
        raise MalformedFrame(f"a frame is at most {MAX_FRAME_SIZE} bytes, this one {len(frame)}")
    mtype, flags, seq, stamp = HEADER.unpack_from(frame)
    payload = frame[HEADER_SIZE:]
    if mtype == MsgType.SAMPLES:
        return _decode_samples(seq, stamp, flags, payload)
    if mtype == MsgType.INFO:
        return _decode_info(seq, stamp, payload)
    if mtype == MsgType.STATUS:
        if len(payload) != _STATUS.size:
            raise MalformedFrame("a STATUS payload is 8 bytes")
        mv, pct, sflags, dropped = _STATUS.unpack(payload)
        return Status(seq, stamp, mv, None if pct == BATTERY_PERCENT_UNKNOWN else pct,
                      StatusFlag(sflags), dropped)
    if mtype == MsgType.LOG:
        if len(payload) < 1:
            raise MalformedFrame("a LOG payload starts with a level byte")
        return Log(seq, stamp, payload[0], payload[1:].decode("utf-8", errors="replace"))
    if mtype == MsgType.COMMAND:
        if len(payload) < 2:
            raise MalformedFrame("a COMMAND payload starts with opcode and token")
        return Command(seq, stamp, payload[0], payload[1], bytes(payload[2:]))
    if mtype == MsgType.REPLY:
        if len(payload) != _REPLY.size:
            raise MalformedFrame("a REPLY payload is 3 bytes")
        return Reply(seq, stamp, *_REPLY.unpack(payload))
    return Unknown(seq, stamp, mtype, flags, bytes(payload))


def _decode_info(seq: int, stamp: int, payload: bytes) -> Info:
    if len(payload) < _INFO_FIXED.size:
        raise MalformedFrame(f"an INFO payload is at least {_INFO_FIXED.size} bytes")
    (proto, fw, dev, boot, period, chans, _res, gyro, accel, diam, nlen) = _INFO_FIXED.unpack_from(
        payload
    )
    if nlen > MAX_NAME_LEN or len(payload) != _INFO_FIXED.size + nlen:
        raise MalformedFrame("an INFO name length does not match the payload")
    name = payload[_INFO_FIXED.size :].decode("utf-8", errors="replace")
    return Info(seq, stamp, (fw[0], fw[1], fw[2]), bytes(dev), boot, period, chans,
                _short_f32(gyro), _short_f32(accel), diam, name, proto)


def _short_f32(value: float) -> float:
    """The shortest decimal that is the same f32 (0.07, not 0.07000000029802322)."""
    import numpy as np

    return float(str(np.float32(value)))


def _decode_samples(seq: int, stamp: int, flags: int, payload: bytes) -> Samples:
    import numpy as np

    channels = flags & CHANNEL_BITS
    size = record_size(channels)
    body = len(payload) - SAMPLES_PREFIX.size
    if size == 0 or body <= 0 or body % size:
        raise MalformedFrame("a SAMPLES payload does not divide into whole records")
    (temp,) = SAMPLES_PREFIX.unpack_from(payload)
    rec = np.frombuffer(payload, dtype=record_dtype(channels), offset=SAMPLES_PREFIX.size)
    return Samples(
        seq,
        stamp,
        channels,
        temp,
        rec["p"].astype(np.uint32) if channels & Channel.PRESSURE else None,
        rec["g"].astype(np.int16) if channels & Channel.GYRO else None,
        rec["a"].astype(np.int16) if channels & Channel.ACCEL else None,
        bool(flags & SamplesFlag.FIFO_OVERFLOW),
        bool(flags & SamplesFlag.SATURATED),
    )
