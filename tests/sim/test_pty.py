"""The ball on a pseudo-terminal answers commands written by the host."""

from __future__ import annotations

import os
import threading
import time

from smartball.protocol import Command, Info, Reply, encode_serial
from smartball.protocol.constants import Opcode
from smartball.protocol.decoder import StreamDecoder
from smartball.sim.ball import SimulatedBall
from smartball.sim.pty import serve_pty


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
            time.sleep(0.3)
            os.write(fd, encode_serial(Command(0, 0, Opcode.INFO_REQUEST, 42)))
            dec = StreamDecoder()
            messages: list[object] = []
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                messages += dec.feed(os.read(fd, 4096)).messages
                replies = [i for i, m in enumerate(messages) if isinstance(m, Reply)]
                if replies and any(isinstance(m, Info) for m in messages[replies[0]:]):
                    break
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
