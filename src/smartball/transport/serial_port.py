"""The ball on a serial port (USB CDC, a UART, a pseudo-terminal or a pyserial URL).

The port is opened exclusively, so two programs never split one ball's bytes between them.
A ball unplugged mid-session does not end the session: the transport hands out a
``disconnected`` link chunk, closes the port so the kernel can give the name back, polls
until the port (or the same USB device under a new name) is there again, and hands out
``reconnected``. The caller (the session) sends START again after that.

Only this module imports pyserial, and only when a serial transport is opened or ports are
listed.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from smartball.errors import DeviceError, DeviceNotFound
from smartball.transport.base import Received, Transport

if TYPE_CHECKING:
    import serial

log = logging.getLogger(__name__)

BALL_USB_VENDORS: dict[int, str] = {0x2886: "Seeed", 0x303A: "Espressif"}
"""USB vendor ids of the boards the firmware supports."""

UART_BAUD = 921600
"""Irrelevant over USB CDC; the protocol's UART rate otherwise."""


@dataclass(frozen=True, slots=True)
class SerialPortInfo:
    device: str
    description: str
    vid: int | None
    pid: int | None
    serial_number: str | None
    manufacturer: str | None
    looks_like_ball: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_serial_ports(balls_only: bool = False) -> list[SerialPortInfo]:
    """Serial ports of this machine; those on a supported board's USB vendor id look like balls."""
    from serial.tools import list_ports

    out = []
    for p in sorted(list_ports.comports(), key=lambda p: p.device):
        ball = p.vid in BALL_USB_VENDORS
        if balls_only and not ball:
            continue
        out.append(
            SerialPortInfo(
                device=p.device,
                description=p.description or "",
                vid=p.vid,
                pid=p.pid,
                serial_number=p.serial_number,
                manufacturer=p.manufacturer,
                looks_like_ball=ball,
            )
        )
    return out


def find_ball_port() -> str:
    """The port of the one ball plugged in; an error that says what to do otherwise."""
    balls = list_serial_ports(balls_only=True)
    if not balls:
        raise DeviceNotFound(
            "no ball found on any serial port; plug it in with a data USB cable, "
            "or name the port with --port"
        )
    if len(balls) > 1:
        names = ", ".join(b.device for b in balls)
        raise DeviceError(f"several balls are plugged in ({names}); choose one with --port")
    return balls[0].device


def _is_url(port: str) -> bool:
    return "://" in port


