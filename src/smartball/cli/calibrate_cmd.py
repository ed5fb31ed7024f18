"""``smartball calibrate``: measure a ball on a scale.

- ``smartball calibrate DEVICE [--out FILE] [--record FILE]``: guides the user load by load,
  finds each steady hold in the pressure itself and asks for the scale's reading;
- ``smartball calibrate --from FILE --marks MARKS.csv [--out FILE] [--json]``: the same fit on
  a recording (or a capture, or a CSV with ``pressure_pa``) and the marks noted meanwhile.

Without ``--out`` the result becomes the user's default ball; ``--name NAME`` also keeps it
among the user's balls (``smartball balls``), refusing a name that exists unless
``--replace``. A calibration that fails
writes nothing: the file is written whole, after the fit, or not at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartball.cli.device_args import add_device_arguments
from smartball.errors import InputError, UsageError

if TYPE_CHECKING:
    from smartball.processing.calibration_fit import CalibrationFit, HeldLoad

SUSPECT_N = 3.0
SUSPECT_SHARE = 0.05
"""A point further than this from the smooth curve (newton, or share of its load) is named."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_device_arguments(parser, sim_default="scale-calibration")
    source = parser.add_argument_group("from a recording instead of a ball")
    source.add_argument("--from", dest="from_file", metavar="FILE",
                        help="a recording, a raw serial capture or a CSV with pressure_pa")
    source.add_argument("--marks", metavar="MARKS.csv",
                        help="with --from: start_s,end_s,load_kg (or load_n) per held load, "
                             "in the file's seconds from its first sample")
    parser.add_argument("--out", metavar="FILE", type=Path,
                        help="where to save the calibration (default: your ball, used by "
                             "every command without --calibration)")
    parser.add_argument("--record", metavar="FILE", type=Path,
                        help="with a ball: record the session to FILE, and the marks to "
                             "FILE.marks.csv")
    parser.add_argument("--name", metavar="NAME",
                        help="keep this ball under a name of your own (cork, tennis, ...), "
                             "beside your other balls ('smartball balls' lists them)")
    parser.add_argument("--replace", action="store_true",
                        help="with --name: measure a ball kept under that name again")
    parser.add_argument("--json", action="store_true",
                        help="print the result as JSON")
    parser.add_argument("--speed", type=_speed, default=None, metavar="X",
                        help="with --sim: play the simulated ball X times faster than real "
                             "time (default 1)")
    from smartball.cli.person_args import add_user_argument

    add_user_argument(parser)

def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value > 0 and value < float("inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a speed; give a number above 0, "
                                         "e.g. 10 for ten times real time")
    return value


def run(args: argparse.Namespace) -> int:
    from smartball.people.names import current_user

    user = current_user(args.user)  # a name that is not one is refused before the session
    devices = [n for n in ("sim", "port", "ble", "replay") if getattr(args, n) is not None]
    if args.speed is not None and devices != ["sim"]:
        raise UsageError("--speed plays the simulated ball faster; it goes with --sim only.")
    from smartball.out_file import CALIBRATION, CSV, check_args, check_output

    if args.replace and args.name is None:
        raise UsageError("--replace goes with --name NAME: the kept ball to measure again.")
    if args.name is not None:
        from smartball.io.balls import check_new_ball

        check_new_ball(args.name, replace=args.replace)
    if args.out is not None:
        from smartball.io.calibration_file import check_writable_over

        check_writable_over(args.out)  # an existing file: only a calibration is written over
    check_args(args, out=CALIBRATION)
    if args.record is not None:
        from smartball.io.calibration_marks import marks_path

        check_output(marks_path(args.record), CSV, "--record")
    if args.from_file is not None:
        if devices:
            raise UsageError("give either a ball (--sim, --port, --ble, --replay) or --from "
                             "FILE, not both.")
        if args.marks is None:
            raise UsageError("--from needs --marks MARKS.csv: the windows in which each load "
                             "was held and what the scale read.")
        if args.record is not None:
            raise UsageError("--record records a ball; with --from the recording exists "
                             "already.")
        fit = calibrate_file(args.from_file, args.marks)
    else:
        if args.marks is not None:
            raise UsageError("--marks goes with --from FILE; with a ball, calibrate finds "
                             "the holds itself.")
        if not devices:
            raise UsageError("choose the ball with exactly one of --sim [SCENARIO], --port "
                             "PORT, --ble [NAME], --replay FILE, or calibrate a recording "
                             "with --from FILE --marks MARKS.csv.")
        from smartball.cli.calibrate_live import calibrate_live

        fit = calibrate_live(args)
    return finish(fit, args.out, as_json=args.json, name=args.name, replace=args.replace,
                  user=user)


