"""The simulated ball as a transport: the same bytes a serial ball would send, in real time
(or ``speed`` times it, or as fast as possible), answering commands like the firmware.

The simulator (:mod:`smartball.sim`) does not sleep; pacing happens here. Link faults of the
scenario (lost frames, corrupted bytes, restarts) are in the bytes, so everything downstream
meets them exactly as it would from a real port.
"""

from __future__ import annotations

import os
import time
from collections import deque
from typing import Any

from smartball.transport.base import Received, Transport

DEFAULT_SCENARIO = "demo"
FAST_STEP_S = 0.1
"""Session seconds advanced per read when running as fast as possible."""
IDLE_SLEEP_S = 0.01
"""How long to wait in real time when the ball has nothing scheduled (asleep, or finished)."""


class SimulatedTransport(Transport):
    envelope = "serial"

    def __init__(
        self,
        scenario: str | os.PathLike[str] | None = None,
        *,
        seed: int = 0,
        seconds: float | None = None,
        channels: int | str | None = None,
        speed: float | None = 1.0,
        ball: Any = None,
    ) -> None:
        from smartball.sim.ball import SimulatedBall
        from smartball.sim.link import FrameSplitter, SerialLink

        if speed is not None and speed <= 0:
            raise ValueError("speed must be positive (or None: as fast as possible)")
        if ball is None:
            # An unknown scenario raises the sim's InputError, which names the known ones.
            name = scenario if scenario is not None else DEFAULT_SCENARIO
            ball = SimulatedBall(name, seed=seed, seconds=seconds, channels=channels)
        self.ball = ball
        super().__init__(f"simulated ball '{ball.scenario.name}' (seed {ball.seed})")
        self.speed = speed
        self._link = SerialLink(ball.link, ball.seed)
        self._splitter = FrameSplitter()
        self._t0_mono = time.monotonic()
        self._t0_wall = time.time()
        self._t_s = 0.0  # session time the ball has been played up to
        self._due_s: float | None = None  # when the ball sends next (None: ask it)
        self._pending: deque[Received] = deque(
            [Received(self._t0_wall, b"", "connected", self.description)]
        )

    @property
    def duration_s(self) -> float:
        return float(self.ball.duration_s)

    @property
    def unpaced(self) -> bool:
        return self.speed is None

    def _advance(self, t_s: float) -> None:
        """Play the ball up to ``t_s``; what it sent meanwhile becomes one chunk, as a serial
        read returns everything that has arrived."""
        self._t_s = t_s
        parts = []
        t_last = t_s
        for t_frame, frame in self.ball.poll(t_s):
            data = self._link.wrap(t_frame, frame)
            if data:
                parts.append(data)
                t_last = t_frame
        if parts:
            host_t = time.time() if self.speed is not None else self._t0_wall + t_last
            self._pending.append(Received(host_t, b"".join(parts)))
        if self.speed is not None:
            self._due_s = self.ball.next_send_s()

    def _recv_internal(self, timeout_s: float | None) -> Received | None:
        if self._pending:
            return self._pending.popleft()
        end_s = self.duration_s + 1.0
        if self._t_s > end_s:
            raise EOFError(f"the {self.description} finished its session")
        if self.speed is None:
            self._advance(self._t_s + FAST_STEP_S)
        else:
            # Sleep until the ball's next frame is due: one wake-up per frame, not a poll
            # (which would cost more CPU and add up to a poll period of latency).
            now_s = (time.monotonic() - self._t0_mono) * self.speed
            if self._due_s is None or now_s >= self._due_s:
                self._advance(now_s)
            if not self._pending:
                wait = IDLE_SLEEP_S
                if self._due_s is not None:
                    wait = (self._due_s - now_s) / self.speed
                if timeout_s is not None:
                    wait = min(wait, timeout_s)
                time.sleep(max(0.0, wait))
                self._advance((time.monotonic() - self._t0_mono) * self.speed)
        return self._pending.popleft() if self._pending else None

    def _send_internal(self, data: bytes) -> None:
        from smartball.protocol import serial_wrap

        self._due_s = None  # a command can change what the ball sends, and when
        for frame in self._splitter.feed(data):
            for reply in self.ball.handle_command(frame):
                self._pending.append(Received(time.time(), serial_wrap(reply)))

    def _shutdown(self) -> None:
        self._pending.clear()
