"""The exception root of SmartBall.

Every error a user can cause (a missing file, a bad CSV, a port that is busy) is a
``SmartBallError`` whose message is one sentence that says what to do. Each subclass also
derives from the builtin it means, so callers may catch either.
"""

from __future__ import annotations


class SmartBallError(Exception):
    """Root of every SmartBall error; its message is meant for the user."""


class InputError(SmartBallError, ValueError):
    """A file or stream that cannot be read as what it should be."""


class InputFileNotFound(SmartBallError, FileNotFoundError):
    """A file named on the command line does not exist."""


class DeviceError(SmartBallError, OSError):
    """A ball, port or adapter that cannot be used."""


class DeviceNotFound(DeviceError):
    """No ball where one was asked for."""


class UsageError(SmartBallError, ValueError):
    """Command-line arguments that do not fit together."""
