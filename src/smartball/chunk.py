"""The byte-level chunk: what a transport hands out and a recording keeps.

A leaf module (it imports nothing of smartball), so transports, recordings and the pipeline
share these types without importing each other.

``Envelope`` says how a stream's bytes are framed, and so which decoder reads them:
``"serial"`` (a COBS byte stream, chunks split anywhere) or ``"packet"`` (exactly one bare
frame per chunk, as BLE notifications and recordings of them carry). Link events (a port
that vanished, a ball that came back) travel as chunks with ``link`` set and no data, so a
recording keeps them in order with the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Envelope = Literal["serial", "packet"]
LinkEvent = Literal["connected", "disconnected", "reconnected"]


@dataclass(frozen=True, slots=True)
class Received:
    host_time_s: float
    """``time.time()`` when the bytes arrived."""
    data: bytes
    link: LinkEvent | None = None
    detail: str = ""
