"""A routine in the pipeline: it goes on by time across a lost link, and ends with the input."""

from __future__ import annotations

from smartball.chunk import Received
from smartball.pipeline import Pipeline
from smartball.routines.model import load_routine
from smartball.sim.ball import SimulatedBall


def _types(pipeline: Pipeline) -> list[str]:
    return [e.type for e in pipeline.events
            if e.type in ("step_start", "step_end", "routine_end", "disconnected")]


def test_a_lost_link_does_not_end_the_routine() -> None:
    ball = SimulatedBall("plantar-fasciitis-faithful", seed=1, seconds=60)
    chunks = [Received(t, data) for t, data in ball.serial_chunks()]
    half = len(chunks) // 2
    pipeline = Pipeline("serial", routine=load_routine("plantar-fasciitis"))
    pipeline.feed(chunks[:half])
    pipeline.feed([Received(0.0, b"", "disconnected"), Received(0.0, b"", "reconnected")])
    pipeline.feed(chunks[half:])
    pipeline.finish()
    assert _types(pipeline) == ["step_start", "disconnected", "step_end", "step_start",
                                "step_end", "routine_end"]
    end = pipeline.events[-1]
    assert end.type == "routine_end" and end.fields["completed"] is False
