"""What the serial link does to the bytes between the ball and the host.

Frame losses happen inside the device model (a lost frame still used its ``seq``); here are
the byte-level faults of a serial link: bits flipped in transit (the CRC catches them, the
receiver resynchronises at the next 0x00), and a host that opens the port while a frame is
on its way, so its first bytes are the tail of a frame. Pure: no I/O, no sleeping.
"""

from __future__ import annotations

import numpy as np

from smartball.protocol import serial_wrap
from smartball.sim.scenario import Link


def corrupt(data: bytes, rate: float, rng: np.random.Generator) -> bytes:
    """``data`` with each byte, with probability ``rate``, replaced by a different value."""
    if rate <= 0 or not data:
        return data
    hit = np.flatnonzero(rng.random(len(data)) < rate)
    if not len(hit):
        return data
    buf = np.frombuffer(data, np.uint8).copy()
    buf[hit] ^= rng.integers(1, 256, len(hit), dtype=np.uint8)
    return buf.tobytes()


class SerialLink:
    """Turns the device's frames into the bytes a serial host reads (``wrap``), in order."""

    def __init__(self, link: Link, seed: int) -> None:
        self.link = link
        self._rng = np.random.default_rng([seed, 8])
        self._attached = link.attach_at_s is None

    def wrap(self, t_s: float, frame: bytes) -> bytes:
        """The bytes of one frame as the host receives them; empty before the host attached."""
        data = serial_wrap(frame)
        if not self._attached:
            assert self.link.attach_at_s is not None
            if t_s < self.link.attach_at_s:
                return b""
            # The port opened while this frame was on the wire: only its tail arrives.
            self._attached = True
            data = data[int(self._rng.integers(1, len(data))) :]
        return corrupt(data, self.link.corrupt_byte_rate, self._rng)


class FrameSplitter:
    """The ball's side of reading serial: bytes from the host in, bare frames out (COBS
    undone, CRC checked). Garbage and bad CRCs cost that frame only."""

    MAX_PACKET = 600

    def __init__(self) -> None:
        self._buf = bytearray()
        self.errors = 0

    def feed(self, data: bytes) -> list[bytes]:
        from smartball.protocol import cobs
        from smartball.protocol.crc import crc16

        self._buf += data
        *packets, rest = bytes(self._buf).split(b"\x00")
        self._buf = bytearray(rest[-self.MAX_PACKET :])
        frames = []
        for pkt in packets:
            if not pkt:
                continue
            try:
                raw = cobs.decode(pkt)
            except cobs.CobsError:
                self.errors += 1
                continue
            if len(raw) < 3 or crc16(raw[:-2]) != int.from_bytes(raw[-2:], "little"):
                self.errors += 1
                continue
            frames.append(raw[:-2])
        return frames
