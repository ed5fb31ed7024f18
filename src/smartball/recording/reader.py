"""Reading a recording: an iterable of the chunks it holds, link events included.

A file cut short (the recorder killed mid-write) is not an error: everything up to the last
whole record is read, and the torn tail is reported with a :class:`TornRecordingWarning` and
counted in ``torn_bytes``. Damage in the middle (a failed check, a length that is no length,
a run of bad bytes) is skipped up to the next record that checks out and counted in
``corrupt_records``. Only a file that is not a recording at all raises.
"""

from __future__ import annotations

import json
import os
import re
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from smartball.chunk import Received
from smartball.errors import InputError, InputFileNotFound
from smartball.recording.format import (
    CRC,
    KIND_CHUNK,
    KIND_DEVICE,
    KIND_END,
    KIND_HEADER,
    KIND_LINK,
    LINK_NAMES,
    MAGIC,
    MAX_RECORD_BODY,
    PREFIX,
    TIME,
    RecordingHeader,
    record_crc,
)

if TYPE_CHECKING:
    from smartball.context import SessionContext

READ_BYTES = 1 << 22
"""The file is read in pieces of this size; records are cut out of them."""
_KIND_CRC = [zlib.crc32(bytes((kind,))) for kind in range(256)]
"""The CRC-32 of each kind byte: a record's check continues from it over the body."""


class RecordingWarning(UserWarning):
    """Something in a recording was damaged and skipped; the rest was read."""


class TornRecordingWarning(RecordingWarning):
    """The recording ends in a partial record (the recorder stopped mid-write)."""


