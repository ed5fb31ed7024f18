"""The session's side of the conversation with the ball: a refused START, errors of the
device thread, listeners."""

from __future__ import annotations

import pytest

from smartball.errors import DeviceError
from smartball.session import Session
from smartball.transport import Received, Transport, open_transport


def test_a_refused_start_is_retried_with_the_defaults() -> None:
    t = open_transport("sim", "demo", seconds=2, speed=None)
    session = Session(t, rate_hz=30)  # not a rate the ball has: BAD_ARGUMENT
    session.run()
    assert (session.rate_hz, session.channels) == (100, 7)
    # START refused, INFO_REQUEST (the board's channels), START with the board's defaults.
    assert session.counters.frames["reply"] == 3
    assert session.counters.samples > 150


class FailingTransport(Transport):
    envelope = "serial"

    def __init__(self) -> None:
        super().__init__("a ball that fails")
        self.calls = 0

    def _recv_internal(self, timeout_s: float | None) -> Received | None:
        self.calls += 1
        if self.calls > 2:
            raise DeviceError("the ball stopped answering; check its battery")
        return Received(0.0, b"", "connected", "x") if self.calls == 1 else None

    def _send_internal(self, data: bytes) -> None:
        pass

    def _shutdown(self) -> None:
        pass


def test_an_error_in_the_device_thread_is_raised_by_join() -> None:
    session = Session(FailingTransport())
    session.start()
    with pytest.raises(DeviceError, match="stopped answering"):
        session.join(5)
    assert [e.type for e in session.events] == ["connected"]


def test_every_event_reaches_every_listener() -> None:
    got_a: list[str] = []
    samples: list[int] = []

    class Listener:
        def on_samples(self, result: object) -> None:
            samples.append(len(result))  # type: ignore[arg-type]

        def on_event(self, event: object) -> None:
            got_a.append(event.type)  # type: ignore[attr-defined]

    session = Session(open_transport("sim", "demo", seconds=3, speed=None))
    session.add_listener(Listener())
    session.run()
    assert got_a == [e.type for e in session.events]
    assert sum(samples) == session.counters.samples
