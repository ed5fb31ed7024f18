"""Recordings: what goes in comes out; a file cut anywhere reads up to the cut, with the torn
tail reported, never an exception; files that are not recordings are refused in one sentence."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from smartball.errors import InputError, InputFileNotFound
from smartball.recording import (
    RecordingReader,
    RecordingWarning,
    RecordingWriter,
    TornRecordingWarning,
    is_recording,
    write_recording,
)
from smartball.transport import Received

CHUNKS = [
    Received(100.0, b"", "connected", "serial port /dev/ttyACM0"),
    Received(100.01, b"\x05abc\x00"),
    Received(100.02, bytes(range(256)) * 3),
    Received(100.5, b"", "disconnected", "serial port /dev/ttyACM0: read failed"),
    Received(103.0, b"", "reconnected", "serial port /dev/ttyACM0 (now /dev/ttyACM1)"),
    Received(103.01, b"\x00\x00\x01"),
]


def write(path: Path) -> None:
    with RecordingWriter(path, envelope="serial", transport="serial port /dev/ttyACM0",
                         session={"command": "record"}) as w:
        for c in CHUNKS[:2]:
            w.on_chunk(c)
        w.on_device_info({"name": "SmartBall-CDEF", "boot_id": 1})
        for c in CHUNKS[2:]:
            w.on_chunk(c)


def test_what_is_written_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "s.sbrec"
    write(path)
    r = RecordingReader(path)
    assert r.header.envelope == "serial"
    assert r.header.transport == "serial port /dev/ttyACM0"
    assert r.header.session == {"command": "record"}
    assert r.header.format_version == 1
    assert list(r) == CHUNKS
    assert r.device == {"name": "SmartBall-CDEF", "boot_id": 1}
    assert r.end is not None and r.end["chunks"] == 3
    assert r.complete and is_recording(path)
    assert list(r) == CHUNKS  # iterable again


def test_a_recording_cut_anywhere_reads_up_to_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "s.sbrec"
    write(path)
    whole = path.read_bytes()
    header_len = len(RecordingReader(path).header.to_json()) + 8 + 9
    cut = tmp_path / "cut.sbrec"
    for n in range(header_len, len(whole)):
        cut.write_bytes(whole[:n])
        r = RecordingReader(cut)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = list(r)
        assert got == CHUNKS[: len(got)], n
        assert not r.complete
        torn = [w for w in caught if issubclass(w.category, TornRecordingWarning)]
        assert bool(torn) == (r.torn_bytes > 0)
        assert r.torn_bytes < 800


def test_a_damaged_record_in_the_middle_is_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "s.sbrec"
    write(path)
    data = bytearray(path.read_bytes())
    at = data.index(bytes(range(256)))
    data[at + 10] ^= 0xFF
    path.write_bytes(bytes(data))
    r = RecordingReader(path)
    with pytest.warns(RecordingWarning, match="1 damaged record"):
        got = list(r)
    assert got == CHUNKS[:2] + CHUNKS[3:]
    assert r.corrupt_records == 1 and r.torn_bytes == 0 and not r.complete


@pytest.mark.parametrize("damage", ["length", "zeros", "garbage"])
def test_reading_goes_on_after_damage_in_the_middle(tmp_path: Path, damage: str) -> None:
    """A length field hit by a bit flip, a run of zeros (a bad block), random bytes: the
    records after the damage are still read, and the file is not called cut off."""
    import random

    path = tmp_path / "s.sbrec"
    write(path)
    data = bytearray(path.read_bytes())
    at = data.index(bytes(range(256))) - 8 - 5  # the prefix of the 768-byte chunk's record
    if damage == "length":
        data[at + 3] ^= 0x80  # a length of about 2 GB
    elif damage == "zeros":
        data[at : at + 40] = bytes(40)
    else:
        data[at : at + 300] = random.Random(1).randbytes(300)
    path.write_bytes(bytes(data))
    r = RecordingReader(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = list(r)
    assert got == CHUNKS[:2] + CHUNKS[3:]
    assert r.corrupt_records == 1 and r.torn_bytes == 0 and r.end is not None
    assert not any(issubclass(w.category, TornRecordingWarning) for w in caught)


def test_write_recording_from_timed_chunks(tmp_path: Path) -> None:
    path = tmp_path / "sim.sbrec"
    write_recording(path, [(0.0, b"ab"), (0.02, b"cd")], transport="simulated ball",
                    session={"scenario": "x"}, device={"name": "SIM"}, start_time_s=50.0)
    r = RecordingReader(path)
    got = list(r)
    assert [c.link for c in got] == ["connected", None, None]
    assert [(c.host_time_s, c.data) for c in got[1:]] == [(50.0, b"ab"), (50.02, b"cd")]
    assert r.device == {"name": "SIM"} and r.complete


def test_files_that_are_not_recordings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileNotFound, match="there is no file"):
        RecordingReader(tmp_path / "nope.sbrec")
    other = tmp_path / "capture.bin"
    other.write_bytes(b"\x00\x01\x02 not a recording")
    with pytest.raises(InputError, match="not a smartball recording"):
        RecordingReader(other)
    assert not is_recording(other)
    empty_header = tmp_path / "cut.sbrec"
    write(empty_header)
    empty_header.write_bytes(empty_header.read_bytes()[:12])
    with pytest.raises(InputError, match=r"cut off before its header.*record the session again"):
        RecordingReader(empty_header)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_sentence() -> None:
    with pytest.raises(InputError, match="No space left on device"):
        w = RecordingWriter("/dev/full", envelope="serial", transport="t", overwrite=True)
        for _ in range(10000):
            w.on_chunk(Received(0.0, b"x" * 100))


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    old = tmp_path / "yesterday.sbrec"
    old.write_bytes(b"a recording of yesterday")
    with pytest.raises(InputError, match="exists already and is kept; give the recording"):
        RecordingWriter(old, envelope="serial", transport="t")
    assert old.read_bytes() == b"a recording of yesterday"