class RecordingReader:
    """``for chunk in RecordingReader(path)``; ``header`` is read when it is opened."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.torn_bytes = 0
        """Bytes at the end that do not form a whole record (0 for a clean file)."""
        self.corrupt_records = 0
        self.end: dict[str, Any] | None = None
        """The END record; None if the recorder never closed the file."""
        try:
            with open(self.path, "rb") as f:
                self.header = self._read_header(f)
                self._data_offset = f.tell()
                self._peek_device(f)
        except FileNotFoundError:
            raise InputFileNotFound(f"there is no file {self.path}; check the path") from None
        except IsADirectoryError:
            raise InputError(f"{self.path} is a folder; name a recording file") from None
        except PermissionError:
            raise InputError(f"no permission to read {self.path}; check its permissions") from None

    @property
    def device(self) -> dict[str, Any] | None:
        """The ball's INFO fields (the last seen, after iterating), or None."""
        return self.header.device

    @property
    def context(self) -> SessionContext | None:
        """What the session was processed with (calibration, routine, person, part, zones);
        None for a recording made before headers carried it."""
        if self.header.context is None:
            return None
        from smartball.context import SessionContext

        try:
            return SessionContext.from_json(self.header.context)
        except (ValueError, TypeError, InputError) as exc:
            raise InputError(
                f"{self.path} has a damaged session context in its header ({exc}); it cannot be "
                "processed as it was recorded ('smartball inspect' still reads its bytes)"
            ) from None

    @property
    def complete(self) -> bool:
        """The recorder closed the file and nothing was torn or damaged."""
        return self.end is not None and not self.torn_bytes and not self.corrupt_records

    def _read_header(self, f: IO[bytes]) -> RecordingHeader:
        magic = f.read(len(MAGIC))
        if not magic:
            raise InputError(f"{self.path} is empty; record the session again")
        if magic != MAGIC:
            raise InputError(
                f"{self.path} is not a smartball recording; give a file written by "
                "'smartball record' or 'smartball live --record'"
            )
        rec = _read_record(f)
        if not isinstance(rec, tuple) or rec[0] != KIND_HEADER:
            raise InputError(
                f"{self.path} is a recording cut off before its header and holds no data; "
                "record the session again"
            )
        try:
            header = RecordingHeader.from_json(rec[1])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{self.path} has a damaged header ({exc}); it cannot be read"
            ) from None
        if header.format_version > 1:
            raise InputError(
                f"{self.path} is recording format {header.format_version}, newer than this "
                "smartball reads; update smartball"
            )
        return header

    def _peek_device(self, f: IO[bytes], max_records: int = 500) -> None:
        """Fill ``header.device`` from the first DEVICE record, written as soon as the ball's
        INFO came, so the description is there before anyone iterates."""
        for _ in range(max_records):
            rec = _read_record(f)
            if not isinstance(rec, tuple):
                return
            if rec[0] == KIND_DEVICE:
                try:
                    self.header.device = json.loads(rec[1].decode("utf-8"))
                except ValueError:
                    pass
                return

    def __iter__(self) -> Iterator[Received]:
        """The chunks and link events, in order, one per record."""
        return self._read(join_bytes=0)

    def blocks(self, join_bytes: int) -> Iterator[Received]:
        """The same stream in fewer pieces: for a serial recording, consecutive data chunks
        are joined up to about ``join_bytes`` (a serial stream may be cut anywhere; link
        events still come in their place). For reading as fast as possible, where the
        times of single chunks do not matter: a joined chunk has the time of its first."""
        return self._read(join_bytes=join_bytes if self.header.envelope == "serial" else 0)

    def _read(self, join_bytes: int) -> Iterator[Received]:
        self.torn_bytes = 0
        self.corrupt_records = 0
        with open(self.path, "rb") as f:
            f.seek(self._data_offset)
            yield from self._records(f, join_bytes)
        if self.corrupt_records:
            self._warn(f"{self.path}: {self.corrupt_records} damaged record(s) were skipped",
                       RecordingWarning)

    def _records(self, f: IO[bytes], join_bytes: int) -> Iterator[Received]:
        """The file is read in large pieces and records are cut out of them: a tight loop
        for whole, intact CHUNK records (an hour holds 180,000), one record at a time for
        everything else (other kinds, damage, the end of a piece or of the file)."""
        buf = b""
        pos = 0
        eof = False
        prefix, crc_size, time_size = PREFIX.size, CRC.size, TIME.size
        unpack_prefix, unpack_crc, unpack_time = PREFIX.unpack_from, CRC.unpack_from, \
            TIME.unpack_from
        crc32 = zlib.crc32
        chunk_crc = _KIND_CRC[KIND_CHUNK]
        joined: list[memoryview] = []
        joined_t = 0.0
        joined_n = 0
        while True:
            if len(buf) - pos < prefix + MAX_RECORD_BODY + crc_size and not eof:
                more = f.read(READ_BYTES)
                eof = not more
                buf = buf[pos:] + more
                pos = 0
            view = memoryview(buf)
            # Intact CHUNK records wholly inside what was read.
            safe = len(buf) if eof else len(buf) - (prefix + MAX_RECORD_BODY + crc_size)
            while pos + prefix <= safe:
                length, kind = unpack_prefix(buf, pos)
                start = pos + prefix
                stop = start + length
                if (kind != KIND_CHUNK or stop + crc_size > len(buf)
                        or crc32(view[start:stop], chunk_crc) != unpack_crc(buf, stop)[0]):
                    break
                pos = stop + crc_size
                if not join_bytes:
                    yield Received(unpack_time(buf, start)[0], buf[start + time_size : stop])
                    continue
                if not joined:
                    joined_t = unpack_time(buf, start)[0]
                joined.append(view[start + time_size : stop])
                joined_n += length - time_size
                if joined_n >= join_bytes:
                    yield Received(joined_t, b"".join(joined))
                    joined, joined_n = [], 0
            if pos + prefix + MAX_RECORD_BODY + crc_size <= len(buf) or eof:
                # Anything else, one record at a time; joined data goes out before it.
                if joined:
                    yield Received(joined_t, b"".join(joined))
                    joined, joined_n = [], 0
                left = len(buf) - pos
                if left == 0:
                    return
                if left < prefix:
                    self._torn(f, left)
                    return
                length, kind = unpack_prefix(buf, pos)
                end = pos + prefix + length + crc_size
                start = pos + prefix
                if (length > MAX_RECORD_BODY or end > len(buf)
                        or unpack_crc(buf, start + length)[0]
                        != crc32(view[start : start + length], _KIND_CRC[kind])):
                    # Damaged bytes (a length that is no length, a failed check) or the torn
                    # tail: reading goes on at the next record that checks out. None up to
                    # the end of the file: the tail was cut off.
                    found = _next_record(buf, view, pos + 1)
                    if found is not None:
                        self.corrupt_records += 1
                        pos = found
                    elif eof:
                        self._torn(f, left)
                        return
                    else:  # keep what may hold the start of the next record
                        pos = max(pos + 1, len(buf) - (prefix + MAX_RECORD_BODY + crc_size))
                    continue
                pos = end
                if kind == KIND_CHUNK:
                    yield Received(unpack_time(buf, start)[0],
                                   buf[start + time_size : start + length])
                else:
                    chunk = self._decode(kind, buf[start : start + length])
                    if chunk is not None:
                        yield chunk

    def _torn(self, f: IO[bytes], left: int) -> None:
        """From ``left`` bytes before the end of what was read to the end of the file."""
        self.torn_bytes = size = left + os.fstat(f.fileno()).st_size - f.tell()
        msg = (
            f"{self.path}: the last {size} bytes are a partial record "
            "(the recording was cut off); read up to there"
        )
        self._warn(msg, TornRecordingWarning)

    def _warn(self, message: str, category: type[RecordingWarning]) -> None:
        """Warn each time the file is read (not once per place in the code, as
        ``warnings.warn`` would): each reading is news to whoever reads it."""
        warnings.warn_explicit(message, category, str(self.path), 0, module=__name__,
                               registry=None)

    def _decode(self, kind: int, body: bytes) -> Received | None:
        if kind == KIND_LINK:
            (t,) = TIME.unpack_from(body)
            link = LINK_NAMES.get(body[TIME.size])
            if link is None:
                return None
            return Received(t, b"", link, body[TIME.size + 1 :].decode("utf-8", "replace"))
        if kind == KIND_DEVICE:
            self.header.device = json.loads(body.decode("utf-8"))
        elif kind == KIND_END:
            self.end = json.loads(body.decode("utf-8"))
        return None  # unknown kinds: later versions' additions, skipped


