"""The one line ``smartball record`` keeps up to date on a terminal while it records: time,
samples, samples lost, the zone. Rewritten in place a few times a second (carriage return,
erase to the end of the line) and wiped at the end, so the summary follows on a clean line.
Nothing at all when the output is not a terminal (a log file, a pipe)."""

from __future__ import annotations

import shutil
import threading
import time
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartball.events import Event
    from smartball.processing import ProcessResult

INTERVAL_S = 0.25
ERASE = "\r\x1b[K"


def shows_progress(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal (where a line may be rewritten in place)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # closed or detached
        return False


class ProgressLine:
    """A session listener (it follows the zone) with a thread that redraws the line."""

    def __init__(self, session: Any, stream: IO[str], what: str = "recording",
                 interval_s: float = INTERVAL_S) -> None:
        self.session = session
        self.stream = stream
        self.what = what
        self.interval_s = interval_s
        self.zone: str | None = None
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="smartball-progress",
                                        daemon=True)

    # -- listener ------------------------------------------------------------------------

    def on_samples(self, result: ProcessResult) -> None:
        pass

    def on_event(self, event: Event) -> None:
        if event.type == "zone":
            self.zone = str(event.fields.get("zone", "")).replace("_", " ") or None
        elif event.type in ("disconnected", "reconnected"):
            self.zone = None

    # -- the line ------------------------------------------------------------------------

    def text(self) -> str:
        mins, secs = divmod(int(time.monotonic() - self._started), 60)
        c = self.session.counters
        parts = [f"{self.what} {mins:02d}:{secs:02d}", f"{c.samples:,} samples",
                 f"{c.lost_samples:,} lost"]
        if self.zone is not None:
            parts.append(f"zone {self.zone}")
        elif c.samples:
            parts.append("zone rest")  # processing starts at rest and says when it leaves
        return " · ".join(parts)

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        self.stream.write(ERASE + self.text()[: max(1, width - 1)])
        self.stream.flush()

    def _run(self) -> None:
        while True:
            try:
                self._draw()
            except (OSError, ValueError):  # the terminal went away: record on, silently
                return
            if self._stop.wait(self.interval_s):
                return

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        """Stop redrawing and wipe the line (once)."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        try:
            self.stream.write(ERASE)
            self.stream.flush()
        except (OSError, ValueError):
            pass
