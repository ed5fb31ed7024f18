"""The pipeline: the same bytes give the same events however they are cut into chunks and
batches; a disconnect closes an open hold (whoever feeds the pipeline); the byte-level
chunk types sit below both transports and recordings."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from smartball.chunk import Received
from smartball.context import SessionContext
from smartball.events import Event
from smartball.pipeline import Pipeline
from smartball.processing import ProcessResult
from smartball.routines.model import load_routine
from smartball.sim.ball import SimulatedBall
from smartball.sim.performers import performer_scenario


@pytest.fixture(scope="module")
def noisy_stream() -> bytes:
    return SimulatedBall("noisy-link", seed=2, seconds=100).serial_bytes()


def events_of(chunks: list[list[Received]]) -> list[dict[str, object]]:
    pipeline = Pipeline("serial")
    for batch in chunks:
        pipeline.feed(batch)
    pipeline.finish()
    return [e.to_dict() for e in pipeline.events]


def test_events_do_not_depend_on_chunks_or_batches(noisy_stream: bytes) -> None:
    data = noisy_stream
    whole = events_of([[Received(0.0, data)]])
    assert {"info", "zone", "gap", "status", "hold_start", "hold_end"} <= {
        e["type"] for e in whole}
    rng = np.random.default_rng(1)
    cuts = np.sort(rng.choice(len(data), size=4000, replace=False)).tolist()
    pieces = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
    one_by_one = events_of([[Received(0.0, p)] for p in pieces])
    batched = events_of([[Received(0.0, p) for p in pieces[i : i + 37]]
                         for i in range(0, len(pieces), 37)])
    assert one_by_one == whole
    assert batched == whole


class _Heard:
    """A listener keeping what it is handed."""

    def __init__(self) -> None:
        self.results: list[ProcessResult] = []
        self.events: list[Event] = []

    def on_samples(self, result: ProcessResult) -> None:
        self.results.append(result)

    def on_event(self, event: Event) -> None:
        self.events.append(event)


def test_listeners_get_samples_and_each_event_once_with_the_routine_clock() -> None:
    routine = load_routine("plantar-fasciitis")
    ball = SimulatedBall(performer_scenario(routine, "faithful", 1), seed=1, seconds=80)
    data = ball.serial_bytes()
    pipeline = Pipeline("serial", context=SessionContext(routine=routine))
    heard = _Heard()
    pipeline.add_listener(heard)
    for i in range(0, len(data), 4096):
        pipeline.feed([Received(0.0, data[i : i + 4096])])
    pipeline.finish()
    assert heard.events == pipeline.events  # each once, in stream order
    assert all(not r.events and not r.event_index for r in heard.results)
    assert all(r.sample_rate_hz == 100.0 for r in heard.results)
    clocks = [r.routine for r in heard.results]
    assert all(c is not None and c.name == routine.name for c in clocks)
    started = [c for c in clocks if c is not None and c.started]
    assert started and started[-1].step >= 1  # 80 s in: past the first step
    steps = [e.fields["step"] for e in pipeline.events if e.type == "step_start"]
    assert started[-1].step + 1 == steps[-1]  # the clock's step is the last one started
    left = [c.routine_left_s for c in started]
    assert all(b <= a for a, b in itertools.pairwise(left))  # the clock runs down


def test_a_disconnect_closes_the_open_hold_everywhere(noisy_stream: bytes) -> None:
    whole = events_of([[Received(0.0, noisy_stream)]])
    start = next(e for e in whole if e["type"] == "hold_start")
    end = next(e for e in whole if e["type"] == "hold_end")
    # Cut the stream in the middle of the first hold: the ball went away there.
    t_cut = (float(start["t_s"]) + float(end["t_s"])) / 2  # type: ignore[arg-type]
    pipeline = Pipeline("serial")
    pieces = [noisy_stream[i : i + 64] for i in range(0, len(noisy_stream), 64)]
    for piece in pieces:
        pipeline.feed([Received(0.0, piece)])
        if pipeline.last_t_s >= t_cut:
            break
    pipeline.feed([Received(0.0, b"", "disconnected", "unplugged")])
    kinds = [e.type for e in pipeline.events]
    assert kinds[-2:] == ["hold_end", "disconnected"]


def test_recordings_and_transports_do_not_import_each_other() -> None:
    code = ("import sys, smartball.recording, smartball.chunk; "
            "print(sorted(m for m in sys.modules if m.startswith('smartball.transport')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    code = "import sys, smartball.chunk; print(sorted(m for m in sys.modules if 'smartball' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['smartball', 'smartball.chunk']"
