"""Run a simulated ball's serial capture through the decoder and the processing core, and
line the output up with the simulator's truth. Shared by the benchmark scripts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from smartball.events import Event
from smartball.processing import Calibration, ProcessingConfig, Processor, ProcessResult

F64 = npt.NDArray[np.float64]
CHUNK_BYTES = 4096  # about 0.3 s of pressure+IMU serial data: a live-sized chunk


@dataclass
class Run:
    scenario: str
    seed: int
    channels: str
    truth: object
    t_s: F64
    row: npt.NDArray[np.intp]
    """Row of each decoded sample in the truth (-1 if unknown)."""
    result: ProcessResult
    events: list[Event] = field(default_factory=list)
    sample_of_event: list[int] = field(default_factory=list)
    """Index (into the decoded samples) of the sample whose processing emitted each event."""


def run_sim(scenario: str, seed: int, channels: str | None,
            chunk_bytes: int = CHUNK_BYTES, config: ProcessingConfig | None = None,
            ball: str | None = None, calibration: Calibration | None = None) -> Run:
    """``ball``: play the scenario on this simulated ball; ``calibration``: what processing
    is told about the ball (None: nothing, the reference ball's response)."""
    from smartball.block import SampleBlock
    from smartball.protocol.decoder import StreamDecoder
    from smartball.sim.ball import SimulatedBall

    sim = SimulatedBall(scenario, seed=seed, channels=channels, ball=ball)
    data = sim.serial_bytes()
    decoder = StreamDecoder()
    processor: Processor | None = None
    blocks: list[SampleBlock] = []
    results: list[ProcessResult] = []
    events: list[Event] = []
    emitted: list[int] = []
    n = 0
    for i in range(0, len(data), chunk_bytes):
        block = decoder.feed(data[i : i + chunk_bytes]).samples
        if not len(block):
            continue
        if processor is None:
            info = decoder.info
            processor = Processor(
                config, calibration,
                ball_diameter_mm=float(info.ball_diameter_mm) if info else 80.0,
                sample_rate_hz=info.sample_rate_hz if info else 100.0,
            )
        r = processor.process(block)
        blocks.append(block)
        results.append(r)
        for e in r.events:
            events.append(e)
            emitted.append(n + _emitted_at(r, e))
        n += len(block)
    assert processor is not None
    block = SampleBlock.concat(blocks)
    for e in processor.finish(float(block.t_s[-1]) + 0.01):
        events.append(e)
        emitted.append(n - 1)
    result = ProcessResult(**{
        name: np.concatenate([getattr(r, name) for r in results])
        for name in ("t_s", "force_n", "force_smooth_n", "zone", "rolling", "speed_cm_s",
                     "hold_elapsed_s", "too_hard", "saturated")
    })
    truth = sim.truth
    row = truth.lookup(block.segment, block.index)
    return Run(scenario, seed, "pressure" if channels == "pressure" else "all", truth,
               block.t_s, row, result, events, emitted)


def _emitted_at(r: ProcessResult, e: Event) -> int:
    """The sample at which an event became known: its own time, except a hold start, which
    is dated back to the stop and known ``hold_min_s`` later (at the first sample with a
    hold_elapsed_s)."""
    if e.type == "hold_start":
        k = np.flatnonzero(np.isfinite(r.hold_elapsed_s) & (r.t_s >= e.t_s))
        return int(k[0]) if k.size else len(r) - 1
    return int(np.searchsorted(r.t_s, e.t_s))
