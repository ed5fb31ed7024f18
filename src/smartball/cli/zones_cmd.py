"""``smartball zones``: a person's own zones per body part.

- ``smartball zones DEVICE [--part P] [--user U] [--record FILE]``: the person presses slowly
  harder, three times, and presses Enter when it starts to feel moderate, deep, and at the
  most they would want; the force shows live meanwhile; the thresholds and their spread at
  the end (:mod:`smartball.cli.zones_live`);
- ``smartball zones --from FILE --marks FEEL.csv``: the same from a recording and its marks
  (``t_s,feel`` rows, seconds from the file's first sample);
- ``smartball zones --set A,B,C,D``: typed thresholds;
- ``smartball zones --show [--json]``: the person's zones per part, with every measurement.

Every measurement is kept with its date; a measurement that fails saves nothing, and the
saved zones stay as they were.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartball.cli.device_args import add_device_arguments
from smartball.errors import UsageError

if TYPE_CHECKING:
    from smartball.people.feel import FeelResult
    from smartball.people.parts import Thresholds


EPILOG = (
    "With a ball: rest on it (your foot, or your back lying on it), then press slowly harder, "
    "three times; each time press Enter when it starts to feel moderate, when it starts to "
    "feel deep, and at the most you would want, then let go. Each threshold is the median "
    "force at its marks (read a reaction time before each Enter); the light one is the "
    "part's, or half your moderate where that is lower. Every measurement is kept with its "
    "date ('smartball trends' draws your edge of too much over the weeks); every session "
    "command then uses your zones for that part (--user, --part).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    add_device_arguments(parser, sim_default="feel")
    how = parser.add_argument_group("instead of a ball")
    how.add_argument("--from", dest="from_file", metavar="FILE",
                     help="a recording (or capture, or CSV) of a feel session")
    how.add_argument("--marks", metavar="FEEL.csv",
                     help="with --from: t_s,feel rows (feel: moderate, deep or too_hard), in "
                          "the file's seconds from its first sample")
    how.add_argument("--set", dest="set_zones", metavar="A,B,C,D",
                     help="type the four thresholds in N: rest/light, light/moderate, "
                          "moderate/deep, deep/too hard (e.g. 10,40,90,170)")
    how.add_argument("--show", action="store_true",
                     help="list the person's zones per body part, and every measurement")
    from smartball.cli.calibration_arg import add_calibration_argument
    from smartball.cli.person_args import add_person_arguments

    add_person_arguments(parser, zones=False)
    add_calibration_argument(parser)
    parser.add_argument("--record", metavar="FILE", type=Path,
                        help="with a ball: record the session to FILE, and the marks to "
                             "FILE.feel.csv")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from smartball.people.names import current_user
    from smartball.people.parts import check_part

    user = current_user(args.user)
    part = check_part(args.part)
    devices = [n for n in ("sim", "port", "ble", "replay") if getattr(args, n) is not None]
    ways = [w for w, given in (("a ball", bool(devices)), ("--from", args.from_file is not None),
                               ("--set", args.set_zones is not None), ("--show", args.show))
            if given]
    if len(ways) != 1:
        raise UsageError("give exactly one of a ball (--sim, --port, --ble, --replay), "
                         "--from FILE --marks FEEL.csv, --set A,B,C,D or --show"
                         + (f", not {' and '.join(ways)}" if ways else ""))
    if args.marks is not None and args.from_file is None:
        raise UsageError("--marks goes with --from FILE; with a ball you mark by pressing Enter")
    if args.record is not None and not devices:
        raise UsageError("--record records a ball's session; give a ball (--sim, --port, "
                         "--ble)")
    if args.show:
        return show(user, as_json=args.json)
    from smartball.cli.calibration_arg import resolve
    from smartball.people.zones import check_fits_ball

    # The person's ball: zones it cannot measure the edge of are refused, and nothing saved.
    calibration, _name = resolve(args)
    if args.set_zones is not None:
        from smartball.people.zones import parse_thresholds

        thresholds = parse_thresholds(args.set_zones)
        check_fits_ball(thresholds, calibration, user)
        return save(user, part, thresholds, None, as_json=args.json)
    if args.from_file is not None:
        if args.marks is None:
            raise UsageError("--from needs --marks FEEL.csv: when the person felt moderate, "
                             "deep and too hard (t_s,feel rows)")
        result = zones_from_file(args.from_file, args.marks, part, args)
    else:
        from smartball.cli.zones_live import zones_live
        from smartball.out_file import check_args

        check_args(args)  # --record: before the session
        result = zones_live(args, user, part)
    check_fits_ball(result.thresholds_n, calibration, user)
    return save(user, part, result.thresholds_n, result, as_json=args.json)


def zones_from_file(path: str, marks_path: str, part: str,
                    args: argparse.Namespace) -> FeelResult:
    """The thresholds of a recorded feel session and its marks."""
    import numpy as np

    from smartball.analysis import analyze_file
    from smartball.cli.calibration_arg import resolve
    from smartball.people.feel import read_feel_marks, thresholds_from_feel
    from smartball.processing import ProcessResult

    marks = read_feel_marks(marks_path)  # before the file is read: a bad marks file is quick
    calibration, _name = resolve(args)
    t_parts: list[Any] = []
    f_parts: list[Any] = []

    def keep(result: ProcessResult) -> None:
        t_parts.append(result.t_s)
        f_parts.append(result.force_n)

    done = analyze_file(path, calibration, on_result=keep)
    t = np.concatenate(t_parts) - done.t_first_s
    return thresholds_from_feel(t, np.concatenate(f_parts), marks, part)


def _fmt(t: Thresholds | list[float]) -> str:
    return "/".join(f"{x:g}" for x in t)


def save(user: str, part: str, thresholds: Thresholds, result: FeelResult | None, *,
         as_json: bool) -> int:
    """Keep the measurement and say what it is, and what it replaces."""
    from smartball.people.store import Measurement, add_measurement, now_iso
    from smartball.people.zones import zones_for

    before = zones_for(user, part)
    spread = None if result is None else tuple(round(s, 1) for s in result.spread_n)
    measurement = Measurement(now_iso(), thresholds, "set" if result is None else "feel",
                              None if spread is None else (spread[0], spread[1], spread[2]))
    path = add_measurement(user, part, measurement)
    if as_json:
        doc: dict[str, Any] = {"user": user, "part": part, "thresholds_n": list(thresholds),
                               "date": measurement.date, "saved_to": str(path)}
        if result is not None:
            doc["spread_n"] = list(measurement.spread_n or ())
            doc["ramps_n"] = [[round(x, 1) for x in r] for r in result.ramps]
        json.dump(doc, sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_result(thresholds, result))
    was = f"was {_fmt(before.thresholds_n)} N, {before.source}"
    who = "your" if user == "default" else f"{user}'s"
    print(f"smartball zones: saved {who} {part} zones {_fmt(thresholds)} N ({was}) to {path}",
          file=sys.stderr)
    return 0


def format_result(thresholds: Thresholds, result: FeelResult | None) -> str:
    names = ("light", "moderate", "deep", "too hard")
    lines = []
    for k, (name, value) in enumerate(zip(names, thresholds, strict=True)):
        line = f"{name:<9} from {value:6.1f} N"
        if result is not None and k >= 1:
            got = [r[k - 1] for r in result.ramps]
            spread = result.spread_n[k - 1]
            line += (f"   marks {', '.join(f'{x:.0f}' for x in got)} N: spread "
                     f"{spread:.0f} N ({100 * spread / value:.0f} %)")
        elif result is not None:
            line += "   (not felt: the part's, or half your moderate)"
        lines.append(line)
    if result is not None:
        worst = max(s / v for s, v in zip(result.spread_n, thresholds[1:], strict=True))
        if worst > 0.3:
            lines.append("the marks spread widely between presses; measure again when "
                         "rested, pressing slowly")
    return "\n".join(lines) + "\n"


def show(user: str, *, as_json: bool) -> int:
    from smartball.people.names import DEFAULT_USER
    from smartball.people.parts import PART_DEFAULTS_N, PARTS
    from smartball.people.store import known_users, load_zones

    person = load_zones(user)
    if user != DEFAULT_USER and not person.parts and not _has_sessions(user) and \
            user.casefold() not in (u.casefold() for u in known_users()):
        known = [DEFAULT_USER, *known_users()]
        raise UsageError(f"there is no person {user!r} here (known: {', '.join(known)}); "
                         f"measure their zones with 'smartball zones DEVICE --user {user}'")
    parts: dict[str, Any] = {}
    for part in PARTS:
        ms = person.parts.get(part) or []
        latest = ms[-1] if ms else None
        parts[part] = {
            "thresholds_n": list(latest.thresholds_n if latest else PART_DEFAULTS_N[part]),
            "measured": latest.date if latest else None,
            "history": [{"date": m.date, "thresholds_n": list(m.thresholds_n)} for m in ms],
        }
    if as_json:
        json.dump({"user": user, "parts": parts}, sys.stdout)
        sys.stdout.write("\n")
        return 0
    who = "the default person" if user == DEFAULT_USER else user
    lines = [f"zones of {who} (N: light, moderate, deep, too hard from)"]
    for part, d in parts.items():
        t = d["thresholds_n"]
        when = (f"measured {d['measured']}" if d["measured"] else
                "the defaults ('smartball zones DEVICE --part " + part + "' measures yours)")
        lines.append(f"  {part:<9} {t[0]:5g} {t[1]:6g} {t[2]:6g} {t[3]:6g}   {when}")
        if len(d["history"]) > 1:
            edges = ", ".join(f"{h['date']} {h['thresholds_n'][3]:g}" for h in d["history"])
            lines.append(f"            edge of too much over time: {edges}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _has_sessions(user: str) -> bool:
    from smartball.errors import SmartBallError
    from smartball.home import history_db_path

    path = history_db_path()
    if not path.exists():
        return False
    from smartball.history.store import HistoryStore

    try:
        with HistoryStore(path) as store:
            return any(u.casefold() == user.casefold() for u in store.users())
    except SmartBallError:
        return False
