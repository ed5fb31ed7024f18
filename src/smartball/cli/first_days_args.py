"""``--full``, and the first days of a routine for a person new to it.

A live session with ``--routine`` looks up the person's kept sessions of that routine
(:func:`smartball.routines.first_days.first_days`); while they are in its first days the
session follows the first-days form (half-length steps, deep capped at moderate), says so on
the terminal, and the view's routine title says "first days". ``--full`` follows the whole
routine whatever the history says. The form followed is what the recording carries.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartball.io.file_context import FileContext
    from smartball.routines.first_days import PastSession


def add_full_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--full", action="store_true",
                        help="with --routine: the whole routine, even in your first days of "
                             "it (by default a routine new to you is shorter and never deep "
                             "until three sessions go without a too-hard press)")


def past_sessions(routine_name: str, user: str) -> list[PastSession]:
    """The person's kept sessions of ``routine_name``, as the first days count them."""
    from smartball.history.store import HistoryError, HistoryStore
    from smartball.home import history_db_path
    from smartball.routines.first_days import PastSession

    path = history_db_path()
    if not path.exists():
        return []
    try:
        with HistoryStore(path, notice=lambda _m: None) as store:
            rows = store.rows()
    except HistoryError:
        return []
    return [PastSession(r.started_at, r.too_hard_presses) for r in rows
            if r.routine == routine_name and getattr(r, "user", user) == user]


def apply_first_days(args: argparse.Namespace, chosen: FileContext,
                     command: str) -> FileContext:
    """``chosen`` with its routine in its first-days form if the person is new to it."""
    import dataclasses

    from smartball.routines.first_days import first_days, first_days_form

    context = chosen.context
    routine = context.routine
    if routine is None:
        return chosen
    if getattr(args, "full", False):
        return chosen
    verdict = first_days(past_sessions(routine.name, context.user), time.time())
    if not verdict.active:
        return chosen
    print(f"smartball {command}: first days of {routine.name} ({verdict.reason}): steps at "
          "half length, never deeper than moderate; --full for the whole routine",
          file=sys.stderr)
    return dataclasses.replace(chosen, context=context.replace(
        routine=first_days_form(routine)))
