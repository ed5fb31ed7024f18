"""The ball on a pseudo-terminal answers commands written by the host."""

from __future__ import annotations

import os
import select
import threading

from smartball.protocol import Command, Info, Reply, encode_serial
from smartball.protocol.constants import Opcode
from smartball.protocol.decoder import StreamDecoder
from smartball.sim.ball import SimulatedBall
from smartball.sim.pty import serve_pty


def read_when_ready(fd: int, timeout_s: float = 10.0) -> bytes:
    """What the ball wrote, once it wrote something (a failure after ``timeout_s``)."""
    ready, _, _ = select.select([fd], [], [], timeout_s)
    assert ready, f"the ball sent nothing for {timeout_s} s"
    return os.read(fd, 4096)


def test_pty_answers_an_info_request() -> None:
    ready = threading.Event()
    paths: list[str] = []
    stop = threading.Event()

    def on_ready(path: str) -> None:
        paths.append(path)
        ready.set()

    thread = threading.Thread(
        target=serve_pty,
        args=(lambda seed: SimulatedBall("demo", seed=seed, seconds=30),),
        kwargs={"on_ready": on_ready, "should_stop": stop.is_set, "max_seconds": 10},
        daemon=True,
    )
    thread.start()
    try:
        assert ready.wait(5)
        fd = os.open(paths[0], os.O_RDWR | os.O_NOCTTY)
        try:
            dec = StreamDecoder()
            messages: list[object] = []
            # The ball streams from power-on: once its first bytes are here, it listens too.
            messages += dec.feed(read_when_ready(fd)).messages
            os.write(fd, encode_serial(Command(0, 0, Opcode.INFO_REQUEST, 42)))
            replies: list[int] = []
            while not (replies and any(isinstance(m, Info) for m in messages[replies[0]:])):
                messages += dec.feed(read_when_ready(fd)).messages
                replies = [i for i, m in enumerate(messages) if isinstance(m, Reply)]
            reply = messages[replies[0]]
            assert isinstance(reply, Reply) and reply.token == 42 and reply.result == 0
            # The answer to INFO_REQUEST: the REPLY, then an INFO.
            assert isinstance(messages[replies[0] + 1], Info)
        finally:
            os.close(fd)
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_pty_starts_a_new_session_when_one_runs_out() -> None:
    stats = serve_pty(lambda seed: SimulatedBall("demo", seed=seed, seconds=0.5), speed=4.0,
                      on_ready=lambda path: None, max_seconds=0.6)
    assert stats.sessions >= 3
    assert stats.bytes_written > 0


def test_unread_bytes_are_discarded_so_a_late_reader_starts_near_live() -> None:
    stats = serve_pty(lambda seed: SimulatedBall("demo", seed=seed), speed=20.0,
                      on_ready=lambda path: None, max_seconds=0.5)
    # Nobody opened the port: ~10 s of stream (~23 kB) went out; most of it was discarded.
    assert stats.bytes_written > 15_000
    assert stats.bytes_discarded > 3 * 3500
    assert stats.bytes_dropped == 0  # ... before it could fill the port and block it
