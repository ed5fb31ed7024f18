"""Writing a recording as it happens: a listener the session hands every chunk.

Crash safety comes from the layout (append-only, self-checking records) and from flushing:
the buffer goes to the operating system at least every ``flush_interval_s``, so a recorder
killed outright (SIGKILL) loses at most that much. ``fsync`` happens only at close, because a
killed process does not lose what the kernel already holds, and syncing 50 times a second
would cost the disk more than it buys.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from smartball.chunk import Envelope, Received
from smartball.errors import InputError
from smartball.recording.format import (
    KIND_CHUNK,
    KIND_DEVICE,
    KIND_END,
    KIND_HEADER,
    KIND_LINK,
    LINK_CODES,
    MAGIC,
    TIME,
    RecordingHeader,
    encode_record,
)


class RecordingWriter:
    """Appends chunks to a recording; call ``tick()`` now and then when idle, ``close()`` at end."""

    def __init__(
        self,
        path: str | Path,
        *,
        envelope: Envelope,
        transport: str,
        session: dict[str, Any] | None = None,
        start_time_s: float | None = None,
        flush_interval_s: float = 0.5,
        overwrite: bool = False,
        context: dict[str, Any] | None = None,
    ) -> None:
        """``overwrite``: replace a file already at ``path``. Off by default, so a recording
        of the user's is never lost to a name given twice. ``context``: what the session is
        processed with (``SessionContext.to_json()``), kept in the header."""
        self.path = Path(path)
        self.header = RecordingHeader(
            envelope=envelope,
            transport=transport,
            start_time_s=time.time() if start_time_s is None else start_time_s,
            session=dict(session or {}),
            context=context,
        )
        self.flush_interval_s = flush_interval_s
        self.chunks = 0
        self.bytes = 0
        self._device: dict[str, Any] | None = None
        try:
            self._file: IO[bytes] = open(self.path, "wb" if overwrite else "xb")
        except FileExistsError as exc:
            raise InputError(
                f"{self.path} exists already and is kept; give the recording another name, "
                "or delete that file first"
            ) from exc
        except OSError as exc:
            raise InputError(
                f"cannot write the recording {self.path} ({exc.strerror}); "
                "choose a path in a writable folder"
            ) from exc
        self._file.write(MAGIC + encode_record(KIND_HEADER, self.header.to_json()))
        self._flush()

    # ------------------------------------------------------------------ listener

    def on_chunk(self, chunk: Received) -> None:
        if chunk.link is not None:
            body = (
                TIME.pack(chunk.host_time_s)
                + bytes((LINK_CODES[chunk.link],))
                + chunk.detail.encode("utf-8", "replace")
            )
            self._write(encode_record(KIND_LINK, body))
        if chunk.data:
            self._write(encode_record(KIND_CHUNK, TIME.pack(chunk.host_time_s) + chunk.data))
            self.chunks += 1
            self.bytes += len(chunk.data)
        self.tick()

    def on_device_info(self, info: dict[str, Any]) -> None:
        """The ball's INFO fields; written when they differ from the last ones."""
        if info == self._device:
            return
        self._device = dict(info)
        self._write(encode_record(KIND_DEVICE, json.dumps(info, sort_keys=True).encode()))
        self._flush()

    def tick(self) -> None:
        """Flush if the last flush is older than ``flush_interval_s``."""
        if time.monotonic() - self._last_flush >= self.flush_interval_s:
            self._flush()

    def close(self) -> None:
        if self._file.closed:
            return
        end = {"end_time_s": time.time(), "chunks": self.chunks, "bytes": self.bytes}
        try:
            self._write(encode_record(KIND_END, json.dumps(end).encode()))
            self._flush()
            os.fsync(self._file.fileno())
        except (OSError, InputError):
            pass  # the error was (or will be) reported by the write that met it
        finally:
            try:
                self._file.close()
            except OSError:
                pass

    def _write(self, record: bytes) -> None:
        try:
            self._file.write(record)
        except OSError as exc:
            raise self._error(exc) from exc

    def _flush(self) -> None:
        try:
            self._file.flush()
        except OSError as exc:
            raise self._error(exc) from exc
        self._last_flush = time.monotonic()

    def _error(self, exc: OSError) -> InputError:
        return InputError(
            f"cannot write the recording {self.path} any more ({exc.strerror}); what was "
            "written so far is readable, free some space or record elsewhere"
        )

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def write_recording(
    path: str | Path,
    chunks: Iterable[tuple[float, bytes]],
    *,
    envelope: Envelope = "serial",
    transport: str = "simulated ball",
    session: dict[str, Any] | None = None,
    device: dict[str, Any] | None = None,
    start_time_s: float = 0.0,
    context: dict[str, Any] | None = None,
) -> RecordingWriter:
    """A whole recording from ``(t_s, bytes)`` chunks (``t_s`` from ``start_time_s``), as
    ``simulate --out`` writes one, replacing a file at ``path`` (a simulation can be made
    again). Returns the closed writer (for its counts)."""
    with RecordingWriter(
        path,
        envelope=envelope,
        transport=transport,
        session=session,
        start_time_s=start_time_s,
        flush_interval_s=5.0,
        overwrite=True,
        context=context,
    ) as writer:
        writer.on_chunk(Received(start_time_s, b"", "connected", transport))
        if device is not None:
            writer.on_device_info(device)
        for t_s, data in chunks:
            writer.on_chunk(Received(start_time_s + t_s, data))
    return writer


