"""Routines as data: the packaged ones load, and a bad file says which file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartball.errors import InputError
from smartball.routines.model import all_routines, load_routine, parse_routine, routine_names

GUIDES = {"plantar-fasciitis", "inflamed", "desk", "bedtime", "after-run", "sore-spots", "quick"}
OTHER_PARTS = {"back-floor", "back-wall", "shoulder-wall", "neck-light", "hip-sciatica"}


def test_the_routines_of_the_guides_load() -> None:
    assert set(routine_names()) == GUIDES | OTHER_PARTS
    assert {r.name for r in all_routines("foot")} == GUIDES
    for r in all_routines():
        assert r.steps and r.seconds > 0
        assert any(s.motion == "switch" for s in r.steps)  # both feet, switching is a step
        for s in r.steps:
            assert "too_hard" not in s.targets and "rest" not in s.targets
            assert (s.motion == "switch") == (not s.targets)


def test_every_part_has_a_routine_with_its_position_in_words() -> None:
    for part in ("back", "shoulder", "neck", "hip"):
        routines = all_routines(part)
        assert routines, part
        for r in routines:
            assert r.part == part and len(r.position) > 40
            # Never on the spine: the back, shoulder and neck routines say so.
            if part in ("back", "shoulder", "neck"):
                assert "never on" in r.position
            assert "heel" not in json.dumps(r.as_dict()).lower()


def test_the_neck_is_light_only_and_a_neck_routine_asking_more_is_refused() -> None:
    assert all(s.targets in ((), ("light",)) for r in all_routines("neck") for s in r.steps)
    data = _good()
    data.update(part="neck", position="Against a wall.")
    data["steps"][0].update(targets=["moderate"])  # type: ignore[index]
    with pytest.raises(InputError, match="neck routine must target light only"):
        parse_routine(json.dumps(data), "mine.json")


def test_a_part_routine_round_trips_with_side_and_position() -> None:
    r = load_routine("back-floor")
    d = r.as_dict()
    assert d["part"] == "back" and d["steps"][0]["side"] == "left" and "foot" not in d["steps"][0]
    again = parse_routine(json.dumps(d), "again.json")
    assert again == r


def test_inflamed_never_asks_for_more_than_light() -> None:
    assert all(s.targets in ((), ("light",)) for s in load_routine("inflamed").steps)


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match="plantar-fasciitis, inflamed"):
        load_routine("morning")


def _good() -> dict[str, object]:
    return {"name": "mine", "title": "Mine", "when": "now", "steps": [
        {"name": "a", "instruction": "Roll.", "seconds": 5, "targets": ["light"],
         "motion": "along", "foot": "left"}]}


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["steps"][0].update(seconds=-1), "steps[0].seconds"),
    (lambda d: d["steps"][0].update(targets=["too_hard"]), "steps[0].targets"),
    (lambda d: d["steps"][0].update(targets=["light", "deep"]), "steps[0].targets"),
    (lambda d: d["steps"][0].update(motion="spin"), "steps[0].motion"),
    (lambda d: d["steps"][0].pop("instruction"), "steps[0].instruction"),
    (lambda d: d.pop("title"), "title"),
    (lambda d: d.update(steps=[]), "steps"),
    (lambda d: d.update(part="knee"), "part"),
    (lambda d: d.update(part="back"), "position"),
    (lambda d: d["steps"][0].update(side="left"), "steps[0].side"),
])
def test_a_bad_file_names_the_file_and_the_field(change, field) -> None:  # type: ignore[no-untyped-def]
    data = _good()
    change(data)
    with pytest.raises(InputError) as err:
        parse_routine(json.dumps(data), "mine.json")
    message = str(err.value)
    assert "mine.json" in message and field in message
    assert message.count(".") >= 1 and "\n" not in message


def test_a_file_of_ones_own_loads_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(_good()))
    assert load_routine(str(path)).steps[0].seconds == 5.0
