"""A minimal frame source for the BLE tests: INFO, then SAMPLES with a running index."""

from __future__ import annotations

import numpy as np

from smartball.protocol import Command, Info, Message, Reply, Samples, decode_frame, encode_frame
from smartball.protocol.constants import ALL_CHANNELS, Opcode


class CounterBall:
    def __init__(self, samples_per_frame_max: int = 14) -> None:
        self._seq = 0
        self._rate_hz = 100
        self._start_s: float | None = None
        self._next_index = 0
        self._max = samples_per_frame_max

    @property
    def streaming(self) -> bool:
        return self._start_s is not None

    def _frame(self, msg: Message) -> bytes:
        frame = encode_frame(msg)
        self._seq = (self._seq + 1) & 0xFFFF
        return frame

    def handle_command(self, frame: bytes, now_s: float) -> list[bytes]:
        cmd = decode_frame(frame)
        if not isinstance(cmd, Command):
            return []
        out = [self._frame(Reply(self._seq, int(now_s * 1000), cmd.opcode, cmd.token, 0))]
        if cmd.opcode == Opcode.START:
            self._rate_hz, _channels = cmd.start_args()
            self._start_s = now_s
            self._next_index = 0
            out.append(self._frame(Info(self._seq, int(now_s * 1000), (1, 0, 0),
                                        bytes(range(8)), 1234, 1_000_000 // self._rate_hz,
                                        int(ALL_CHANNELS), 0.07, 0.000122, 90,
                                        "SmartBall-0607")))
        elif cmd.opcode == Opcode.STOP:
            self._start_s = None
        return out

    def poll(self, now_s: float) -> list[bytes]:
        if self._start_s is None:
            return []
        due = int((now_s - self._start_s) * self._rate_hz)
        frames = []
        while self._next_index < due:
            n = min(self._max, due - self._next_index)
            idx = np.arange(self._next_index, self._next_index + n)
            frames.append(self._frame(Samples(
                self._seq, self._next_index, int(ALL_CHANNELS), 2150,
                (101325_00 + idx).astype(np.uint32),
                np.zeros((n, 3), np.int16), np.zeros((n, 3), np.int16))))
            self._next_index += n
        return frames
