"""The serial transport on pseudo-terminals: a ball that vanishes and returns, START sent,
and the one-sentence errors for ports that cannot be used."""

from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

import pytest
import serial

from smartball.errors import DeviceError, DeviceNotFound
from smartball.protocol import serial_wrap
from smartball.transport.serial_port import SerialTransport, _open_error, list_serial_ports
from tests.transport.ballbytes import PtyBall, ball_frames


def drain(t: SerialTransport, until: float, stop_on_link: str | None = None) -> list:
    out = []
    deadline = time.monotonic() + until
    while time.monotonic() < deadline:
        c = t.recv(0.05)
        if c is not None:
            out.append(c)
            if stop_on_link and c.link == stop_on_link:
                break
    return out


def test_a_ball_that_vanishes_is_reported_and_picked_up_when_it_returns(tmp_path: Path) -> None:
    ball = PtyBall(tmp_path / "ttyBALL")
    t = SerialTransport(str(ball.link), poll_interval_s=0.05)
    try:
        first = [serial_wrap(f) for f in ball_frames(10)]
        ball.write(b"".join(first))
        got = drain(t, 2.0)
        assert got[0].link == "connected"
        assert b"".join(c.data for c in got) == b"".join(first)

        ball.vanish()
        lost = drain(t, 2.0, stop_on_link="disconnected")
        assert lost[-1].link == "disconnected"
        assert t.recv(0.2) is None  # no port yet: time out, do not fail

        ball.appear()
        back = drain(t, 3.0, stop_on_link="reconnected")
        assert back[-1].link == "reconnected"
        assert t.reconnects == 1

        second = [serial_wrap(f) for f in ball_frames(10, first_seq=500)]
        ball.write(b"".join(second))
        again = drain(t, 1.0)
        assert b"".join(c.data for c in again) == b"".join(second)
    finally:
        t.close()
        ball.close()


def test_commands_reach_the_ball_in_the_serial_envelope(tmp_path: Path) -> None:
    ball = PtyBall(tmp_path / "ttyBALL")
    with SerialTransport(str(ball.link)) as t:
        t.send(b"\x10\x00\x00\x00\x00\x00\x00\x00\x01\x07\x64\x00\x07")
        deadline = time.monotonic() + 2
        want = serial_wrap(b"\x10\x00\x00\x00\x00\x00\x00\x00\x01\x07\x64\x00\x07")
        while bytes(ball.commands) != want and time.monotonic() < deadline:
            time.sleep(0.01)
    ball.close()
    assert bytes(ball.commands) == want


def test_without_reconnect_a_lost_ball_ends_the_stream(tmp_path: Path) -> None:
    ball = PtyBall(tmp_path / "ttyBALL")
    t = SerialTransport(str(ball.link), reconnect=False)
    assert t.recv(1.0).link == "connected"  # type: ignore[union-attr]
    ball.vanish()
    with pytest.raises(EOFError):
        for _ in range(100):
            t.recv(0.05)
    t.close()


def test_a_missing_port_says_so(tmp_path: Path) -> None:
    with pytest.raises(DeviceNotFound, match=r"there is no serial port .*smartball scan"):
        SerialTransport(str(tmp_path / "ttyNOPE"))


def test_a_busy_port_says_another_program_has_it(tmp_path: Path) -> None:
    ball = PtyBall(tmp_path / "ttyBALL")
    fd = os.open(ball.link, os.O_RDWR | os.O_NOCTTY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what another exclusive opener holds
    try:
        with pytest.raises(DeviceError, match="in use by another program"):
            SerialTransport(str(ball.link))
    finally:
        os.close(fd)
        ball.close()


def test_a_file_that_is_no_serial_port_says_so(tmp_path: Path) -> None:
    f = tmp_path / "notatty"
    f.write_bytes(b"")
    with pytest.raises(DeviceError, match="not a serial port"):
        SerialTransport(str(f))


def test_no_permission_tells_how_to_join_dialout() -> None:
    exc = serial.SerialException(errno.EACCES, "could not open /dev/ttyACM0: Permission denied")
    err = _open_error("/dev/ttyACM0", exc)
    assert "sudo usermod -aG dialout $USER" in str(err)
    assert str(err).count(".") <= 1


def test_listing_ports_never_fails() -> None:
    ports = list_serial_ports()
    assert all(p.looks_like_ball == (p.vid in (0x2886, 0x303A)) for p in ports)


def test_garbage_and_lost_frames_cost_only_themselves(tmp_path: Path) -> None:
    """Through the session: bytes of noise between frames and whole frames missing are
    counted (CRC errors, a gap of the exact number of samples), and the rest decodes."""
    from smartball.session import Session

    frames = [serial_wrap(f) for f in ball_frames(60)]
    del frames[20:23]  # three SAMPLES frames of two samples each: 6 samples lost
    # Noise up to a delimiter: one bad packet, the next frame intact.
    stream = b"".join(frames[:10]) + b"\x13\x37noise\xff\x00" + b"".join(frames[10:])
    ball = PtyBall(tmp_path / "ttyBALL")
    t = SerialTransport(str(ball.link))
    session = Session(t)
    import threading

    threading.Timer(0.2, ball.write, args=(stream,)).start()
    session.run(1.0)
    t.close()
    ball.close()
    c = session.counters
    assert c.crc_errors == 1
    assert c.lost_samples == 6
    assert c.frames["samples"] == 58 - 3
    gaps = [e for e in session.events if e.type == "gap"]
    assert [g.fields["lost_samples"] for g in gaps] == [6]
