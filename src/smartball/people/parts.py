"""The body parts the ball is used on and their default zones (DESIGN.md, "People, body
parts, balls"): four thresholds in newton, the lower edges of light, moderate, deep and too
hard. A person's own zones for a part replace these."""

from __future__ import annotations

from smartball.errors import UsageError

Thresholds = tuple[float, float, float, float]

DEFAULT_PART = "foot"
PART_DEFAULTS_N: dict[str, Thresholds] = {
    "foot": (10.0, 50.0, 100.0, 200.0),
    "back": (10.0, 50.0, 120.0, 220.0),
    "shoulder": (10.0, 40.0, 90.0, 160.0),
    "neck": (5.0, 15.0, 30.0, 45.0),
    "hip": (10.0, 60.0, 150.0, 260.0),
}
PARTS = tuple(PART_DEFAULTS_N)


def check_part(name: str | None) -> str:
    """The part named (default: the foot); an unknown part lists the known ones."""
    if name is None:
        return DEFAULT_PART
    part = name.strip().lower()
    if part not in PART_DEFAULTS_N:
        raise UsageError(f"there is no body part {name!r}; choose one of {', '.join(PARTS)}")
    return part


def default_thresholds(part: str) -> Thresholds:
    return PART_DEFAULTS_N[check_part(part)]
