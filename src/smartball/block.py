"""``SampleBlock``: a run of samples in physical units, the currency between the decoder,
the simulator, file readers and the processing core.

Columns are numpy arrays of equal length. A channel the device did not send is NaN.
``force_n`` is set only by sources that already know the force (a CSV with a ``force_n``
column); everything else leaves it None and lets the processing derive force from pressure.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class SampleBlock:
    t_s: F64
    """Device time in seconds, increasing (continues across device restarts)."""
    index: npt.NDArray[np.int64]
    """Sample index from the device (restarts at a device restart)."""
    pressure_pa: F64
    temp_c: F64
    gyro_dps: F64
    """Shape (n, 3): x, y, z in the ball's frame."""
    accel_g: F64
    """Shape (n, 3)."""
    saturated: npt.NDArray[np.bool_]
    """The pressure sensor was at the end of its range in the frame of this sample."""
    segment: npt.NDArray[np.int32]
    """0 for the first stream, +1 at every device restart."""
    force_n: F64 | None = None

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def has_gyro(self) -> bool:
        return len(self) > 0 and bool(np.isfinite(self.gyro_dps[:, 0]).any())

    @property
    def has_accel(self) -> bool:
        return len(self) > 0 and bool(np.isfinite(self.accel_g[:, 0]).any())

    @property
    def has_pressure(self) -> bool:
        return len(self) > 0 and bool(np.isfinite(self.pressure_pa).any())

    def __getitem__(self, key: slice | npt.NDArray[Any]) -> SampleBlock:
        cols: dict[str, Any] = {
            f.name: (None if getattr(self, f.name) is None else getattr(self, f.name)[key])
            for f in fields(self)
        }
        return SampleBlock(**cols)

    def equals(self, other: SampleBlock) -> bool:
        """Same samples, NaN equal to NaN."""
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if a is None or b is None:
                if a is not b:
                    return False
            elif not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
                return False
        return True

    @staticmethod
    def empty() -> SampleBlock:
        return SampleBlock(
            t_s=np.empty(0),
            index=np.empty(0, np.int64),
            pressure_pa=np.empty(0),
            temp_c=np.empty(0),
            gyro_dps=np.empty((0, 3)),
            accel_g=np.empty((0, 3)),
            saturated=np.empty(0, np.bool_),
            segment=np.empty(0, np.int32),
        )

    @staticmethod
    def concat(blocks: list[SampleBlock]) -> SampleBlock:
        blocks = [b for b in blocks if len(b)]
        if not blocks:
            return SampleBlock.empty()
        if len(blocks) == 1:
            return blocks[0]
        out: dict[str, Any] = {}
        for f in fields(SampleBlock):
            parts = [getattr(b, f.name) for b in blocks]
            if f.name == "force_n":
                if all(p is None for p in parts):
                    out[f.name] = None
                    continue
                parts = [
                    np.full(len(b), np.nan) if p is None else p
                    for b, p in zip(blocks, parts, strict=True)
                ]
            out[f.name] = np.concatenate(parts)
        return SampleBlock(**out)

    @staticmethod
    def from_arrays(
        t_s: npt.ArrayLike,
        *,
        pressure_pa: npt.ArrayLike | None = None,
        temp_c: npt.ArrayLike | None = None,
        gyro_dps: npt.ArrayLike | None = None,
        accel_g: npt.ArrayLike | None = None,
        force_n: npt.ArrayLike | None = None,
        index: npt.ArrayLike | None = None,
        saturated: npt.ArrayLike | None = None,
    ) -> SampleBlock:
        """A block from whatever columns are known; the rest are NaN (or 0 / False)."""
        t = np.asarray(t_s, dtype=np.float64)
        n = t.shape[0]

        def col(x: npt.ArrayLike | None) -> F64:
            return np.full(n, np.nan) if x is None else np.asarray(x, dtype=np.float64)

        def col3(x: npt.ArrayLike | None) -> F64:
            return np.full((n, 3), np.nan) if x is None else np.asarray(x, dtype=np.float64)

        return SampleBlock(
            t_s=t,
            index=np.arange(n, dtype=np.int64) if index is None else np.asarray(index, np.int64),
            pressure_pa=col(pressure_pa),
            temp_c=col(temp_c),
            gyro_dps=col3(gyro_dps),
            accel_g=col3(accel_g),
            saturated=np.zeros(n, np.bool_) if saturated is None else np.asarray(saturated, bool),
            segment=np.zeros(n, np.int32),
            force_n=None if force_n is None else np.asarray(force_n, dtype=np.float64),
        )
