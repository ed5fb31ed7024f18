"""``live``, ``record``, ``replay``, ``export`` and ``scan`` through the real command line,
on good and bad input; and a recorder killed outright (SIGKILL) leaves a readable file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.recording import RecordingReader, TornRecordingWarning
from tests.cli_run import one_sentence, run
from tests.clock import wait_until
from tests.transport.ballbytes import PtyBall, serial_stream

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rec") / "demo.sbrec"
    assert main(["simulate", "demo", "--seconds", "28", "--out", str(path)]) == 0
    return path


def test_record_live_replay_and_export_agree(tmp_path: Path, recording: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    rc, out, _ = run(capsys, "replay", str(recording), "--speed", "max", "--no-plot",
                     "--events", "-")
    assert rc == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert events[0]["type"] == "connected"
    assert {"info", "zone", "hold_start", "hold_end", "status"} <= {e["type"] for e in events}
    assert all(isinstance(e["t_s"], float) for e in events)

    events_file = tmp_path / "ev.jsonl"
    rc, _, _ = run(capsys, "replay", str(recording), "--speed", "max", "--no-plot",
                   "--events", str(events_file))
    assert rc == 0
    assert [json.loads(x) for x in events_file.read_text().splitlines()] == events

    csv = tmp_path / "demo.csv"
    rc, _, err = run(capsys, "export", str(recording), "--out", str(csv))
    assert rc == 0 and "2800 samples" in err
    lines = csv.read_text().splitlines()
    header = next(ln for ln in lines if not ln.startswith("#"))
    assert header.split(",")[:3] == ["t_s", "pressure_pa", "temp_c"]
    assert "gyro_x_dps" in header and "accel_z_g" in header
    # The CSV analyzes to the same session as the recording.
    rc, a_csv, _ = run(capsys, "analyze", str(csv), "--json")
    rc2, a_rec, _ = run(capsys, "analyze", str(recording), "--json")
    assert rc == rc2 == 0
    s_csv, s_rec = json.loads(a_csv), json.loads(a_rec)
    assert s_csv["samples"] == s_rec["samples"] == 2800
    assert [h["start_s"] for h in s_csv["holds"]] == pytest.approx(
        [h["start_s"] for h in s_rec["holds"]], abs=0.05)


def test_live_sim_with_record_then_replay_same_events(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = tmp_path / "live.sbrec"
    rc, out, err = run(capsys, "live", "--sim", "demo", "--no-plot", "--seconds", "1.5",
                       "--record", str(rec), "--events", "-")
    assert rc == 0 and "recorded to" in err
    live = [json.loads(x) for x in out.splitlines()]
    rc, out, _ = run(capsys, "replay", str(rec), "--speed", "max", "--no-plot", "--events", "-")
    assert rc == 0
    assert [json.loads(x) for x in out.splitlines()] == live
    assert live[0]["type"] == "connected" and live[1]["type"] == "info"


def test_record_from_a_serial_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ball = PtyBall(tmp_path / "ttyBALL")
    data = serial_stream(60)
    # Opening a port discards what waited in it, so the ball talks once the port is open.
    timer = threading.Timer(0.3, ball.write, args=(b"garbage\x00\x17" + data,))
    timer.start()
    out = tmp_path / "s.sbrec"
    try:
        rc, _, _ = run(capsys, "record", "--port", str(ball.link), "--out", str(out),
                       "--seconds", "0.8")
    finally:
        timer.join()
        ball.close()
    assert rc == 0
    chunks = list(RecordingReader(out))
    assert b"".join(c.data for c in chunks) == b"garbage\x00\x17" + data
    rc, text, _ = run(capsys, "inspect", str(out), "--json")
    report = json.loads(text)
    assert report["crc_errors"] >= 1 and report["frames"]["samples"] > 50


@pytest.mark.parametrize("argv, message", [
    (["live", "--no-plot"], "exactly one of --sim"),
    (["record", "--out", "x.sbrec"], "exactly one of --sim"),
    (["live", "--port", "/dev/ttyNOPE0", "--no-plot"], "there is no serial port /dev/ttyNOPE0"),
    (["record", "--port", "/dev/ttyNOPE0", "--out", "x.sbrec"], "there is no serial port"),
    (["replay", "nope.sbrec", "--no-plot"], "there is no file nope.sbrec"),
    (["export", "nope.sbrec", "--out", "x.csv"], "does not exist"),
    (["live", "--sim", "no-such-scenario", "--no-plot"], "no scenario"),
])
def test_bad_input_is_one_sentence(argv: list[str], message: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rc, _, err = run(capsys, *argv)
    assert rc == 1
    assert message in err
    one_sentence(err)


def test_device_options_are_mutually_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["live", "--sim", "--port", "/dev/ttyACM0", "--no-plot"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_file_that_is_not_a_recording(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    rc, _, err = run(capsys, "replay", str(bad), "--no-plot")
    assert rc == 1 and "is not a smartball recording" in err
    one_sentence(err)


def test_an_empty_file_is_called_empty_by_every_file_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.sbrec"
    empty.touch()
    for argv in (["replay", str(empty), "--no-plot"], ["analyze", str(empty)],
                 ["export", str(empty), "--out", str(tmp_path / "e.csv")], ["inspect", str(empty)]):
        rc, _, err = run(capsys, *argv)
        assert rc == 1 and "is empty" in err, argv
        one_sentence(err)


@pytest.mark.parametrize("command", ["analyze", "report", "export"])
def test_a_file_it_may_not_read_is_one_sentence(
        command: str, tmp_path: Path, recording: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """File modes do not stop root (the tests' user in CI), so the refusal is the one the
    operating system gives an ordinary user for a file with mode 000."""
    import builtins

    locked = tmp_path / "locked.sbrec"
    locked.write_bytes(recording.read_bytes())
    real_open = builtins.open

    def refusing_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", refusing_open)
    suffix = {"report": ".png", "export": ".csv"}
    out = [] if command == "analyze" else ["--out", str(tmp_path / f"out{suffix[command]}")]
    rc, _, err = run(capsys, command, str(locked), *out)
    assert rc == 1 and "no permission to read" in err
    one_sentence(err)


def test_a_truncated_recording_replays_with_a_warning(
        tmp_path: Path, recording: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut = tmp_path / "cut.sbrec"
    cut.write_bytes(recording.read_bytes()[:30001])
    rc, out, err = run(capsys, "replay", str(cut), "--speed", "max", "--no-plot",
                       "--events", "-")
    assert rc == 0
    assert "partial record" in err and "Traceback" not in err
    assert any(json.loads(x)["type"] == "zone" for x in out.splitlines())
    rc, _, err = run(capsys, "export", str(cut), "--out", str(tmp_path / "cut.csv"))
    assert rc == 0 and "partial record" in err


def test_live_with_plot_without_the_view_says_what_to_do(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("smartball.view") else
                        real(name, *a))
    rc, _, err = run(capsys, "live", "--sim")
    assert rc == 1 and "--no-plot" in err
    one_sentence(err)


def test_scan_lists_serial_ports_without_bluetooth(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "scan", "--json", "--timeout", "1")
    assert rc == 0
    result = json.loads(out)
    assert isinstance(result["serial"], list) and isinstance(result["ble"], list)
    assert result["ble_error"]  # no adapter on this machine: said, not fatal
    rc, out, _ = run(capsys, "scan", "--timeout", "1")
    assert rc == 0 and "Serial ports" in out and "Bluetooth" in out


def test_a_recorder_killed_outright_leaves_a_readable_file(tmp_path: Path) -> None:
    out = tmp_path / "killed.sbrec"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "record", "--sim", "demo", "--out", str(out)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_until(lambda: out.exists() and out.stat().st_size > 0, 20)
        header_bytes = out.stat().st_size
        # A couple of seconds of stream on disk (about 2.5 kB a second), then the kill.
        wait_until(lambda: out.stat().st_size >= header_bytes + 5000, 20)
        killed_at = time.time()
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    reader = RecordingReader(out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chunks = list(reader)
    assert reader.end is None and not reader.complete
    torn = [w for w in caught if issubclass(w.category, TornRecordingWarning)]
    assert bool(torn) == (reader.torn_bytes > 0)
    data = b"".join(c.data for c in chunks)
    # All but the last second is there: the newest chunk read back arrived less than a
    # second before the kill.
    assert chunks[0].link == "connected" and len(data) > 0
    assert killed_at - chunks[-1].host_time_s < 1.0
    assert reader.header.session["command"] == "record"
    from smartball.protocol.decoder import StreamDecoder

    dec = StreamDecoder()
    samples = dec.feed(data).samples
    assert len(samples) > 100 and dec.counters.crc_errors <= 1


@pytest.mark.parametrize("value, expected", [("2", 2.0), ("0.5", 0.5), ("max", None),
                                             ("inf", None)])
def test_replay_speed_values(value: str, expected: float | None) -> None:
    from smartball.cli.replay_cmd import speed

    assert speed(value) == expected


@pytest.mark.parametrize("value", ["0", "-1", "fast-ish"])
def test_replay_refuses_bad_speeds(value: str, recording: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["replay", str(recording), "--speed", value, "--no-plot"])
    assert exc.value.code == 2
    assert "--speed" in capsys.readouterr().err


def test_sigterm_ends_a_recording_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "term.sbrec"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartball", "record", "--sim", "demo", "--out", str(out)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_until(lambda: out.exists() and out.stat().st_size >= 2000, 20)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    reader = RecordingReader(out)
    assert len(list(reader)) > 2 and reader.complete


def test_export_processed_adds_what_the_processing_made_of_each_sample(
        tmp_path: Path, recording: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "p.csv"
    rc, _, _ = run(capsys, "export", str(recording), "--out", str(csv), "--processed")
    assert rc == 0
    rows = [ln.split(",") for ln in csv.read_text().splitlines() if not ln.startswith("#")]
    header, body = rows[0], rows[1:]
    assert header[-4:] == ["force_n", "zone", "rolling", "hold"]
    assert len(body) == 2800 and all(len(r) == len(header) for r in body)
    zones = {r[-3] for r in body}
    assert {"rest", "light"} <= zones <= {"rest", "light", "moderate", "deep", "too_hard"}
    assert {r[-2] for r in body} == {"0", "1"}
    holding = [float(r[-1]) for r in body if r[-1]]
    assert holding and min(holding) >= 0.0
    # The same events as analyze: the processing of export is the pipeline's.
    holds = json.loads(run(capsys, "analyze", str(recording), "--json")[1])["holds"]
    starts = [i for i in range(1, len(body)) if body[i][-1] and not body[i - 1][-1]]
    assert len(starts) == len(holds)


@pytest.mark.parametrize("out", ["/proc/smartball-test.csv", "."])
def test_export_to_a_path_it_cannot_write_is_one_sentence(
        out: str, tmp_path: Path, recording: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rc, _, err = run(capsys, "export", str(recording), "--out", out)
    assert rc == 1 and ("cannot write" in err or "is a folder" in err)
    one_sentence(err)
    assert list(tmp_path.iterdir()) == []


def test_export_writes_into_a_pipe_or_a_link_and_leaves_them_in_place(
        tmp_path: Path, recording: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--out /dev/stdout``, a named pipe or a link: the rows go through it, and the pipe
    or link is still there afterwards (not replaced by a regular file)."""
    import stat

    fifo = tmp_path / "rows.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    rc, _, err = run(capsys, "export", str(recording), "--out", str(fifo))
    reader.join(30)
    assert rc == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].count("\n") > 2500

    target = tmp_path / "target.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    rc, _, err = run(capsys, "export", str(recording), "--out", str(link))
    assert rc == 0, err
    assert link.is_symlink() and target.read_text().count("\n") > 2500
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "rows.fifo", "target.csv"]


