"""Scenarios by name: the files that ship with the package, a file of one's own, a person
doing a routine (``quick-faithful``) or a person with their own zones (``session-ann``). The
one place that knows every kind, so that :mod:`smartball.sim.scenario` (what a scenario is),
:mod:`smartball.sim.performers` (people doing routines) and :mod:`smartball.sim.people`
(people with their own zones) need not know each other."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from smartball.errors import InputError, InputFileNotFound
from smartball.people.parts import Thresholds, default_thresholds
from smartball.routines.model import load_routine
from smartball.sim.people import PersonScenario, parse_person_scenario
from smartball.sim.performers import PerformerScenario, parse_performer
from smartball.sim.scenario import Scenario


def scenario_zones(scenario: Scenario) -> Thresholds:
    """The zones a session of ``scenario`` is judged by: a person's own, the defaults of the
    part a routine works on, or the foot's."""
    if isinstance(scenario, PersonScenario):
        return scenario.thresholds_n
    routine = None
    if isinstance(scenario, PerformerScenario):
        routine = scenario.routine_name
    else:
        found = parse_performer(scenario.name)
        routine = found[0] if found is not None else None
    return default_thresholds(load_routine(routine).part if routine else "foot")


def _scenario_dir() -> Any:
    return resources.files("smartball.sim").joinpath("scenarios")


def list_scenarios() -> list[str]:
    """Names of the scenarios that ship with the package."""
    return sorted(p.name[:-5] for p in _scenario_dir().iterdir() if p.name.endswith(".json"))


def load_scenario(name_or_path: str | os.PathLike[str]) -> Scenario:
    """A packaged scenario by name (``"demo"``), or a scenario JSON file by path."""
    text = os.fspath(name_or_path)
    if text.endswith(".json") or os.sep in text:
        path = Path(text)
        if not path.is_file():
            raise InputFileNotFound(f"the scenario file {text} does not exist; give a path to "
                                    "a scenario JSON file or one of: "
                                    f"{', '.join(list_scenarios())}.")
        source = path.read_text(encoding="utf-8")
        default_name = path.stem
    else:
        entry = _scenario_dir().joinpath(text + ".json")
        performer = parse_performer(text) if not entry.is_file() else None
        if performer is not None:  # someone doing a routine: quick-faithful, inflamed-careless
            return PerformerScenario.named(*performer)
        person = parse_person_scenario(text) if not entry.is_file() else None
        if person is not None:  # a person with their own zones: feel-ann, session-ann
            return PersonScenario.named(*person)
        if not entry.is_file():
            raise InputError(f"there is no scenario {text!r}; choose one of: "
                             f"{', '.join(list_scenarios())}, or a person doing a routine "
                             "(e.g. quick-faithful, inflamed-careless), or a person "
                             "(feel-ann, session-ann; see --list).")
        source = entry.read_text(encoding="utf-8")
        default_name = text
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise InputError(f"the scenario {text} is not valid JSON ({exc}); fix the file.") from exc
    return Scenario.from_dict(data, name=default_name)
