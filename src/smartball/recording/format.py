"""The byte layout of a recording (``.sbrec``), version 1.

A file is ``MAGIC`` (8 bytes), then records, appended and never rewritten. A record is::

    u32 length of body | u8 kind | body | u32 CRC-32 (zlib) of kind and body

all little-endian. Each record checks itself, so a file cut anywhere (the recorder killed,
the disk full) is readable up to the last whole record and the torn tail is detected rather
than misread. Kinds:

- ``HEADER`` (first record, once): UTF-8 JSON, :class:`RecordingHeader` - format version,
  envelope, transport description, start time, session details, and the context the session
  was processed with (calibration, routine, person, body part, zones:
  :class:`smartball.context.SessionContext`; absent in older files).
- ``CHUNK``: f64 host receive time (``time.time()``), then the bytes exactly as received.
- ``LINK``: f64 host time, u8 link event (1 connected, 2 disconnected, 3 reconnected),
  UTF-8 detail.
- ``DEVICE``: UTF-8 JSON of the ball's INFO fields, appended when first seen and whenever they
  change (a restarted ball has a new ``boot_id``).
- ``END``: UTF-8 JSON with the end time and counts; present only if the recorder was closed.

Unknown kinds are skipped by readers, so later versions can add kinds without breaking them.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from smartball.chunk import Envelope, LinkEvent

MAGIC = b"\x89SBREC\r\n"
"""A binary first byte and a CR LF, so a text-mode copy or a wrong file is seen at once."""
FORMAT_VERSION = 1

KIND_HEADER = 1
KIND_CHUNK = 2
KIND_LINK = 3
KIND_DEVICE = 4
KIND_END = 5

MAX_RECORD_BODY = 1 << 20
"""No record is near this; a longer length prefix means the bytes are not a record."""

PREFIX = struct.Struct("<IB")
CRC = struct.Struct("<I")
TIME = struct.Struct("<d")

LINK_CODES: dict[LinkEvent, int] = {"connected": 1, "disconnected": 2, "reconnected": 3}
LINK_NAMES: dict[int, LinkEvent] = {v: k for k, v in LINK_CODES.items()}


@dataclass(slots=True)
class RecordingHeader:
    envelope: Envelope
    """``serial`` (COBS byte stream) or ``packet`` (one bare frame per chunk)."""
    transport: str
    """Description of the transport it came from (``serial port /dev/ttyACM0``)."""
    start_time_s: float
    """``time.time()`` when recording started."""
    session: dict[str, Any] = field(default_factory=dict)
    """Free-form details: program version, command, scenario, seed..."""
    device: dict[str, Any] | None = None
    """INFO fields of the ball (filled from DEVICE records by the reader)."""
    format_version: int = FORMAT_VERSION
    context: dict[str, Any] | None = None
    """What the session was processed with, as :meth:`SessionContext.to_json` gives it
    (None: an older recording, made before headers carried it)."""

    def to_json(self) -> bytes:
        d = asdict(self)
        d["format"] = "smartball-recording"
        if d["context"] is None:
            del d["context"]
        return json.dumps(d, sort_keys=True).encode()

    @staticmethod
    def from_json(body: bytes) -> RecordingHeader:
        d = json.loads(body.decode("utf-8"))
        if not isinstance(d, dict) or d.get("format") != "smartball-recording":
            raise ValueError("not a smartball recording header")
        envelope = d["envelope"]
        if envelope not in ("serial", "packet"):
            raise ValueError(f"unknown envelope {envelope!r}")
        return RecordingHeader(
            envelope=envelope,
            transport=str(d.get("transport", "")),
            start_time_s=float(d["start_time_s"]),
            session=dict(d.get("session") or {}),
            device=d.get("device"),
            format_version=int(d["format_version"]),
            context=d.get("context"),
        )


def encode_record(kind: int, body: bytes) -> bytes:
    head = PREFIX.pack(len(body), kind)
    return head + body + CRC.pack(zlib.crc32(body, zlib.crc32(head[4:])))


def record_crc(kind: int, body: bytes) -> int:
    return zlib.crc32(body, zlib.crc32(bytes((kind,))))


def is_recording(path: str | Path) -> bool:
    """Whether a file starts like a recording (cheap: reads 8 bytes)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False
