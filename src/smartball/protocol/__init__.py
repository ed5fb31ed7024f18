"""The SmartBall wire protocol (shared/spec/protocol.md): typed messages, the encoder and
the incremental decoders. Nothing in this package does I/O."""

from smartball.protocol.constants import (
    ALL_CHANNELS,
    CONTROL_UUID,
    SERVICE_UUID,
    STREAM_UUID,
    Channel,
    MsgType,
    Opcode,
)
from smartball.protocol.envelope import encode_serial, serial_wrap
from smartball.protocol.messages import (
    Command,
    Info,
    Log,
    MalformedFrame,
    Message,
    Reply,
    Samples,
    Status,
    Unknown,
    decode_frame,
    encode_frame,
)

__all__ = [
    "ALL_CHANNELS",
    "CONTROL_UUID",
    "SERVICE_UUID",
    "STREAM_UUID",
    "Channel",
    "Command",
    "Info",
    "Log",
    "MalformedFrame",
    "Message",
    "MsgType",
    "Opcode",
    "Reply",
    "Samples",
    "Status",
    "Unknown",
    "decode_frame",
    "encode_frame",
    "encode_serial",
    "serial_wrap",
]
