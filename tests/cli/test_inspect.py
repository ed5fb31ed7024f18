from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.protocol import encode_serial

from ..protocol.streams import session


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    path = tmp_path / "capture.bin"
    path.write_bytes(b"".join(encode_serial(m) for m in session(100)))
    return path


def test_json_form_follows_the_contract(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(capture), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"frames", "samples", "lost_samples", "crc_errors", "malformed", "bytes",
                        "sample_rate_hz", "device", "restarts", "context"}
    assert out["context"] is None  # a raw capture carries no session context
    assert set(out["frames"]) == {"info", "samples", "status", "log", "reply", "unknown"}
    assert out["frames"]["samples"] == 100 and out["samples"] == 200
    assert out["bytes"] == capture.stat().st_size
    assert out["device"]["name"] == "SmartBall-0607"
    assert out["sample_rate_hz"] == 100.0


def test_readable_form(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(capture)]) == 0
    text = capsys.readouterr().out
    assert "SmartBall-0607" in text and "200 at 100 Hz" in text


def test_stdin(capture: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "smartball", "inspect", "-", "--json"],
        input=capture.read_bytes(), capture_output=True, check=True,
    )
    assert json.loads(out.stdout)["samples"] == 200


def test_cut_capture_counts_the_torn_frame(capture: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    cut = tmp_path / "cut.bin"
    cut.write_bytes(capture.read_bytes()[:-10])
    assert main(["inspect", str(cut), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["malformed"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"", "is empty"),
        (bytes(range(1, 256)) * 40, "no SmartBall frame found"),
    ],
)
def test_bad_files_get_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    content: bytes | None, message: str) -> None:
    path = tmp_path / "x.bin"
    if content is not None:
        path.write_bytes(content)
    assert main(["inspect", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_a_recording_without_data_is_not_called_an_empty_capture(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from smartball.recording import RecordingWriter

    path = tmp_path / "nothing.sbrec"
    with RecordingWriter(path, envelope="serial", transport="serial port /dev/ttyACM0"):
        pass
    assert main(["inspect", str(path)]) == 1
    err = capsys.readouterr().err
    assert "recording without a byte from the ball" in err and "cat /dev" not in err
    assert err.count("\n") == 1


def test_a_recording_on_standard_input_is_read_as_a_recording(tmp_path: Path) -> None:
    """``inspect -`` sniffs its input as it sniffs a file: a recording piped in is decoded
    from its records (no CRC errors from reading the records' framing as serial bytes), and
    a torn one is named 'standard input', not by a temporary file."""
    rec = tmp_path / "s.sbrec"
    assert main(["simulate", "demo", "--seconds", "6", "--out", str(rec)]) == 0
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}

    def inspect(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "smartball", "inspect", *args],
                              input=data, capture_output=True, env=env, timeout=60)

    from_file = json.loads(inspect(b"", str(rec), "--json").stdout)
    piped = inspect(rec.read_bytes(), "-", "--json")
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout) == from_file
    assert from_file["crc_errors"] == 0 and from_file["samples"] > 500
    torn = inspect(rec.read_bytes()[:-50], "-")
    assert torn.returncode == 0
    assert b"standard input: the last" in torn.stderr and b"stdin.sbrec" not in torn.stderr
    assert b"recording       format" in torn.stdout
