"""The zones a session uses, decided in one place: the person's own for the body part where
they measured them, else the part's defaults; ``--zones A,B,C,D`` over both. Everything the
person does reads them through the session's context (:class:`smartball.context.SessionContext`,
whose ``zones_n`` they fill), which builds the processing with :func:`processing_config`: the
label, what counts as a hold (their moderate), the too-hard warning (their edge), and so the
coach's words, a routine's targets, adherence, the report and the history."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartball.errors import UsageError
from smartball.people.names import DEFAULT_USER, current_user
from smartball.people.parts import DEFAULT_PART, Thresholds, check_part, default_thresholds

if TYPE_CHECKING:
    from smartball.processing.calibration import Calibration
    from smartball.processing.config import ProcessingConfig

MIN_N, MAX_N = 3.0, 400.0
"""A threshold outside this is not a feeling a ball can tell (or a typing slip)."""
MIN_RISE = 1.12
"""Each threshold at least this much above the one under it: the labels' hysteresis bands
(5 % either side) must not meet."""
NAMES = ("rest/light", "light/moderate", "moderate/deep", "deep/too hard")


def check_thresholds(values: tuple[float, ...] | list[float],
                     what: str = "the zones") -> Thresholds:
    """Four thresholds within 3-400 N that rise; else one sentence naming what is wrong."""
    t = [float(v) for v in values]
    if len(t) != 4:
        raise UsageError(f"{what} need four thresholds in N (rest/light, light/moderate, "
                         f"moderate/deep, deep/too hard), such as 10,40,90,170; got {len(t)}")
    for name, v in zip(NAMES, t, strict=True):
        if not (v == v and MIN_N <= v <= MAX_N):
            raise UsageError(f"the {name} threshold of {what} is {v:g} N, outside "
                             f"{MIN_N:g}-{MAX_N:g} N; nothing was saved")
    for (na, a), (nb, b) in itertools.pairwise(zip(NAMES, t, strict=True)):
        if b < a * MIN_RISE:
            raise UsageError(f"the thresholds of {what} do not rise: {nb} ({b:g} N) must be "
                             f"at least {100 * (MIN_RISE - 1):.0f} % above {na} ({a:g} N); "
                             "nothing was saved")
    return (t[0], t[1], t[2], t[3])


def parse_thresholds(text: str, what: str = "--set") -> Thresholds:
    """``10,40,90,170`` as four thresholds (checked)."""
    parts = [p for p in text.replace(";", ",").split(",")]
    try:
        values = [float(p.strip().removesuffix("N").removesuffix("n").strip()) for p in parts]
    except ValueError:
        raise UsageError(f"{what} takes four forces in N separated by commas, such as "
                         f"10,40,90,170, not {text!r}") from None
    return check_thresholds(values, what)


def check_fits_ball(thresholds: Thresholds | tuple[float, ...], calibration: Calibration | None,
                    user: str = DEFAULT_USER) -> None:
    """One sentence if the too-hard edge is at or above the top of what the ball
    (``calibration``, None: the reference ball) can measure: a warning there could never
    come."""
    from smartball.sensor_range import ball_top_n, check_zones_fit_ball

    if calibration is None:
        ball = "the reference ball"
    elif calibration.name:
        ball = f"the ball {calibration.name!r}"
    else:
        ball = "your ball" if user == DEFAULT_USER else f"{user}'s ball"
    refused = check_zones_fit_ball(tuple(thresholds), ball_top_n(calibration), ball)
    if refused is not None:
        raise UsageError(refused)


@dataclass(frozen=True, slots=True)
class SessionZones:
    """Who presses, on which part, with which thresholds, and where those came from."""

    user: str
    part: str
    thresholds_n: Thresholds
    source: str
    """``default`` (the part's), ``measured YYYY-MM-DD``, ``--zones`` or ``recorded`` (those
    a recording carries)."""

    def describe(self) -> str:
        who = "" if self.user == DEFAULT_USER else f"{self.user}'s "
        t = "/".join(f"{x:g}" for x in self.thresholds_n)
        if self.source == "default":
            return f"{who}{self.part} zones {t} N (the defaults; 'smartball zones' measures yours)"
        if self.source == "recorded":
            return f"{who}{self.part} zones {t} N (as recorded with the session)"
        return f"{who}{self.part} zones {t} N ({self.source})"

    @property
    def is_default(self) -> bool:
        return self.source == "default" and self.part == DEFAULT_PART


def zones_for(user: str | None = None, part: str | None = None,
              override: Thresholds | None = None) -> SessionZones:
    """The zones of ``user`` (default: ``--user``/``$SMARTBALL_USER``/the default person) for
    ``part`` (default: the foot); ``override``: ``--zones`` over both."""
    from smartball.people.store import load_zones

    name = current_user(user)
    p = check_part(part)
    if override is not None:
        return SessionZones(name, p, check_thresholds(override, "--zones"), "--zones")
    latest = load_zones(name).latest(p)
    if latest is not None:
        return SessionZones(name, p, latest.thresholds_n, f"measured {latest.date}")
    return SessionZones(name, p, default_thresholds(p), "default")


def processing_config(zones: SessionZones | Thresholds | None = None) -> ProcessingConfig:
    """The processing's configuration with these zones (None: the defaults, the foot's):
    the one place that builds it from a person's zones (a session's context calls it)."""
    from smartball.processing.config import ProcessingConfig

    if zones is None:
        return ProcessingConfig()
    t = zones.thresholds_n if isinstance(zones, SessionZones) else zones
    return ProcessingConfig(thresholds_n=(float(t[0]), float(t[1]), float(t[2]), float(t[3])))
