"""The frame header (protocol section 1) and the SAMPLES payload's prefix, described once.

One list of fields gives both forms the package needs: a :class:`struct.Struct` that packs
and unpacks one frame (:mod:`smartball.protocol.messages`) and a numpy structured dtype that
reads the headers of thousands of frames at once (:mod:`smartball.protocol.frames`). numpy is
imported only when the dtype is first asked for.
"""

from __future__ import annotations

import functools
import struct
from typing import TYPE_CHECKING

from smartball.protocol.constants import HEADER_SIZE

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

HEADER_FIELDS = (("type", "B"), ("flags", "B"), ("seq", "H"), ("stamp", "I"))
"""Offset order, little-endian: u8 type, u8 flags, u16 seq, u32 stamp."""
SAMPLES_PREFIX_FIELDS = (("temperature_cdeg", "h"),)
"""What a SAMPLES payload holds before its records: i16 temperature in 0.01 degC."""

_NUMPY_CODES = {"B": "u1", "H": "<u2", "I": "<u4", "h": "<i2"}


def _struct(fields: tuple[tuple[str, str], ...]) -> struct.Struct:
    return struct.Struct("<" + "".join(code for _name, code in fields))


HEADER = _struct(HEADER_FIELDS)
SAMPLES_PREFIX = _struct(SAMPLES_PREFIX_FIELDS)
assert HEADER.size == HEADER_SIZE


@functools.cache
def _dtype(fields: tuple[tuple[str, str], ...]) -> np.dtype[np.void]:
    import numpy as np

    dt = np.dtype([(name, _NUMPY_CODES[code]) for name, code in fields])
    assert dt.itemsize == _struct(fields).size
    return dt


def header_dtype() -> np.dtype[np.void]:
    """The header as a numpy structured dtype (packed, little-endian)."""
    return _dtype(HEADER_FIELDS)


def _read(data: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64],
          fields: tuple[tuple[str, str], ...], skip: int) -> npt.NDArray[np.void]:
    import numpy as np

    dt = _dtype(fields)
    rows = data[offsets[:, None] + (skip + np.arange(dt.itemsize))]
    return np.ascontiguousarray(rows).view(dt)[:, 0]


def read_headers(data: npt.NDArray[np.uint8],
                 offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.void]:
    """The headers of the frames starting at ``offsets`` in ``data`` (each at least a header
    long), as one structured array: ``out["seq"]``, ``out["stamp"]``, ..."""
    return _read(data, offsets, HEADER_FIELDS, 0)


def read_samples_prefix(data: npt.NDArray[np.uint8],
                        offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.void]:
    """The prefix of the SAMPLES payloads of the frames at ``offsets`` (``temperature_cdeg``)."""
    return _read(data, offsets, SAMPLES_PREFIX_FIELDS, HEADER_SIZE)
