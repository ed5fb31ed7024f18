"""Transports: how frames reach the host.

Backends are found by name in :data:`BACKENDS` and imported only when used (python-can's
``interfaces`` table), so that importing smartball never imports pyserial or bleak until a
device of that kind is opened.
"""

from __future__ import annotations

import importlib
from typing import Any

from smartball.transport.base import Envelope, LinkEvent, Received, Transport

# name -> "module:callable"; the callable returns a Transport.
BACKENDS: dict[str, str] = {
    "serial": "smartball.transport.serial_port:SerialTransport",
    "sim": "smartball.transport.simulated:SimulatedTransport",
    "replay": "smartball.transport.replay:open_replay",
    "ble": "smartball.transport.ble:BleTransport",
}


def backend(name: str) -> Any:
    """The class (or factory) of a backend, imported now."""
    try:
        target = BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown transport {name!r}; known: {', '.join(BACKENDS)}") from None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def open_transport(name: str, *args: Any, **kwargs: Any) -> Transport:
    """Open a transport by backend name, e.g. ``open_transport("serial", "/dev/ttyACM0")``."""
    transport = backend(name)(*args, **kwargs)
    assert isinstance(transport, Transport)
    return transport


__all__ = [
    "BACKENDS",
    "Envelope",
    "LinkEvent",
    "Received",
    "Transport",
    "backend",
    "open_transport",
]
