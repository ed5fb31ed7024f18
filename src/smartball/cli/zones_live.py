"""``smartball zones DEVICE``: measure a person's zones with the ball, interactively.

The ball streams in the device thread (the same Session as ``live``, recording included);
the main thread shows the force live (one line updated in place on a terminal), reads Enter
presses from stdin and guides the person press by press. Each press is one loaded stretch of
the stream: its first Enter marks moderate, its second deep, its third the most they would
want; then they let go, and the next press begins. After three whole presses (or ``done``
after two, or the end of the input) the thresholds come from the samples and the marks
exactly as ``zones --from FILE --marks FEEL.csv`` would (:mod:`smartball.people.feel`).
Guidance goes to stderr, the result to stdout.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartball.errors import InputError

if TYPE_CHECKING:
    from smartball.events import Event
    from smartball.people.feel import FeelMark, FeelResult
    from smartball.processing import ProcessResult
    from smartball.session import Session

RAMPS = 3
POLL_S = 0.1
ASK = ("it starts to feel moderate", "it starts to feel deep",
       "it is the most you would want")


class _Forces:
    """The force the session's processing made, handed from the device thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.t: list[Any] = []
        self.f: list[Any] = []
        self.last_t_s = float("nan")
        self.last_force_n = 0.0

    def on_samples(self, result: ProcessResult) -> None:
        if not len(result):
            return
        with self._lock:
            self.t.append(result.t_s)
            self.f.append(result.force_n)
            self.last_t_s = float(result.t_s[-1])
            self.last_force_n = float(result.force_n[-1])

    def on_event(self, event: Event) -> None:
        pass

    def first_t_s(self) -> float | None:
        """Device time of the first sample (None before it came)."""
        with self._lock:
            return float(self.t[0][0]) if self.t else None

    def now(self) -> tuple[float, float]:
        with self._lock:
            return self.last_t_s, self.last_force_n

    def arrays(self) -> tuple[Any, Any]:
        import numpy as np

        with self._lock:
            if not self.t:
                raise InputError("the ball sent no samples; check it is on and streaming "
                                 "('smartball live' shows it)")
            return np.concatenate(self.t), np.concatenate(self.f)


def _stdin_lines(out: queue.Queue[str | None]) -> None:
    for line in sys.stdin:
        out.put(line.strip())
    out.put(None)


class _Line:
    """The live force: a line rewritten in place on a terminal, a line a second otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False
        self._last = 0.0

    def show(self, t_s: float, force_n: float, hint: str) -> None:
        bar = "#" * int(min(max(force_n, 0.0), 400.0) / 10.0)
        text = f"  {t_s:6.1f} s  {force_n:5.0f} N  {bar:<20.20}  {hint}"
        if self.tty:
            import shutil

            width = shutil.get_terminal_size((80, 24)).columns - 1  # a wrapped line stays put
            sys.stderr.write("\r" + text[:width].ljust(width))
            sys.stderr.flush()
            self.shown = True
        elif time.monotonic() - self._last >= 1.0:
            self._last = time.monotonic()
            print(text, file=sys.stderr, flush=True)

    def say(self, text: str) -> None:
        if self.shown:
            sys.stderr.write("\n")
            self.shown = False
        print(text, file=sys.stderr, flush=True)


def zones_live(args: argparse.Namespace, user: str, part: str) -> FeelResult:
    from smartball.cli.calibration_arg import resolve
    from smartball.cli.device_args import describe, open_device
    from smartball.cli.session_run import make_recorder, recording_header
    from smartball.context import SessionContext
    from smartball.session import Session

    calibration, calibration_name = resolve(args)
    forces = _Forces()
    transport = open_device(args, speed=1.0)
    recorder = None
    line = _Line()
    try:
        # The recording carries whose feel session it was, on which part, with which ball.
        context = SessionContext(calibration=calibration, user=user, part=part)
        recorder = make_recorder(transport, args.record, "zones",
                                 recording_header(transport, "zones", context))
        session = Session(transport, recorder=recorder, calibration=calibration)
        session.add_listener(forces)
        who = "" if user == "default" else f" for {user}"
        line.say(f"Measuring your {part} zones{who} on the {describe(args)} (force from "
                 f"{calibration_name}). Rest on the ball, then press slowly harder, three times. "
                 "Each time, press "
                 "Enter when it starts to feel moderate, again when it starts to feel deep, "
                 "and again at the most you would want; then let go. 'done' after two "
                 "presses finishes early.")
        session.start()
        try:
            marks, t0 = _guide(session, forces, line)
        finally:
            session.stop()
            session.join()
            line.say("")
    finally:
        transport.close()
        if recorder is not None:
            recorder.close()
    from smartball.people.feel import feel_csv, feel_path, thresholds_from_feel

    t, f = forces.arrays()
    if args.record is not None:
        marks_file = feel_path(Path(args.record))
        marks_file.write_text(feel_csv(marks), encoding="utf-8")
        line.say(f"recorded to {args.record}, the marks to {marks_file}")
    return thresholds_from_feel(t - t0, f, marks, part)


def _guide(session: Session, forces: _Forces, line: _Line) -> tuple[list[FeelMark], float]:
    """Marks in seconds from the first sample, and that first sample's time."""
    from smartball.people.feel import FEELS, LOADED_N, FeelMark

    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_stdin_lines, args=(lines,), daemon=True).start()
    marks: list[FeelMark] = []
    complete = 0
    in_press: list[FeelMark] = []
    pressed = False
    announced = False
    t0: float | None = None
    while complete < RAMPS:
        t_s, force_n = forces.now()
        if t0 is None:
            t0 = forces.first_t_s()
        loaded = force_n > LOADED_N
        if loaded and not pressed:
            pressed = True
        elif not loaded and pressed:
            pressed = False
            if len(in_press) == 3:
                complete += 1
                if complete < RAMPS:
                    line.say(f"Press {complete} done. Rest a moment, then press slowly "
                             "harder again.")
            elif in_press:
                line.say(f"That press had {len(in_press)} mark"
                         f"{'' if len(in_press) == 1 else 's'} of 3; it does not count. "
                         "Press again, slowly, and press Enter three times.")
            in_press = []
        if not announced and t0 is not None:
            announced = True
            line.say(f"Press 1 of {RAMPS}: press slowly harder.")
        hint = ASK[len(in_press)] if len(in_press) < 3 else "let go"
        hint = f"Enter when {hint}" if len(in_press) < 3 else hint
        if t0 is not None:
            line.show(t_s - t0, force_n, hint if pressed or in_press else "press slowly")
        try:
            typed = lines.get(timeout=POLL_S)
        except queue.Empty:
            if not session.running:
                break  # the ball's stream ended
            continue
        if typed is None or typed.lower() in ("done", "q", "quit"):
            break
        if t0 is None or not pressed:
            line.say("Press the ball first: Enter marks a feeling while you press.")
            continue
        if len(in_press) >= 3:
            line.say("Three marks for this press already: let go, then press again.")
            continue
        mark = FeelMark(round(t_s - t0, 2), FEELS[len(in_press)])
        in_press.append(mark)
        marks.append(mark)
        line.say(f"  {mark.feel.replace('_', ' ')} at {force_n:.0f} N"
                 + ("; now let go." if len(in_press) == 3 else ""))
    if pressed and len(in_press) == 3:
        complete += 1
    if t0 is None:
        raise InputError("the ball sent no samples; check it is on and streaming "
                         "('smartball live' shows it)")
    return marks, t0
