"""The routine's tiles on the report: colours that never read as a force zone, text that
stays readable on them."""

from __future__ import annotations

from smartball.view.routine_report import TEXT_ON, adherence_colour
from smartball.view.style import ZONE_COLOURS

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"}


def test_tiles_use_okabe_ito_colours_the_zones_do_not_use() -> None:
    scored = {adherence_colour(a) for a in (1.0, 0.8, 0.79, 0.5, 0.49, 0.0)}
    assert len(scored) == 3
    assert scored <= OKABE_ITO
    assert not scored & set(ZONE_COLOURS.values())


def test_every_tile_colour_has_a_text_colour() -> None:
    for a in (None, 1.0, 0.6, 0.1):
        assert adherence_colour(a) in TEXT_ON
