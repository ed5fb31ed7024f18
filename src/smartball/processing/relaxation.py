"""Undoing the rubber's relaxation: a held press reads less and less while the ball stands
still, and the reading undershoots after the release.

The ball's rubber takes over part of a steady load (a two-term Prony series: ``fraction_i``
of the force with time constant ``tau_i``) while the ball stands still; rolling brings fresh
rubber under the foot and the taken-over part goes back in ``recover_s``. So the measured
force is ``F - sum(s_i)`` with ``s_i`` following ``fraction_i * F`` while still and decaying
to 0 while rolling. Inverting that gives ``F``: while still, a linear system with two states,
run in its modal form as two first-order filters; while rolling, two decays. Segments are
visited only where the rolling flag changes. The rubber never holds more than its share of
the load that is there (after a release the sag goes with the load); that cap is applied to
the output, while the filters' state follows the uncapped model, which differs from the capped
one only during a release and only by a little.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartball.processing.filters import SMALL_CHUNK, first_order

F64 = npt.NDArray[np.float64]


class RelaxationCompensator:
    def __init__(self, fractions: tuple[float, ...], taus_s: tuple[float, ...],
                 recover_s: float, rate_hz: float) -> None:
        m = len(fractions)
        self.enabled = m > 0 and any(f > 0 for f in fractions)
        a = np.exp(-1.0 / (np.asarray(taus_s, dtype=np.float64) * rate_hz))
        c = (1.0 - a) * np.asarray(fractions, dtype=np.float64)
        d = 1.0 - float(c.sum())
        if d <= 0:
            raise ValueError("relaxation fractions must add up to less than 1")
        # s[k] = A s[k-1] + B fm[k];  F[k] = (fm[k] + a . s[k-1]) / d
        big_a = np.diag(a) + np.outer(c, a) / d
        lam, vec = np.linalg.eig(big_a)
        self.lam = np.real(lam)
        self.vec = np.real(vec)
        self.vec_inv = np.linalg.inv(self.vec)
        self.beta = self.vec_inv @ (c / d)
        self.a = a
        self.fractions = np.asarray(fractions, dtype=np.float64)
        self.d = d
        self.recover = float(np.exp(-1.0 / (recover_s * rate_hz)))
        self.still = False
        self.s = np.zeros(m)
        """Taken-over force per term (valid while rolling)."""
        self.q = np.zeros(m)
        """Modal state (valid while still)."""

    def update(self, measured_n: F64, still: npt.NDArray[np.bool_]) -> F64:
        n = measured_n.shape[0]
        if not self.enabled or n == 0:
            return measured_n
        taken = np.empty((self.s.size, n))
        change = np.flatnonzero(still[1:] != still[:-1]) + 1
        for a_i, b_i in zip([0, *change.tolist()], [*change.tolist(), n], strict=True):
            seg_still = bool(still[a_i])
            if seg_still != self.still:
                # Switch representation at the same samples whatever the chunking.
                if seg_still:
                    self.q = self.vec_inv @ self.s
                else:
                    self.s = self.vec @ self.q
                self.still = seg_still
            fm = measured_n[a_i:b_i]
            if seg_still:
                modes = np.empty((self.lam.size, fm.size))
                for j, (lam, beta) in enumerate(zip(self.lam, self.beta, strict=True)):
                    modes[j], _ = first_order(beta, -lam, fm, lam * self.q[j])
                self.q = modes[:, -1].copy()
                # Element by element, not a matrix product: BLAS may round differently for
                # different lengths, and chunked input must give identical output.
                s = np.zeros_like(modes)
                for i in range(self.lam.size):
                    for j in range(self.lam.size):
                        s[i] += self.vec[i, j] * modes[j]
            else:
                s = np.empty((self.s.size, fm.size))
                zeros = np.zeros(fm.size)
                r = self.recover
                for j in range(self.s.size):
                    s[j], _ = first_order(1.0, -r, zeros, r * self.s[j])
                self.s = s[:, -1].copy()
            taken[:, a_i:b_i] = s
        # The rubber never holds more than its share of the load there is: when the foot
        # eases off the sag goes with it. ``F = fm + sum(min(s_i, fraction_i * F))`` is
        # solved from above; the map is a contraction (the fractions add up to well under 1),
        # and three steps are within a few millinewton.
        if n <= SMALL_CHUNK:
            return self._cap_loop(measured_n, taken)
        out = measured_n.copy()
        for row in taken:
            out += row
        for _ in range(3):
            nxt = measured_n.copy()
            for row, fraction in zip(taken, self.fractions, strict=True):
                nxt += np.minimum(row, fraction * np.maximum(out, 0.0))
            out = nxt
        return out

    def _cap_loop(self, measured_n: F64, taken: F64) -> F64:
        """The capped sum above, sample by sample over Python floats: the same operations
        in the same order, for short chunks (where numpy's per-call cost dominates).
        The input is finite (the processor carries the last force over missing readings)."""
        rows = taken.tolist()
        fractions = self.fractions.tolist()
        result = []
        for k, fm in enumerate(measured_n.tolist()):
            out = fm
            for row in rows:
                out += row[k]
            for _ in range(3):
                nxt = fm
                for row, fraction in zip(rows, fractions, strict=True):
                    nxt += min(row[k], fraction * max(out, 0.0))
                out = nxt
            result.append(out)
        return np.array(result, dtype=np.float64)
