"""The ripple about a straight line, over a trailing window: what it measures, and that it
does not depend on how the input is chunked."""

from __future__ import annotations

import numpy as np

from smartball.processing.steady import LineRipple


def _reference(x: np.ndarray, m: int) -> np.ndarray:
    """Each window's residual RMS about its least-squares line, by ``np.polyfit``."""
    ext = np.concatenate([np.repeat(x[:1], m - 1), x])
    out = []
    for k in range(x.size):
        w = ext[k:k + m]
        u = np.arange(m, dtype=np.float64)
        out.append(np.sqrt(np.mean((w - np.polyval(np.polyfit(u, w, 1), u)) ** 2)))
    return np.array(out)


def test_a_line_leaves_nothing_and_a_ripple_its_rms() -> None:
    t = np.arange(0, 5, 0.01)
    ramp = 150.0 + 40.0 * t
    assert np.max(LineRipple(45).update(ramp)[44:]) < 1e-5  # once its window is in the file
    ripple = LineRipple(45).update(ramp + 10.0 * np.sin(2 * np.pi * 6.0 * t))
    # A 6 Hz ripple over 0.45 s: close to its RMS (10 / sqrt 2) once the window is full.
    assert np.all(np.abs(ripple[45:] / (10.0 / np.sqrt(2.0)) - 1.0) < 0.1)


def test_it_equals_a_least_squares_fit_and_any_chunking() -> None:
    rng = np.random.default_rng(5)
    x = 200.0 + np.cumsum(rng.normal(0.0, 1.0, 1500)) + rng.normal(0.0, 3.0, 1500)
    whole = LineRipple(45).update(x)
    assert np.allclose(whole, _reference(x, 45), rtol=1e-6, atol=1e-6)
    for trial in range(3):
        lr = LineRipple(45)
        cuts = np.sort(rng.choice(np.arange(1, x.size), 200 + trial, replace=False))
        chunked = np.concatenate([lr.update(c) for c in np.split(x, cuts)])
        assert np.array_equal(chunked, whole)


def test_windows_asked_for_are_the_same_as_all_of_them() -> None:
    """The tracker asks only where a force has stayed past the line: there the ripple is what
    it would be had every window been computed, whatever the chunks; elsewhere NaN."""
    rng = np.random.default_rng(9)
    x = 180.0 + np.cumsum(rng.normal(0.0, 1.0, 2000)) + rng.normal(0.0, 3.0, 2000)
    whole = LineRipple(45).update(x)
    asked = rng.random(x.size) < 0.3
    asked[:50] = True  # the windows that reach back before the first value too
    lr = LineRipple(45)
    cuts = np.sort(rng.choice(np.arange(1, x.size), 300, replace=False))
    parts = zip(np.split(x, cuts), np.split(asked, cuts), strict=True)
    got = np.concatenate([lr.update(c, where=w) for c, w in parts])
    assert np.array_equal(got[asked], whole[asked])
    assert np.all(np.isnan(got[~asked]))
