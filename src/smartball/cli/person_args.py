"""``--user NAME``, ``--part P`` and ``--zones A,B,C,D``: who presses, on which body part, and
the zones the session is processed with. Shared by every session command.

The zones come from :func:`smartball.people.zones.zones_for`: the person's own for the part
where they measured them (``smartball zones``), else the part's defaults; ``--zones`` over
both. Nothing heavy is imported until they are resolved.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartball.people.zones import SessionZones
    from smartball.processing.config import ProcessingConfig


def add_user_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME",
                        help="whose session this is (default: $SMARTBALL_USER, else the one "
                             "default person): their zones, their ball, their history")


def add_person_arguments(parser: argparse.ArgumentParser, *, zones: bool = True) -> None:
    add_user_argument(parser)
    parser.add_argument("--part", metavar="P",
                        help="the body part: foot (default), back, shoulder, neck or hip; "
                             "its zones are the person's own where measured, else the part's "
                             "defaults")
    if zones:
        parser.add_argument("--zones", metavar="A,B,C,D",
                            help="these thresholds in N (rest/light, light/moderate, "
                                 "moderate/deep, deep/too hard) instead of the person's")


def session_zones(args: argparse.Namespace) -> SessionZones:
    """The zones the arguments ask for."""
    from smartball.people.zones import parse_thresholds, zones_for

    text = getattr(args, "zones", None)
    override = parse_thresholds(text, "--zones") if text is not None else None
    return zones_for(getattr(args, "user", None), getattr(args, "part", None), override)


def processing_config(zones: SessionZones) -> ProcessingConfig | None:
    from smartball.people.zones import processing_config as config

    return config(zones)


def person_dict(zones: SessionZones) -> dict[str, object]:
    """The person of a session as its recording keeps it."""
    return {"user": zones.user, "part": zones.part, "zones_n": list(zones.thresholds_n),
            "zones_from": zones.source}


def recorded_zones(path: str) -> SessionZones | None:
    """The person, part and zones a recording was made with (None: a recording from before
    people, a capture or a CSV)."""
    from smartball.io.load import sniff_format
    from smartball.people.zones import SessionZones, check_thresholds

    try:
        if sniff_format(path) != "recording":
            return None
        from smartball.recording import RecordingReader

        person = RecordingReader(path).header.session.get("person")
    except Exception:  # the command reading the file says what is wrong with it
        return None
    if not isinstance(person, dict):
        return None
    try:
        t = check_thresholds(list(person["zones_n"]), "the recording's zones")
        return SessionZones(str(person["user"]), str(person["part"]), t,
                            str(person.get("zones_from", "recorded")))
    except (KeyError, TypeError, ValueError):
        return None


def file_zones(args: argparse.Namespace, path: str, command: str) -> SessionZones:
    """The zones a session file is read with: those it was recorded with, unless ``--user``,
    ``--part`` or ``--zones`` says otherwise (and then it says so)."""
    import sys

    given = [f"--{n}" for n in ("user", "part", "zones") if getattr(args, n, None) is not None]
    recorded = recorded_zones(path)
    if recorded is None:
        return session_zones(args)
    if not given:
        return recorded
    zones = session_zones(args)
    if (zones.user, zones.part, zones.thresholds_n) != (
            recorded.user, recorded.part, recorded.thresholds_n):
        print(f"smartball {command}: {' and '.join(given)} override the recording's "
              f"{recorded.part} zones of {recorded.user} "
              f"({'/'.join(f'{x:g}' for x in recorded.thresholds_n)} N): reading it with "
              f"{zones.describe()}", file=sys.stderr)
    return zones