_KIND_BYTE = re.compile(b"[%c-%c]" % (KIND_HEADER, KIND_END))


def _next_record(buf: bytes, view: memoryview, start: int) -> int | None:
    """Where the first whole record that checks out begins at or after ``start``, if any."""
    for match in _KIND_BYTE.finditer(buf, start + PREFIX.size - 1):
        pos = match.start() - (PREFIX.size - 1)
        length, kind = PREFIX.unpack_from(buf, pos)
        body = pos + PREFIX.size
        if (length <= MAX_RECORD_BODY and body + length + CRC.size <= len(buf)
                and CRC.unpack_from(buf, body + length)[0]
                == zlib.crc32(view[body : body + length], _KIND_CRC[kind])):
            return pos
    return None


def _read_record(f: IO[bytes]) -> tuple[int, bytes] | str | None:
    """``(kind, body)``; None at a clean end; ``"torn"`` for a partial record at the end;
    ``"corrupt"`` for a whole record whose CRC does not match (the file goes on after it)."""
    head = f.read(PREFIX.size)
    if not head:
        return None
    if len(head) < PREFIX.size:
        return "torn"
    length, kind = PREFIX.unpack(head)
    if length > MAX_RECORD_BODY:
        return "torn"  # a length that is no length: nothing after it can be trusted
    rest = f.read(length + CRC.size)
    if len(rest) < length + CRC.size:
        return "torn"
    body = rest[:length]
    (crc,) = CRC.unpack_from(rest, length)
    if crc != record_crc(kind, body):
        # Cut exactly here and never completed? Then it is the tail; else skip it.
        if not f.read(1):
            return "torn"
        f.seek(-1, 1)
        return "corrupt"
    return kind, body


