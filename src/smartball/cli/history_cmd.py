"""``smartball history [--json] [--days N]``, ``history show ID``, ``history import FILE...``,
``history forget ID``: the kept sessions.

The history owns ``$SMARTBALL_HOME/sessions/``: every listed session's recording is there
(``import`` copies a file in). ``forget`` removes the row and deletes that recording; a file
outside ``sessions/`` (a row of an older version) is left where it is. Listing imports
nothing heavy: no numpy, no matplotlib.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from smartball.cli.calibration_arg import add_calibration_argument
from smartball.errors import InputError

if TYPE_CHECKING:
    from smartball.history.row import SessionRow
    from smartball.history.store import HistoryStore


MAX_DAYS = 36500  # a hundred years; beyond it the calendar runs out of dates


def positive_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"give a number of days from 1 to {MAX_DAYS}")
    return value


def session_id(text: str) -> int:
    try:
        value = int(text)
        if value.bit_length() > 63:  # beyond any id the database can hold
            raise ValueError
        return value
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a session id; 'smartball history' lists them") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the sessions as JSON")
    parser.add_argument("--days", type=positive_days, metavar="N",
                        help="only the last N days, today included (default: all)")
    parser.add_argument("--user", dest="only_user", metavar="NAME",
                        help="only this person's sessions (default: everyone's, each named)")
    parser.epilog = ("Without an ACTION: the kept sessions, oldest first. Kept recordings are "
                     "in $SMARTBALL_HOME/sessions/.")
    sub = parser.add_subparsers(dest="action", metavar="[ACTION]")
    show = sub.add_parser("show", help="everything kept about one session",
                          description="Everything kept about one session.")
    show.add_argument("id", type=session_id, help="the session's id (from 'smartball history')")
    show.add_argument("--json", action="store_true", help="print it as JSON")
    imp = sub.add_parser("import", help="list recordings made elsewhere or before",
                         description="Analyse recordings (or serial captures, or CSV files) as "
                                     "'smartball analyze' does, copy them into the history's "
                                     "sessions folder and list them. A file already listed "
                                     "is skipped; a folder imports the session files in it.")
    imp.add_argument("files", nargs="+", metavar="FILE", help="recordings, or folders of them")
    add_calibration_argument(imp)
    imp.add_argument("--user", dest="import_user", metavar="NAME",
                     help="whose sessions these are, where a recording does not say (default: "
                          "$SMARTBALL_USER, else the default person)")
    imp.add_argument("--part", dest="import_part", metavar="P",
                     help="the body part, where a recording does not say (default: foot)")
    forget = sub.add_parser("forget", help="remove a session from the history",
                            description="Remove a session from the history and delete its "
                                        "recording in the history's sessions folder. Asks "
                                        "nothing.")
    forget.add_argument("id", type=session_id, help="the session's id")


NOTHING_KEPT = ("No sessions kept yet: 'smartball live' and 'smartball record' keep every "
                "session, 'smartball history import FILE' lists older recordings.")


def run(args: argparse.Namespace) -> int:
    from smartball.history.store import HistoryStore
    from smartball.home import history_db_path

    path = history_db_path()
    if args.action in (None, "show", "forget") and not path.exists():
        if args.action is None:
            if args.json:
                print("[]")
            else:
                print(NOTHING_KEPT)
            return 0
        raise InputError(f"there is no session {args.id}: no session is kept yet")
    with HistoryStore(path) as store:
        if args.action is None:
            return _list(store, args)
        if args.action == "show":
            return _show(store, args.id, args.json)
        if args.action == "forget":
            return _forget(store, args.id)
        return _import(store, args)


def _list(store: HistoryStore, args: argparse.Namespace) -> int:
    from smartball.history.listing import as_json, since_days, table
    from smartball.people.names import check_user

    user = None if args.only_user is None else check_user(args.only_user)
    rows = store.rows(since_days(args.days) if args.days else None, user=user)
    if user is not None and not rows and not args.json:
        known = store.users()
        print(f"No sessions of {user}"
              + (f" kept yet (sessions are kept of: {', '.join(known)})." if known else "."))
        return 0
    if args.json:
        sys.stdout.write(json.dumps([as_json(r) for r in rows]) + "\n")  # one write, not 10^5
    elif not rows and not args.days:
        print(NOTHING_KEPT)
    elif not rows:
        print(f"No sessions in the last {args.days} days; 'smartball history' lists all.")
    else:
        sys.stdout.write(table(rows))
    return 0


def _get(store: HistoryStore, row_id: int) -> SessionRow:
    row = store.get(row_id)
    if row is None:
        raise InputError(f"there is no session {row_id} in the history; 'smartball history' "
                         "lists them")
    return row


def _show(store: HistoryStore, row_id: int, as_json_: bool) -> int:
    from smartball.history.listing import as_json, details
    row = _get(store, row_id)
    if as_json_:
        json.dump(as_json(row), sys.stdout)
        sys.stdout.write("\n")
    else:
        exists = row.recording is not None and Path(row.recording).exists()
        sys.stdout.write(details(row, exists))
    return 0


def _forget(store: HistoryStore, row_id: int) -> int:
    from smartball.home import sessions_dir

    row = _get(store, row_id)
    store.remove(row_id)
    note = ""
    if row.recording:
        rec = Path(row.recording)
        if rec.resolve().is_relative_to(sessions_dir().resolve()):
            try:
                rec.unlink()
                note = f"; its recording {rec} is deleted"
            except FileNotFoundError:
                note = f"; its recording {rec} was already gone"
            except OSError as exc:
                note = (f"; its recording {rec} could not be deleted ({exc.strerror}): "
                        "delete it yourself")
        else:
            note = f"; its recording {rec} is outside the sessions folder and is kept"
    print(f"Forgot session {row_id}{note}.")
    return 0


def _import(store: HistoryStore, args: argparse.Namespace) -> int:
    from smartball.cli.context_args import overrides
    from smartball.history.importer import describe, expand, import_file
    from smartball.home import sessions_dir
    from smartball.io.file_context import Override
    from smartball.people.names import check_user
    from smartball.people.parts import check_part

    given = overrides(args)
    # A recording names its person; a file that does not is this person's, on this part.
    unrecorded: list[Override] = []
    if args.import_user is not None:
        user = check_user(args.import_user)
        unrecorded.append(Override("user", user, f"user {user}"))
    if args.import_part is not None:
        part = check_part(args.import_part)
        unrecorded.append(Override("part", part, f"part {part}"))

    def say(message: str) -> None:
        print(f"smartball history import: {message}", file=sys.stderr)

    failed = 0
    seen = 0
    for path in expand(args.files):
        seen += 1
        result = import_file(path, store, sessions_dir(), given, say, unrecorded)
        failed += result.error is not None
        print(describe(result), file=sys.stderr if result.error else sys.stdout)
    if seen == 0:
        raise InputError("no session files there (.sbrec, .csv); name the recordings to import")
    return 1 if failed else 0
