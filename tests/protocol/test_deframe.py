"""The vectorised deframer and its packet-at-a-time path for small chunks agree."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartball.protocol import deframe as df
from smartball.protocol.envelope import serial_wrap

packets = st.lists(
    st.one_of(
        st.binary(min_size=1, max_size=600).map(serial_wrap),  # good (or oversize) frames
        st.binary(min_size=1, max_size=40).map(lambda b: b + b"\x00"),  # garbage
    ),
    min_size=1,
    max_size=12,
)


def _run(stream: bytes) -> df.Deframed:
    buf = np.frombuffer(stream, np.uint8)
    ends = np.flatnonzero(buf == 0).astype(np.int64)
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    keep = ends > starts
    return df.deframe(buf, starts[keep], ends[keep])


@settings(max_examples=200, deadline=None)
@given(packets)
def test_few_packet_path_equals_vectorised_path(parts: list[bytes]) -> None:
    stream = b"".join(parts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(df, "_FEW_PACKETS", 0)
        vec = _run(stream)
        mp.setattr(df, "_FEW_PACKETS", 10_000)
        few = _run(stream)
    assert (few.crc_errors, few.oversize) == (vec.crc_errors, vec.oversize)
    np.testing.assert_array_equal(few.lengths, vec.lengths)
    got = [few.data[o : o + n].tobytes() for o, n in zip(few.offsets, few.lengths, strict=True)]
    want = [vec.data[o : o + n].tobytes() for o, n in zip(vec.offsets, vec.lengths, strict=True)]
    assert got == want
