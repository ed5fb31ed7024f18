"""The options that set what a session is processed with, shared by every command that
processes one: ``--calibration``, ``--ball``, ``--routine``, ``--user``, ``--part`` and
``--zones`` (each command adds the arguments it offers; this module turns those given into
:class:`~smartball.io.file_context.Override` objects).

A new option of the kind is one more
:class:`ContextOption` in :data:`CONTEXT_OPTIONS`: its ``argparse`` destination, the
:class:`~smartball.context.SessionContext` field it sets and how its text becomes that
field's value. Recorded sessions then take it as an override, saying so, and new sessions
record it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartball.io.file_context import FileContext, Override
    from smartball.io.load import SessionFile


@dataclass(frozen=True, slots=True)
class ContextOption:
    dest: str
    """The option's ``argparse`` destination (``args.calibration``)."""
    field: str
    """The :class:`SessionContext` field it sets."""
    load: Callable[[str], tuple[Any, str | None]]
    """The option's text to the field's value and, if it needs one, a name for summaries;
    raises ``SmartBallError`` with one sentence for a value that is no good."""


def _calibration(text: str) -> tuple[Any, str | None]:
    from smartball.io.calibration_file import resolve_calibration

    return resolve_calibration(text)


def _ball(text: str) -> tuple[Any, str | None]:
    from smartball.io.balls import load_ball

    kept = load_ball(text)
    return kept.calibration, f"your ball {kept.name!r} ({kept.pa_per_n:.0f} Pa/N)"


def _routine(text: str) -> tuple[Any, str | None]:
    from smartball.routines.model import load_routine

    return load_routine(text), None


def _user(text: str) -> tuple[Any, str | None]:
    from smartball.people.names import check_user

    return check_user(text), None


def _part(text: str) -> tuple[Any, str | None]:
    from smartball.people.parts import check_part

    return check_part(text), None


def _zones(text: str) -> tuple[Any, str | None]:
    from smartball.people.zones import parse_thresholds

    return parse_thresholds(text, "--zones"), None


CONTEXT_OPTIONS: tuple[ContextOption, ...] = (
    ContextOption("calibration", "calibration", _calibration),
    ContextOption("ball", "calibration", _ball),
    ContextOption("routine", "routine", _routine),
    ContextOption("user", "user", _user),
    ContextOption("part", "part", _part),
    ContextOption("zones", "zones_n", _zones),
)


def overrides(args: argparse.Namespace) -> list[Override]:
    """The context fields the command line sets (each option given, loaded and checked)."""
    from smartball.errors import UsageError
    from smartball.io.file_context import Override

    if getattr(args, "ball", None) is not None and getattr(args, "calibration", None) is not None:
        raise UsageError("give either --ball NAME or --calibration FILE, not both.")
    out: list[Override] = []
    for option in CONTEXT_OPTIONS:
        text = getattr(args, option.dest, None)
        if text is None:
            continue
        value, name = option.load(text)
        out.append(Override(option.field, value, f"{option.dest} {text}", name))
    return out


def context_of_file(args: argparse.Namespace, path: str | None, command: str,
                    given: list[Override] | None = None) -> FileContext:
    """What the session file at ``path`` is processed with (None: a new session): the
    context it recorded (or today's defaults for a file without one), with the options
    given over it; an option replacing a recorded value says so on stderr. ``given``: the
    :func:`overrides` of ``args`` if they were loaded already (the options are checked
    before the file is opened)."""
    from smartball.io.file_context import file_context

    if given is None:
        given = overrides(args)
    session_file: SessionFile | None = None
    if path is not None:
        from smartball.io.load import open_file

        session_file = open_file(path)

    def say(message: str) -> None:
        print(f"smartball {command}: {message}", file=sys.stderr)

    return file_context(session_file, given, say)
