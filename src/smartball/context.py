"""What a session is processed with: the ball's calibration, the routine, the person, the
body part and their zones, in one :class:`SessionContext`.

A live session makes one from its options; its recording's header keeps it
(:meth:`SessionContext.to_json`), so ``analyze``, ``replay``, ``report``, ``export`` and
``history import`` process the recording exactly as the session was processed, on any
machine. A file without one (older recordings, raw captures, CSV) gets today's defaults.
The processing is built from it (:meth:`SessionContext.make_processor`).

Pure: no files are read here (the command line resolves names to objects).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartball.people.names import DEFAULT_USER
from smartball.people.parts import DEFAULT_PART, PART_DEFAULTS_N
from smartball.processing.calibration import Calibration

if TYPE_CHECKING:
    from smartball.processing import Processor
    from smartball.processing.config import ProcessingConfig
    from smartball.routines.model import Routine

__all__ = ["DEFAULT_PART", "DEFAULT_USER", "DEFAULT_ZONES_N", "SessionContext"]

DEFAULT_ZONES_N: tuple[float, float, float, float] = PART_DEFAULTS_N[DEFAULT_PART]
"""Lower edges of light, moderate, deep and too hard for the foot, newton."""


@dataclass(frozen=True, slots=True)
class SessionContext:
    calibration: Calibration | None = None
    """The ball's response; None: the reference ball."""
    routine: Routine | None = None
    """The routine followed, if any."""
    user: str = DEFAULT_USER
    part: str = DEFAULT_PART
    zones_n: tuple[float, float, float, float] = DEFAULT_ZONES_N
    """Lower edges of light, moderate, deep and too hard, newton."""

    def replace(self, **changes: Any) -> SessionContext:
        """The same context with some fields set (an option overriding the recorded value)."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ processing

    def processing_config(self) -> ProcessingConfig:
        """The processing's figures with this session's zones (the person's, for the part)."""
        from smartball.people.zones import processing_config

        return processing_config(self.zones_n)

    def make_processor(self, *, ball_diameter_mm: float, sample_rate_hz: float) -> Processor:
        """The processing this context asks for, for a ball of this size and rate."""
        config = self.processing_config()
        if self.routine is not None:
            from smartball.routines.processing import RoutineProcessor

            return RoutineProcessor(self.routine, config=config, calibration=self.calibration,
                                    ball_diameter_mm=ball_diameter_mm,
                                    sample_rate_hz=sample_rate_hz)
        from smartball.processing import Processor

        return Processor(config, self.calibration, ball_diameter_mm, sample_rate_hz)

    # ------------------------------------------------------------------ the header's form

    def to_json(self) -> dict[str, Any]:
        """The ``context`` object of a recording's header (and of ``inspect --json``)."""
        return {
            "calibration": (None if self.calibration is None
                            else json.loads(self.calibration.to_json())),
            "routine": None if self.routine is None else self.routine.as_dict(),
            "user": self.user,
            "part": self.part,
            "zones_n": list(self.zones_n),
        }

    @staticmethod
    def from_json(doc: Any) -> SessionContext:
        """The context a header carries; raises ``InputError`` (naming the field) or
        ``ValueError`` for one that is not a context."""
        if not isinstance(doc, dict):
            raise ValueError("the session context is not a JSON object")
        calibration = None
        if doc.get("calibration") is not None:
            calibration = Calibration.from_json(json.dumps(doc["calibration"]))
        routine = None
        if doc.get("routine") is not None:
            from smartball.routines.model import parse_routine

            routine = parse_routine(json.dumps(doc["routine"]), "recorded with the session")
        zones = doc.get("zones_n", DEFAULT_ZONES_N)
        if not isinstance(zones, list | tuple) or len(zones) != 4:
            raise ValueError("the session's zones_n are not four thresholds")
        z0, z1, z2, z3 = (float(z) for z in zones)
        from smartball.processing.config import ProcessingConfig

        ProcessingConfig(thresholds_n=(z0, z1, z2, z3))  # checks they rise
        return SessionContext(
            calibration=calibration,
            routine=routine,
            user=str(doc.get("user") or DEFAULT_USER),
            part=str(doc.get("part") or DEFAULT_PART),
            zones_n=(z0, z1, z2, z3),
        )
