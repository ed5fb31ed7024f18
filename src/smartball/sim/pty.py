"""The simulated ball on a pseudo-terminal, in real time, as a USB serial ball would be.

``serve_pty`` opens a pty pair, keeps the master, puts the slave in raw mode and hands its
path to ``on_ready``; any serial program can open that path. It streams the ball's frames
as their time comes and answers COMMAND frames the host writes. When nobody reads, what
waits in the port is discarded once it passes :data:`STALE_BYTES` (a few seconds of stream),
as a USB serial device's unread data is, so a program that opens the port later starts
close to live; the writes never block. When the session runs out the ball starts a new one
with the next seed, as if switched off and on.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import time
import tty
from collections.abc import Callable

from smartball.protocol import serial_wrap
from smartball.sim.ball import SimulatedBall
from smartball.sim.link import FrameSplitter, SerialLink

STALE_BYTES = 3500
"""Unread bytes the port holds before they are discarded (~1.5 s of a full stream; the
pty's line discipline holds at most 4095 where the count can be seen)."""


class PtyStats:
    def __init__(self) -> None:
        self.bytes_written = 0
        self.bytes_dropped = 0
        """Bytes that did not fit in the port at all."""
        self.bytes_discarded = 0
        """Bytes that waited unread in the port for too long (at least this many)."""
        self.commands = 0
        self.sessions = 1


def open_pty() -> tuple[int, int, str]:
    """``(master_fd, slave_fd, slave_path)``, the slave in raw mode."""
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    return master, slave, os.ttyname(slave)


def serve_pty(
    make_ball: Callable[[int], SimulatedBall],
    *,
    seed: int = 0,
    speed: float = 1.0,
    on_ready: Callable[[str], None] = print,
    should_stop: Callable[[], bool] = lambda: False,
    max_seconds: float | None = None,
) -> PtyStats:
    """Play balls made by ``make_ball(seed)``, ``make_ball(seed + 1)``, ... on a new pty
    until ``should_stop()`` (or KeyboardInterrupt, or ``max_seconds`` of wall time)."""
    master, slave, path = open_pty()
    stats = PtyStats()
    splitter = FrameSplitter()
    try:
        on_ready(path)
        wall0 = time.monotonic()
        while not should_stop():
            ball = make_ball(seed)
            link = SerialLink(ball.link, ball.seed)
            start = time.monotonic()
            while not should_stop():
                now = time.monotonic()
                if max_seconds is not None and now - wall0 >= max_seconds:
                    return stats
                t_s = (now - start) * speed
                for t_frame, frame in ball.poll(t_s):
                    _write(master, link.wrap(t_frame, frame), stats)
                _discard_stale(slave, stats)
                if t_s > ball.duration_s:
                    break
                ready, _, _ = select.select([master], [], [], 0.005)
                if ready:
                    try:
                        data = os.read(master, 4096)
                    except (BlockingIOError, InterruptedError):
                        data = b""
                    for frame in splitter.feed(data):
                        stats.commands += 1
                        for reply in ball.handle_command(frame):
                            _write(master, serial_wrap(reply), stats)
            seed += 1
            stats.sessions += 1
    finally:
        os.close(master)
        os.close(slave)
    return stats


def _write(fd: int, data: bytes, stats: PtyStats) -> None:
    if not data:
        return
    try:
        n = os.write(fd, data)
    except BlockingIOError:
        n = 0
    stats.bytes_written += n
    stats.bytes_dropped += len(data) - n


def _discard_stale(slave: int, stats: PtyStats) -> None:
    waiting = struct.unpack("i", fcntl.ioctl(slave, termios.FIONREAD, b"\0\0\0\0"))[0]
    if waiting >= STALE_BYTES:
        termios.tcflush(slave, termios.TCIFLUSH)
        stats.bytes_discarded += waiting
