"""The personal zones: names, parts, thresholds that make sense, and the store that keeps
every measurement with its date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartball.errors import UsageError
from smartball.people.names import DEFAULT_USER, check_user, current_user
from smartball.people.parts import PART_DEFAULTS_N, check_part
from smartball.people.store import (
    Measurement,
    add_measurement,
    ball_path,
    load_zones,
    zones_path,
)
from smartball.people.zones import check_thresholds, parse_thresholds, processing_config, zones_for
from smartball.processing.config import ProcessingConfig


def test_a_name_that_is_not_plain_is_refused_in_one_sentence() -> None:
    for bad in ("", "  ", "../x", "a/b", ".hidden", "x" * 41, "tab\there"):
        with pytest.raises(UsageError, match="not a plain name"):
            check_user(bad)
    assert check_user(" Ann Lee ") == "Ann Lee"


def test_the_user_comes_from_the_option_then_the_environment_then_the_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTBALL_USER", raising=False)
    assert current_user() == DEFAULT_USER
    monkeypatch.setenv("SMARTBALL_USER", "ben")
    assert current_user() == "ben"
    assert current_user("ann") == "ann"
    monkeypatch.setenv("SMARTBALL_USER", "../etc")
    with pytest.raises(UsageError, match="SMARTBALL_USER"):
        current_user()


def test_an_unknown_part_lists_the_known_ones() -> None:
    assert check_part(None) == "foot"
    assert check_part("Neck") == "neck"
    with pytest.raises(UsageError, match="foot, back, shoulder, neck, hip"):
        check_part("knee")


@pytest.mark.parametrize(("values", "match"), [
    ((10, 40, 90), "four thresholds"),
    ((2, 40, 90, 170), "outside 3-400 N"),
    ((10, 40, 90, 450), "outside 3-400 N"),
    ((10, 40, 38, 170), "do not rise"),
    ((10, 40, 42, 170), "do not rise"),  # too close for the labels' bands
])
def test_thresholds_that_make_no_sense_are_refused(values: tuple[float, ...],
                                                   match: str) -> None:
    with pytest.raises(UsageError, match=match):
        check_thresholds(list(values))


def test_typed_thresholds_parse_with_or_without_units() -> None:
    assert parse_thresholds("10, 40N,90,170") == (10.0, 40.0, 90.0, 170.0)
    with pytest.raises(UsageError, match="four forces"):
        parse_thresholds("10,forty,90,170")


def test_every_measurement_is_kept_with_its_date_and_the_latest_is_in_force() -> None:
    add_measurement("Ann", "foot", Measurement("2026-11-01T08:00:00+00:00", (10, 30, 60, 120)))
    add_measurement("ann", "foot", Measurement("2026-11-20T08:00:00+00:00", (10, 35, 70, 140)))
    add_measurement("Ann", "back", Measurement("2026-11-02T08:00:00+00:00", (10, 40, 80, 160)))
    person = load_zones("ANN")  # names are one person whatever their case
    assert [m.date for m in person.parts["foot"]] == ["2026-11-01", "2026-11-20"]
    assert person.in_force_on("foot", "2026-11-10") == person.parts["foot"][0]
    assert person.in_force_on("foot", "2026-10-31") is None
    zones = zones_for("Ann", "foot")
    assert zones.thresholds_n == (10, 35, 70, 140)
    assert zones.source == "measured 2026-11-20"
    assert zones_for("Ann", "neck").thresholds_n == PART_DEFAULTS_N["neck"]
    assert zones_for("Ann", "neck").source == "default"
    assert zones_for("Ann", "foot", (10, 20, 40, 80)).source == "--zones"
    config = processing_config(zones)
    assert config is not None and config.thresholds_n == (10, 35, 70, 140)
    assert processing_config(zones_for(None, None)) == ProcessingConfig()  # the defaults


def test_a_failed_write_leaves_the_saved_zones_as_they_were(
        monkeypatch: pytest.MonkeyPatch) -> None:
    add_measurement("ann", "foot", Measurement("2026-11-01T08:00:00+00:00", (10, 30, 60, 120)))
    before = zones_path("ann").read_bytes()

    def broken(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("smartball.people.store.os.replace", broken)
    with pytest.raises(OSError):
        add_measurement("ann", "foot", Measurement("2026-11-02T08:00:00+00:00",
                                                   (10, 35, 70, 140)))
    assert zones_path("ann").read_bytes() == before
    assert [p.name for p in zones_path("ann").parent.iterdir() if p.suffix == ".part"] == []


def test_the_default_person_keeps_the_household_ball_and_others_their_own(
        smartball_home: Path) -> None:
    assert ball_path("default") == smartball_home / "ball.json"
    assert ball_path("Ann") == smartball_home / "people" / "ann" / "ball.json"


def test_the_store_is_json_with_every_measurement() -> None:
    add_measurement("ben", "hip", Measurement("2026-11-01T08:00:00+00:00", (10, 60, 150, 260),
                                              "feel", (2.0, 3.0, 9.0)))
    doc = json.loads(zones_path("ben").read_text())
    assert doc["format"] == "smartball-zones"
    assert doc["parts"]["hip"][0]["spread_n"] == [2.0, 3.0, 9.0]
