"""Reader (and one-off writer) of ``tests/data/golden_frames.vec``.

The file is plain ``key=value`` lines, one block per vector, blocks separated by blank
lines, ``#`` comments: simple enough for the firmware's C tests to parse too. Every block
has ``name``, ``type``, ``seq``, ``stamp``, the type's fields, ``frame`` (the bare frame,
hex) and ``serial`` (``COBS(frame || crc16_le) || 00``, hex).

Run ``python tests/protocol/golden.py`` only to add vectors; existing ones never change.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from smartball.protocol import (
    Command,
    Info,
    Log,
    Message,
    Reply,
    Samples,
    Status,
    Unknown,
    encode_frame,
    serial_wrap,
)

PATH = Path(__file__).resolve().parent.parent / "data" / "golden_frames.vec"


def read_vectors(path: Path = PATH) -> list[dict[str, str]]:
    blocks: list[dict[str, str]] = []
    cur: dict[str, str] = {}
    for line in [*path.read_text().splitlines(), ""]:
        line = line.strip()
        if line.startswith("#"):
            continue
        if not line:
            if cur:
                blocks.append(cur)
                cur = {}
            continue
        key, _, value = line.partition("=")
        cur[key] = value
    return blocks


def _ints(text: str) -> list[int]:
    return [int(v) for v in text.split(",")] if text else []


def _triples(text: str) -> np.ndarray:
    return np.array([_ints(t) for t in text.split(";")], dtype=np.int16).reshape(-1, 3)


def message_of(v: dict[str, str]) -> Message:
    """The typed message a vector describes (from its fields, not from its bytes)."""
    seq, stamp = int(v["seq"]), int(v["stamp"])
    t = v["type"]
    if t == "INFO":
        major, minor, patch = (int(x) for x in v["firmware"].split("."))
        return Info(
            seq, stamp, (major, minor, patch), bytes.fromhex(v["device_id"]), int(v["boot_id"]),
            int(v["sample_period_us"]), int(v["channels"]), float(v["gyro_dps_per_lsb"]),
            float(v["accel_g_per_lsb"]), int(v["ball_diameter_mm"]), v["name_text"],
            int(v["protocol"]),
        )
    if t == "SAMPLES":
        flags = int(v["flags"])
        return Samples(
            seq, stamp, flags & 7, int(v["temperature_cdeg"]),
            np.array(_ints(v["pressure_cpa"]), np.uint32) if "pressure_cpa" in v else None,
            _triples(v["gyro_raw"]) if "gyro_raw" in v else None,
            _triples(v["accel_raw"]) if "accel_raw" in v else None,
            bool(flags & 0x40), bool(flags & 0x80),
        )
    if t == "STATUS":
        pct = int(v["battery_percent"])
        return Status(seq, stamp, int(v["battery_mv"]), None if pct == 255 else pct,
                      int(v["status_flags"]), int(v["dropped_samples"]))
    if t == "LOG":
        return Log(seq, stamp, int(v["level"]), v["text"])
    if t == "COMMAND":
        return Command(seq, stamp, int(v["opcode"]), int(v["token"]), bytes.fromhex(v["args"]))
    if t == "REPLY":
        return Reply(seq, stamp, int(v["opcode"]), int(v["token"]), int(v["result"]))
    if t == "UNKNOWN":
        return Unknown(seq, stamp, int(v["type_code"]), int(v["flags"]),
                       bytes.fromhex(v["payload"]))
    raise ValueError(f"unknown vector type {t}")


def _fields_of(name: str, msg: Message) -> list[str]:
    lines = [f"name={name}", f"type={type(msg).__name__.upper()}", f"seq={msg.seq}"]
    if isinstance(msg, Samples):
        lines += [f"stamp={msg.first_index}", f"flags={msg.flags}",
                  f"temperature_cdeg={msg.temperature_cdeg}"]
        if msg.pressure_cpa is not None:
            lines.append("pressure_cpa=" + ",".join(str(int(x)) for x in msg.pressure_cpa))
        for key, arr in (("gyro_raw", msg.gyro_raw), ("accel_raw", msg.accel_raw)):
            if arr is not None:
                lines.append(f"{key}=" + ";".join(",".join(str(int(x)) for x in r) for r in arr))
    elif isinstance(msg, Unknown):
        lines += [f"stamp={msg.stamp}", f"type_code={msg.type}", f"flags={msg.flags}",
                  f"payload={msg.payload.hex()}"]
    else:
        lines.append(f"stamp={msg.uptime_ms}")
        if isinstance(msg, Info):
            lines += [f"protocol={msg.protocol}", "firmware=" + ".".join(map(str, msg.firmware)),
                      f"device_id={msg.device_id.hex()}", f"boot_id={msg.boot_id}",
                      f"sample_period_us={msg.sample_period_us}", f"channels={msg.channels}",
                      f"gyro_dps_per_lsb={msg.gyro_dps_per_lsb!r}",
                      f"accel_g_per_lsb={msg.accel_g_per_lsb!r}",
                      f"ball_diameter_mm={msg.ball_diameter_mm}", f"name_text={msg.name}"]
        elif isinstance(msg, Status):
            pct = 255 if msg.battery_percent is None else msg.battery_percent
            lines += [f"battery_mv={msg.battery_mv}", f"battery_percent={pct}",
                      f"status_flags={msg.flags}", f"dropped_samples={msg.dropped_samples}"]
        elif isinstance(msg, Log):
            lines += [f"level={msg.level}", f"text={msg.text}"]
        elif isinstance(msg, Command):
            lines += [f"opcode={msg.opcode}", f"token={msg.token}", f"args={msg.args.hex()}"]
        elif isinstance(msg, Reply):
            lines += [f"opcode={msg.opcode}", f"token={msg.token}", f"result={msg.result}"]
    frame = encode_frame(msg)
    return [*lines, f"frame={frame.hex()}", f"serial={serial_wrap(frame).hex()}"]


def _write() -> None:  # pragma: no cover - run by hand
    u16 = np.uint32
    vectors: list[tuple[str, Message]] = [
        ("info_xiao_sense", Info(0, 1500, (1, 0, 0), bytes.fromhex("0123456789abcdef"),
                                 3735928559, 10000, 7, 0.07, 0.000122, 80, "SmartBall-CDEF")),
        ("info_pressure_only", Info(65535, 4294967295, (0, 9, 12), bytes(8), 1, 20000, 1,
                                    0.0, 0.0, 100, "")),
        ("samples_all_channels_2", Samples(1, 0, 7, 2215,
                                           np.array([10132500, 10138500], u16),
                                           np.array([[0, -1, 300], [-32768, 32767, 0]], np.int16),
                                           np.array([[0, 0, 8197], [-8197, 1, 2]], np.int16))),
        ("samples_pressure_only_5", Samples(2, 123456, 1, -1800,
                                            np.array([9000000, 9000001, 0, 4294967295, 10000000],
                                                     u16), None, None)),
        ("samples_gyro_overflow_saturated", Samples(3, 7, 3, 3000, np.array([12000000], u16),
                                                    np.array([[1, 2, 3]], np.int16), None,
                                                    True, True)),
        ("status_charging", Status(4, 2000, 4012, 87, 1, 0)),
        ("status_unknown_battery_faults", Status(5, 3000, 0, None, 0x0E, 123456)),
        ("log_warning", Log(6, 3001, 2, "ATT MTU 23 < 72: not streaming")),
        ("log_utf8", Log(7, 3002, 1, "Grüße 0°C")),
        ("command_start_100hz_all", Command(0, 0, 0x01, 42, bytes.fromhex("640007"))),
        ("command_stop", Command(1, 0, 0x02, 43, b"")),
        ("command_info_request", Command(2, 0, 0x03, 44, b"")),
        ("command_identify", Command(3, 0, 0x04, 45, b"")),
        ("command_sleep", Command(4, 0, 0x05, 46, b"")),
        ("reply_ok", Reply(8, 3100, 0x01, 42, 0)),
        ("reply_bad_argument", Reply(9, 3101, 0x01, 47, 1)),
        ("unknown_type_0x7f", Unknown(10, 99, 0x7F, 0, bytes.fromhex("00ff00"))),
        ("samples_run_of_zeros", Samples(0, 0, 1, 0, np.array([0, 0, 0], u16), None, None)),
    ]
    out = [
        "# SmartBall wire protocol v1: golden vectors shared by the Python codec and the",
        "# firmware's C tests. key=value lines, a blank line between vectors, '#' comments.",
        "# frame: the bare frame (header + payload) as hex, as sent over BLE.",
        "# serial: COBS(frame || crc16_ccitt_false little-endian) || 00, as hex.",
        "# Lists: comma-separated values; gyro_raw/accel_raw: x,y,z triples separated by ';'.",
        "",
    ]
    for name, msg in vectors:
        out += [*_fields_of(name, msg), ""]
    PATH.write_text("\n".join(out))


if __name__ == "__main__":  # pragma: no cover
    _write()
