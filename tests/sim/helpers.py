"""Small scenarios built in code, so each physics test looks at one effect."""

from __future__ import annotations

from typing import Any

from smartball.sim.physics import Signals, simulate
from smartball.sim.scenario import Scenario


def scenario(routine: list[dict[str, Any]], **extra: Any) -> Scenario:
    return Scenario.from_dict({"name": "test", "routine": routine, **extra})


def signals(routine: list[dict[str, Any]], seed: int = 0, rate_hz: int = 100,
            **extra: Any) -> Signals:
    sc = scenario(routine, **extra)
    return simulate(sc.plan(seed), ball=sc.ball, environment=sc.environment,
                    rate_hz=rate_hz, seed=seed)
