"""``--cue-log FILE``: each cue as a JSON line ``{"t_s": device seconds, "cue": name}``
(``say`` also carries its ``"text"``), flushed as it happens."""

from __future__ import annotations

import json
from typing import IO

from smartball.cues.logic import Cue


class CueLog:
    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def __call__(self, cue: Cue) -> None:
        self._stream.write(json.dumps(cue.to_dict(), separators=(", ", ": ")) + "\n")
        self._stream.flush()


def read_cue_log(text: str) -> list[Cue]:
    """The cues of a cue log's text (for tests and benchmarks)."""
    out = []
    for line in text.splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Cue(float(d["t_s"]), d["cue"], d.get("text")))
    return out
