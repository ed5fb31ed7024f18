"""``smartball inspect FILE|- [--json]``: a protocol analyser for captures and recordings."""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from smartball.errors import InputError, InputFileNotFound

CHUNK_BYTES = 1 << 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE|-",
        help="a raw serial capture (e.g. 'cat /dev/ttyACM0 > capture.bin'), a recording, "
        "or - for standard input",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON form")


def read_chunks(path: str) -> Iterator[bytes]:
    """The bytes of a file or of standard input, in bounded pieces."""
    if path == "-":
        stream = sys.stdin.buffer
        while chunk := stream.read(CHUNK_BYTES):
            yield chunk
        return
    p = Path(path)
    if not p.exists():
        raise InputFileNotFound(f"{path} does not exist; check the name and path of the file.")
    if p.is_dir():
        raise InputError(f"{path} is a folder; give the capture or recording file inside it.")
    try:
        with p.open("rb") as f:
            while chunk := f.read(CHUNK_BYTES):
                yield chunk
    except PermissionError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror}); check its permissions.") from exc


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="smartball-inspect-") as spool:
        return _inspect(args, Path(spool))


def _stdin(spool: Path) -> tuple[Path | None, Iterator[bytes]]:
    """Standard input sniffed as a file is: a recording (its magic header) is spooled to a
    file in ``spool`` so it can be read as one; anything else is a raw capture, streamed."""
    from smartball.recording.format import MAGIC

    stream = sys.stdin.buffer
    head = stream.read(len(MAGIC))
    if head != MAGIC:
        return None, itertools.chain([head], read_chunks("-"))
    path = spool / "stdin.sbrec"
    with path.open("wb") as f:
        f.write(head)
        shutil.copyfileobj(stream, f, CHUNK_BYTES)
    return path, iter(())


def _inspect(args: argparse.Namespace, spool: Path) -> int:
    from smartball.inspect import ProtocolReport
    from smartball.recording import RecordingReader, is_recording

    name = "standard input" if args.file == "-" else args.file
    recording = None
    if args.file == "-":
        spooled, chunks = _stdin(spool)
        if spooled is not None:
            recording = RecordingReader(spooled)
    else:
        chunks = read_chunks(args.file)
        if is_recording(args.file):
            recording = RecordingReader(args.file)
    if recording is not None:
        # A recording: its chunks through the decoder of its envelope, in whole blocks.
        from smartball.pipeline import BLOCK_BYTES, batches

        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            report = ProtocolReport.of_received(batches(recording.blocks(BLOCK_BYTES)),
                                                recording.header.envelope)
        for w in said:  # a spooled standard input is named as the user knows it
            warnings.warn(str(w.message).replace(str(recording.path), name), w.category,
                          stacklevel=1)
    else:
        report = ProtocolReport.of_chunks(chunks, "serial")
    counters = report.decoder.counters
    if counters.bytes == 0 and recording is not None:
        raise InputError(f"{name} is a recording without a byte from the ball; record a "
                         "streaming ball ('smartball record --port ...' or '--ble').")
    if counters.bytes == 0:
        raise InputError(f"{name} is empty; capture the ball's serial stream into it first "
                         "(for example 'cat /dev/ttyACM0 > capture.bin').")
    if args.json:
        out = report.to_json()
        # What the session was processed with, as recorded (null: a raw capture, or a
        # recording made before headers carried it).
        out["context"] = None if recording is None else recording.header.context
        print(json.dumps(out, indent=2))
    else:
        print(report.to_text(name))
        if recording is not None:
            print(_recording_text(recording))
    if report.frames_total == 0:
        print(f"smartball inspect: no SmartBall frame found in {name}; is it a capture of the "
              "ball's serial stream?", file=sys.stderr)
        return 1
    return 0


def _recording_text(recording: object) -> str:
    from smartball.recording import RecordingReader

    assert isinstance(recording, RecordingReader)
    h = recording.header
    state = "complete" if recording.complete else (
        f"cut off ({recording.torn_bytes} bytes torn)" if recording.torn_bytes
        else "not closed by its recorder" if recording.end is None
        else f"{recording.corrupt_records} damaged records skipped")
    text = (f"  recording       format {h.format_version}, {h.envelope} envelope, from "
            f"{h.transport}; {state}")
    c = h.context
    if isinstance(c, dict):
        cal = c.get("calibration")
        ball = cal.get("ball") if isinstance(cal, dict) else None
        force = ("the reference ball" if cal is None
                 else f"a calibration{f' of {ball}' if ball else ''}")
        routine = c.get("routine")
        followed = routine.get("name") if isinstance(routine, dict) else None
        zones = "/".join(f"{z:g}" for z in c.get("zones_n") or [])
        text += (f"\n  processed with  {force}, zones {zones} N, {c.get('part')} of "
                 f"{c.get('user')}, {f'routine {followed}' if followed else 'no routine'}")
    return text
