"""Ground truth of a simulated session, to score the processing against.

Per sample of the session (session time, the stream's rate): the force the foot applied,
its zone by the DESIGN.md thresholds (exact, no hysteresis or dwell: a scorer should allow
for the processing's), whether the ball was rolling, and where the sample went on the wire
(``segment``: device boot, 0 first; ``index``: the device's sample index, -1 where the
sample was never sent, as during a reboot). Intervals: holds (the ball stopped while the
force stays at moderate or above for at least 2 s; the hold starts when both became true,
that is when the ball stopped if it was already pressed) and too-hard presses.

The force is the foot's force, not what the pressure shows: the pressure also carries the
spikes' ripple and the rubber's sag under a held press, which the processing has to see
through.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from smartball.events import ZONES

F64 = npt.NDArray[np.float64]

ZONE_EDGES_N = (10.0, 50.0, 100.0, 200.0)
"""rest < 10 N <= light < 50 <= moderate < 100 <= deep < 200 <= too_hard."""
HOLD_MIN_S = 2.0
MODERATE_N = ZONE_EDGES_N[1]
TOO_HARD_N = ZONE_EDGES_N[3]
FORMAT_VERSION = 1


def zone_of(force_n: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """Zone codes (indices into :data:`smartball.events.ZONES`) of forces."""
    return np.searchsorted(np.array(ZONE_EDGES_N), np.asarray(force_n), side="right").astype(
        np.int8
    )


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
    scenario: str = ""
    seed: int = 0
    channels: tuple[str, ...] = ()
    t0_s: float = 0.0

    @property
    def t_s(self) -> F64:
        return self.t0_s + np.arange(len(self.force_n)) / self.rate_hz

    @property
    def zone(self) -> npt.NDArray[np.int8]:
        return zone_of(self.force_n)

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
    ) -> Truth:
        n = len(force_n)
        t = np.arange(n) / rate_hz
        dt = 1.0 / rate_hz
        holds = []
        for a, b in runs(~rolling & (force_n >= MODERATE_N)):
            if (b - a) * dt >= HOLD_MIN_S:
                holds.append((float(t[a]), float(t[b - 1] + dt)))
        too_hard = [(float(t[a]), float(t[b - 1] + dt)) for a, b in runs(force_n >= TOO_HARD_N)]
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
        )

    def time_in_zone_s(self) -> dict[str, float]:
        counts = np.bincount(self.zone, minlength=len(ZONES))
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
            "zone_edges_n": list(ZONE_EDGES_N),
            "holds": [[round(a, 4), round(b, 4)] for a, b in self.holds],
            "too_hard": [[round(a, 4), round(b, 4)] for a, b in self.too_hard],
            "time_in_zone_s": self.time_in_zone_s(),
            "force_n": np.round(self.force_n, 3).tolist(),
            "zone": self.zone.tolist(),
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
        )

    @staticmethod
    def from_json(text: str) -> Truth:
        return Truth.from_dict(json.loads(text))
