"""One stream, one set of events: a live session, its replay as fast as possible and
``analyze`` of its recording emit exactly the same events, faults included (corrupted
bytes, lost frames, a device restart, the ball unplugged and back), because all three run
the recorded chunks through the same pipeline."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import pytest

from smartball.analysis import analyze_file
from smartball.cli import main
from smartball.events import Event
from smartball.pipeline import EventSink
from smartball.protocol import Log, encode_frame, serial_wrap
from smartball.recording import RecordingReader, RecordingWriter
from smartball.session import Session
from smartball.sim.ball import SimulatedBall
from smartball.transport import Transport, open_transport
from smartball.transport.serial_port import SerialTransport
from tests.clock import FakeClock, wait_until
from tests.transport.ballbytes import PtyBall

END_OF_STREAM = "end of the test stream"


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


def analyzed(path: Path) -> list[dict[str, object]]:
    return [e.to_dict() for e in analyze_file(str(path)).events]


def types(events: list[dict[str, object]]) -> set[object]:
    return {e["type"] for e in events}


class _Heard(logging.Handler):
    """Sets ``done`` when the ball's LOG line ``END_OF_STREAM`` reaches the session."""

    def __init__(self) -> None:
        super().__init__()
        self.done = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if END_OF_STREAM in record.getMessage():
            self.done.set()


