"""Small scenarios built in code, so each physics test looks at one effect."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.signal import lfilter

from smartball.sim.physics import Signals, simulate
from smartball.sim.scenario import Scenario


def scenario(routine: list[dict[str, Any]], **extra: Any) -> Scenario:
    return Scenario.from_dict({"name": "test", "routine": routine, **extra})


def signals(routine: list[dict[str, Any]], seed: int = 0, rate_hz: int = 100,
            **extra: Any) -> Signals:
    sc = scenario(routine, **extra)
    return simulate(sc.plan(seed), ball=sc.ball, environment=sc.environment,
                    rate_hz=rate_hz, seed=seed)


def settled_from_measured(rise_pa: np.ndarray, rate_hz: float, overshoot: float = 0.2,
                          tau_s: float = 7.0) -> np.ndarray:
    """The protocol's exact inverse (section 4): ``S = r (1 + s tau) / (1 + s tau (1 + o))``,
    discretised as the simulator's high-pass is (a step decays by exp(-dt / tau) per sample),
    starting at rest. Written from the protocol, not from the simulator's code."""
    a = float(np.exp(-1.0 / (rate_hz * tau_s)))
    out: np.ndarray = lfilter([1.0, -a], [1.0 + overshoot, -(a + overshoot)], rise_pa)
    return out
