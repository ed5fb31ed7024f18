"""The pressure rise a ball's sensor sees for a force, by the response of protocol section 4.

``settled = ball.settled_rise_pa(F)``; ``measured = settled + sum(fraction * HP_tau(settled))``
over the ball's relaxations (the protocol's one, and rubber creep where a ball has it); on a
ball whose squeeze heat acts before its stiffening, ``settled_rise_pa(F + sum(fraction *
HP_tau(F)))`` instead.
``HP_tau`` is the first-order high-pass ``HP' = x' - HP / tau``, discretised so that a step of
the input decays by ``exp(-dt / tau)`` per sample, and started settled (no step at the first
sample). Pure numpy, no state between calls: the simulator computes a whole session at once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from smartball.sim.balls import Ball

F64 = npt.NDArray[np.float64]


def high_pass(x: F64, rate_hz: float, tau_s: float) -> F64:
    """First-order high-pass of ``x`` with time constant ``tau_s``, settled at ``x[0]``."""
    a = float(np.exp(-1.0 / (rate_hz * tau_s)))
    if not len(x):
        return np.zeros(0)
    # y[n] = x[n] - x[n-1] + a y[n-1]; the state as if x had always been x[0].
    y: F64 = lfilter([1.0, -1.0], [1.0, -a], x, zi=[-float(x[0])])[0]
    return y


def measured_rise_pa(force_n: F64, ball: Ball, rate_hz: float) -> F64:
    """What the sensor reads above the baseline under ``force_n`` (noise and range aside)."""
    if ball.heat_before_stiffening:
        load = force_n.astype(np.float64)
        for fraction, tau_s in ball.relaxations:
            if fraction > 0:
                load = load + fraction * high_pass(force_n, rate_hz, tau_s)
        heated: F64 = ball.settled_rise_pa(load)
        return heated
    settled = ball.settled_rise_pa(force_n)
    out = settled.copy()
    for fraction, tau_s in ball.relaxations:
        if fraction > 0:
            out += fraction * high_pass(settled, rate_hz, tau_s)
    return out
