"""The one transport interface: serial, BLE, the simulated ball and a replayed recording.

A transport only moves bytes: it never decodes them. What it hands out is a
:class:`~smartball.chunk.Received` chunk with the host time it arrived; ``envelope`` says how
the bytes are framed (see :mod:`smartball.chunk`). ``host_starts_stream`` says who sends
START: the session, once the transport is open (serial, BLE once subscribed, the simulated
ball), or nobody (a recording holds its stream already).

Backends implement ``_recv_internal``, ``_send_internal`` and ``_shutdown`` only; the public
``recv`` owns the timeout handling (python-can's ``BusABC`` split).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from types import TracebackType
from typing import ClassVar

from smartball.chunk import Envelope, LinkEvent, Received
from smartball.protocol.envelope import serial_wrap

__all__ = ["Envelope", "LinkEvent", "Received", "Transport"]


class Transport(ABC):
    envelope: ClassVar[Envelope]
    host_starts_stream: ClassVar[bool] = True
    """The session sends START when it begins and after a ``reconnected`` link event (and
    retries it). False where nothing can hear it (a replay)."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._closed = False

    def recv(self, timeout_s: float | None = None) -> Received | None:
        """The next chunk, or None if nothing came within ``timeout_s`` (None: wait)."""
        if self._closed:
            raise EOFError(f"{self.description} is closed")
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            chunk = self._recv_internal(left)
            if chunk is not None:
                return chunk
            if deadline is not None and time.monotonic() >= deadline:
                return None

    def recv_many(self, timeout_s: float | None = None) -> list[Received]:
        """Every chunk ready now, at least one unless ``timeout_s`` passed first (then
        none). A transport that reads a file as fast as it can hands out whole runs of
        chunks here, so the decoder and the processing get whole blocks."""
        chunk = self.recv(timeout_s)
        return [] if chunk is None else [chunk]

    @property
    def unpaced(self) -> bool:
        """Chunks come as fast as they can be read (a recording or a simulation played as
        fast as possible): nobody waits on any one of them."""
        return False

    def send(self, frame: bytes) -> None:
        """Send one bare frame (a COMMAND); serial backends wrap it in the envelope."""
        self._send_internal(serial_wrap(frame) if self.envelope == "serial" else frame)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._shutdown()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @abstractmethod
    def _recv_internal(self, timeout_s: float | None) -> Received | None:
        """One chunk, or None when ``timeout_s`` passed; raise EOFError at the end of input."""

    @abstractmethod
    def _send_internal(self, data: bytes) -> None:
        """Bytes ready for the wire."""

    @abstractmethod
    def _shutdown(self) -> None:
        """Release the port, connection or file."""
