"""Routines from the guides, as data: a name, a title, when to do it, and timed steps.

One JSON file per routine in ``library/`` (or a file of the user's own, by path). A file is
checked as it is read: anything wrong is one sentence naming the file and the field. Nothing
here does I/O beyond reading those files; the clock of a routine is in
:mod:`smartball.routines.tracker`.

A step: ``name``, ``instruction`` (words for the user), ``seconds``, ``targets`` (zones out of
light / moderate / deep; never too hard; none for a switch), ``motion`` (one of
:data:`MOTIONS`), ``foot`` (``left``, ``right`` or ``either``), and for a ``holds`` step the
number of ``holds`` it asks for (default 1). Routines for other body parts than the foot
name their ``part`` (one of :data:`smartball.parts.PARTS`) and the ``position`` in words (lying
on the floor, against a wall), and a step's side as ``side`` (the same values as ``foot``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from smartball.errors import InputError, InputFileNotFound
from smartball.parts import DEFAULT_PART, PARTS, words

MOTIONS = ("along", "across", "holds", "free", "switch")
"""``along``: heel to toe; ``across``: side to side; ``holds``: find sore spots and hold;
``free``: roll as you like; ``switch``: change feet, the ball unloaded."""
TARGET_ZONES = ("light", "moderate", "deep")
"""What a step may aim for: rest is no massage, and nothing may ask for too hard."""
FEET = ("left", "right", "either")


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    instruction: str
    seconds: float
    targets: tuple[str, ...]
    motion: str
    foot: str
    holds: int = 0
    """Holds the step asks for (``holds`` steps only)."""

    @property
    def scored(self) -> bool:
        """A step with a target counts towards the routine's adherence (a switch does not)."""
        return bool(self.targets)

    def as_dict(self, part: str = DEFAULT_PART) -> dict[str, Any]:
        side = "foot" if part == DEFAULT_PART else "side"
        out: dict[str, Any] = {
            "name": self.name, "instruction": self.instruction, "seconds": self.seconds,
            "targets": list(self.targets), "motion": self.motion, side: self.foot,
        }
        if self.motion == "holds":
            out["holds"] = self.holds
        return out


@dataclass(frozen=True, slots=True)
class Routine:
    name: str
    title: str
    when: str
    steps: tuple[Step, ...]
    part: str = DEFAULT_PART
    """The body part the routine is for."""
    position: str = ""
    """Where the ball goes and how the body lies on it, in words (empty for the foot)."""

    @property
    def motion_words(self) -> dict[str, str]:
        """Each motion in words that fit the routine's part."""
        return words(self.part).motions

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def step_starts_s(self) -> list[float]:
        """Offset of each step from the routine's start, and the end as the last item."""
        out = [0.0]
        for s in self.steps:
            out.append(out[-1] + s.seconds)
        return out

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "title": self.title, "when": self.when}
        if self.part != DEFAULT_PART:
            out["part"] = self.part
        if self.position:
            out["position"] = self.position
        out["seconds"] = self.seconds
        out["steps"] = [s.as_dict(self.part) for s in self.steps]
        return out


# ---------------------------------------------------------------------------- reading


def _library() -> Any:
    return resources.files("smartball.routines").joinpath("library")


def routine_names() -> list[str]:
    """Names of the routines that ship with the package, in the order of the guides."""
    names = sorted(p.name[:-5] for p in _library().iterdir() if p.name.endswith(".json"))
    order = ["plantar-fasciitis", "inflamed", "desk", "bedtime", "after-run", "sore-spots",
             "quick", "back-floor", "back-wall", "shoulder-wall", "neck-light", "hip-sciatica"]
    return [n for n in order if n in names] + [n for n in names if n not in order]


def load_routine(name_or_path: str | os.PathLike[str]) -> Routine:
    """A packaged routine by name, or a routine JSON file by path."""
    text = os.fspath(name_or_path)
    if text.endswith(".json") or os.sep in text:
        path = Path(text)
        if not path.is_file():
            raise InputFileNotFound(f"the routine file {text} does not exist; give a routine "
                                    f"JSON file or one of: {', '.join(routine_names())}.")
        return parse_routine(path.read_text(encoding="utf-8"), path.name)
    entry = _library().joinpath(text + ".json")
    if not entry.is_file():
        raise InputError(f"there is no routine {text!r}; choose one of: "
                         f"{', '.join(routine_names())} ('smartball routines' describes them).")
    return parse_routine(entry.read_text(encoding="utf-8"), entry.name)