def test_live_replay_and_analyze_agree_through_an_unplugged_and_restarted_ball(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The simulated ball writes its bytes (with the scenario's faults, a device restart
    among them) into a pseudo-terminal at 40x real time, vanishes for a moment and comes
    back; the live session records it."""
    ball_sim = SimulatedBall("noisy-link", seed=1, seconds=120)
    pty = PtyBall(tmp_path / "ttyBALL")
    speed = 40.0
    away = (50.0, 56.0)  # device seconds the ball is unplugged

    def play() -> None:
        t0 = time.monotonic()
        gone = False
        for t_s, data in ball_sim.serial_chunks():
            wait = t0 + t_s / speed - time.monotonic()
            if wait > 0:
                time.sleep(wait)  # the ball's own pace, not a wait for the code under test
            if away[0] <= t_s < away[1]:
                if not gone:
                    pty.vanish()
                    gone = True
                continue
            if gone:
                pty.appear()
                gone = False
            pty.write(data)
        pty.write(serial_wrap(encode_frame(Log(0, 0, 1, END_OF_STREAM))))

    heard = _Heard()
    logging.getLogger("smartball.session").addHandler(heard)
    logging.getLogger("smartball.session").setLevel(logging.INFO)
    transport = SerialTransport(str(pty.link), poll_interval_s=0.02)
    player = threading.Thread(target=play, daemon=True)
    path = tmp_path / "live.sbrec"
    try:
        with RecordingWriter(path, envelope="serial", transport=transport.description) as rec:
            session = Session(transport, recorder=rec)
            session.start()
            player.start()
            assert heard.done.wait(60), "the session never read the end of the stream"
            session.stop()
            session.join()
        transport.close()
    finally:
        logging.getLogger("smartball.session").removeHandler(heard)
        pty.close()
    live_events = [e.to_dict() for e in session.events]
    kinds = [e["type"] for e in live_events]
    assert kinds[0] == "connected"
    assert "disconnected" in kinds and "reconnected" in kinds
    assert kinds.index("disconnected") < kinds.index("reconnected")
    assert {"info", "zone", "gap", "status", "hold_start", "hold_end"} <= set(kinds)
    assert session.counters.restarts >= 1
    assert session.counters.samples > 100 * 90  # most of 120 s at 100 Hz arrived
    # START went out when connected and again when the ball came back.
    from smartball.sim.link import FrameSplitter

    assert len(FrameSplitter().feed(bytes(pty.commands))) == 2
    reader = RecordingReader(path)
    chunks = list(reader)
    assert reader.complete and reader.device is not None
    assert [c.link for c in chunks if c.link] == ["connected", "disconnected", "reconnected"]

    assert replay(path) == live_events
    assert analyzed(path) == live_events
    events_out = tmp_path / "replay.jsonl"
    assert main(["replay", str(path), "--speed", "max", "--no-plot",
                 "--events", str(events_out)]) == 0
    capsys.readouterr()
    replayed_lines = [json.loads(line) for line in events_out.read_text().splitlines()]
    assert replayed_lines == json.loads(json.dumps(live_events))


def test_simulated_noisy_session_replays_identically(tmp_path: Path) -> None:
    path = tmp_path / "noisy.sbrec"
    live = run_recorded(
        open_transport("sim", "noisy-link", seed=3, seconds=130, speed=None), path
    )
    live_events = [e.to_dict() for e in live.events]
    assert {"connected", "info", "zone", "gap", "status"} <= types(live_events)
    assert live.counters.crc_errors > 0 and live.counters.restarts > 0
    assert replay(path) == live_events
    assert analyzed(path) == live_events


@pytest.mark.parametrize("speed", [1.0, 5.0])
def test_replay_keeps_time(tmp_path: Path, speed: float) -> None:
    path = tmp_path / "short.sbrec"
    run_recorded(open_transport("sim", "demo", seconds=2, speed=None), path)
    chunks = list(RecordingReader(path))
    recorded_s = chunks[-1].host_time_s - chunks[0].host_time_s
    clock = FakeClock()
    t = open_transport("replay", path, speed=speed, clock=clock, sleep=clock.sleep)
    Session(t).run()
    assert recorded_s > 2.0
    assert clock.slept_s == pytest.approx(recorded_s / speed, abs=1e-6)


def test_a_session_stops_on_request() -> None:
    session = Session(open_transport("sim", "demo", seconds=30))
    session.start()
    wait_until(lambda: session.counters.samples >= 20)
    session.stop()
    session.join(5.0)
    assert not session.running
    assert session.counters.samples < 3000  # stopped long before the ball's 30 s


def test_start_is_sent_and_answered(tmp_path: Path) -> None:
    t = open_transport("sim", "demo", seconds=3, speed=None)
    session = Session(t)
    session.run()
    assert session.counters.frames["reply"] == 1


def test_start_goes_to_a_serial_ball(tmp_path: Path) -> None:
    pty = PtyBall(tmp_path / "ttyBALL")
    t = SerialTransport(str(pty.link))
    session = Session(t)
    session.start()
    try:
        wait_until(lambda: len(pty.commands) > 0)
    finally:
        session.stop()
        session.join(5.0)
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
    """Everything a listener sees, in order: the events, and the samples end to end."""

    ARRAYS = ("t_s", "force_n", "force_smooth_n", "zone", "rolling", "hold_elapsed_s",
              "too_hard", "saturated")

    def __init__(self) -> None:
        self.events: list[dict[str, object]] = []
        self.columns: dict[str, list[object]] = {a: [] for a in self.ARRAYS}
        self.calls = 0

    def on_samples(self, result: object) -> None:
        self.calls += 1
        for a in self.ARRAYS:
            # NaN as None, so equal columns compare equal.
            self.columns[a] += [None if v != v else v for v in getattr(result, a).tolist()]

    def on_event(self, event: Event) -> None:
        self.events.append(event.to_dict())


def test_full_speed_replay_processes_whole_blocks_invisibly(tmp_path: Path) -> None:
    """As fast as possible, a replay decodes and processes whole blocks of chunks; its
    listeners see the same samples and events as chunk by chunk."""
    path = tmp_path / "noisy.sbrec"
    run_recorded(open_transport("sim", "noisy-link", seed=5, seconds=100, speed=None), path)
    seen = {}
    for speed in (None, 1e9):  # 1e9: paced (a chunk at a time), but without waiting
        t = open_transport("replay", path, speed=speed)
        assert t.unpaced == (speed is None)
        s = Session(t)
        listener = _Recorder()
        s.add_listener(listener)
        s.run()
        seen[speed] = listener
    assert seen[None].events == seen[1e9].events
    assert seen[None].columns == seen[1e9].columns
    assert seen[None].calls * 100 < seen[1e9].calls
    assert {"zone", "gap", "hold_start", "disconnected"} & {e["type"] for e in seen[None].events}