def test_a_processed_export_reads_back_as_the_recording_did(
        tmp_path: Path, recording: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Columns the CSV form does not name (``zone`` is a word) are ignored, as the form says,
    so ``export --processed`` goes on into ``analyze`` and ``report``."""
    csv = tmp_path / "p.csv"
    assert run(capsys, "export", str(recording), "--out", str(csv), "--processed")[0] == 0
    rc, from_csv, err = run(capsys, "analyze", str(csv), "--json")
    assert rc == 0, err
    from_recording = json.loads(run(capsys, "analyze", str(recording), "--json")[1])
    got = json.loads(from_csv)
    assert got["samples"] == 2800
    assert [(h["start_s"], h["end_s"]) for h in got["holds"]] == [
        (h["start_s"], h["end_s"]) for h in from_recording["holds"]]
    assert [h["peak_force_n"] for h in got["holds"]] == pytest.approx(
        [h["peak_force_n"] for h in from_recording["holds"]], abs=1e-3)  # 3 decimals in CSV
    assert run(capsys, "report", str(csv), "--out", str(tmp_path / "p.png"))[0] == 0


@pytest.mark.parametrize(("name", "text", "message"), [
    ("demo.sbrec.truth.json", '{"scenario": "demo"}', "is a JSON file, not a session"),
    ("notes.sbrec", "t_s,force_n\n0,1\n", "is not a smartball recording"),
])
@pytest.mark.parametrize("command", ["analyze", "export", "report"])
def test_text_that_is_no_session_is_named_for_what_it_is(
        command: str, name: str, text: str, message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    path.write_text(text)
    suffix = {"report": ".png", "export": ".csv"}
    out = [] if command == "analyze" else ["--out", str(tmp_path / f"out{suffix[command]}")]
    rc, _, err = run(capsys, command, str(path), *out)
    assert rc == 1 and message in err
    one_sentence(err)


@pytest.mark.parametrize("command", [["record", "--sim", "demo", "--out"],
                                     ["live", "--sim", "demo", "--no-plot", "--record"]])
def test_a_recording_is_never_written_over(command: list[str], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "monday.sbrec"
    old.write_bytes(b"monday's session")
    rc, _, err = run(capsys, *command, str(old), "--seconds", "2")
    assert rc == 1
    one_sentence(err)
    assert "exists already and is kept" in err
    assert old.read_bytes() == b"monday's session"
