"""A finished session file through the processing: what ``analyze`` and ``report`` share.

Reads any file :func:`smartball.io.load.open_session` knows, block by block (memory stays
bounded), and gives the ``analyze --json`` summary; a caller that wants the per-sample results
too (the report's force trace) passes ``on_result``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartball.processing import Calibration, ProcessingConfig, Processor, ProcessResult
    from smartball.routines.model import Routine


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    summary: dict[str, Any]
    """The ``analyze --json`` dict of DESIGN.md."""
    config: ProcessingConfig
    t_first_s: float
    """Device time of the first sample (the summary's times count from it)."""


def mmss(seconds: float) -> str:
    """A duration or a time into the session as minutes:seconds, as both views print it."""
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def analyze_file(
    path: str,
    calibration_path: str | None = None,
    on_result: Callable[[ProcessResult], None] | None = None,
    routine: Routine | None = None,
) -> FileAnalysis:
    """``routine``: score the session against it (the summary gets its ``routine``)."""
    from smartball.io.calibration_file import load_calibration
    from smartball.io.load import open_session
    from smartball.processing.summary import SessionSummary

    calibration = load_calibration(calibration_path) if calibration_path else None
    reader = open_session(path)
    processor: Processor | None = None
    summary: SessionSummary | None = None
    for block in reader:
        if processor is None or summary is None:
            info = reader.info  # complete once the first block is out: rate, ball size
            processor = _processor(routine, calibration,
                                   ball_diameter_mm=info.ball_diameter_mm or 80.0,
                                   sample_rate_hz=info.sample_rate_hz)
            summary = SessionSummary(path, info.sample_rate_hz)
        result = processor.process(block)
        summary.add(result)
        if on_result is not None:
            on_result(result)
    assert processor is not None and summary is not None  # readers raise on no samples
    end = (summary.t_last or 0.0) + summary.period_s
    summary.add_events(processor.finish(end))
    out = summary.as_dict(lost_samples=reader.info.lost_samples,
                             crc_errors=reader.info.crc_errors)
    if routine is not None:
        from smartball.routines.processing import RoutineProcessor

        assert isinstance(processor, RoutineProcessor)
        # At the last sample, as a live session ends it: the same steps live and here.
        processor.end(summary.t_last if summary.t_last is not None else end)
        out["routine"] = processor.tracker.summary(summary.t_first or 0.0)
    return FileAnalysis(
        summary=out,
        config=processor.config,
        t_first_s=summary.t_first or 0.0,
    )


def _processor(routine: Routine | None, calibration: Calibration | None, *,
               ball_diameter_mm: float, sample_rate_hz: float) -> Processor:
    from smartball.processing import Processor

    if routine is None:
        return Processor(calibration=calibration, ball_diameter_mm=ball_diameter_mm,
                         sample_rate_hz=sample_rate_hz)
    from smartball.routines.processing import RoutineProcessor

    return RoutineProcessor(routine, calibration=calibration,
                            ball_diameter_mm=ball_diameter_mm, sample_rate_hz=sample_rate_hz)
