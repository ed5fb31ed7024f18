"""The golden vectors: the bytes every encoder (Python and the firmware's C) must produce."""

import struct

import pytest

from smartball.protocol import Info, decode_frame, encode_frame, serial_wrap
from smartball.protocol.decoder import PacketDecoder, StreamDecoder

from .golden import message_of, read_vectors

VECTORS = read_vectors()


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_encoder_matches_vector(v: dict[str, str]) -> None:
    frame = encode_frame(message_of(v))
    assert frame.hex() == v["frame"]
    assert serial_wrap(frame).hex() == v["serial"]


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_decoder_matches_vector(v: dict[str, str]) -> None:
    assert decode_frame(bytes.fromhex(v["frame"])) == message_of(v)


def test_vectors_cover_every_type() -> None:
    assert {v["type"] for v in VECTORS} == {
        "INFO", "SAMPLES", "STATUS", "LOG", "COMMAND", "REPLY", "UNKNOWN",
    }


def test_info_vector_by_hand() -> None:
    """One vector spelled out from the spec, independent of the encoder."""
    payload = (
        bytes([1, 1, 0, 0])
        + bytes.fromhex("0123456789abcdef")
        + struct.pack("<IIBBffHB", 3735928559, 10000, 7, 0, 0.07, 0.000122, 80, 14)
        + b"SmartBall-CDEF"
    )
    frame = struct.pack("<BBHI", 0x01, 0, 0, 1500) + payload
    v = next(v for v in VECTORS if v["name"] == "info_xiao_sense")
    assert v["frame"] == frame.hex()
    msg = decode_frame(frame)
    assert isinstance(msg, Info) and msg.name == "SmartBall-CDEF"


def test_whole_vector_file_decodes_as_one_stream() -> None:
    stream = b"".join(bytes.fromhex(v["serial"]) for v in VECTORS)
    dec = StreamDecoder()
    out = dec.feed(stream)
    n_samples = sum(1 for v in VECTORS if v["type"] == "SAMPLES")
    assert dec.counters.frames["samples"] == n_samples
    assert dec.counters.crc_errors == 0 and dec.counters.malformed == 0
    assert len(out.messages) == len(VECTORS) - n_samples

    pdec = PacketDecoder()
    pout = pdec.feed_many([bytes.fromhex(v["frame"]) for v in VECTORS])
    assert pout.samples.equals(out.samples)
