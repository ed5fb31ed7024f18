"""START and what follows it: the one handshake every transport's ball gets. No I/O.

The host asks for a rate and channels; a board streams only channels it has (the firmware
answers UNSUPPORTED otherwise) at rates it knows (BAD_ARGUMENT otherwise). So: START with
what was asked, narrowed to the board's channels once its INFO is known; if the ball refuses,
START once more with what every board does (the default rate, the channels its INFO names;
with an INFO_REQUEST first if none came yet). The session sends the frames
this returns, whatever the link (serial, BLE), and says when to START again (a new
connection, a ball that stayed silent).
"""

from __future__ import annotations

from smartball.protocol.constants import (
    ALL_CHANNELS,
    DEFAULT_RATE_HZ,
    Opcode,
    ReplyResult,
)
from smartball.protocol.messages import Command, Info, Reply, encode_frame


class StartHandshake:
    def __init__(self, rate_hz: int = DEFAULT_RATE_HZ,
                 channels: int = int(ALL_CHANNELS)) -> None:
        self.rate_hz = rate_hz
        self.channels = channels
        self.start_token: int | None = None
        self._info_token: int | None = None
        self._seq = 0
        self._token = 0
        self._fell_back = False

    def _command(self, opcode: Opcode, args: bytes = b"") -> tuple[int, bytes]:
        self._token = (self._token + 1) & 0xFF
        cmd = Command(self._seq, 0, opcode, self._token, args)
        self._seq = (self._seq + 1) & 0xFFFF
        return self._token, encode_frame(cmd)

    def start(self, info: Info | None) -> bytes:
        """The START frame to send now; the channels narrowed to the board's, if known."""
        channels = self.channels
        if info is not None and channels & info.channels:
            channels &= info.channels
        self._token = (self._token + 1) & 0xFF
        cmd = Command.start(self._seq, self._token, self.rate_hz, channels)
        self._seq = (self._seq + 1) & 0xFFFF
        self.start_token = self._token
        return encode_frame(cmd)

    def on_reply(self, reply: Reply, info: Info | None) -> bytes | None:
        """What to send after a REPLY to our START (None: nothing, it went well, it is
        someone else's, or the ball refused even what every board does)."""
        if reply.opcode != Opcode.START or reply.token != self.start_token:
            return None
        if reply.result == ReplyResult.OK or self._fell_back:
            return None
        if info is None:
            # Learn what the board has, then ask for that (:meth:`on_info`).
            self._info_token, frame = self._command(Opcode.INFO_REQUEST)
            return frame
        return self._board_defaults(info)

    def on_info(self, info: Info) -> bytes | None:
        """After a refusal, the INFO asked for: START with what the board has."""
        if self._info_token is None:
            return None
        self._info_token = None
        return self._board_defaults(info)

    def _board_defaults(self, info: Info) -> bytes:
        self._fell_back = True
        self.rate_hz, self.channels = DEFAULT_RATE_HZ, info.channels & int(ALL_CHANNELS)
        return self.start(info)
