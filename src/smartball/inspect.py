"""A protocol-level account of a stream: what ``smartball inspect`` shows.

Pure: it is fed the chunks of a stream and builds the report; reading files and printing
belong to the command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from smartball.chunk import Envelope, Received
from smartball.protocol.constants import Channel, LogLevel, StatusFlag
from smartball.protocol.decoder import Decoder, Gap, decoder_for
from smartball.protocol.messages import Info, Log, Status

MAX_LISTED = 20
"""Gaps, restarts and log lines kept for the readable view (counters count them all)."""

_CHANNELS = ((Channel.PRESSURE, "pressure"), (Channel.GYRO, "gyro"), (Channel.ACCEL, "accel"))
_FAULTS = ((StatusFlag.CHARGING, "charging"), (StatusFlag.PRESSURE_FAULT, "pressure sensor fault"),
           (StatusFlag.IMU_FAULT, "IMU fault"), (StatusFlag.BATTERY_LOW, "battery low"))


@dataclass
class ProtocolReport:
    decoder: Decoder
    sample_count: int = 0
    first_t_s: float | None = None
    last_t_s: float | None = None
    gaps: list[Gap] = field(default_factory=list)
    restarts_t_s: list[float] = field(default_factory=list)
    logs: list[tuple[float, int, str]] = field(default_factory=list)
    status: Status | None = None
    devices: list[Info] = field(default_factory=list)
    """Each distinct device description seen (a restart brings a new boot_id)."""

    @staticmethod
    def of_chunks(chunks: Iterable[bytes], envelope: Envelope = "serial") -> ProtocolReport:
        """The report of a stream's bytes (each chunk one packet for ``packet``)."""
        dec = decoder_for(envelope)
        report = ProtocolReport(dec)
        for chunk in chunks:
            report.add([chunk])
        dec.finish()
        return report

    @staticmethod
    def of_received(batches: Iterable[Sequence[Received]], envelope: Envelope) -> ProtocolReport:
        """The report of a recording's chunks, in batches decoded as whole blocks; a
        ``disconnected`` link drops a half-received frame, as the pipeline does."""
        report = ProtocolReport(decoder_for(envelope))
        for batch in batches:
            run: list[bytes] = []
            for chunk in batch:
                if chunk.link == "disconnected":
                    report.add(run)
                    run = []
                    report.decoder.finish()
                if chunk.data:
                    run.append(chunk.data)
            report.add(run)
        report.decoder.finish()
        return report

    def add(self, chunks: Sequence[bytes]) -> None:
        """Chunks of the stream, decoded as one block."""
        if not chunks:
            return
        out = self.decoder.feed_many(chunks)
        if len(out.samples):
            if self.first_t_s is None:
                self.first_t_s = float(out.samples.t_s[0])
            self.last_t_s = float(out.samples.t_s[-1])
        self.sample_count += len(out.samples)
        self.gaps += out.gaps[: MAX_LISTED - len(self.gaps)]
        self.restarts_t_s += out.restarts_t_s[: MAX_LISTED - len(self.restarts_t_s)]
        for msg, t in zip(out.messages, out.message_t_s, strict=True):
            if isinstance(msg, Log) and len(self.logs) < MAX_LISTED:
                self.logs.append((t, msg.level, msg.text))
            elif isinstance(msg, Status):
                self.status = msg
            elif isinstance(msg, Info) and (
                not self.devices or self.devices[-1].boot_id != msg.boot_id
                or self.devices[-1].device_id != msg.device_id
            ):
                self.devices.append(msg)

    @property
    def frames_total(self) -> int:
        return sum(self.decoder.counters.frames.values())

    @property
    def sample_rate_hz(self) -> float:
        return 1e6 / self.decoder.sample_period_us

    def to_json(self) -> dict[str, Any]:
        """The ``inspect --json`` form of DESIGN.md."""
        c = self.decoder.counters
        f = c.frames
        info = self.decoder.info
        return {
            "frames": {
                "info": f["info"],
                "samples": f["samples"],
                "status": f["status"],
                "log": f["log"],
                "reply": f["reply"],
                # A COMMAND travels host -> device; in a device's stream it is out of place.
                "unknown": f["unknown"] + f["command"],
            },
            "samples": c.samples,
            "lost_samples": c.lost_samples,
            "crc_errors": c.crc_errors,
            "malformed": c.malformed,
            "bytes": c.bytes,
            "sample_rate_hz": self.sample_rate_hz,
            "device": None if info is None else info.as_dict(),
            "restarts": c.restarts,
        }

    def to_text(self, source: str) -> str:
        c = self.decoder.counters
        f = c.frames
        lines = [f"{source}"]

        def row(name: str, value: str) -> None:
            lines.append(f"  {name:<16}{value}")

        row("bytes", f"{c.bytes:,}")
        row("frames", f"{self.frames_total:,}: " + ", ".join(
            f"{k} {v:,}" for k, v in f.items() if v or k in ("info", "samples", "status")))
        span = (
            f" over {self.last_t_s - self.first_t_s + 1 / self.sample_rate_hz:.2f} s"
            if self.first_t_s is not None and self.last_t_s is not None else ""
        )
        row("samples", f"{c.samples:,} at {self.sample_rate_hz:g} Hz{span}")
        row("lost samples", f"{c.lost_samples:,} in {len(self.gaps) if c.lost_samples else 0}"
            f"{'+' if len(self.gaps) >= MAX_LISTED else ''} gaps")
        row("missing frames", f"{c.missing_frames:,} (by sequence number)")
        row("CRC errors", f"{c.crc_errors:,}")
        row("malformed", f"{c.malformed:,}" + (
            f" (the input ends inside a frame: {c.truncated_bytes} bytes)"
            if c.truncated_bytes else ""))
        row("restarts", f"{c.restarts:,}")
        if c.fifo_overflows:
            row("FIFO overflows", f"{c.fifo_overflows:,} frames")
        if c.saturated_frames:
            row("saturated", f"{c.saturated_frames:,} frames at the end of the sensor's range")
        if c.samples_before_info:
            row("before INFO", f"{c.samples_before_info:,} samples (IMU scales not yet known)")
        if not self.devices:
            row("device", "no INFO frame seen")
        for info in self.devices:
            chans = "+".join(n for bit, n in _CHANNELS if info.channels & bit) or "none"
            row("device", f"{info.name or '(no name)'}, id {info.device_id.hex()}, firmware "
                f"{'.'.join(map(str, info.firmware))}, protocol {info.protocol}, "
                f"boot {info.boot_id:#010x}")
            row("", f"{info.sample_rate_hz:g} Hz, channels {chans}, "
                f"ball {info.ball_diameter_mm} mm")
        if self.status is not None:
            s = self.status
            pct = "unknown %" if s.battery_percent is None else f"{s.battery_percent} %"
            faults = [n for bit, n in _FAULTS if s.flags & bit]
            row("battery", f"{s.battery_mv / 1000:.2f} V, {pct}"
                + (f" ({', '.join(faults)})" if faults else ""))
            row("device dropped", f"{s.dropped_samples:,} samples (device's own count)")
        if self.gaps:
            lines.append("gaps:")
            lines += [f"  at {g.t_s:10.3f} s  {g.lost_samples:,} samples lost" for g in self.gaps]
        if self.restarts_t_s:
            lines.append("restarts:")
            lines += [f"  at {t:10.3f} s" for t in self.restarts_t_s]
        if self.logs:
            lines.append("log:")
            lines += [f"  {t:10.3f} s  {_level_name(lv):<8}{text}" for t, lv, text in self.logs]
        return "\n".join(lines)


def _level_name(level: int) -> str:
    """``debug``, ``info``, ``warning`` or ``error``; the number of a level this host does not
    know."""
    try:
        return LogLevel(level).name.lower()
    except ValueError:
        return str(level)
