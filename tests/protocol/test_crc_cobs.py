from hypothesis import given
from hypothesis import strategies as st

from smartball.protocol import cobs
from smartball.protocol.crc import crc16


def test_crc_check_value() -> None:
    assert crc16(b"123456789") == 0x29B1


def test_crc_continues_over_pieces() -> None:
    assert crc16(b"56789", crc16(b"1234")) == 0x29B1


def test_crc_of_nothing_is_the_initial_value() -> None:
    assert crc16(b"") == 0xFFFF


def test_cobs_known_encodings() -> None:
    # The examples of the COBS paper / Wikipedia.
    assert cobs.encode(b"\x00") == b"\x01\x01"
    assert cobs.encode(b"\x00\x00") == b"\x01\x01\x01"
    assert cobs.encode(b"\x11\x22\x00\x33") == b"\x03\x11\x22\x02\x33"
    assert cobs.encode(b"\x11\x00\x00\x00") == b"\x02\x11\x01\x01\x01"


def test_cobs_run_of_254_nonzero_bytes() -> None:
    data = bytes(range(1, 255))
    assert cobs.encode(data) == b"\xff" + data
    data = bytes(range(1, 256))
    assert cobs.encode(data) == b"\xff" + bytes(range(1, 255)) + b"\x02\xff"
    data = bytes(range(0, 255))
    assert cobs.encode(data) == b"\x01\xff" + bytes(range(1, 255))


def test_cobs_zeros_at_both_ends() -> None:
    data = b"\x00abc\x00"
    enc = cobs.encode(data)
    assert enc == b"\x01\x04abc\x01"
    assert cobs.decode(enc) == data


def test_cobs_rejects_block_past_end() -> None:
    try:
        cobs.decode(b"\x05ab")
    except cobs.CobsError:
        return
    raise AssertionError("a block past the end must be rejected")


@given(st.binary(max_size=1200))
def test_cobs_round_trip_has_no_zero(data: bytes) -> None:
    enc = cobs.encode(data)
    assert 0 not in enc
    assert cobs.decode(enc) == data
    assert len(enc) <= len(data) + len(data) // 254 + 1
