"""``smartball zones``: --set, --show [--json] (the contract), --from FILE --marks FEEL.csv on
a simulated person's feel session, and the refusals, which leave the saved zones as they
were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.people.store import zones_path
from smartball.sim.people import PEOPLE
from tests.cli_run import full_sentence as one_sentence
from tests.cli_run import run


@pytest.fixture(scope="module")
def feel_ann(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("feel") / "ann.sbrec"
    assert main(["simulate", "feel-ann", "--seed", "1", "--out", str(path)]) == 0
    return path


def test_show_json_is_the_contract_with_every_part(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "zones", "--set", "10,40,90,170", "--user", "ann")[0] == 0
    assert run(capsys, "zones", "--set", "10,45,95,180", "--user", "ann")[0] == 0
    assert run(capsys, "zones", "--set", "5,12,25,40", "--part", "neck", "--user", "ann")[0] == 0
    rc, out, _ = run(capsys, "zones", "--show", "--json", "--user", "ann")
    doc = json.loads(out)
    assert rc == 0 and set(doc) == {"user", "parts"} and doc["user"] == "ann"
    assert list(doc["parts"]) == ["foot", "back", "shoulder", "neck", "hip"]
    foot = doc["parts"]["foot"]
    assert set(foot) == {"thresholds_n", "measured", "history"}
    assert foot["thresholds_n"] == [10, 45, 95, 180]
    assert [h["thresholds_n"] for h in foot["history"]] == [[10, 40, 90, 170], [10, 45, 95, 180]]
    assert set(foot["history"][0]) == {"date", "thresholds_n"}
    assert foot["measured"] == foot["history"][-1]["date"]
    assert doc["parts"]["back"] == {"thresholds_n": [10, 50, 120, 220], "measured": None,
                                    "history": []}
    assert doc["parts"]["neck"]["thresholds_n"] == [5, 12, 25, 40]
    rc, out, _ = run(capsys, "zones", "--show", "--user", "ann")
    assert "measured" in out and "the defaults" in out


def test_the_default_person_always_has_zones(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "zones", "--show", "--json")
    assert rc == 0 and json.loads(out)["parts"]["foot"]["thresholds_n"] == [10, 50, 100, 200]


@pytest.mark.parametrize(("argv", "match"), [
    (["--set", "10,40,90,450"], "outside 3-400 N"),
    (["--set", "10,40,30,170"], "do not rise"),
    (["--set", "10,40,90"], "four thresholds"),
    (["--set", "10,40,90,170", "--part", "knee"], "foot, back, shoulder, neck, hip"),
    (["--set", "10,40,90,170", "--user", "../bob"], "not a plain name"),
    (["--show", "--user", "nobody"], "no person 'nobody'"),
    (["--show", "--set", "10,40,90,170"], "exactly one of"),
])
def test_bad_input_is_one_sentence_and_the_saved_zones_stay(
        capsys: pytest.CaptureFixture[str], argv: list[str], match: str) -> None:
    assert run(capsys, "zones", "--set", "10,40,90,170", "--user", "ann")[0] == 0
    before = zones_path("ann").read_bytes()
    if "--user" not in argv and "--show" not in argv:
        argv = [*argv, "--user", "ann"]
    rc, _out, err = run(capsys, "zones", *argv)
    assert rc != 0
    one_sentence(err, match)
    assert zones_path("ann").read_bytes() == before


def test_from_a_feel_session_the_thresholds_are_the_persons(
        capsys: pytest.CaptureFixture[str], feel_ann: Path) -> None:
    marks = f"{feel_ann}.feel.csv"
    rc, out, err = run(capsys, "zones", "--from", str(feel_ann), "--marks", marks,
                       "--user", "ann", "--json")
    assert rc == 0, err
    got = json.loads(out)["thresholds_n"]
    true = PEOPLE["ann"].thresholds()
    for k in (1, 2, 3):
        assert got[k] == pytest.approx(true[k], rel=0.08)
    truth = json.loads(Path(f"{feel_ann}.person.json").read_text())
    assert truth["thresholds_n"] == pytest.approx(list(true), abs=0.01)
    assert "saved ann's foot zones" in err


@pytest.mark.parametrize(("edit", "match"), [
    ("swap", "out of order"),
    ("two", "only 1 ramp"),
    ("late", "after the end"),
    ("bad", "is not a time and a feel"),
])
def test_marks_that_cannot_give_zones_leave_the_saved_ones(
        capsys: pytest.CaptureFixture[str], feel_ann: Path, tmp_path: Path, edit: str,
        match: str) -> None:
    assert run(capsys, "zones", "--set", "10,40,90,170", "--user", "ann")[0] == 0
    before = zones_path("ann").read_bytes()
    rows = Path(f"{feel_ann}.feel.csv").read_text().splitlines()
    header, marks = rows[0], rows[1:]
    if edit == "swap":  # deep before moderate in the first press
        t_mod, t_deep = marks[0].split(",")[0], marks[1].split(",")[0]
        marks[0], marks[1] = f"{t_mod},deep", f"{t_deep},moderate"
    elif edit == "two":
        marks = [m for i, m in enumerate(marks) if i < 3 or not m.endswith("too_hard")]
    elif edit == "late":
        marks.append("9999,moderate")
    else:
        marks.append("soon,deep")
    bad = tmp_path / "feel.csv"
    bad.write_text("\n".join([header, *marks]) + "\n")
    rc, _out, err = run(capsys, "zones", "--from", str(feel_ann), "--marks", str(bad),
                        "--user", "ann")
    assert rc == 1
    one_sentence(err, match)
    assert zones_path("ann").read_bytes() == before
