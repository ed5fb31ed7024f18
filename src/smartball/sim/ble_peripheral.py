"""The simulated ball as a Bluetooth LE peripheral: a BlueZ GATT application and advertisement.

It speaks the BLE part of the wire protocol (shared/spec/protocol.md section 3) through
BlueZ's D-Bus API only (``GattManager1.RegisterApplication``,
``LEAdvertisingManager1.RegisterAdvertisement``), so the same code serves a real Linux
machine's BlueZ and BlueZoo, the user-space BlueZ the tests run against. A frame source (the
simulated ball) decides what is sent; this module only carries frames: one frame per
notification on Stream, one COMMAND per write on Control, batches every ~20 ms as the
firmware does.

It also records what happened on the link (subscriptions, commands, connections, samples
sent), because the tests and the delivery benchmark compare that with what the host saw.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from dbus_fast import BusType, Message, MessageType, Variant
from dbus_fast.aio import MessageBus

from smartball.protocol import Command, Samples, decode_frame, encode_frame
from smartball.protocol.constants import (
    CONTROL_UUID,
    SERVICE_UUID,
    STREAM_UUID,
    MsgType,
    Opcode,
)
from smartball.sim.bluez_gatt import Advertisement, GattCharacteristic, GattService

if TYPE_CHECKING:
    from smartball.sim.ball import SimulatedBall

log = logging.getLogger(__name__)

BATTERY_SERVICE_UUID = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID = "00002a19-0000-1000-8000-00805f9b34fb"
BATCH_PERIOD_S = 0.020
"""The firmware batches samples by time, not by filling the MTU (protocol, section 3)."""
ADVERT_REFRESH_S = 0.2
"""How often the service-data counter of the advertisement changes (see ``_refresh_advert``)."""


class FrameSource(Protocol):
    """What the peripheral needs from a simulated ball. Times are seconds since the
    peripheral started (the ball's power-on)."""

    def handle_command(self, frame: bytes, now_s: float) -> list[bytes]:
        """Frames to send at once in answer to one COMMAND frame (REPLY, INFO...), after any
        frame that was due before it."""
        ...

    def poll(self, now_s: float) -> list[bytes]:
        """Frames due by ``now_s``, oldest first (called every batch period, connected or
        not, so the ball's clock runs on; the peripheral drops them while nobody listens)."""
        ...


class SimulatedBallSource:
    """A :class:`~smartball.sim.ball.SimulatedBall` behind the BLE link, behaving as the
    firmware does (``sb_app.c``): it boots idle and streams from a host's START; a link that
    drops does not stop the stream (the samples meanwhile are lost on that link), so a host
    that reconnects with the same START goes on with the same stream and sees the gap."""

    def __init__(self, ball: SimulatedBall) -> None:
        self.ball = ball
        self.name = ball.name
        # The simulated ball streams from power-on, as it does over serial; the firmware
        # waits for START before streaming anything.
        ball.handle_command(encode_frame(Command(0, 0, Opcode.STOP, 0)))

    def handle_command(self, frame: bytes, now_s: float) -> list[bytes]:
        due = self.poll(now_s)
        return due + self.ball.handle_command(frame)

    def poll(self, now_s: float) -> list[bytes]:
        return [frame for _, frame in self.ball.poll(now_s)]


@dataclass
class LinkLog:
    """What the peripheral saw, in order: ``(monotonic time, event, detail)``.

    Events: ``connected``, ``disconnected``, ``notify_start``, ``notify_stop``, ``command``
    (detail: the opcode), ``frame`` is not logged (too many); frames and samples are counted.
    """

    events: list[tuple[float, str, int]] = field(default_factory=list)
    frames_sent: int = 0
    sample_indices_sent: list[int] = field(default_factory=list)

    def add(self, event: str, detail: int = 0) -> None:
        self.events.append((time.monotonic(), event, detail))

    def names(self) -> list[str]:
        return [e for _, e, _ in self.events]


class BallPeripheral:
    """The simulated ball on a BlueZ adapter, for as long as ``run`` runs (asyncio).

    ``source`` is the ball; it is powered on when the peripheral starts and runs on across
    connections (each START begins a new stream). ``adapter`` is the BlueZ adapter name
    (``hci1`` under BlueZoo).
    """

    APP_PATH = "/org/smartball/ball"

    def __init__(
        self,
        source: FrameSource,
        *,
        name: str | None = None,
        adapter: str = "hci1",
        mtu: int = 247,
    ) -> None:
        self.name: str = name or str(getattr(source, "name", "SmartBall-0000"))
        self.adapter_path = f"/org/bluez/{adapter}"
        self.log = LinkLog()
        self._source = source
        self._t0 = time.monotonic()
        self._notifying = False
        self._connected: set[str] = set()
        self._bus: MessageBus | None = None
        self._ready = asyncio.Event()
        self._app_registered = False
        self._stalled = False
        svc = f"{self.APP_PATH}/service0"
        self._stream = GattCharacteristic(
            f"{svc}/char0", svc, STREAM_UUID, ["notify"], mtu=mtu, on_notify=self._on_notify
        )
        self._control = GattCharacteristic(
            f"{svc}/char1",
            svc,
            CONTROL_UUID,
            ["write", "write-without-response"],
            mtu=mtu,
            on_write=self._on_write,
        )
        self._service = GattService(svc, SERVICE_UUID)
        bsvc = f"{self.APP_PATH}/service1"
        self._battery = GattCharacteristic(
            f"{bsvc}/char0", bsvc, BATTERY_LEVEL_UUID, ["read"], mtu=mtu, value=bytes([87])
        )
        self._battery_service = GattService(bsvc, BATTERY_SERVICE_UUID)
        self._advert = Advertisement("/org/smartball/advertisement0", self.name)

    # ------------------------------------------------------------------ life cycle

    async def run(self, stop: asyncio.Event) -> None:
        """Register with BlueZ, stream while a host is subscribed, until ``stop`` is set."""
        bus = await MessageBus(bus_type=BusType.SYSTEM).connect()
        self._bus = bus
        self._t0 = time.monotonic()  # the ball's power-on
        try:
            for obj in (
                self._service,
                self._stream,
                self._control,
                self._battery_service,
                self._battery,
            ):
                bus.export(obj.path, obj)
            bus.export(self._advert.path, self._advert)
            await self._watch_connections(bus)
            await self.register_application()
            await self._call(
                self.adapter_path,
                "org.bluez.LEAdvertisingManager1",
                "RegisterAdvertisement",
                "oa{sv}",
                [self._advert.path, {}],
            )
            self._ready.set()
            tasks = [
                asyncio.create_task(self._stream_loop(stop)),
                asyncio.create_task(self._refresh_advert(stop)),
            ]
            await stop.wait()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            bus.disconnect()
            self._bus = None

    async def wait_ready(self) -> None:
        await self._ready.wait()

    async def register_application(self) -> None:
        await self._call(
            self.adapter_path,
            "org.bluez.GattManager1",
            "RegisterApplication",
            "oa{sv}",
            [self.APP_PATH, {}],
        )
        self._app_registered = True

    async def unregister_application(self) -> None:
        """Take the GATT services away (a ball that is busy rebooting): connections still
        succeed but find no SmartBall service."""
        await self._call(
            self.adapter_path, "org.bluez.GattManager1", "UnregisterApplication", "o",
            [self.APP_PATH],
        )
        self._app_registered = False

    def set_mtu(self, mtu: int) -> None:
        """The ATT MTU the next connection reports (BlueZ exposes it as ``MTU``)."""
        for char in (self._stream, self._control, self._battery):
            char.set_mtu(mtu)

    def stall(self, stalled: bool = True) -> None:
        """Keep the link but send nothing (a ball whose radio is stuck)."""
        self._stalled = stalled

    @property
    def notifying(self) -> bool:
        return self._notifying

    @property
    def connected(self) -> bool:
        return bool(self._connected)

    # ------------------------------------------------------------------ GATT callbacks

    def _on_notify(self, enabled: bool) -> None:
        self._notifying = enabled
        self.log.add("notify_start" if enabled else "notify_stop")

    def _now_s(self) -> float:
        return time.monotonic() - self._t0

    def _on_write(self, frame: bytes) -> None:
        opcode = frame[8] if len(frame) > 8 else -1
        self.log.add("command", opcode)
        for out in self._source.handle_command(frame, self._now_s()):
            self._send(out)

    def _send(self, frame: bytes) -> None:
        if not self._notifying or self._stalled:
            return
        self._stream.notify(frame)
        self.log.frames_sent += 1
        if frame[0] == MsgType.SAMPLES:  # count what went out, for the delivery figures
            msg = decode_frame(frame)
            if isinstance(msg, Samples):
                self.log.sample_indices_sent.extend(
                    range(msg.first_index, msg.first_index + msg.count)
                )

    async def _stream_loop(self, stop: asyncio.Event) -> None:
        # Wake on a fixed 20 ms grid so a late wake-up is caught up, never drifts.
        next_s = time.monotonic()
        while not stop.is_set():
            next_s += BATCH_PERIOD_S
            await asyncio.sleep(max(0.0, next_s - time.monotonic()))
            for frame in self._source.poll(self._now_s()):
                self._send(frame)  # dropped unless a host is subscribed

    async def _refresh_advert(self, stop: asyncio.Event) -> None:
        # BlueZoo reports a device once per change of its advertising data, so a scanner
        # started later (a second scan, a reconnection) hears nothing unless it changes.
        while not stop.is_set():
            await asyncio.sleep(ADVERT_REFRESH_S)
            self._advert.bump()

    # ------------------------------------------------------------------ connections

    async def _watch_connections(self, bus: MessageBus) -> None:
        """Follow ``Device1.Connected`` on our adapter: a host that goes away unsubscribes."""
        prefix = self.adapter_path + "/dev_"

        def handler(msg: Message) -> None:
            if msg.message_type != MessageType.SIGNAL or not (msg.path or "").startswith(prefix):
                return
            if msg.member != "PropertiesChanged" or msg.body[0] != "org.bluez.Device1":
                return
            changed: dict[str, Variant] = msg.body[1]
            if "Connected" not in changed:
                return
            path = msg.path or ""
            if changed["Connected"].value:
                self._connected.add(path)
                self.log.add("connected")
            else:
                self._connected.discard(path)
                self.log.add("disconnected")
                if not self._connected and self._notifying:
                    self._on_notify(False)

        bus.add_message_handler(handler)
        await self._call(
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "AddMatch",
            "s",
            [
                "type='signal',interface='org.freedesktop.DBus.Properties',"
                f"member='PropertiesChanged',path_namespace='{self.adapter_path}'"
            ],
            destination="org.freedesktop.DBus",
        )

    async def _call(
        self,
        path: str,
        interface: str,
        member: str,
        signature: str,
        body: list[Any],
        destination: str = "org.bluez",
    ) -> Message:
        assert self._bus is not None
        reply = await self._bus.call(
            Message(
                destination=destination,
                path=path,
                interface=interface,
                member=member,
                signature=signature,
                body=body,
            )
        )
        assert reply is not None
        if reply.message_type == MessageType.ERROR:
            raise RuntimeError(f"{interface}.{member} on {path}: {reply.error_name} {reply.body}")
        return reply


def main(argv: list[str] | None = None) -> int:
    """Play the simulated ball as a BLE peripheral on this machine's BlueZ, until Ctrl-C:
    ``python -m smartball.sim.ble_peripheral [SCENARIO] [--adapter hci0]``. Another machine
    (or a second adapter here) can then use ``smartball live --ble``."""
    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0] if main.__doc__
                                     else None)
    parser.add_argument("scenario", nargs="?", default="demo")
    parser.add_argument("--adapter", default="hci0", help="BlueZ adapter to advertise on")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=None, help="length of the session")
    args = parser.parse_args(argv)
    from smartball.sim.ball import SimulatedBall

    ball = SimulatedBall(args.scenario, seed=args.seed, seconds=args.seconds)
    peripheral = BallPeripheral(SimulatedBallSource(ball), adapter=args.adapter)

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        task = asyncio.create_task(peripheral.run(stop))
        ready = asyncio.create_task(peripheral.wait_ready())
        await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if ready.done():
            print(f"{peripheral.name} is advertising on {args.adapter}; Ctrl-C to stop",
                  flush=True)
        else:
            ready.cancel()
        await task

    try:
        asyncio.run(serve())
    except RuntimeError as exc:  # BlueZ refused: no such adapter, adapter off, no BlueZ
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
