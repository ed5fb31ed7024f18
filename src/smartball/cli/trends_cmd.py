"""``smartball trends --out PNG [--days N]``: a figure of the kept sessions over the days."""

from __future__ import annotations

import argparse

from smartball.cli.history_cmd import positive_days

DEFAULT_DAYS = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="PNG", required=True,
                        help="the figure to write (.png, .pdf or .svg)")
    parser.add_argument("--days", type=positive_days, default=DEFAULT_DAYS, metavar="N",
                        help=f"the last N days, today included (default {DEFAULT_DAYS})")
    parser.add_argument("--user", metavar="NAME",
                        help="this person's sessions and pressure tolerance (default: "
                             "everyone's sessions, and the tolerance of $SMARTBALL_USER or "
                             "the default person)")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from smartball.history.listing import since_days
    from smartball.history.store import HistoryStore
    from smartball.history.trends import by_day, tolerance
    from smartball.home import history_db_path
    from smartball.out_file import FIGURE, check_args
    from smartball.people.names import check_user, current_user
    from smartball.people.store import load_zones
    from smartball.view.trends import write_trends

    user = None if args.user is None else check_user(args.user)
    check_args(args, out=FIGURE)
    path = history_db_path()
    rows = []
    if path.exists():
        with HistoryStore(path) as store:
            rows = store.rows(since_days(args.days), user=user)
    trends = by_day(rows, dt.date.today(), args.days)
    trends.user = user or ""
    trends.tolerance, trends.measured = tolerance(load_zones(current_user(user)), trends.days)
    write_trends(trends, args.out)
    n = trends.total_sessions
    print(f"wrote {args.out}: {n} session{'' if n == 1 else 's'} in the last {args.days} days")
    if not rows:
        print("No sessions kept in those days yet: 'smartball live' keeps every session.")
    return 0