def _open_error(port: str, exc: Exception) -> DeviceError:
    """One sentence that says what is wrong with the port and what to do."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code == errno.ENOENT or (code is None and "No such file" in text):
        return DeviceNotFound(
            f"there is no serial port {port}; plug the ball in, or run 'smartball scan' "
            "to see the ports"
        )
    if code in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return DeviceError(
            f"no permission to open {port}; join the dialout group with "
            "'sudo usermod -aG dialout $USER', then log out and in again"
        )
    if code == errno.EBUSY or "exclusively lock" in text or "Resource temporarily" in text:
        return DeviceError(
            f"{port} is in use by another program; close that program (or the other "
            "smartball) and try again"
        )
    if code == errno.ENOTTY or "Inappropriate ioctl" in text:
        return DeviceError(f"{port} is not a serial port; name the ball's port with --port")
    return DeviceError(f"cannot open {port} ({text}); check the cable and the port name")


class SerialTransport(Transport):
    """A ball on a serial port, by path (``/dev/ttyACM0``) or pyserial URL (``loop://``)."""

    envelope = "serial"

    def __init__(
        self,
        port: str | None = None,
        *,
        baudrate: int = UART_BAUD,
        reconnect: bool = True,
        poll_interval_s: float = 0.25,
    ) -> None:
        port = port or find_ball_port()
        super().__init__(f"serial port {port}")
        self.port = port
        self.baudrate = baudrate
        self.reconnect = reconnect
        self.poll_interval_s = poll_interval_s
        self.reconnects = 0
        self._serial: serial.Serial | None = self._open()
        self._usb_identity = self._identity(port)
        self._pending: list[Received] = [
            Received(time.time(), b"", "connected", self.description)
        ]
        self._next_poll = 0.0

    # ------------------------------------------------------------------ opening

    def _open(self, path: str | None = None) -> serial.Serial:
        import serial

        target = path or self.port
        try:
            port = serial.serial_for_url(
                target, baudrate=self.baudrate, timeout=0.05, exclusive=True
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise _open_error(target, exc) from exc
        return port

    @staticmethod
    def _identity(port: str) -> tuple[int, int, str] | None:
        """USB (vid, pid, serial number) of the port, to find the ball again under a new name."""
        if _is_url(port):
            return None
        try:
            real = os.path.realpath(port)
            for p in list_serial_ports():
                if p.device in (port, real) and p.vid is not None and p.serial_number:
                    return (p.vid, p.pid or 0, p.serial_number)
        except Exception:  # listing ports is a nicety; never fail an open on it
            log.debug("cannot list serial ports", exc_info=True)
        return None

    def _reopen_target(self) -> str | None:
        """Where the ball is now, if it is back."""
        if _is_url(self.port) or os.path.exists(self.port):
            return self.port
        if self._usb_identity is not None:
            for p in list_serial_ports(balls_only=False):
                if (p.vid, p.pid or 0, p.serial_number) == self._usb_identity:
                    return p.device
        return None

    def _try_reconnect(self, timeout_s: float | None) -> Received | None:
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            now = time.monotonic()
            if now >= self._next_poll:
                self._next_poll = now + self.poll_interval_s
                target = self._reopen_target()
                if target is not None:
                    try:
                        self._serial = self._open(target)
                    except DeviceError as exc:
                        log.debug("ball not back yet: %s", exc)
                    else:
                        self.reconnects += 1
                        where = "" if target == self.port else f" (now {target})"
                        return Received(time.time(), b"", "reconnected", self.description + where)
            wait = self._next_poll - time.monotonic()
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return None
            time.sleep(max(0.0, wait))

    # ------------------------------------------------------------------ backend

    def _lost(self, exc: BaseException) -> Received:
        log.debug("serial link lost", exc_info=exc)
        self._drop_port()
        if not self.reconnect:
            raise EOFError(f"{self.description} went away")
        self._next_poll = time.monotonic() + self.poll_interval_s
        return Received(time.time(), b"", "disconnected", f"{self.description}: {exc}")

    def _drop_port(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except Exception:  # the device is gone; closing it may fail too
                log.debug("closing a lost port failed", exc_info=True)

    def _recv_internal(self, timeout_s: float | None) -> Received | None:
        import serial

        if self._pending:
            return self._pending.pop(0)
        port = self._serial
        if port is None:
            return self._try_reconnect(timeout_s)
        try:
            fd = port.fileno()
        except (AttributeError, NotImplementedError, OSError, serial.SerialException):
            fd = None
        try:
            if fd is not None:
                # select() honours any timeout without reconfiguring the port's termios.
                ready, _, _ = select.select([fd], [], [], timeout_s)
                if not ready:
                    return None
                data = port.read(max(1, port.in_waiting))
            else:
                data = port.read(max(1, port.in_waiting))
                if data:
                    data += port.read(port.in_waiting)
        except (serial.SerialException, OSError) as exc:
            return self._lost(exc)
        if not data:
            return None
        return Received(time.time(), bytes(data))

    def _send_internal(self, data: bytes) -> None:
        import serial

        port = self._serial
        if port is None:
            log.debug("not sending %d bytes: the ball is away", len(data))
            return
        try:
            port.write(data)
        except (serial.SerialException, OSError) as exc:
            self._pending.append(self._lost(exc))

    def _shutdown(self) -> None:
        self._drop_port()
