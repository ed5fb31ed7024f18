"""Open a session file of any known form, sniffing which it is.

``open_session(path)`` gives a reader that yields :class:`SampleBlock` chunks (memory stays
bounded whatever the file's size) and a :class:`SourceInfo` that is complete once the first
block has been yielded (rate, ball size) and, for the counters, once iteration has ended.
``load_session(path)`` reads everything into one block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from smartball.block import SampleBlock
from smartball.errors import InputError, InputFileNotFound
from smartball.io.csv_samples import CsvSamplesReader

if TYPE_CHECKING:
    from smartball.protocol.decoder import Decoder

READ_CHUNK_BYTES = 1 << 20
DEFAULT_RATE_HZ = 100.0


@dataclass(slots=True)
class SourceInfo:
    path: str
    format: str
    """``csv``, ``serial`` (a raw serial capture) or ``recording`` (``smartball record``)."""
    sample_rate_hz: float = DEFAULT_RATE_HZ
    ball_diameter_mm: float | None = None
    has_gyro: bool | None = None
    lost_samples: int = 0
    crc_errors: int = 0


class SessionReader(Protocol):
    info: SourceInfo

    def __iter__(self) -> Iterator[SampleBlock]: ...


class CsvSession:
    def __init__(self, path: Path) -> None:
        self.info = SourceInfo(str(path), "csv")
        self._reader = CsvSamplesReader(path)

    def __iter__(self) -> Iterator[SampleBlock]:
        for block in self._reader:
            if self._reader.sample_rate_hz is not None:
                self.info.sample_rate_hz = self._reader.sample_rate_hz
            yield block


class SerialCaptureSession:
    """A raw serial capture: the bytes as they came off the port, COBS frames and all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.info = SourceInfo(str(path), "serial")

    def __iter__(self) -> Iterator[SampleBlock]:
        from smartball.protocol.decoder import StreamDecoder

        decoder = StreamDecoder()
        samples = 0
        with open(self.path, "rb") as fh:
            while chunk := fh.read(READ_CHUNK_BYTES):
                decoded = decoder.feed(chunk)
                _update_info(self.info, decoder)
                if len(decoded.samples):
                    samples += len(decoded.samples)
                    yield decoded.samples
            decoder.finish()
            _update_info(self.info, decoder)
        if samples == 0:
            raise InputError(f"{self.path.name} holds no SAMPLES frames; record a streaming "
                             "ball (smartball record) or check the capture with "
                             "'smartball inspect'.")



class RecordingSession:
    """A recording: its chunks through the decoder of its envelope, as replay does."""

    def __init__(self, path: Path) -> None:
        from smartball.recording import RecordingReader

        self.path = path
        self.info = SourceInfo(str(path), "recording")
        self.reader = RecordingReader(path)
        self.torn_bytes = 0

    def __iter__(self) -> Iterator[SampleBlock]:
        from smartball.protocol.decoder import PacketDecoder, StreamDecoder

        decoder: StreamDecoder | PacketDecoder = (
            StreamDecoder() if self.reader.header.envelope == "serial" else PacketDecoder()
        )
        pending: list[SampleBlock] = []
        pending_n = 0
        samples = 0
        for chunk in self.reader:
            if chunk.link == "disconnected":
                decoder.finish()  # what was half received when the ball went is lost
            if not chunk.data:
                continue
            block = decoder.feed(chunk.data).samples
            if len(block):
                _update_info(self.info, decoder)
                pending.append(block)
                pending_n += len(block)
                if pending_n >= 8192:  # hand out sizeable blocks, not one per 20 ms chunk
                    samples += pending_n
                    yield SampleBlock.concat(pending)
                    pending, pending_n = [], 0
        decoder.finish()
        _update_info(self.info, decoder)
        self.torn_bytes = self.reader.torn_bytes
        if pending_n:
            samples += pending_n
            yield SampleBlock.concat(pending)
        if samples == 0:
            raise InputError(f"{self.path.name} holds no samples; record a streaming ball, "
                             "or look at it with 'smartball inspect'.")



def _update_info(info: SourceInfo, decoder: Decoder) -> None:
    """What the decoder has learnt so far: the device's rate and ball, and the counters."""
    device = decoder.info
    if device is not None:
        if device.sample_rate_hz > 0:
            info.sample_rate_hz = device.sample_rate_hz
        if device.ball_diameter_mm:
            info.ball_diameter_mm = float(device.ball_diameter_mm)
    info.lost_samples = int(decoder.counters.lost_samples)
    info.crc_errors = int(decoder.counters.crc_errors)


def sniff_format(path: str | Path) -> str:
    """``recording``, ``csv`` or ``serial`` from the first bytes; raises
    :class:`InputError` if empty."""
    p = Path(path)
    if not p.exists():
        raise InputFileNotFound(f"{p} does not exist; check the file name.")
    if p.is_dir():
        raise InputError(f"{p} is a directory; give a recording, serial capture or CSV file.")
    with open(p, "rb") as fh:
        head = fh.read(4096)
    if not head:
        raise InputError(f"{p.name} is empty; record the session again.")
    from smartball.recording.format import MAGIC

    if head.startswith(MAGIC):
        return "recording"
    if b"\x00" in head:
        return "serial"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 4 KiB edge
            return "serial"
    return "csv"


def open_session(path: str | Path) -> SessionReader:
    p = Path(path)
    fmt = sniff_format(p)
    if fmt == "csv":
        return CsvSession(p)
    if fmt == "recording":
        return RecordingSession(p)
    return SerialCaptureSession(p)


def load_session(path: str | Path) -> tuple[SampleBlock, SourceInfo]:
    """The whole session in one block (for small files and tests)."""
    reader = open_session(path)
    block = SampleBlock.concat(list(reader))
    return block, reader.info
