"""``smartball calibrate DEVICE``: calibrate with the ball on a scale, load by load (or
with ``--replay FILE``, a recording of it, played as fast as it reads).

The ball streams in the device thread (the same Session as ``live``, recording included);
the main thread finds each steady hold in the pressure (:class:`HoldFinder`), asks for the
scale's reading of it on stdin, and after the planned loads (or ``done`` after at least
three) fits the response from the samples and the marks it collected, exactly as
``calibrate --from FILE --marks MARKS.csv`` would. Guidance and questions go to stderr, the
result to stdout.
"""

from __future__ import annotations

import argparse
import queue
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from smartball.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from smartball.block import SampleBlock
    from smartball.processing import ProcessResult
    from smartball.processing.calibration_fit import CalibrationFit, HeldLoad
    from smartball.processing.calibration_holds import SteadyHold
    from smartball.session import Session

PLAN_KG = (3.0, 6.0, 10.0, 15.0, 20.0, 25.0)
"""The loads the user is guided through: about 30 N to 250 N."""
MIN_LOADS = 3
MIN_HOLD_S = 4.0
KG_PER_LB = 0.45359237
G_MPS2 = 9.80665
POLL_S = 0.1
_READING = re.compile(r"^\s*([0-9]+(?:[.,][0-9]*)?)\s*(kg|n|lb|lbs)?\s*$", re.IGNORECASE)


def parse_reading(text: str) -> float | None:
    """A scale reading in newton from ``12.4``, ``12.4 kg``, ``120 N`` or ``27 lb``
    (a bare number is kilograms, what kitchen and bathroom scales show); None if it is not
    one."""
    m = _READING.match(text)
    if m is None:
        return None
    value = float(m.group(1).replace(",", "."))
    unit = (m.group(2) or "kg").lower()
    if value <= 0:
        return None
    if unit == "n":
        return value
    return value * (KG_PER_LB if unit.startswith("lb") else 1.0) * G_MPS2


class _Samples:
    """The pressure samples the session decoded, handed from the device thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._new: list[SampleBlock] = []
        self.all: list[SampleBlock] = []

    def add(self, block: SampleBlock, _result: ProcessResult | None) -> None:
        """A block listener of the session's pipeline (called in the device thread)."""
        with self._lock:
            self._new.append(block)

    def take(self) -> list[SampleBlock]:
        with self._lock:
            new, self._new = self._new, []
        self.all.extend(new)
        return new


def _stdin_lines(stream: TextIO, out: queue.Queue[str | None]) -> None:
    for line in stream:
        out.put(line.strip())
    out.put(None)  # end of input


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def calibrate_live(args: argparse.Namespace) -> CalibrationFit:
    from smartball.cli.device_args import describe, open_device
    from smartball.cli.session_run import make_recorder
    from smartball.io.calibration_file import created_now
    from smartball.session import Session

    samples = _Samples()
    # A recording is played as fast as it reads: its holds are asked about one by one.
    transport = open_device(args, speed=None if args.replay is not None else 1.0,
                            sim_speed=getattr(args, "speed", None) or 1.0)
    scale = _simulated_scale(transport, samples)
    recorder = None
    try:
        recorder = make_recorder(transport, args.record, "calibrate")
        session = Session(transport, recorder=recorder, process=False)
        session.pipeline.add_block_listener(samples.add)
        replay = args.replay is not None
        if replay:
            _say(f"Calibrating from {args.replay}: for each hold in it, type what the scale "
                 "showed (12.4, 12.4 kg or 120 N); 'done' after 3 or more to finish early.")
        else:
            _say(f"Calibrating the {describe(args)}. Put the ball on the scale, a board on "
                 "the ball, and zero the scale. Then, for each load: press the board, hold "
                 "it steady for about 12 s while you read the scale, lift your hand off, and "
                 "type what the scale showed (12.4, 12.4 kg or 120 N). Type 'done' after 3 "
                 "loads or more to finish early.")
        session.start()
        try:
            loads = _guide(session, samples, guide=not replay, scale=scale)
        finally:
            session.stop()
            session.join()
    finally:
        transport.close()
        if recorder is not None:
            recorder.close()
    t, p = _pressure(samples.all)
    ball = _ball_name(session)
    if args.record is not None:
        from smartball.io.calibration_marks import marks_path, write_marks

        marks = marks_path(Path(args.record))
        write_marks(marks, loads)
        _say(f"recorded to {args.record}, the marks to {marks}")
    from smartball.processing.calibration_fit import fit_calibration

    fit = fit_calibration(t, p, loads, ball=ball, created=created_now())
    if session.info is None:
        return fit
    # The board it was measured with: this ball is picked when that board connects.
    import dataclasses

    return dataclasses.replace(fit, calibration=dataclasses.replace(
        fit.calibration, device_id=session.info.device_id.hex()))


