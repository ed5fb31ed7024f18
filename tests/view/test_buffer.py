"""LiveBuffer: the ring keeps the newest samples in order, events set the shown state, and a
reader never sees a torn frame while the device thread writes."""

from __future__ import annotations

import threading

import numpy as np

from smartball.events import Event
from smartball.view.buffer import LiveBuffer

from .synthetic import result, story


def feed(buf: LiveBuffer, t: np.ndarray, force: np.ndarray, chunk: int) -> None:
    for i in range(0, t.shape[0], chunk):
        buf.on_samples(result(t[i : i + chunk], force[i : i + chunk]))


def test_ring_wraps_and_keeps_the_newest_in_order() -> None:
    buf = LiveBuffer(capacity=100)
    t = np.arange(250) / 100.0
    feed(buf, t, t * 10.0, chunk=7)
    frame = buf.read(window_s=100.0)
    assert frame.t_s.shape[0] == 100
    np.testing.assert_array_equal(frame.t_s, t[-100:])
    np.testing.assert_array_equal(frame.force_n, t[-100:] * 10.0)
    assert frame.samples == 250
    assert frame.now_t_s == t[-1]


def test_a_chunk_larger_than_the_ring_keeps_its_tail() -> None:
    buf = LiveBuffer(capacity=64)
    t = np.arange(1000) / 100.0
    buf.on_samples(result(t, np.ones_like(t)))
    np.testing.assert_array_equal(buf.read(100.0).t_s, t[-64:])


def test_read_returns_only_the_window() -> None:
    buf = LiveBuffer()
    t = np.arange(3000) / 100.0
    feed(buf, t, np.full_like(t, 60.0), chunk=50)
    frame = buf.read(window_s=20.0)
    assert frame.t_s[0] >= t[-1] - 20.0
    assert frame.t_s[0] - (t[-1] - 20.0) < 0.011
    assert frame.elapsed_s == t[-1]


def test_latest_state_comes_from_the_last_sample() -> None:
    buf = LiveBuffer()
    r = story()
    for i in range(0, 2000, 10):  # up to 20 s: inside the hold
        buf.on_samples(r[i : i + 10])
    frame = buf.read()
    assert frame.zone == "deep"
    assert frame.hold_elapsed_s is not None and 7.8 < frame.hold_elapsed_s < 8.0
    assert frame.rolling is False
    assert frame.link == "connected"  # samples prove a link


def test_events_set_link_battery_holds_and_warnings() -> None:
    buf = LiveBuffer()
    assert buf.read().link == "waiting"
    buf.on_event(Event(0.0, "connected"))
    buf.on_event(Event(1.0, "status", {"battery_mv": 3700, "battery_percent": 255, "flags": 1}))
    frame = buf.read()
    assert (frame.battery_percent, frame.battery_mv, frame.charging) == (None, 3700, True)
    buf.on_event(Event(2.0, "gap", {"lost_samples": 5}))
    buf.on_event(Event(3.0, "gap", {"lost_samples": 7}))
    buf.on_event(Event(4.0, "disconnected"))
    assert buf.read().link == "reconnecting"
    assert buf.read().lost_samples == 12
    buf.on_event(Event(5.0, "reconnected"))
    assert buf.read().link == "connected"
    buf.on_event(Event(6.0, "hold_end", {"duration_s": 10.5, "mean_force_n": 110.0}))
    buf.on_event(Event(7.0, "too_hard", {"force_n": 230.0}))
    t = np.array([8.0, 8.5])
    buf.on_samples(result(t, np.array([40.0, 40.0])))
    frame = buf.read()
    assert frame.holds == 1 and frame.last_hold_s == 10.5
    assert frame.since_hold_end_s == 2.5
    assert frame.since_too_hard_s == 1.5
    assert frame.too_hard_count == 1
    buf.mark_ended()
    assert buf.read().link == "ended"


def test_reader_never_sees_a_torn_frame() -> None:
    buf = LiveBuffer(capacity=512)
    stop = threading.Event()
    errors: list[str] = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            t = (i + np.arange(13)) / 100.0
            buf.on_samples(result(t, t * 2.0))  # force is always twice the time
            i += 13

    th = threading.Thread(target=writer)
    th.start()
    try:
        for _ in range(300):
            f = buf.read(window_s=2.0)
            if f.t_s.shape != f.force_n.shape:
                errors.append("lengths differ")
            elif f.t_s.shape[0] > 1 and not (
                np.all(np.diff(f.t_s) > 0) and np.allclose(f.force_n, 2.0 * f.t_s)
            ):
                errors.append("torn frame")
    finally:
        stop.set()
        th.join()
    assert not errors
