"""What a ball can measure: the pressure sensor's range, and the force at its end.

The BMP390 reads 300 to 1250 hPa. A foot rarely takes a ball near the top, but lying on a
ball can: on the reference ball (60 Pa/N) at sea level the sensor ends near 390 N of settled
load, lower on a stiffer ball, higher at altitude (a lower baseline leaves more room). Past
that end the sensor reads its limit and flags the frame (protocol: SAMPLES flag bit 7): the
force there is not known, only that it is beyond the ball's top, and it is said so, never
given a number. Pure: no I/O.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartball.processing.calibration import Calibration

SENSOR_MIN_PA = 30_000.0
SENSOR_MAX_PA = 125_000.0
"""The BMP390's range, absolute pascal."""
SEA_LEVEL_PA = 101_325.0
BEYOND_WORDS = "beyond what this ball can measure"


def ball_top_n(calibration: Calibration | None, baseline_pa: float = SEA_LEVEL_PA) -> float:
    """The settled force at which the sensor reaches its end, on a ball whose unloaded
    pressure is ``baseline_pa`` (the reference ball when ``calibration`` is None)."""
    from smartball.processing.calibration import Calibration

    room_pa = SENSOR_MAX_PA - baseline_pa
    if not math.isfinite(room_pa) or room_pa <= 0:
        return 0.0
    cal = calibration if calibration is not None else Calibration.reference()
    return float(cal.force_n(room_pa))


def check_zones_fit_ball(zones_n: tuple[float, ...] | list[float], top_n: float,
                         ball: str) -> str | None:
    """None if the zones end below the ball's top, else the sentence that refuses them."""
    edge = float(zones_n[-1])
    if edge < top_n:
        return None
    return (f"these zones put too hard at {edge:.0f} N, {BEYOND_WORDS} ({ball} ends near "
            f"{top_n:.0f} N); set zones that end lower, or use a softer ball.")
