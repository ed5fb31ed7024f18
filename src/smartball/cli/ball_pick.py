"""A kept ball picked by the board that connects: each sealed ball has its own board, so a
ball calibrated on a board (``calibrate DEVICE --name NAME``) is the ball whose INFO
``device_id`` that board sends.

Before the session starts, :func:`pick_ball_on_connect` asks the ball for its stream as the
session would and reads until its INFO says which board it is, keeping every chunk it read;
the session then takes those chunks first, so the recording and the processing miss nothing,
and the recording's context names the ball that was picked. Only when some kept ball names a
board, and no ``--calibration`` or ``--ball`` was given.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartball.chunk import Received
    from smartball.context import SessionContext
    from smartball.io.balls import KeptBall
    from smartball.protocol.messages import Info
    from smartball.transport.base import Transport

PROBE_S = 3.0
"""How long to wait for the ball's INFO before going on with the calibration chosen."""


def read_until_info(transport: Transport,
                    timeout_s: float = PROBE_S) -> tuple[Info | None, list[Received]]:
    """START the stream (where the host starts it) and read until an INFO comes; the INFO
    (None if none came in time) and every chunk read."""
    from smartball.handshake import StartHandshake
    from smartball.protocol.decoder import decoder_for
    from smartball.protocol.messages import Info

    if transport.host_starts_stream:
        transport.send(StartHandshake().start(None))
    decoder = decoder_for(transport.envelope)
    chunks: list[Received] = []
    deadline = time.monotonic() + timeout_s
    while (left := deadline - time.monotonic()) > 0:
        try:
            got = transport.recv_many(min(left, 0.05))
        except EOFError:
            break
        chunks += got
        for chunk in got:
            if not chunk.data:
                continue
            for msg in decoder.feed(chunk.data).messages:
                if isinstance(msg, Info):
                    return msg, chunks
    return None, chunks


def pick_ball_on_connect(transport: Transport, context: SessionContext,
                         say: Callable[[str], None],
                         timeout_s: float = PROBE_S,
                         ) -> tuple[SessionContext, KeptBall | None, list[Received]]:
    """The context with the calibration of the kept ball measured with the board that
    connected (unchanged if none was), that ball, and the chunks read meanwhile."""
    from smartball.io.balls import ball_for_device, kept_balls

    if not any(b.calibration.device_id for b in kept_balls()):
        return context, None, []
    info, chunks = read_until_info(transport, timeout_s)
    if info is None:
        return context, None, chunks
    ball = ball_for_device(info.device_id.hex())
    if ball is None:
        return context, None, chunks
    say(f"the ball {ball.name!r}, measured with this board ({info.name})")
    return context.replace(calibration=ball.calibration), ball, chunks
