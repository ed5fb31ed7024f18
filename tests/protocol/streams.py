"""Hand-made frame sequences for decoder tests."""

from __future__ import annotations

import numpy as np

from smartball.protocol import Info, Message, Samples, Status

GYRO_SCALE = 0.07
ACCEL_SCALE = 0.000122


def info(seq: int = 0, boot_id: int = 7, period_us: int = 10_000, channels: int = 7) -> Info:
    return Info(seq, 0, (1, 0, 0), bytes(range(8)), boot_id, period_us, channels, GYRO_SCALE,
                ACCEL_SCALE, 80, "SmartBall-0607")


def samples(seq: int, first: int, n: int = 2, channels: int = 7, flags: int = 0) -> Samples:
    k = np.arange(first, first + n)
    return Samples(
        seq,
        first,
        channels,
        2215 + seq % 7,
        (10_132_500 + k * 3).astype(np.uint32) if channels & 1 else None,
        np.stack([k % 100, -(k % 50), k % 7], axis=1).astype(np.int16) if channels & 2 else None,
        np.stack([k % 3, k % 5, 8197 + k % 11], axis=1).astype(np.int16) if channels & 4 else None,
        bool(flags & 0x40),
        bool(flags & 0x80),
    )


def session(n_frames: int = 40, per_frame: int = 2, channels: int = 7) -> list[Message]:
    """INFO, then SAMPLES with a STATUS every 25 frames, seq counting every frame."""
    msgs: list[Message] = [info(0, channels=channels)]
    seq = 1
    for f in range(n_frames):
        msgs.append(samples(seq, f * per_frame, per_frame, channels))
        seq += 1
        if f % 25 == 24:
            msgs.append(Status(seq, 1000 * f, 3900, 80, 0, 0))
            seq += 1
    return msgs
