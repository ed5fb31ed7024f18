"""A file a command will write, checked before the work starts.

Every option that names a file to write (``--snapshot``, ``--record``, ``--out``,
``--events``, ``--cue-log``, ``--audio-out``) goes through :func:`check_output` before the
session (or the reading of a long file) begins, so a folder, a missing folder, a place that
cannot be written, a name whose extension belongs to another kind of file, or a recording
that would be written over gets one sentence at once instead of an error after the work.

:func:`check_args` checks every such option of a parsed command line at once, by the
attribute names in :data:`OPTIONS`; a command adds its own ``--out`` kind.
"""

from __future__ import annotations

import argparse
import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from smartball.errors import UsageError


@dataclass(frozen=True)
class OutputKind:
    """What a file is: its name in messages, the extensions it may have (None: any that
    does not belong to another kind), an example name; ``new_only``: never written over;
    ``stream_ok``: a pipe or a device (``/dev/null``, a FIFO) may take it."""

    what: str
    suffixes: tuple[str, ...] | None
    example: str
    new_only: bool = False
    stream_ok: bool = False


FIGURE = OutputKind("figure", (".png", ".pdf", ".svg"), "figure.png")
RECORDING = OutputKind("recording", (".sbrec",), "session.sbrec", new_only=True)
CSV = OutputKind("CSV", (".csv",), "session.csv", stream_ok=True)
CALIBRATION = OutputKind("calibration", (".json",), "my-ball.json")
EVENTS = OutputKind("events file", None, "events.jsonl", stream_ok=True)
CUE_LOG = OutputKind("cue log", None, "cues.jsonl", stream_ok=True)
AUDIO = OutputKind("sound file", (".wav",), "cues.wav", stream_ok=True)

KINDS = (FIGURE, RECORDING, CSV, CALIBRATION, EVENTS, CUE_LOG, AUDIO)

OPTIONS: dict[str, tuple[str, OutputKind]] = {
    "snapshot": ("--snapshot", FIGURE),
    "record": ("--record", RECORDING),
    "events": ("--events", EVENTS),
    "cue_log": ("--cue-log", CUE_LOG),
    "audio_out": ("--audio-out", AUDIO),
}
"""Options shared by several commands: the attribute of the parsed arguments, the option
as the user types it, the kind of file."""

STDOUT = "-"


def _claimed_elsewhere(kind: OutputKind) -> set[str]:
    """The extensions of every other kind: an events file called ``x.png`` is a slip."""
    return {s for k in KINDS if k is not kind and k.suffixes for s in k.suffixes}


def _suffix_words(suffixes: tuple[str, ...]) -> str:
    if len(suffixes) == 1:
        return f"a {suffixes[0]} file"
    return "a " + ", ".join(suffixes[:-1]) + f" or {suffixes[-1]} file"


def _is_recording(path: Path) -> bool:
    from smartball.recording.format import is_recording

    return is_recording(path)


def check_output(value: str | Path, kind: OutputKind, option: str) -> Path:
    """``value`` as the path to write ``kind`` to; a :class:`UsageError` (one sentence,
    naming ``option``) unless it can be written now."""
    text = str(value)
    if not text.strip():
        raise UsageError(f"{option} needs a file name, e.g. {option} {kind.example}")
    path = Path(text).expanduser()
    if path.is_dir():
        raise UsageError(f"{option} {text} is a folder; give a file name in it, e.g. "
                         f"{option} {path / kind.example}")
    if path.exists():
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            if kind.stream_ok:
                _probe_existing(path, text, option)
                return path
            raise UsageError(f"{option} {text} is not a regular file; give the name of a "
                             f"{kind.what} to write, e.g. {kind.example}")
        if kind.new_only:
            raise UsageError(f"{option} {text} exists already and is kept; give the "
                             f"{kind.what} another name, or delete that file first")
        if _is_recording(path):
            raise UsageError(f"{option} {text} is a recording, which is kept; give the "
                             f"{kind.what} another name")
    _check_suffix(path, text, kind, option)
    parent = path.parent.resolve()
    if not parent.exists():
        raise UsageError(f"cannot write {text}: its folder does not exist; create {parent} "
                         f"or give {option} another path")
    if not parent.is_dir():
        raise UsageError(f"cannot write {text}: {parent} is not a folder; give {option} "
                         "another path")
    if path.exists():
        _probe_existing(path, text, option)
    else:
        _probe_folder(parent, text, option)
    return path


def _check_suffix(path: Path, text: str, kind: OutputKind, option: str) -> None:
    suffix = path.suffix.lower()
    if kind.suffixes is not None:
        if suffix in kind.suffixes:
            return
        fix = path.with_name(path.name + kind.suffixes[0]) if not suffix else \
            path.with_suffix(kind.suffixes[0])
        raise UsageError(f"{option} {text}: the {kind.what} is {_suffix_words(kind.suffixes)}; "
                         f"give e.g. {option} {fix}")
    if suffix in _claimed_elsewhere(kind):
        raise UsageError(f"{option} {text}: a {suffix} name is for another kind of file; "
                         f"give the {kind.what} a name such as {kind.example}")


def _cannot(text: str, exc: OSError, option: str) -> UsageError:
    # A folder that exists but takes no files (/proc) says ENOENT: say what it means.
    why = "the folder takes no files" if exc.errno == errno.ENOENT else exc.strerror or exc
    return UsageError(f"cannot write {text} ({why}); give {option} a path in a folder you "
                      "can write to")


def _probe_folder(folder: Path, text: str, option: str) -> None:
    """Whether a file can be made in ``folder``: made and removed at once (permissions, a
    read-only disk, a folder like /proc that takes no files)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".smartball-", suffix=".probe", dir=folder)
    except OSError as exc:
        raise _cannot(text, exc, option) from None
    os.close(fd)
    try:
        os.unlink(probe)
    except OSError:  # pragma: no cover - a folder that takes files but keeps them
        pass


def _probe_existing(path: Path, text: str, option: str) -> None:
    """Whether an existing file can be written: opened to append (nothing changes). A pipe
    or a device is only asked about: opening a pipe would be the one write its reader
    waits for, and it would read nothing."""
    if not stat.S_ISREG(path.stat().st_mode):
        if not os.access(path, os.W_OK):
            raise _cannot(text, PermissionError(errno.EACCES, "permission denied"), option)
        return
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise _cannot(text, exc, option) from None


def _is_stream(path: Path) -> bool:
    """A pipe or a device: several options may write to /dev/null."""
    return path.exists() and not stat.S_ISREG(path.stat().st_mode)


def check_args(args: argparse.Namespace, **out: OutputKind) -> None:
    """Check every file the parsed command line will write: the shared options of
    :data:`OPTIONS` and the command's own (``out=RECORDING`` checks ``args.out``). ``-``
    (standard output) is taken as is where the option allows it. Two options naming the
    same file are refused."""
    chosen: list[tuple[str, str, OutputKind]] = []
    for attr, (option, kind) in OPTIONS.items():
        chosen.append((attr, option, kind))
    for attr, kind in out.items():
        chosen.append((attr, "--" + attr.replace("_", "-"), kind))
    seen: dict[Path, str] = {}
    for attr, option, kind in chosen:
        value = getattr(args, attr, None)
        if value is None or (str(value) == STDOUT and kind.stream_ok):
            continue
        path = check_output(value, kind, option)
        key = path.resolve()
        if key in seen and not _is_stream(key):
            raise UsageError(f"{seen[key]} and {option} both name {value}; give each its own "
                             "file")
        seen[key] = option
