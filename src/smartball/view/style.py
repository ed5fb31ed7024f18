"""Colours, words and scales shared by the live view and the report.

Colours are the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies, and no state is shown by colour alone: each has its words too. Text colour on
each zone colour is picked for contrast (dark on the light tones, white on the dark ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartball.events import ZONES

if TYPE_CHECKING:
    from smartball.processing.config import ProcessingConfig

ZONE_COLOURS: dict[str, str] = {
    "rest": "#BBBBBB",
    "light": "#56B4E9",
    "moderate": "#0072B2",
    "deep": "#E69F00",
    "too_hard": "#D55E00",
}
ZONE_TEXT_COLOURS: dict[str, str] = {
    "rest": "#000000",
    "light": "#000000",
    "moderate": "#FFFFFF",
    "deep": "#000000",
    "too_hard": "#FFFFFF",
}
ZONE_WORDS: dict[str, str] = {
    "rest": "REST",
    "light": "LIGHT",
    "moderate": "MODERATE",
    "deep": "DEEP",
    "too_hard": "TOO HARD",
}
WARNING_COLOUR = ZONE_COLOURS["too_hard"]
TRACE_COLOUR = "#000000"
HOLD_COLOUR = "#009E73"  # Okabe-Ito bluish green: holds are neither a zone nor a warning
BAND_ALPHA = 0.35

FORCE_MAX_N = 250.0
"""Fixed top of the force scale: fixed axes keep the background cacheable for blitting."""


@dataclass(frozen=True, slots=True)
class ZoneBounds:
    """Lower force edges of light, moderate, deep and too hard."""

    light_n: float
    moderate_n: float
    deep_n: float
    too_hard_n: float

    @staticmethod
    def of(config: ProcessingConfig | None = None) -> ZoneBounds:
        """The thresholds the processing labels with (its defaults if no ``config``)."""
        from smartball.processing.config import ProcessingConfig

        return ZoneBounds(*(config or ProcessingConfig()).thresholds_n)

    @property
    def top_n(self) -> float:
        """Top of the force scale: :data:`FORCE_MAX_N` for the foot's default zones, the
        same room above the too-hard edge for others (a neck's 45 N, a hip's 260 N)."""
        return FORCE_MAX_N * self.too_hard_n / 200.0

    def bands(self, top_n: float | None = None) -> list[tuple[str, float, float]]:
        """(zone, low, high) for every zone, bottom to top."""
        top = self.top_n if top_n is None else top_n
        edges = [0.0, self.light_n, self.moderate_n, self.deep_n, self.too_hard_n, top]
        return [(z, edges[i], edges[i + 1]) for i, z in enumerate(ZONES)]


def zone_words(zone: str) -> str:
    return ZONE_WORDS.get(zone, zone.upper())
