"""Every file a command will write is checked before the session starts: a folder, a missing
folder, a place that takes no files, an extension of another kind, a recording not to be
written over. Real processes, as a user runs them; the answer comes at once, in one
sentence, and nothing is written."""

from __future__ import annotations

import argparse
import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartball.cli import main
from smartball.errors import UsageError
from smartball.out_file import CSV, EVENTS, FIGURE, RECORDING, check_args, check_output

SRC = str(Path(__file__).resolve().parents[2] / "src")
UNWRITABLE = "/proc/smartball-test"
"""A folder that exists and takes no file, whoever runs the tests (root included)."""


def smartball(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=SRC, MPLBACKEND="Agg")
    return subprocess.run([sys.executable, "-m", "smartball", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def one_sentence(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "unexpected error" not in err, err
    return lines[0]


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rec") / "demo.sbrec"
    assert main(["simulate", "demo", "--seconds", "8", "--out", str(path)]) == 0
    return path


# (command line up to the option, the option; a session of 20 s that must not be waited for)
SESSION_WRITERS = [
    (["demo", "--seconds", "20"], "--snapshot"),
    (["live", "--sim", "demo", "--seconds", "20"], "--snapshot"),
    (["live", "--sim", "demo", "--no-plot", "--seconds", "20"], "--record"),
    (["live", "--sim", "demo", "--no-plot", "--seconds", "20"], "--events"),
    (["record", "--sim", "demo", "--seconds", "20"], "--out"),
    (["calibrate", "--sim"], "--record"),
]


@pytest.mark.parametrize(("command", "option"), SESSION_WRITERS,
                         ids=[f"{c[0]} {o}" for c, o in SESSION_WRITERS])
@pytest.mark.parametrize("target", ["folder", "root", "missing folder", "unwritable",
                                    "other kind"])
def test_a_session_refuses_a_bad_file_at_once(command: list[str], option: str, target: str,
                                              tmp_path: Path) -> None:
    suffix = {"--snapshot": ".png", "--record": ".sbrec", "--out": ".sbrec",
              "--events": ".jsonl"}[option]
    path = {"folder": str(tmp_path), "root": "/", "missing folder": f"nowhere/s{suffix}",
            "unwritable": f"{UNWRITABLE}{suffix}",
            "other kind": "s.wav"}[target]
    before = sorted(tmp_path.iterdir())
    started = time.monotonic()
    proc = smartball(*command, option, path, cwd=tmp_path)
    took_s = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    line = one_sentence(proc.stderr)
    assert option in line or "cannot write" in line, line
    assert took_s < 15.0, "the session ran before the file was checked"
    assert sorted(tmp_path.iterdir()) == before
    assert not Path("/.png").exists()


@pytest.mark.parametrize(("argv", "words"), [
    (["report", "{rec}", "--out", "{tmp}"], "is a folder"),
    (["report", "{rec}", "--out", "{rec}"], "is a recording, which is kept"),
    (["report", "{rec}", "--out", UNWRITABLE + ".png"], "cannot write"),
    (["trends", "--out", "r.txt"], "is a .png, .pdf or .svg file"),
    (["trends", "--out", "{tmp}"], "is a folder"),
    (["export", "{rec}", "--out", "{rec}"], "is a recording, which is kept"),
    (["export", "{rec}", "--out", "s"], "give e.g. --out s.csv"),
    (["calibrate", "--sim", "--out", "ball.txt"], "the calibration is a .json file"),
    (["live", "--sim", "--no-plot", "--events", "e.jsonl", "--record", "s.sbrec",
      "--snapshot", "e.jsonl"], "--snapshot saves the view"),
    (["replay", "{rec}", "--no-plot", "--events", "{rec}"], "is a recording, which is kept"),
])
def test_every_writing_option_is_checked(argv: list[str], words: str, tmp_path: Path,
                                         recording: Path) -> None:
    argv = [a.format(rec=recording, tmp=tmp_path) for a in argv]
    size = recording.stat().st_size
    proc = smartball(*argv, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert words in one_sentence(proc.stderr)
    assert recording.stat().st_size == size
    assert list(tmp_path.iterdir()) == []


def test_two_options_naming_one_file_are_refused(tmp_path: Path) -> None:
    args = argparse.Namespace(events=str(tmp_path / "x.jsonl"), cue_log=str(tmp_path / "x.jsonl"))
    with pytest.raises(UsageError, match="--events and --cue-log both name"):
        check_args(args)
    args = argparse.Namespace(events=os.devnull, cue_log=os.devnull, out="-")
    check_args(args, out=CSV)  # a device takes them all; '-' is standard output
    assert list(tmp_path.iterdir()) == []


def test_the_check_itself(tmp_path: Path) -> None:
    assert check_output(tmp_path / "a.PNG", FIGURE, "--snapshot") == tmp_path / "a.PNG"
    assert check_output(os.devnull, EVENTS, "--events") == Path(os.devnull)
    assert check_output(os.devnull, CSV, "--out") == Path(os.devnull)
    with pytest.raises(UsageError, match="not a regular file"):
        check_output(os.devnull, FIGURE, "--snapshot")
    (tmp_path / "old.sbrec").write_bytes(b"x")
    with pytest.raises(UsageError, match="exists already and is kept"):
        check_output(tmp_path / "old.sbrec", RECORDING, "--record")
    with pytest.raises(UsageError, match=r"give e.g. --record .*new\.sbrec"):
        check_output(tmp_path / "new", RECORDING, "--record")
    (tmp_path / "events.jsonl").write_text("{}\n")
    assert check_output(tmp_path / "events.jsonl", EVENTS, "--events")  # written over
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "old.sbrec"]


def test_a_session_still_writes_what_it_may(tmp_path: Path) -> None:
    proc = smartball("live", "--sim", "--no-plot", "--seconds", "1", "--no-history",
                     "--events", "e.log", "--record", "s.sbrec", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "e.log").read_text().count("\n") >= 1
    assert (tmp_path / "s.sbrec").stat().st_size > 100


def test_export_into_a_read_only_folder_is_one_sentence(
        tmp_path: Path, recording: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that turns read-only after the check: the partial file cannot be made, and
    removing it fails too; the user hears of the first, not of the second."""
    import builtins

    real_open = builtins.open
    real_unlink = Path.unlink

    def read_only_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith(".part"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    def read_only_unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name.endswith(".part"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(Path, "unlink", read_only_unlink)
    rc = main(["export", str(recording), "--out", str(tmp_path / "s.csv")])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "Read-only file system" in one_sentence(err)
