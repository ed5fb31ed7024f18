"""Ground truth of a simulated session, to score the processing against.

Per sample of the session (session time, the stream's rate):

- ``force_n``: the force the foot applied, what a scale under the ball would show, and its
  ``zone`` by the session's zones, ``zone_edges_n`` (exact, no hysteresis or dwell): DESIGN.md's
  foot thresholds, or the defaults of the part a routine works on, or a simulated person's
  own (:func:`smartball.sim.catalog.scenario_zones`);
- ``intended_force_n``: the force the person means to apply (the plan's level with its
  ramps), without the heel/arch/ball swing of a stroke and the foot's wander; its zone,
  ``intended_zone``, is the label a user expects to see;
- ``zone_min``..``zone_max``: the zones a label may show. Where the intended force lies
  within :data:`BOUNDARY_TOLERANCE` (3 %) of a zone edge, both neighbouring zones are
  acceptable (a roll hovering at 51 N may read light or moderate, but should not flip),
  except below the too-hard edge: on the foot, from 194 N up to 200 N only deep is acceptable
  (a warning there is a false alarm; from 200 N to 206 N deep or too hard may show);
- whether the ball was rolling, and where the sample went on the wire (``segment``: device
  boot, 0 first; ``index``: the device's sample index, -1 where the sample was never sent,
  as during a reboot).

Intervals, from the intended force: holds (the ball stopped while the intended force stays at
moderate or above for at least 2 s; the hold starts when both became true, that is when the
ball stopped if it was already pressed) and too-hard presses (the intended force at or above
the too-hard edge, 200 N on the foot; each starts at its crossing time, the first sample at or
above it, from which a warning's latency counts). A roll whose intended force stays below the
edge is no too-hard press even where the stroke's swing takes the applied force above it.

``ball``: the simulated ball's true response (:meth:`smartball.sim.balls.Ball.parameters`:
settled rise and Pa/N at a few loads, overshoot, time constant), to score a calibration.

The force is the foot's force, not what the pressure shows: the pressure also carries the
spikes' ripple and the ball's overshoot after a press (and undershoot after a release),
which the processing has to see through.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from smartball.events import ZONES

F64 = npt.NDArray[np.float64]

ZONE_EDGES_N = (10.0, 50.0, 100.0, 200.0)
"""rest < 10 N <= light < 50 <= moderate < 100 <= deep < 200 <= too_hard."""
BOUNDARY_TOLERANCE = 0.03
"""Within this fraction of a zone edge, both neighbouring zones are acceptable (but see
:func:`acceptable_zones` for the too-hard edge)."""
HOLD_MIN_S = 2.0
MODERATE_N = ZONE_EDGES_N[1]
TOO_HARD_N = ZONE_EDGES_N[3]
FORMAT_VERSION = 2
"""Version 2 adds the intended force, acceptable zones and the ball; version 1 still loads."""


def zone_of(force_n: npt.ArrayLike,
            edges_n: Sequence[float] = ZONE_EDGES_N) -> npt.NDArray[np.int8]:
    """Zone codes (indices into :data:`smartball.events.ZONES`) of forces, by ``edges_n``
    (default: the foot's)."""
    return np.searchsorted(np.array(edges_n), np.asarray(force_n), side="right").astype(
        np.int8
    )


def acceptable_zones(
    intended_n: npt.ArrayLike, edges_n: Sequence[float] = ZONE_EDGES_N,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    """``(zone_min, zone_max)`` per sample: the zones a label may show for an intended force.
    Both neighbours of an edge within :data:`BOUNDARY_TOLERANCE` of it, except just below
    the too-hard edge, where too hard is not acceptable (the truth's too-hard presses start
    at it)."""
    f = np.asarray(intended_n, np.float64)
    zone = zone_of(f, edges_n)
    lo, hi = zone.copy(), zone.copy()
    for i, edge in enumerate(edges_n):
        band = BOUNDARY_TOLERANCE * edge
        if i != len(edges_n) - 1:
            hi[(f >= edge - band) & (f < edge)] = i + 1
        lo[(f >= edge) & (f <= edge + band)] = i
    return lo, hi


def runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``[start, stop)`` sample ranges where ``mask`` is True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=False)]


