"""Numbers of the wire protocol (shared/spec/protocol.md, version 1)."""

from __future__ import annotations

from enum import IntEnum, IntFlag

PROTOCOL_VERSION = 1
HEADER_SIZE = 8
MAX_FRAME_SIZE = 512
"""Header plus payload; the serial envelope adds 2 CRC bytes, COBS overhead and a 0x00."""
PRESSURE_PA_PER_LSB = 0.01
"""A SAMPLES record's pressure is a u32 in 0.01 Pa."""
TEMPERATURE_C_PER_LSB = 0.01
"""A SAMPLES frame's temperature is an i16 in 0.01 degC."""

DEFAULT_RATE_HZ = 100
"""The rate every board streams at unless START asks for another."""
DEFAULT_SAMPLE_PERIOD_US = 1_000_000 // DEFAULT_RATE_HZ
REFERENCE_BALL_DIAMETER_MM = 80
"""The reference ball; assumed when a stream does not say (no INFO, or a 0 in it)."""
REFERENCE_PA_PER_N = 60.0
MIN_BLE_ATT_MTU = 72
MAX_NAME_LEN = 20

SERVICE_UUID = "2b560001-ded0-488b-add9-fea68a5030ab"
STREAM_UUID = "2b560002-ded0-488b-add9-fea68a5030ab"
CONTROL_UUID = "2b560003-ded0-488b-add9-fea68a5030ab"


class MsgType(IntEnum):
    INFO = 0x01
    SAMPLES = 0x02
    STATUS = 0x03
    LOG = 0x04
    COMMAND = 0x10
    REPLY = 0x11


class Channel(IntFlag):
    """Channel mask, as in INFO ``channels`` and the SAMPLES ``flags`` low bits."""

    PRESSURE = 0x01  # pressure and temperature
    GYRO = 0x02
    ACCEL = 0x04


ALL_CHANNELS = Channel.PRESSURE | Channel.GYRO | Channel.ACCEL


class SamplesFlag(IntFlag):
    FIFO_OVERFLOW = 0x40
    SATURATED = 0x80


CHANNEL_BITS = 0x07


class StatusFlag(IntFlag):
    CHARGING = 0x01
    PRESSURE_FAULT = 0x02
    IMU_FAULT = 0x04
    BATTERY_LOW = 0x08


class Opcode(IntEnum):
    START = 0x01
    STOP = 0x02
    INFO_REQUEST = 0x03
    IDENTIFY = 0x04
    SLEEP = 0x05


class ReplyResult(IntEnum):
    OK = 0
    BAD_ARGUMENT = 1
    UNSUPPORTED = 2
    BUSY = 3


class LogLevel(IntEnum):
    DEBUG = 0
    INFO = 1
    WARNING = 2
    ERROR = 3


VALID_RATES_HZ = (25, 50, 100, 200)


def record_size(channels: int) -> int:
    """Bytes of one SAMPLES record for a channel mask."""
    return (
        (4 if channels & Channel.PRESSURE else 0)
        + (6 if channels & Channel.GYRO else 0)
        + (6 if channels & Channel.ACCEL else 0)
    )
