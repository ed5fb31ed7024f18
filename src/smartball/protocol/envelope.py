"""The serial envelope: ``COBS(frame || crc16_le) || 0x00``. BLE carries bare frames."""

from __future__ import annotations

from smartball.protocol import cobs
from smartball.protocol.crc import crc16
from smartball.protocol.messages import Message, encode_frame


def serial_wrap(frame: bytes) -> bytes:
    """One bare frame as it travels over serial, delimiter included."""
    crc = crc16(frame)
    return cobs.encode(frame + bytes((crc & 0xFF, crc >> 8))) + b"\x00"


def encode_serial(msg: Message) -> bytes:
    """A message as it travels over serial."""
    return serial_wrap(encode_frame(msg))