def all_routines(part: str | None = None) -> list[Routine]:
    """The packaged routines, or those for one body part."""
    routines = [load_routine(n) for n in routine_names()]
    return routines if part is None else [r for r in routines if r.part == part]


def parse_routine(source: str, filename: str) -> Routine:
    """A routine from JSON text; ``filename`` names it in errors."""
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise InputError(f"the routine file {filename} is not valid JSON (line {exc.lineno}: "
                         f"{exc.msg}); fix the file.") from None
    return _Checker(filename).routine(data)


class _Checker:
    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, field: str, what: str) -> InputError:
        return InputError(f"the routine file {self.filename}: {field} {what}; fix the file.")

    def text(self, obj: dict[str, Any], key: str, where: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", "must be a non-empty string")
        return value.strip()

    def routine(self, data: Any) -> Routine:
        if not isinstance(data, dict):
            raise self.fail("the top level", "must be a JSON object")
        name = self.text(data, "name", "")
        title = self.text(data, "title", "")
        when = self.text(data, "when", "")
        part = data.get("part", DEFAULT_PART)
        if part not in PARTS:
            raise self.fail("part", f"must be one of {', '.join(PARTS)}")
        position = "" if part == DEFAULT_PART and "position" not in data else self.text(
            data, "position", "")
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            raise self.fail("steps", "must be a non-empty list")
        parsed = tuple(self.step(s, f"steps[{i}].") for i, s in enumerate(steps))
        if not any(s.scored for s in parsed):
            raise self.fail("steps", "must have at least one step with targets")
        if part == "neck" and any(t != "light" for s in parsed for t in s.targets):
            raise self.fail("steps", "of a neck routine must target light only (the neck "
                            "is never pressed more)")
        return Routine(name, title, when, parsed, part, position)

    def step(self, s: Any, where: str) -> Step:
        if not isinstance(s, dict):
            raise self.fail(where.rstrip("."), "must be a JSON object")
        name = self.text(s, "name", where)
        instruction = self.text(s, "instruction", where)
        seconds = s.get("seconds")
        if (isinstance(seconds, bool) or not isinstance(seconds, int | float)
                or not 0 < seconds <= 7200):
            raise self.fail(f"{where}seconds", "must be a number of seconds above 0 (at most "
                            "7200)")
        motion = s.get("motion")
        if motion not in MOTIONS:
            raise self.fail(f"{where}motion", f"must be one of {', '.join(MOTIONS)}")
        if "foot" in s and "side" in s:
            raise self.fail(f"{where}side", "and foot name the same thing; keep one")
        key = "side" if "side" in s else "foot"
        foot = s.get(key, "either")
        if foot not in FEET:
            raise self.fail(f"{where}{key}", f"must be one of {', '.join(FEET)}")
        targets = s.get("targets")
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise self.fail(f"{where}targets", "must be a list of zone names")
        if "too_hard" in targets or "too hard" in targets:
            raise self.fail(f"{where}targets", "must never include too_hard (nothing may ask "
                            "for pain)")
        bad = [t for t in targets if t not in TARGET_ZONES]
        if bad:
            raise self.fail(f"{where}targets", f"has {bad[0]!r}, which is not one of "
                            f"{', '.join(TARGET_ZONES)}")
        if len(set(targets)) != len(targets):
            raise self.fail(f"{where}targets", "names a zone twice")
        if motion == "switch" and targets:
            raise self.fail(f"{where}targets", "must be empty for a switch (the ball is "
                            "unloaded)")
        if motion != "switch" and not targets:
            raise self.fail(f"{where}targets", "must name at least one zone")
        ordered = tuple(z for z in TARGET_ZONES if z in targets)
        if len(ordered) > 1 and TARGET_ZONES.index(ordered[-1]) - TARGET_ZONES.index(
                ordered[0]) != len(ordered) - 1:
            raise self.fail(f"{where}targets", "must be neighbouring zones")
        holds = s.get("holds", 1 if motion == "holds" else 0)
        if isinstance(holds, bool) or not isinstance(holds, int) or holds < 0:
            raise self.fail(f"{where}holds", "must be a whole number of holds, 0 or more")
        if motion == "holds" and holds < 1:
            raise self.fail(f"{where}holds", "must be at least 1 in a holds step")
        return Step(name, instruction, float(seconds), ordered, motion, foot,
                    holds if motion == "holds" else 0)