def calibrate_file(path: str, marks_path: str) -> CalibrationFit:
    """The fit of a session file and its marks."""
    import numpy as np

    from smartball.io.calibration_file import created_now
    from smartball.io.calibration_marks import read_marks
    from smartball.io.load import load_session
    from smartball.processing.calibration_fit import fit_calibration

    marks = read_marks(marks_path)
    block, _info = load_session(path)  # a calibration lasts minutes: one block is small
    if not block.has_pressure:
        if block.force_n is not None:
            raise InputError(f"{Path(path).name} holds forces only (force_n), nothing to "
                             "calibrate; calibrate from the ball's pressure (a recording, a "
                             "capture or a CSV with pressure_pa).")
        raise InputError(f"{Path(path).name} has no pressure readings to calibrate from; "
                         "record the ball on the scale again.")
    pressure = np.where(block.saturated, np.nan, block.pressure_pa)
    return fit_calibration(block.t_s, pressure, marks, created=created_now())


def finish(fit: CalibrationFit, out: Path | None, *, as_json: bool, name: str | None = None,
           replace: bool = False, user: str | None = None) -> int:
    """Save the calibration (without ``out``: as ``user``'s ball, the default person's
    unless named) and say what was found."""
    import dataclasses

    from smartball.io.calibration_file import save_calibration
    from smartball.people.names import DEFAULT_USER
    from smartball.people.store import ball_path

    if name is not None:
        from smartball.io.balls import check_ball_name, save_ball

        fit = dataclasses.replace(fit, calibration=dataclasses.replace(
            fit.calibration, name=check_ball_name(name)))
        kept = save_ball(fit.calibration, name, replace=replace)
        print(f"smartball calibrate: kept as the ball {kept.name!r} ({kept.path})",
              file=sys.stderr)
    target = out if out is not None else ball_path(user or DEFAULT_USER)
    save_calibration(fit.calibration, target)
    whose = "your" if user in (None, DEFAULT_USER) else f"{user}'s"
    where = str(target) if out is not None else f"{target} ({whose} ball from now on)"
    if as_json:
        doc: dict[str, Any] = json.loads(fit.calibration.to_json())
        doc["loads"] = [load_dict(lf.load, lf.settled_rise_pa, lf.residual_n)
                        for lf in fit.loads]
        doc["saved_to"] = str(target)
        json.dump(doc, sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_fit(fit))
    print(f"smartball calibrate: saved to {where}", file=sys.stderr)
    return 0


def load_dict(load: HeldLoad, rise_pa: float, residual_n: float) -> dict[str, float]:
    return {"start_s": round(load.start_s, 2), "end_s": round(load.end_s, 2),
            "force_n": round(load.force_n, 2), "settled_rise_pa": round(rise_pa, 1),
            "residual_n": round(residual_n, 2)}


def format_fit(fit: CalibrationFit) -> str:
    from smartball.processing.calibration_fit import G_MPS2

    cal = fit.calibration
    lines = ["load       held            settled rise     Pa/N   residual"]
    for lf in sorted(fit.loads, key=lambda x: x.load.force_n):
        m = lf.load
        lines.append(f"{m.force_n:6.1f} N  {m.start_s:6.1f}-{m.end_s:6.1f} s  "
                     f"{lf.settled_rise_pa:8.0f} Pa  {lf.settled_rise_pa / m.force_n:7.1f}  "
                     f"{lf.residual_n:+6.1f} N   ({m.force_n / G_MPS2:.1f} kg)")
    lines.append(f"response: a quick press reads {100 * cal.overshoot:.0f} % high at first and "
                 f"settles with {cal.tau_s:.1f} s")
    lines.append(f"residual: {cal.residual_n or 0.0:.1f} N RMS from a smooth curve")
    for lf in fit.loads:
        if abs(lf.residual_n) > max(SUSPECT_N, SUSPECT_SHARE * lf.load.force_n):
            lines.append(f"check the {lf.load.force_n:.0f} N reading: it lies "
                         f"{abs(lf.residual_n):.0f} N off the curve through the others "
                         "(misread, or not held steady?); calibrate again if it was.")
    return "\n".join(lines) + "\n"
