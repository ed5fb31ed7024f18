"""One kept session as the history lists it, built from the session's summary in numbers.

The live session and ``history import`` both fill a row from the same
:class:`~smartball.processing.summary.SessionTotals` (the live one from the session's own
processing results, the import from ``analyze``'s path), so a session listed live and its
recording imported later read the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from smartball.hold_target import HOLD_TARGET_S, reached_target

if TYPE_CHECKING:
    from smartball.context import SessionContext
    from smartball.processing.summary import SessionTotals


@dataclass(slots=True)
class SessionRow:
    started_at: float
    """Unix time (seconds) the session started."""
    duration_s: float
    command: str
    """``live``, ``record`` or ``import``."""
    device: str | None = None
    routine: str | None = None
    rest_s: float = 0.0
    light_s: float = 0.0
    moderate_s: float = 0.0
    deep_s: float = 0.0
    too_hard_s: float = 0.0
    holds: int = 0
    holds_reached: int = 0
    """Holds that reached the hold target (``smartball.hold_target``)."""
    too_hard_presses: int = 0
    adherence: float | None = None
    """The routine's adherence, 0..1; None without a routine."""
    calibration: str | None = None
    """The calibration used: a file path, or None for the reference ball."""
    recording: str | None = None
    source_key: str | None = None
    max_force_n: float | None = None
    lost_samples: int = 0
    torn_bytes: int = 0
    user: str = "default"
    """Whose session it was (``smartball.people.names.DEFAULT_USER`` when nobody said)."""
    part: str = "foot"
    zones_n: str | None = None
    """The four thresholds it was processed with, ``10/50/100/200``; None: the defaults of
    its part (rows from before people had zones)."""
    ball: str | None = None
    """The ball's name (``calibrate --name``); None: the reference ball, or a calibration
    made without a name."""
    beyond_s: float = 0.0
    """Time beyond what the ball can measure (the pressure sensor at the end of its range)."""
    id: int | None = None

    @classmethod
    def from_totals(
        cls,
        totals: SessionTotals,
        *,
        started_at: float,
        command: str,
        hold_target_s: float = HOLD_TARGET_S,
        lost_samples: int = 0,
        **extra: Any,
    ) -> SessionRow:
        """A row from a session's figures; ``extra`` sets the other columns."""
        zones = totals.time_in_zone_s
        return cls(
            started_at=started_at,
            duration_s=float(totals.duration_s),
            command=command,
            rest_s=float(zones.get("rest", 0.0)),
            light_s=float(zones.get("light", 0.0)),
            moderate_s=float(zones.get("moderate", 0.0)),
            deep_s=float(zones.get("deep", 0.0)),
            too_hard_s=float(zones.get("too_hard", 0.0)),
            holds=len(totals.hold_durations_s),
            holds_reached=sum(reached_target(d, hold_target_s)
                              for d in totals.hold_durations_s),
            too_hard_presses=totals.too_hard_presses,
            # The largest force measured; none if every reading was beyond the sensor's end.
            max_force_n=(float(totals.max_force_n) if math.isfinite(totals.max_force_n)
                         else None),
            lost_samples=int(lost_samples),
            beyond_s=float(totals.beyond_s),
            **extra,
        )

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _NAMES}  # flat: no asdict deep copy

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """The table's columns, ``id`` first."""
        names = [f.name for f in fields(cls) if f.name != "id"]
        return ("id", *names)

    @classmethod
    def from_db(cls, values: tuple[Any, ...]) -> SessionRow:
        names = cls.columns()
        return cls(**dict(zip(names, values, strict=True)))


_NAMES = tuple(f.name for f in fields(SessionRow))


def context_columns(context: SessionContext | None) -> dict[str, Any]:
    """The ``user``, ``part``, ``zones_n`` and ``ball`` columns of a session processed with
    ``context`` (None: the default person's foot, with its default zones, on the reference
    ball)."""
    if context is None:
        return {}
    ball = context.calibration.name if context.calibration is not None else None
    return {"user": context.user, "part": context.part,
            "zones_n": "/".join(f"{x:g}" for x in context.zones_n), "ball": ball}
