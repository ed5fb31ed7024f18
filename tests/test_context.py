"""The session context: what a recording's header keeps comes back as it was, a damaged one
is one sentence, a recording without one reads as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartball.context import DEFAULT_PART, DEFAULT_USER, SessionContext
from smartball.errors import InputError
from smartball.processing.calibration import Calibration
from smartball.recording import RecordingReader, write_recording
from smartball.routines.model import load_routine


def firm() -> Calibration:
    return Calibration.fit([(20.0, 1600.0), (100.0, 8000.0), (200.0, 16000.0)],
                           overshoot=0.25, tau_s=9.0, ball="firm")


def test_a_context_comes_back_from_its_json_as_it_was() -> None:
    context = SessionContext(calibration=firm(), routine=load_routine("quick"),
                             zones_n=(8.0, 40.0, 90.0, 170.0))
    doc = json.loads(json.dumps(context.to_json()))
    assert doc["calibration"]["ball"] == "firm" and doc["routine"]["name"] == "quick"
    assert doc["user"] == DEFAULT_USER and doc["part"] == DEFAULT_PART
    back = SessionContext.from_json(doc)
    assert back == context
    assert back.processing_config().thresholds_n == (8.0, 40.0, 90.0, 170.0)
    assert SessionContext.from_json(SessionContext().to_json()) == SessionContext()


def test_a_recording_keeps_its_context_and_an_older_one_has_none(tmp_path: Path) -> None:
    context = SessionContext(calibration=firm(), routine=load_routine("bedtime"))
    new = tmp_path / "new.sbrec"
    write_recording(new, [(0.0, b"\x00")], context=context.to_json())
    assert RecordingReader(new).context == context
    old = tmp_path / "old.sbrec"
    write_recording(old, [(0.0, b"\x00")])
    assert RecordingReader(old).header.context is None
    assert RecordingReader(old).context is None


@pytest.mark.parametrize("doc", [
    {"zones_n": [10, 5, 100, 200]},
    {"zones_n": [10, 50]},
    {"routine": {"name": "x"}},
    {"calibration": {"points": []}},
    "not an object",
])
def test_a_damaged_context_is_one_sentence(tmp_path: Path, doc: object) -> None:
    path = tmp_path / "bad.sbrec"
    write_recording(path, [(0.0, b"\x00")], context=doc)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="damaged session context"):
        _ = RecordingReader(path).context
