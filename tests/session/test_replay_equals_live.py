"""A replay of a recorded live session emits exactly the events the live session did:
faults (corrupted bytes, lost frames, a device restart, the ball unplugged and back)
included, because replay feeds the recorded chunks through the same decoder."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from smartball.events import Event
from smartball.protocol import serial_wrap
from smartball.recording import RecordingReader, RecordingWriter
from smartball.session import EventSink, Session
from smartball.sim.ball import SimulatedBall
from smartball.transport import Transport, open_transport
from smartball.transport.serial_port import SerialTransport
from tests.transport.ballbytes import PtyBall


def run_recorded(transport: Transport, path: Path, seconds: float | None = None) -> Session:
    with RecordingWriter(path, envelope=transport.envelope,
                         transport=transport.description) as rec:
        session = Session(transport, recorder=rec)
        seen: list[Event] = []
        session.add_listener(EventSink(seen.append))
        session.run(seconds)
        transport.close()
    assert seen == session.events
    return session


def replay(path: Path) -> list[dict[str, object]]:
    t = open_transport("replay", path, speed=None)
    s = Session(t)
    s.run()
    return [e.to_dict() for e in s.events]


def types(events: list[dict[str, object]]) -> set[object]:
    return {e["type"] for e in events}


def test_simulated_noisy_session_replays_identically(tmp_path: Path) -> None:
    path = tmp_path / "noisy.sbrec"
    live = run_recorded(
        open_transport("sim", "noisy-link", seed=3, seconds=130, speed=None), path
    )
    live_events = [e.to_dict() for e in live.events]
    assert {"connected", "info", "zone", "gap", "status"} <= types(live_events)
    assert live.counters.crc_errors > 0 and live.counters.restarts > 0
    assert replay(path) == live_events


def test_serial_session_with_an_unplugged_ball_replays_identically(tmp_path: Path) -> None:
    """The simulated ball writes its bytes (with the scenario's faults) into a
    pseudo-terminal at 40x real time, vanishes for a moment and comes back."""
    ball_sim = SimulatedBall("noisy-link", seed=1, seconds=120)
    pty = PtyBall(tmp_path / "ttyBALL")
    speed = 40.0
    away = (50.0, 56.0)  # device seconds the ball is unplugged
    done = threading.Event()

    def play() -> None:
        t0 = time.monotonic()
        gone = False
        for t_s, data in ball_sim.serial_chunks():
            wait = t0 + t_s / speed - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if away[0] <= t_s < away[1]:
                if not gone:
                    pty.vanish()
                    gone = True
                continue
            if gone:
                pty.appear()
                gone = False
            pty.write(data)
        time.sleep(0.3)
        done.set()

    transport = SerialTransport(str(pty.link), poll_interval_s=0.02)
    player = threading.Thread(target=play, daemon=True)
    player.start()
    path = tmp_path / "live.sbrec"
    try:
        with RecordingWriter(path, envelope="serial", transport=transport.description) as rec:
            session = Session(transport, recorder=rec)
            session.start()
            done.wait(30)
            session.stop()
            session.join()
        transport.close()
    finally:
        pty.close()
    live_events = [e.to_dict() for e in session.events]
    kinds = [e["type"] for e in live_events]
    assert kinds[0] == "connected"
    assert "disconnected" in kinds and "reconnected" in kinds
    assert kinds.index("disconnected") < kinds.index("reconnected")
    assert {"info", "zone", "gap", "status"} <= set(kinds)
    assert session.counters.samples > 100 * 90  # most of 120 s at 100 Hz arrived
    # START went out when connected and again when the ball came back.
    from smartball.sim.link import FrameSplitter

    assert len(FrameSplitter().feed(bytes(pty.commands))) == 2
    replayed = replay(path)
    assert replayed == live_events
    reader = RecordingReader(path)
    chunks = list(reader)
    assert reader.complete and reader.device is not None
    assert [c.link for c in chunks if c.link] == ["connected", "disconnected", "reconnected"]


@pytest.mark.parametrize("speed", [1.0, 5.0])
def test_replay_keeps_time(tmp_path: Path, speed: float) -> None:
    path = tmp_path / "short.sbrec"
    run_recorded(open_transport("sim", "demo", seconds=2, speed=None), path)
    t = open_transport("replay", path, speed=speed)
    t0 = time.monotonic()
    Session(t).run()
    took = time.monotonic() - t0
    assert 2.5 / speed * 0.8 < took < 3.0 / speed + 0.5  # 2 s of samples, +1 s of tail


def test_a_session_stops_on_request(tmp_path: Path) -> None:
    session = Session(open_transport("sim", "demo", seconds=30))
    session.start()
    time.sleep(0.5)
    session.stop()
    session.join(2.0)
    assert not session.running
    assert 20 <= session.counters.samples <= 100


def test_start_is_sent_and_answered(tmp_path: Path) -> None:
    t = open_transport("sim", "demo", seconds=3, speed=None)
    session = Session(t)
    session.run()
    assert session.counters.frames["reply"] == 1


def test_start_goes_to_a_serial_ball(tmp_path: Path) -> None:
    pty = PtyBall(tmp_path / "ttyBALL")
    t = SerialTransport(str(pty.link))
    Session(t).run(0.3)
    t.close()
    pty.close()
    from smartball.protocol import Command, decode_frame
    from smartball.sim.link import FrameSplitter

    frames = FrameSplitter().feed(bytes(pty.commands))
    assert len(frames) == 1
    cmd = decode_frame(frames[0])
    assert isinstance(cmd, Command) and cmd.start_args() == (100, 7)
    assert serial_wrap(frames[0]) == bytes(pty.commands)


class _Recorder:
    """Everything a listener sees, in order."""

    def __init__(self) -> None:
        self.calls: list[object] = []

    def on_samples(self, result: object) -> None:
        arrays = ("t_s", "force_n", "force_smooth_n", "zone", "rolling", "hold_elapsed_s",
                  "too_hard", "saturated")
        # NaN as None, so equal columns compare equal.
        self.calls.append(("samples", [[None if v != v else v for v in getattr(result, a).tolist()]
                                       for a in arrays]))

    def on_event(self, event: Event) -> None:
        self.calls.append(("event", event.to_dict()))


def test_full_speed_replay_processes_in_batches_invisibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As fast as possible, a replay processes many chunks per call; its listeners still see
    each chunk's samples and events in the order of chunk-by-chunk processing."""
    from smartball.processing import Processor

    path = tmp_path / "noisy.sbrec"
    run_recorded(open_transport("sim", "noisy-link", seed=5, seconds=100, speed=None), path)
    calls = {None: 0, 1e9: 0}
    real_process = Processor.process
    seen = {}
    for speed in (None, 1e9):  # 1e9: paced (no batching), but without waiting

        def counted(self: Processor, block: object, speed: float | None = speed) -> object:
            calls[speed] += 1
            return real_process(self, block)  # type: ignore[arg-type]

        monkeypatch.setattr(Processor, "process", counted)
        t = open_transport("replay", path, speed=speed)
        assert t.unpaced == (speed is None)
        s = Session(t)
        listener = _Recorder()
        s.add_listener(listener)
        s.run()
        seen[speed] = listener.calls
    assert seen[None] == seen[1e9]
    assert sum(c[0] == "samples" for c in seen[None]) > 500
    assert calls[None] * 10 < calls[1e9]
    assert {"zone", "gap", "hold_start", "disconnected"} & {
        c[1]["type"] for c in seen[None] if c[0] == "event"  # type: ignore[index]
    }
