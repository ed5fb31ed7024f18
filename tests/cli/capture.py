"""Raw serial captures made from a SampleBlock with the real encoder."""

from __future__ import annotations

import numpy as np

from smartball.block import SampleBlock
from smartball.protocol import Channel, Info, Samples, encode_serial

GYRO_LSB = 0.07  # dps per LSB
ACCEL_LSB = 0.000122


def capture_bytes(block: SampleBlock, per_frame: int = 5, ball_diameter_mm: int = 80,
                  drop_frames: tuple[int, ...] = ()) -> bytes:
    gyro = block.has_gyro
    channels = int(Channel.PRESSURE | (Channel.GYRO if gyro else 0))
    info = Info(0, 0, (1, 0, 0), b"\x01" * 8, 7, 10_000, channels, GYRO_LSB, ACCEL_LSB,
                ball_diameter_mm, "SmartBall-test")
    out = [encode_serial(info)]
    seq = 1
    for frame, k in enumerate(range(0, len(block), per_frame)):
        sl = slice(k, k + per_frame)
        g = None
        if gyro:
            g = np.round(block.gyro_dps[sl] / GYRO_LSB).astype(np.int16)
        msg = Samples(seq, k, channels, round(float(block.temp_c[k]) * 100),
                      np.round(block.pressure_pa[sl] * 100).astype(np.uint32), g, None,
                      saturated=bool(block.saturated[sl].any()))
        seq += 1
        if frame not in drop_frames:
            out.append(encode_serial(msg))
    return b"".join(out)