def _simulated_scale(transport: object, samples: _Samples) -> Callable[[float, float],
                                                                       float | None] | None:
    """For a simulated ball, what its scale shows over a hold (device seconds ``start_s``
    to ``end_s``), from the simulator's truth; None for a real ball."""
    ball = getattr(transport, "ball", None)
    if ball is None or not hasattr(ball, "truth"):
        return None
    from smartball.sim.marks import scale_reading_kg

    def read(start_s: float, end_s: float) -> float | None:
        import numpy as np

        blocks = [b for b in samples.all if len(b)]
        if not blocks:
            return None
        t = np.concatenate([b.t_s for b in blocks])
        inside = (t >= start_s) & (t <= end_s)
        segment = np.concatenate([b.segment for b in blocks])[inside]
        index = np.concatenate([b.index for b in blocks])[inside]
        return scale_reading_kg(ball, segment, index)

    return read


def _guide(session: Session, samples: _Samples, *, guide: bool = True,
           scale: Callable[[float, float], float | None] | None = None) -> list[HeldLoad]:
    """Guide the user load by load (``guide``: say which load to press next); returns the
    held loads with their scale readings, in seconds from the first sample.

    Typed lines are taken in order. A reading waits for its hold: one typed while the load
    is still held (or piped in ahead) answers the next hold found; ``done`` (or an empty
    line, or the end of the input) finishes once there are enough loads."""
    from smartball.processing.calibration_fit import HeldLoad
    from smartball.processing.calibration_holds import HoldFinder

    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_stdin_lines, args=(sys.stdin, lines), daemon=True).start()
    typed: deque[str | None] = deque()
    finder = HoldFinder()
    waiting: deque[SteadyHold] = deque()  # held and released, not asked about yet
    loads: list[HeldLoad] = []
    t0: float | None = None
    asked: SteadyHold | None = None
    announced = -1
    acknowledged = False  # the reading waiting for its hold was acknowledged
    while len(loads) < len(PLAN_KG):
        streaming = session.running  # before taking the samples: none may come after
        if guide and announced < len(loads) and asked is None:
            announced = len(loads)
            _say(f"Load {len(loads) + 1}: press to about {PLAN_KG[len(loads)]:g} kg and "
                 "hold steady.")
        for block in samples.take():
            if t0 is None and len(block):
                t0 = float(block.t_s[0])
            for hold in finder.feed(block.t_s, block.pressure_pa):
                if hold.duration_s < MIN_HOLD_S:
                    _say(f"That load was steady for only {max(hold.duration_s, 0.0):.1f} s; "
                         "hold each one steady for about 12 s. Press it again.")
                else:
                    waiting.append(hold)
        if asked is None and waiting:
            asked = waiting.popleft()
            _say(f"Load {len(loads) + 1} was steady for {asked.duration_s:.0f} s. What did "
                 "the scale read?")
            shown = scale(asked.start_s, asked.end_s) if scale is not None else None
            if shown is not None:
                _say(f"  (the simulated scale reads {shown:.1f} kg)")
        if not typed:
            try:
                typed.append(lines.get(timeout=POLL_S))
            except queue.Empty:
                if not streaming and not waiting and asked is None:
                    break  # the ball's stream ended
                continue
        line = typed[0]
        if line is None or line.lower() in ("", "done", "q", "quit"):
            if len(loads) >= MIN_LOADS:
                break
            if line is None:
                raise InputError(f"the input ended after {len(loads)} load"
                                 f"{'' if len(loads) == 1 else 's'}; a calibration needs "
                                 f"at least {MIN_LOADS}: run it again.")
            typed.popleft()
            _say(f"A calibration needs at least {MIN_LOADS} loads ({len(loads)} so far); "
                 "press the next one, or Ctrl-C to stop.")
            continue
        force_n = parse_reading(line)
        if force_n is None:
            typed.popleft()
            _say(f"{line!r} is not a scale reading; type it as 12.4, 12.4 kg or 120 N.")
        elif asked is not None:
            typed.popleft()
            assert t0 is not None
            loads.append(HeldLoad(asked.start_s - t0, asked.end_s - t0, force_n))
            _say(f"  Load {len(loads)}: {force_n:.0f} N."
                 + (" Lift your hand off the board for a few seconds." if guide else ""))
            asked, acknowledged = None, False
        elif not streaming and not waiting:
            break  # no hold left for it
        else:
            if not acknowledged:
                acknowledged = True
                _say(f"  {force_n:.0f} N noted for the load you hold (or the next one); lift "
                     "your hand off once it has been steady for about 12 s.")
            time.sleep(POLL_S)  # the hold it belongs to is not over yet
    if len(loads) < MIN_LOADS:
        raise InputError(f"the ball stopped after {len(loads)} held load"
                         f"{'' if len(loads) == 1 else 's'}; a calibration needs at least "
                         f"{MIN_LOADS}: run it again.")
    return loads


def _pressure(blocks: list[SampleBlock]) -> tuple[npt.NDArray[np.float64],
                                                  npt.NDArray[np.float64]]:
    import numpy as np

    if not blocks:
        raise InputError("the ball sent no samples; check it is on and streaming "
                         "('smartball live' shows it).")
    t = np.concatenate([b.t_s for b in blocks])
    p = np.concatenate([np.where(b.saturated, np.nan, b.pressure_pa) for b in blocks])
    return t, p


def _ball_name(session: Session) -> str | None:
    info = session.info
    if info is None:
        return None
    return f"{info.name} ({info.device_id.hex()})"
