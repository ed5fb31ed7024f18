"""Session files of any known form, sniffed, run through the one pipeline.

``open_file(path)`` tells the form (a recording, a raw serial capture, a CSV);
``SessionFile.run(pipeline)`` feeds it whole blocks as fast as they can be read (memory stays
bounded whatever the file's size) and finishes it, exactly as a live session would have fed
the same bytes. ``read_file`` does both; ``load_session`` gives every sample in one block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from smartball.errors import InputError, InputFileNotFound
from smartball.protocol.constants import DEFAULT_RATE_HZ

if TYPE_CHECKING:
    from smartball.block import SampleBlock
    from smartball.chunk import Envelope
    from smartball.context import SessionContext
    from smartball.pipeline import BlockListener, Listener, Pipeline
    from smartball.processing.calibration import Calibration
    from smartball.recording import RecordingReader
    from smartball.routines.model import Routine


@dataclass(slots=True)
class SourceInfo:
    path: str
    format: str
    """``csv``, ``serial`` (a raw serial capture) or ``recording`` (``smartball record``)."""
    sample_rate_hz: float = float(DEFAULT_RATE_HZ)
    ball_diameter_mm: float | None = None
    lost_samples: int = 0
    crc_errors: int = 0


class SessionFile:
    """A session file whose form is known; ``run(pipeline)`` reads it all into a pipeline
    made with :meth:`pipeline` (the decoder its form needs)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.format = sniff_format(self.path)
        self.envelope: Envelope | None = None
        self._csv_rate_hz: float | None = None
        self._recording: RecordingReader | None = None
        if self.format == "serial":
            self.envelope = "serial"
        elif self.format == "recording":
            from smartball.recording import RecordingReader

            self._recording = RecordingReader(self.path)
            self.envelope = self._recording.header.envelope

    @property
    def recording(self) -> RecordingReader | None:
        """The reader of a recording (None for a raw capture or a CSV)."""
        return self._recording

    @property
    def recorded_context(self) -> SessionContext | None:
        """What the session was processed with, as its recording carries it (None for an
        older recording, a raw capture or a CSV)."""
        return None if self._recording is None else self._recording.context

    def pipeline(self, *, process: bool = True, calibration: Calibration | None = None,
                 routine: Routine | None = None,
                 context: SessionContext | None = None) -> Pipeline:
        """A pipeline with the decoder this file needs, processing with ``context`` (or
        ``calibration`` and ``routine``)."""
        from smartball.pipeline import Pipeline

        return Pipeline(self.envelope, process=process, calibration=calibration,
                        routine=routine, context=context)

    def run(self, pipeline: Pipeline) -> None:
        """Feed the whole file to ``pipeline`` and finish it."""
        if self.format == "csv":
            self._run_csv(pipeline)
        elif self._recording is not None:
            from smartball.pipeline import BLOCK_BYTES, batches

            for batch in batches(self._recording.blocks(BLOCK_BYTES)):
                pipeline.feed(batch)
        else:
            from smartball.chunk import Received
            from smartball.pipeline import BLOCK_BYTES

            with open(self.path, "rb") as fh:
                while data := fh.read(BLOCK_BYTES):
                    pipeline.feed([Received(0.0, data)])
        pipeline.finish()
        if pipeline.samples == 0:
            raise InputError(self._no_samples())

    def _run_csv(self, pipeline: Pipeline) -> None:
        from smartball.io.csv_samples import CsvSamplesReader

        reader = CsvSamplesReader(self.path)
        for block in reader:
            self._csv_rate_hz = reader.sample_rate_hz
            pipeline.feed_samples(block, sample_rate_hz=reader.sample_rate_hz)

    def info(self, pipeline: Pipeline) -> SourceInfo:
        """What the file told about itself, once (part of) it went through ``pipeline``."""
        info = SourceInfo(str(self.path), self.format)
        if self.format == "csv":
            info.sample_rate_hz = self._csv_rate_hz or info.sample_rate_hz
            return info
        info.sample_rate_hz = pipeline.sample_rate_hz
        device = pipeline.info
        if device is not None and device.ball_diameter_mm:
            info.ball_diameter_mm = float(device.ball_diameter_mm)
        info.lost_samples = int(pipeline.counters.lost_samples)
        info.crc_errors = int(pipeline.counters.crc_errors)
        return info

    def _no_samples(self) -> str:
        if self.format == "serial":
            return (f"{self.path.name} holds no SAMPLES frames; record a streaming ball "
                    "(smartball record) or check the capture with 'smartball inspect'.")
        if self.format == "recording":
            return (f"{self.path.name} holds no samples; record a streaming ball, or look at "
                    "it with 'smartball inspect'.")
        return f"{self.path.name} holds no samples; add rows below its header."


def sniff_format(path: str | Path) -> str:
    """``recording``, ``csv`` or ``serial`` from the first bytes; raises
    :class:`InputError` if empty."""
    p = Path(path)
    if not p.exists():
        raise InputFileNotFound(f"{p} does not exist; check the file name.")
    if p.is_dir():
        raise InputError(f"{p} is a directory; give a recording, serial capture or CSV file.")
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except PermissionError:
        raise InputError(f"no permission to read {p}; check its permissions.") from None
    except OSError as exc:
        raise InputError(f"cannot read {p} ({exc.strerror or exc}); check the file.") from None
    if not head:
        raise InputError(f"{p.name} is empty; record the session again.")
    from smartball.recording.format import MAGIC

    if head.startswith(MAGIC):
        return "recording"
    if b"\x00" in head:
        return "serial"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 4 KiB edge
            return "serial"
    # Text: a CSV, unless it is plainly something else (the truth file that ``simulate``
    # writes beside its recording, a text file named as a recording).
    if head.lstrip()[:1] in (b"{", b"["):
        raise InputError(f"{p.name} is a JSON file, not a session; give a recording, a serial "
                         "capture or a CSV.")
    if p.suffix == ".sbrec":
        raise InputError(f"{p.name} is not a smartball recording (it holds text); give a file "
                         "written by 'smartball record' or 'smartball live --record'.")
    return "csv"


def open_file(path: str | Path) -> SessionFile:
    """The session file at ``path``; a one-sentence error if it is missing or unknown."""
    return SessionFile(path)


def read_file(
    path: str | Path,
    *,
    process: bool = True,
    calibration: Calibration | None = None,
    context: SessionContext | None = None,
    listeners: Iterable[Listener] = (),
    block_listeners: Iterable[BlockListener] = (),
) -> tuple[Pipeline, SourceInfo]:
    """Run a whole session file through the pipeline; the pipeline (events, processor)
    and what the file told about itself."""
    session_file = open_file(path)
    pipeline = session_file.pipeline(process=process, calibration=calibration, context=context)
    for listener in listeners:
        pipeline.add_listener(listener)
    for block_listener in block_listeners:
        pipeline.add_block_listener(block_listener)
    session_file.run(pipeline)
    return pipeline, session_file.info(pipeline)


def load_session(path: str | Path) -> tuple[SampleBlock, SourceInfo]:
    """The whole session in one block (for small files and tests)."""
    from smartball.block import SampleBlock

    blocks: list[SampleBlock] = []
    _pipeline, info = read_file(path, process=False,
                                block_listeners=[lambda block, _result: blocks.append(block)])
    return SampleBlock.concat(blocks), info
