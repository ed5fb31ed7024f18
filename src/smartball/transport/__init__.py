"""Transports: how frames reach the host. Backends are imported lazily by name, so that
importing smartball never imports pyserial or bleak until a device of that kind is used."""

from smartball.transport.base import Envelope, LinkEvent, Received, Transport

__all__ = ["Envelope", "LinkEvent", "Received", "Transport"]
