"""What makes two files the same session: ``history import`` skips one already listed.

A recording is known by its header record (it holds the start time to the microsecond, the
transport and the command line), so a copy, a torn copy and the file the session wrote
itself all have one key. Other files (raw serial captures, CSV) are known by their content.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

READ_BYTES = 1 << 20


def source_key(path: Path) -> str | None:
    """The file's key, or None when it cannot be read."""
    from smartball.recording.format import MAGIC, PREFIX

    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC) + PREFIX.size)
            if head.startswith(MAGIC) and len(head) == len(MAGIC) + PREFIX.size:
                length, _kind = PREFIX.unpack(head[len(MAGIC):])
                body = f.read(length)
                return "rec:" + hashlib.sha256(body).hexdigest()
            digest = hashlib.sha256(head)
            while block := f.read(READ_BYTES):
                digest.update(block)
            return "file:" + digest.hexdigest()
    except OSError:
        return None