@dataclass(eq=False)
class Truth:
    rate_hz: float
    force_n: F64
    rolling: npt.NDArray[np.bool_]
    index: npt.NDArray[np.int64]
    segment: npt.NDArray[np.int32]
    holds: list[tuple[float, float]] = field(default_factory=list)
    too_hard: list[tuple[float, float]] = field(default_factory=list)
    """``(crossing_s, end_s)`` of each too-hard press (intended force at or past the last of
    ``edges_n``: 200 N on the foot)."""
    scenario: str = ""
    seed: int = 0
    channels: tuple[str, ...] = ()
    t0_s: float = 0.0
    intended_force_n: F64 | None = None
    """The force the person intends; None (a version 1 file): the applied force."""
    ball: dict[str, Any] = field(default_factory=dict)
    """The simulated ball's true response (:meth:`smartball.sim.balls.Ball.parameters`)."""
    edges_n: tuple[float, ...] = ZONE_EDGES_N
    """The zones it is judged by: the foot's, or the session's own (a person's, a part's)."""

    def __post_init__(self) -> None:
        if self.intended_force_n is None:
            self.intended_force_n = self.force_n

    @property
    def intended_n(self) -> F64:
        assert self.intended_force_n is not None
        return self.intended_force_n

    @property
    def intended_zone(self) -> npt.NDArray[np.int8]:
        """Zone of the intended force: the label a user expects."""
        return zone_of(self.intended_n, self.edges_n)

    @property
    def zone_min(self) -> npt.NDArray[np.int8]:
        return acceptable_zones(self.intended_n, self.edges_n)[0]

    @property
    def zone_max(self) -> npt.NDArray[np.int8]:
        return acceptable_zones(self.intended_n, self.edges_n)[1]

    def zone_ok(self, zone: npt.ArrayLike, rows: npt.ArrayLike | None = None) -> npt.NDArray[
            np.bool_]:
        """Whether each label in ``zone`` (zone codes, one per row of ``rows``; all rows if
        None) is acceptable for the intended force of its row."""
        lo, hi = acceptable_zones(self.intended_n, self.edges_n)
        if rows is not None:
            idx = np.asarray(rows, np.intp)
            lo, hi = lo[idx], hi[idx]
        z = np.asarray(zone)
        out: npt.NDArray[np.bool_] = (z >= lo) & (z <= hi)
        return out

    @property
    def t_s(self) -> F64:
        return self.t0_s + np.arange(len(self.force_n)) / self.rate_hz

    @property
    def zone(self) -> npt.NDArray[np.int8]:
        return zone_of(self.force_n, self.edges_n)

    @property
    def duration_s(self) -> float:
        return len(self.force_n) / self.rate_hz

    def __len__(self) -> int:
        return int(self.force_n.shape[0])

    @staticmethod
    def from_signals(
        force_n: F64, rolling: npt.NDArray[np.bool_], rate_hz: float, *,
        index: npt.NDArray[np.int64] | None = None,
        segment: npt.NDArray[np.int32] | None = None,
        scenario: str = "", seed: int = 0, channels: tuple[str, ...] = (),
        intended_n: F64 | None = None, ball: dict[str, Any] | None = None,
        edges_n: tuple[float, ...] = ZONE_EDGES_N, t0_s: float = 0.0,
    ) -> Truth:
        """The truth of a session from its applied force, the ball's motion and (where known)
        the intended force (default: the applied force), judged by the zones ``edges_n``:
        holds from its moderate edge, too-hard presses from its last."""
        n = len(force_n)
        t = t0_s + np.arange(n) / rate_hz
        dt = 1.0 / rate_hz
        intended = np.asarray(force_n if intended_n is None else intended_n, np.float64)
        holds = []
        for a, b in runs(~rolling & (intended >= edges_n[1])):
            if (b - a) * dt >= HOLD_MIN_S:
                holds.append((float(t[a]), float(t[b - 1] + dt)))
        too_hard = [(float(t[a]), float(t[b - 1] + dt))
                    for a, b in runs(intended >= edges_n[-1])]
        return Truth(
            rate_hz=rate_hz,
            force_n=np.asarray(force_n, np.float64),
            rolling=np.asarray(rolling, np.bool_),
            index=np.arange(n, dtype=np.int64) if index is None else index,
            segment=np.zeros(n, np.int32) if segment is None else segment,
            holds=holds,
            too_hard=too_hard,
            scenario=scenario,
            seed=seed,
            channels=channels,
            intended_force_n=intended,
            ball=dict(ball or {}),
            edges_n=tuple(edges_n),
            t0_s=t0_s,
        )

    def time_in_zone_s(self) -> dict[str, float]:
        """Time in each zone of the intended force."""
        counts = np.bincount(self.intended_zone, minlength=len(ZONES))
        return {z: float(c) / self.rate_hz for z, c in zip(ZONES, counts, strict=False)}

    def lookup(self, segment: npt.ArrayLike, index: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """Row of each received sample (device ``segment`` and ``index``) in this truth;
        -1 for a sample the truth does not know. Lets a scorer align a decoded stream that
        lost samples, restarted, or started mid-stream."""
        want = np.asarray(segment, np.int64) * (1 << 40) + np.asarray(index, np.int64)
        out = np.full(want.shape[0], -1, np.intp)
        sent = np.flatnonzero(self.index >= 0)
        if not len(sent) or not len(want):
            return out
        keys = self.segment[sent].astype(np.int64) * (1 << 40) + self.index[sent]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        pos = np.minimum(np.searchsorted(sorted_keys, want), len(sorted_keys) - 1)
        found = sorted_keys[pos] == want
        out[found] = sent[order[pos[found]]]
        return out

    # ------------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "smartball-truth",
            "version": FORMAT_VERSION,
            "scenario": self.scenario,
            "seed": self.seed,
            "channels": list(self.channels),
            "rate_hz": self.rate_hz,
            "t0_s": self.t0_s,
            "samples": len(self),
            "zones": list(ZONES),
            "zone_edges_n": list(self.edges_n),
            "boundary_tolerance": BOUNDARY_TOLERANCE,
            "ball": self.ball,
            "holds": [[round(a, 4), round(b, 4)] for a, b in self.holds],
            "too_hard": [[round(a, 4), round(b, 4)] for a, b in self.too_hard],
            "time_in_zone_s": self.time_in_zone_s(),
            "force_n": np.round(self.force_n, 3).tolist(),
            "zone": self.zone.tolist(),
            "intended_force_n": np.round(self.intended_n, 3).tolist(),
            "intended_zone": self.intended_zone.tolist(),
            "zone_min": self.zone_min.tolist(),
            "zone_max": self.zone_max.tolist(),
            "rolling": self.rolling.astype(np.int8).tolist(),
            "segment": self.segment.tolist(),
            "index": self.index.tolist(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Truth:
        if data.get("format") != "smartball-truth":
            raise ValueError("not a SmartBall truth file")
        return Truth(
            rate_hz=float(data["rate_hz"]),
            force_n=np.asarray(data["force_n"], np.float64),
            rolling=np.asarray(data["rolling"], np.int8).astype(np.bool_),
            index=np.asarray(data["index"], np.int64),
            segment=np.asarray(data["segment"], np.int32),
            holds=[(float(a), float(b)) for a, b in data["holds"]],
            too_hard=[(float(a), float(b)) for a, b in data["too_hard"]],
            scenario=str(data.get("scenario", "")),
            seed=int(data.get("seed", 0)),
            channels=tuple(data.get("channels", ())),
            t0_s=float(data.get("t0_s", 0.0)),
            intended_force_n=(None if data.get("intended_force_n") is None
                              else np.asarray(data["intended_force_n"], np.float64)),
            ball=dict(data.get("ball", {})),
            edges_n=tuple(float(e) for e in data.get("zone_edges_n", ZONE_EDGES_N)),
        )

    @staticmethod
    def from_json(text: str) -> Truth:
        return Truth.from_dict(json.loads(text))
