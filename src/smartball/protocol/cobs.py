"""Consistent Overhead Byte Stuffing, one packet at a time (no delimiter handling).

The streaming, many-frames-at-once decoder lives in :mod:`smartball.protocol.decoder`;
this is the plain reference used by encoders and tests.
"""

from __future__ import annotations


class CobsError(ValueError):
    """Bytes that are not a valid COBS encoding."""


def encode(data: bytes) -> bytes:
    out = bytearray()
    # Split at zeros; each piece becomes code+bytes, with runs of 254 broken up.
    pieces = data.split(b"\x00")
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        while len(piece) >= 254:
            out.append(0xFF)
            out += piece[:254]
            piece = piece[254:]
            if not piece and last:
                return bytes(out)
        out.append(len(piece) + 1)
        out += piece
    return bytes(out)


def decode(data: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        code = data[i]
        if code == 0:
            raise CobsError("a zero byte inside a COBS packet")
        end = i + code
        if end > n:
            raise CobsError("a COBS block runs past the end of the packet")
        block = data[i + 1 : end]
        if 0 in block:
            raise CobsError("a zero byte inside a COBS packet")
        out += block
        if code != 0xFF and end < n:
            out.append(0)
        i = end
    return bytes(out)
