"""Writing a simulated session to disk: the capture, and its ground truth beside it.

``write_session`` is what ``smartball simulate --out`` calls. It writes a recording (the
bytes a serial host would have read, each chunk with its time, as ``smartball record``
writes them), so replay, analyze, inspect and export treat a simulated session like a
recorded one. ``write_serial_capture`` writes the bare bytes instead. A calibration scenario
also gets the marks file a person would have noted (``FILE.marks.csv``).

The recording's header carries the context ``smartball record`` would have kept
(:func:`recorded_context`): for someone doing a routine, the routine, its body part and that
part's default zones, so that ``analyze`` and ``replay`` score it for the part without
``--routine`` or ``--part``. Other scenarios carry none and are read as any older recording.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartball.sim.ball import SimulatedBall


def truth_path(path: Path) -> Path:
    """Where the truth of a capture goes: the capture's name plus ``.truth.json``."""
    return path.with_name(path.name + ".truth.json")


def write_serial_capture(path: Path, ball: SimulatedBall) -> int:
    """The whole session as raw serial bytes; returns the number of bytes written."""
    data = ball.serial_bytes()
    path.write_bytes(data)
    return len(data)


def recorded_context(ball: SimulatedBall) -> dict[str, Any] | None:
    """The header's ``context`` for a simulated session: for a performer, their routine, its
    part and the part's default zones (the default person, the reference ball, as a session
    recorded with ``--routine NAME --part PART`` keeps them); None for other scenarios."""
    from smartball.context import SessionContext
    from smartball.people.parts import default_thresholds
    from smartball.sim.performers import performer_of

    found = performer_of(ball.scenario)
    if found is None:
        return None
    routine = found[0]
    return SessionContext(routine=routine, part=routine.part,
                          zones_n=default_thresholds(routine.part)).to_json()


def write_recorded_session(path: Path, ball: SimulatedBall) -> int:
    """The whole session as a recording, one chunk per frame at its device time; returns
    the number of bytes written."""
    from smartball.protocol.messages import Info, decode_frame
    from smartball.recording import write_recording

    device = None
    for _t, frame in ball.frames():
        msg = decode_frame(frame)
        if isinstance(msg, Info):
            device = msg.as_dict()
        break
    session = {"command": "simulate", "scenario": ball.scenario.name, "seed": ball.seed,
               "seconds": ball.duration_s}
    writer = write_recording(path, ball.serial_chunks(), envelope="serial",
                             transport=f"simulated ball '{ball.scenario.name}' (seed {ball.seed})",
                             session=session, device=device, start_time_s=time.time(),
                             context=recorded_context(ball))
    return writer.bytes


@dataclass(frozen=True)
class SessionFiles:
    recording: Path
    truth: Path
    marks: Path | None
    """The marks file, for a scenario with marked loads (a calibration); else None."""


def write_session(path: Path, ball: SimulatedBall) -> SessionFiles:
    """Recording at ``path``, truth at :func:`truth_path`, and for a scenario with marked
    loads (a calibration) the marks a person would note at
    :func:`smartball.sim.marks.marks_path`."""
    from smartball.sim.marks import marks_for, marks_path, write_marks

    write_recorded_session(path, ball)
    tpath = truth_path(path)
    tpath.write_text(ball.truth.to_json() + "\n", encoding="utf-8")
    marks = marks_for(ball)
    mpath = None
    if marks:
        mpath = marks_path(path)
        write_marks(mpath, marks)
    return SessionFiles(path, tpath, mpath)
