"""Bytes a ball sends, and a ball on a pseudo-terminal, for transport tests.

The frames are real protocol frames (INFO, then SAMPLES batches of two samples, a STATUS now
and then), so a decoder downstream sees a plausible stream.
"""

from __future__ import annotations

import dataclasses
import os
import select
import threading
import time
import tty
from pathlib import Path

import numpy as np

from smartball.protocol import Info, Samples, Status, encode_frame, serial_wrap

INFO = Info(0, 0, (1, 0, 0), bytes.fromhex("0123456789abcdef"), 0xDEADBEEF, 10000, 7,
            0.07, 0.000122, 80, "SmartBall-CDEF")


def ball_frames(n: int, *, first_seq: int = 0, first_index: int = 0) -> list[bytes]:
    """INFO then ``n - 1`` more bare frames (SAMPLES, a STATUS every 50th)."""
    frames = [encode_frame(dataclasses.replace(INFO, seq=first_seq))]
    index = first_index
    for k in range(1, n):
        seq = (first_seq + k) & 0xFFFF
        if k % 50 == 0:
            frames.append(encode_frame(Status(seq, k * 20, 3900, 80, 0, 0)))
            continue
        p = np.array([10132500 + 600 * (index % 97), 10132500 + 600 * ((index + 1) % 97)],
                     np.uint32)
        g = np.array([[index % 300, -1, 2], [3, 4, 5]], np.int16)
        a = np.array([[0, 0, 8197], [0, 1, 8196]], np.int16)
        frames.append(encode_frame(Samples(seq, index, 7, 2215, p, g, a)))
        index += 2
    return frames


def serial_stream(n: int, **kw: int) -> bytes:
    return b"".join(serial_wrap(f) for f in ball_frames(n, **kw))


class PtyBall:
    """A pseudo-terminal whose far end plays the ball, reachable by a stable symlink path.

    ``vanish()`` closes it and removes the path (a ball unplugged); ``appear()`` makes a new
    pseudo-terminal behind the same path (the ball plugged in again)."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1
        self.slave = -1
        self.commands = bytearray()
        self._reader: threading.Thread | None = None
        self.appear()

    def appear(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        tty.setraw(self.master)
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(os.ttyname(self.slave))
        master = self.master
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read_commands, args=(master,), daemon=True)
        self._reader.start()

    def _read_commands(self, fd: int) -> None:
        # select() with a timeout, never a blocking read: a read in progress keeps the
        # pseudo-terminal alive after close(), and the far end would never see it vanish.
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([fd], [], [], 0.02)
                if not ready:
                    continue
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            self.commands += data

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self.master, view)
            view = view[n:]

    def write_paced(self, chunks: list[bytes], period_s: float = 0.0) -> None:
        for c in chunks:
            try:
                self.write(c)
            except OSError:
                return  # the test closed the ball: it stops talking
            if period_s:
                time.sleep(period_s)

    def _stop_reader(self) -> None:
        self._stop.set()
        if self._reader is not None:
            self._reader.join()
            self._reader = None

    def vanish(self) -> None:
        self._stop_reader()
        self.link.unlink()
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = -1

    def close(self) -> None:
        self._stop_reader()
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        self.master = self.slave = -1
