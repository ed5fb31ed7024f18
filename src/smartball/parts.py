"""The body parts a ball is used on, and the words that fit each.

The guides use the ball under the foot, and also for the back, the shoulder, the neck and the
hip, lying on the floor with the ball under the body or leaning against a wall. What a stroke
"along" or "across" means, where the ball goes and what changing sides is, differ by part:
the coach, the routine panel and ``smartball routines`` take their words from here, so a back
is never told "heel to toe". The parts themselves (and their default zones) are
:mod:`smartball.people.parts`'s: one list. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartball.people.parts import DEFAULT_PART, PARTS

__all__ = ["DEFAULT_PART", "PARTS", "WORDS", "PartWords", "words"]


@dataclass(frozen=True, slots=True)
class PartWords:
    """What the coach says for one body part."""

    motions: dict[str, str]
    """The motion of a routine step in words (``along``, ``across``, ``holds``, ``free``,
    ``switch``)."""
    put_on: str
    """How to load the ball, as the start of a sentence: "Put your foot on the ball"."""
    along_now: str
    """Asking for strokes along after strokes across."""
    across_now: str
    """Asking for strokes across after strokes along."""
    longer: str
    """Asking for longer strokes along."""
    switch: str
    """Changing sides (feet), the ball unloaded."""
    unloaded: str
    """A switch step's target in words."""


_SIDES = {"holds": "stop and hold on sore spots", "free": "roll freely"}

WORDS: dict[str, PartWords] = {
    "foot": PartWords(
        motions={"along": "heel to toe", "across": "side to side", **_SIDES,
                 "switch": "change feet"},
        put_on="Put your foot on the ball",
        along_now="Heel to toe now, along the foot.",
        across_now="Side to side now, across the foot.",
        longer="Longer strokes: reach heel and toes.",
        switch="Change feet: lift this foot off and put the other one on the ball.",
        unloaded="foot off the ball",
    ),
    "back": PartWords(
        motions={"along": "up and down beside the spine", "across": "side to side beside "
                 "the spine", **_SIDES, "switch": "change sides"},
        put_on="Lean into the ball beside your spine, never on it,",
        along_now="Up and down now, beside the spine.",
        across_now="Side to side now, small strokes beside the spine.",
        longer="Longer strokes: from the lower ribs to the shoulder blade.",
        switch="Change sides: step away from the ball and put it on the other side of "
               "your spine.",
        unloaded="off the ball",
    ),
    "shoulder": PartWords(
        motions={"along": "up and down over the shoulder blade", "across": "side to side "
                 "over the shoulder blade", **_SIDES, "switch": "change shoulders"},
        put_on="Lean into the ball with your shoulder blade",
        along_now="Up and down now, over the shoulder blade.",
        across_now="Side to side now, across the shoulder blade.",
        longer="Longer strokes: the whole shoulder blade.",
        switch="Change shoulders: step away from the ball and lean on it with the other one.",
        unloaded="off the ball",
    ),
    "neck": PartWords(
        motions={"along": "small strokes up and down beside the neck", "across": "small "
                 "strokes side to side under the skull", **_SIDES, "switch": "change sides"},
        put_on="Rest the side of your neck lightly on the ball, never the spine,",
        along_now="Small strokes up and down now, beside the neck.",
        across_now="Small strokes side to side now, under the skull.",
        longer="A little longer strokes, still small and light.",
        switch="Change sides: lift your head off the ball and rest the other side on it.",
        unloaded="off the ball",
    ),
    "hip": PartWords(
        motions={"along": "up and down over the buttock", "across": "side to side over "
                 "the hip", **_SIDES, "switch": "change sides"},
        put_on="Sit or lean on the ball with the side of your buttock",
        along_now="Up and down now, over the buttock.",
        across_now="Side to side now, across the hip.",
        longer="Longer strokes: from the hip bone to the top of the thigh.",
        switch="Change sides: lift off the ball and put it under the other hip.",
        unloaded="off the ball",
    ),
}


def words(part: str) -> PartWords:
    """The words for ``part`` (one of :data:`PARTS`)."""
    try:
        return WORDS[part]
    except KeyError:
        raise ValueError(f"unknown body part {part!r}; one of {', '.join(PARTS)}") from None
