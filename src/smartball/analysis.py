"""A finished session file through the pipeline: what ``analyze`` and ``report`` share.

Reads any file :func:`smartball.io.load.open_file` knows, in whole blocks (memory stays
bounded), through the same pipeline as a live session, so its events are the live
session's; gives the ``analyze --json`` summary. A caller that wants the per-sample results
too (the report's force trace) passes ``on_result``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartball.processing.summary import SessionTotals, SummaryListener

if TYPE_CHECKING:
    from smartball.context import SessionContext
    from smartball.events import Event
    from smartball.processing import Calibration, ProcessingConfig, ProcessResult
    from smartball.routines.model import Routine


@dataclass(frozen=True, slots=True)
class FileAnalysis:
    summary: dict[str, Any]
    """The ``analyze --json`` dict of DESIGN.md."""
    totals: SessionTotals
    """The same figures as numbers (for the history)."""
    lost_samples: int
    adherence: float | None
    """The routine's adherence (None without a routine, or before it started)."""
    config: ProcessingConfig
    t_first_s: float
    """Device time of the first sample (the summary's times count from it)."""
    events: list[Event]
    """Every event, as a live session of the same bytes would have emitted them."""


def analyze_file(
    path: str,
    calibration: Calibration | None = None,
    on_result: Callable[[ProcessResult], None] | None = None,
    routine: Routine | None = None,
    *,
    context: SessionContext | None = None,
) -> FileAnalysis:
    """``context``: what to process it with (calibration, routine, zones); or, for short,
    ``calibration`` (None: the reference ball) and ``routine`` (score the session against
    it: the summary gets its ``routine``)."""
    from smartball.context import SessionContext
    from smartball.io.load import open_file

    if context is None:
        context = SessionContext(calibration=calibration, routine=routine)
    routine = context.routine
    session_file = open_file(path)
    pipeline = session_file.pipeline(context=context)
    listener = SummaryListener(path, on_result)
    pipeline.add_listener(listener)
    session_file.run(pipeline)
    summary = listener.summary
    assert summary is not None and pipeline.processor is not None  # run() raises on no samples
    info = session_file.info(pipeline)
    out = summary.as_dict(lost_samples=info.lost_samples, crc_errors=info.crc_errors)
    if routine is not None:
        from smartball.routines.processing import RoutineProcessor

        # The whole routine's account, step by step, once the session is over.
        assert isinstance(pipeline.processor, RoutineProcessor)
        out["routine"] = pipeline.processor.tracker.summary(summary.t_first or 0.0)
    return FileAnalysis(
        summary=out,
        totals=summary.totals(),
        lost_samples=info.lost_samples,
        adherence=listener.routine()[1],
        config=context.processing_config(),
        t_first_s=summary.t_first or 0.0,
        events=pipeline.events,
    )
