"""The history by day, and the trends figure drawn with Agg and looked at as a picture."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from smartball.history.row import SessionRow
from smartball.history.store import HistoryStore
from smartball.history.trends import by_day, part_of_day
from smartball.view.style import HOLD_COLOUR, WARNING_COLOUR, ZONE_COLOURS
from tests.view.pngcheck import assert_real_picture, count_colour


def _at(day: dt.date, hour: int) -> float:
    return dt.datetime(day.year, day.month, day.day, hour, 30).timestamp()


def _rows(today: dt.date) -> list[SessionRow]:
    y = today - dt.timedelta(days=1)
    pf = "plantar-fasciitis"
    return [
        SessionRow(_at(y, 7), 150, "live", routine=pf, light_s=30, moderate_s=90, holds=2,
                   holds_reached=1, adherence=0.8),
        SessionRow(_at(y, 21), 150, "live", routine=pf, light_s=60, moderate_s=60,
                   adherence=0.6, too_hard_presses=2, too_hard_s=3),
        SessionRow(_at(today, 7), 150, "live", routine=pf, light_s=120, adherence=1.0),
        SessionRow(_at(today, 14), 1800, "record", deep_s=600, moderate_s=900, holds=4,
                   holds_reached=4),
        SessionRow(_at(today - dt.timedelta(days=40), 9), 60, "live", light_s=60),
    ]


def test_sessions_are_summed_by_day_and_part_of_day() -> None:
    today = dt.date(2026, 3, 10)
    t = by_day(_rows(today), today, 7)
    assert t.days[0] == dt.date(2026, 3, 4) and t.days[-1] == today
    assert t.sessions == [0, 0, 0, 0, 0, 2, 2]  # the one 40 days ago is out
    assert t.minutes["moderate"][-2:] == [2.5, 15.0]
    assert t.minutes["deep"][-1] == 10.0 and t.too_hard[-2:] == [2, 0]
    assert (t.holds[-2:], t.holds_reached[-2:]) == ([2, 4], [1, 4])
    [pf] = t.routines
    assert pf.done == {today - dt.timedelta(days=1): {"morning", "evening"},
                       today: {"morning"}}
    assert (pf.days_with("morning"), pf.days_with("evening"), pf.days_both()) == (2, 1, 1)
    assert pf.adherence[today] == [1.0]
    assert [part_of_day(h) for h in (6, 11, 12, 16, 17, 23)] == [
        "morning", "morning", "afternoon", "afternoon", "evening", "evening"]


def test_trends_figure_through_the_command_line(smartball_home: Path, tmp_path: Path) -> None:
    today = dt.date.today()
    with HistoryStore(smartball_home / "history.sqlite3") as store:
        for row in _rows(today):
            store.add(row)
    out = tmp_path / "trends.png"
    done = subprocess.run([sys.executable, "-m", "smartball", "trends", "--out", str(out),
                           "--days", "14"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "4 sessions in the last 14 days" in done.stdout
    rgb = assert_real_picture(out, min_w=1200, min_h=900)
    for colour in (ZONE_COLOURS["light"], ZONE_COLOURS["moderate"], ZONE_COLOURS["deep"],
                   HOLD_COLOUR, WARNING_COLOUR):
        assert count_colour(rgb, colour) > 200, colour
    # --json of the history agrees with what was drawn from.
    listed = json.loads(subprocess.run(
        [sys.executable, "-m", "smartball", "history", "--json", "--days", "14"],
        capture_output=True, text=True, check=True).stdout)
    assert len(listed) == 4 and listed[-1]["routine"] is None


def test_trends_bad_output_and_empty_history(tmp_path: Path) -> None:
    bad = subprocess.run([sys.executable, "-m", "smartball", "trends", "--out",
                          str(tmp_path / "no" / "t.png")], capture_output=True, text=True)
    assert bad.returncode == 1 and "folder does not exist" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    days = subprocess.run([sys.executable, "-m", "smartball", "trends", "--out", "t.png",
                           "--days", "0"], capture_output=True, text=True)
    assert days.returncode == 2 and "from 1 to 36500" in days.stderr
    huge = subprocess.run([sys.executable, "-m", "smartball", "trends", "--out", "t.png",
                           "--days", "100000000"], capture_output=True, text=True)
    assert huge.returncode == 2 and "from 1 to 36500" in huge.stderr
    assert "Traceback" not in huge.stderr
    out = tmp_path / "empty.png"
    empty = subprocess.run([sys.executable, "-m", "smartball", "trends", "--out", str(out)],
                           capture_output=True, text=True)
    assert empty.returncode == 0 and "No sessions kept" in empty.stdout
    assert_real_picture(out, min_colours=2)


def test_a_total_under_a_minute_reads_in_seconds_not_zero_minutes() -> None:
    from smartball.view.trends import _hm

    assert _hm(0.18) == "11 s"
    assert _hm(0.001) == "1 s"
    assert _hm(0) == "0 min"
    assert _hm(3.4) == "3 min"
    assert _hm(125) == "2 h 5 min"


def test_every_day_tick_names_its_month() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import ConciseDateFormatter
    from matplotlib.figure import Figure

    from smartball.view.trends import draw

    today = dt.date(2026, 12, 1)
    fig = Figure(figsize=(15, 8.5))
    draw(by_day(_rows(today), today, 30), fig)
    FigureCanvasAgg(fig).draw()
    dated = [ax for ax in fig.axes
             if isinstance(ax.xaxis.get_major_formatter(), ConciseDateFormatter)]
    labels = [t.get_text() for ax in dated for t in ax.xaxis.get_ticklabels() if t.get_text()]
    assert labels and all(w[-3:] in ("Nov", "Dec") for w in labels), labels


def test_trends_name_the_calibrations_of_the_sessions_drawn() -> None:
    from smartball.history.trends import REFERENCE_BALL
    from smartball.view.trends import force_from

    today = dt.date(2026, 3, 10)
    rows = _rows(today)
    rows[0].calibration = "your ball (/home/me/ball.json)"
    t = by_day(rows, today, 30)
    # The session 40 days ago is not drawn, nor counted.
    assert t.calibrations == {REFERENCE_BALL: 3, "your ball (/home/me/ball.json)": 1}
    assert force_from(t.calibrations) == (
        "force from the reference ball (60 Pa/N): 3 sessions; "
        "your ball (/home/me/ball.json): 1 session")
    assert force_from({REFERENCE_BALL: 2}) == f"force from {REFERENCE_BALL}"


def test_the_trends_figure_carries_the_calibration_line(tmp_path: Path,
                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import smartball.view.trends as view

    texts: list[str] = []
    monkeypatch.setattr(view, "save_figure",
                        lambda fig, _path: texts.extend(x.get_text() for x in fig.texts))
    today = dt.date(2026, 3, 10)
    view.write_trends(by_day(_rows(today), today, 30), str(tmp_path / "t.png"))
    assert "force from the reference ball (60 Pa/N)" in texts
