"""The Bluetooth LE transport: a ball's Stream notifications, one bare frame per chunk.

bleak is asyncio, so it stays asyncio here: one event loop in a background thread owns the
connection, stamps every notification with the host time the moment it arrives and puts it
on a thread-safe queue, which ``_recv_internal`` drains. The rest of the program never sees
asyncio. This module imports bleak (and is imported only when a BLE ball is asked for).

Order matters on connection (protocol, section 3): subscribe to Stream first, then write
START to Control, so the first frames are not lost. A link that drops is reported as a
``disconnected`` chunk, then re-established with a growing delay (0.5 s doubling to 8 s),
re-subscribing and re-sending START, and reported as ``reconnected``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from smartball.errors import DeviceError, DeviceNotFound
from smartball.protocol.constants import (
    ALL_CHANNELS,
    CONTROL_UUID,
    DEFAULT_RATE_HZ,
    MIN_BLE_ATT_MTU,
    SERVICE_UUID,
    STREAM_UUID,
    MsgType,
    Opcode,
)
from smartball.protocol.messages import Command, Info, MalformedFrame, decode_frame, encode_frame
from smartball.transport.base import LinkEvent, Received, Transport

if TYPE_CHECKING:
    from bleak import BleakClient
    from bleak.backends.characteristic import BleakGATTCharacteristic
    from bleak.backends.device import BLEDevice
    from bleak.backends.scanner import AdvertisementData

log = logging.getLogger(__name__)

RECONNECT_INITIAL_S = 0.5
RECONNECT_MAX_S = 8.0
CONNECT_TIMEOUT_S = 10.0
COMMAND_TIMEOUT_S = 5.0
INFO_TIMEOUT_S = 3.0
STOP_TIMEOUT_S = 1.0
DEFAULT_ATT_MTU = 23
"""What BlueZ before 5.62 always reports, and the least the ATT protocol allows."""
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BallAdvert:
    """A ball heard advertising the SmartBall service."""

    name: str
    address: str
    rssi: int


def backoff_delays(initial_s: float = RECONNECT_INITIAL_S,
                   max_s: float = RECONNECT_MAX_S) -> Iterator[float]:
    """Delays before each reconnection attempt: ``initial_s`` doubling up to ``max_s``, forever."""
    delay_s = initial_s
    while True:
        yield delay_s
        delay_s = min(delay_s * 2.0, max_s)


def scan_balls(timeout_s: float = 5.0, adapter: str | None = None) -> list[BallAdvert]:
    """Balls advertising the SmartBall service within ``timeout_s``, strongest first."""
    return asyncio.run(_scan_balls(timeout_s, adapter))


async def _scan_balls(timeout_s: float, adapter: str | None) -> list[BallAdvert]:
    from bleak import BleakScanner

    await check_adapter(adapter)
    heard: dict[str, BallAdvert] = {}

    def seen(device: BLEDevice, adv: AdvertisementData) -> None:
        old = heard.get(device.address)
        name = adv.local_name or device.name or (old.name if old else "")
        heard[device.address] = BallAdvert(name, device.address, adv.rssi)

    # The callback is registered before the scan starts: a stack may report a device once.
    with _bleak_errors():
        async with BleakScanner(seen, [SERVICE_UUID], bluez=_bluez_args(adapter)):
            await asyncio.sleep(timeout_s)
    return sorted(heard.values(), key=lambda b: (-b.rssi, b.address))


async def find_ball(target: str | None, timeout_s: float,
                    adapter: str | None) -> tuple[BLEDevice, str]:
    """The first ball that matches ``target`` (a name or an address; None: any ball)."""
    from bleak import BleakScanner

    found: asyncio.Future[tuple[BLEDevice, str]] = asyncio.get_running_loop().create_future()
    want = target.casefold() if target else None

    def seen(device: BLEDevice, adv: AdvertisementData) -> None:
        name = adv.local_name or device.name or ""
        if found.done():
            return
        if want is None:
            ok = SERVICE_UUID in adv.service_uuids
        else:
            ok = want in (device.address.casefold(), name.casefold())
        if ok:
            found.set_result((device, name))

    # Without a target, let the stack filter by the service; with one, a ball is matched by
    # name or address even if its advertisement left the service out.
    uuids = None if want else [SERVICE_UUID]
    with _bleak_errors():
        async with BleakScanner(seen, uuids, bluez=_bluez_args(adapter)):
            try:
                return await asyncio.wait_for(found, timeout_s)
            except TimeoutError:
                what = f"named or at {target}" if target else "advertising the SmartBall service"
                raise DeviceNotFound(
                    f"No ball {what} was found within {timeout_s:g} s; switch the ball on, "
                    "bring it closer and try again."
                ) from None


def _bluez_args(adapter: str | None) -> Any:
    return {"adapter": adapter} if adapter else {}


@contextlib.contextmanager
def _bleak_errors() -> Iterator[None]:
    """bleak's exceptions as SmartBall's one-sentence errors."""
    from bleak.exc import BleakBluetoothNotAvailableError, BleakError

    try:
        yield
    except BleakBluetoothNotAvailableError as exc:
        reason = getattr(exc.reason, "name", "")
        if reason == "POWERED_OFF":
            raise DeviceError("Bluetooth is off; turn it on and try again.") from exc
        if reason in ("NO_BLUETOOTH", "NO_BLE_CENTRAL_ROLE"):
            raise DeviceNotFound(
                "No Bluetooth LE adapter was found; plug one in or enable Bluetooth."
            ) from exc
        raise DeviceError(f"Bluetooth is not available ({exc}); check the adapter.") from exc
    except BleakError as exc:
        raise DeviceError(f"Bluetooth error: {exc}.") from exc


async def check_adapter(adapter: str | None) -> None:
    """Fail with one clear sentence when there is no adapter, or it is off (BlueZ only).

    bleak says so itself for its default adapter, but not for an adapter named by the user
    that is off, and its messages name D-Bus paths; asking BlueZ directly covers both.
    """
    if sys.platform != "linux":
        return
    from dbus_fast import BusType, Message, MessageType
    from dbus_fast.aio import MessageBus

    try:
        bus = await MessageBus(bus_type=BusType.SYSTEM).connect()
    except (OSError, ValueError) as exc:
        raise DeviceError(
            f"Cannot reach the system D-Bus ({exc}); is this a Linux desktop with BlueZ?"
        ) from exc
    try:
        reply = await bus.call(
            Message(
                destination="org.bluez",
                path="/",
                interface="org.freedesktop.DBus.ObjectManager",
                member="GetManagedObjects",
            )
        )
    finally:
        bus.disconnect()
    if reply is None or reply.message_type == MessageType.ERROR:
        raise DeviceError(
            "The Bluetooth service (bluetoothd) is not running; start it "
            "(systemctl start bluetooth) and try again."
        )
    adapters = {
        path.rsplit("/", 1)[-1]: props["org.bluez.Adapter1"]
        for path, props in reply.body[0].items()
        if "org.bluez.Adapter1" in props
    }
    if not adapters:
        raise DeviceNotFound("No Bluetooth adapter was found; plug one in or enable Bluetooth.")
    if adapter is not None:
        if adapter not in adapters:
            raise DeviceNotFound(
                f"There is no Bluetooth adapter {adapter}; the adapters here are "
                f"{', '.join(sorted(adapters))}."
            )
        if not adapters[adapter]["Powered"].value:
            raise DeviceError(
                f"Bluetooth adapter {adapter} is off; turn it on "
                f"(bluetoothctl power on) and try again."
            )
        return
    central = [a for a in adapters.values() if "central" in _value(a.get("Roles"), ["central"])]
    if not any(a["Powered"].value for a in central):
        raise DeviceError("Bluetooth is off; turn it on (bluetoothctl power on) and try again.")


def _value(variant: Any, default: Any) -> Any:
    return default if variant is None else variant.value


class BleTransport(Transport):
    """A SmartBall over Bluetooth LE (bleak), found by name, address or its service UUID.

    ``channels``: the START channel mask; None (default) streams every channel the board
    has, as its INFO says. ``rate_hz``: 25, 50, 100 or 200.
    """

    envelope = "packet"
    host_starts_stream = False
    """START must follow the subscription to Stream, which only this transport orders."""

    def __init__(
        self,
        name_or_address: str | None = None,
        *,
        adapter: str | None = None,
        scan_timeout_s: float = 10.0,
        rate_hz: int = DEFAULT_RATE_HZ,
        channels: int | None = None,
        reconnect_initial_s: float = RECONNECT_INITIAL_S,
        reconnect_max_s: float = RECONNECT_MAX_S,
    ) -> None:
        super().__init__(f"BLE ball {name_or_address or '(first found)'}")
        self._target = name_or_address
        self._adapter = adapter
        self._scan_timeout_s = scan_timeout_s
        self._rate_hz = rate_hz
        self._channels = channels
        self._reconnect_initial_s = reconnect_initial_s
        self._reconnect_max_s = reconnect_max_s
        self._queue: queue.SimpleQueue[Received] = queue.SimpleQueue()
        self._device: BLEDevice | None = None
        self._client: BleakClient | None = None
        self._closing = False
        self._reconnect_task: asyncio.Task[None] | None = None
        self._seq = 0
        self._info_waiter: asyncio.Future[int] | None = None
        self.att_mtu: int | None = None
        """The ATT MTU of the last connection, as BlueZ reports it."""
        self.name = ""
        self.address = ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="smartball-ble", daemon=True
        )
        self._thread.start()
        try:
            self._run(self._open())
        except BaseException:
            self._stop_loop()
            raise

    # ------------------------------------------------------------------ Transport

    def _recv_internal(self, timeout_s: float | None) -> Received | None:
        try:
            return self._queue.get(timeout=timeout_s)
        except queue.Empty:
            return None

    def _send_internal(self, data: bytes) -> None:
        self._run(self._write(data), timeout_s=COMMAND_TIMEOUT_S + 1.0)

    def _shutdown(self) -> None:
        try:
            self._run(self._close(), timeout_s=COMMAND_TIMEOUT_S + 1.0)
        finally:
            self._stop_loop()
            # Wake a reader blocked in recv() on another thread; its next recv() says EOF.
            self._put("disconnected", f"{self.description}: closed")

    # ------------------------------------------------------------------ loop thread

    def _run(self, coro: Coroutine[Any, Any, T], timeout_s: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout_s)

    def _stop_loop(self) -> None:
        if self._loop.is_running():
            with contextlib.suppress(Exception):
                self._run(_cancel_other_tasks(), timeout_s=COMMAND_TIMEOUT_S)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5.0)
        if not self._loop.is_running():
            self._loop.close()

    def _put(self, link: LinkEvent, detail: str) -> None:
        self._queue.put(Received(time.time(), b"", link, detail))

    async def _open(self) -> None:
        await check_adapter(self._adapter)
        self._device, self.name = await find_ball(
            self._target, self._scan_timeout_s, self._adapter
        )
        self.address = self._device.address
        self.description = f"BLE ball {self.name or '?'} ({self.address})"
        with _bleak_errors():
            await self._connect_and_start("connected", self.description)

    async def _connect_and_start(self, link: LinkEvent, detail: str) -> None:
        """Connect, check the MTU, subscribe to Stream, then START (in that order).

        The ``link`` chunk goes on the queue just before subscribing, so it comes before any
        frame of this connection; if the rest fails, a ``disconnected`` chunk follows.
        START asks for the channels the board has (the firmware refuses others), learnt
        from an INFO the first time; a reconnection sends the same START, so the ball goes
        on with the same stream and the samples lost meanwhile show as a gap in the index.
        """
        from bleak import BleakClient

        assert self._device is not None
        client = BleakClient(
            self._device,
            disconnected_callback=self._on_disconnected,
            timeout=CONNECT_TIMEOUT_S,
        )
        await client.connect()
        announced = False
        try:
            stream = client.services.get_characteristic(STREAM_UUID)
            control = client.services.get_characteristic(CONTROL_UUID)
            if stream is None or control is None:
                raise DeviceError(
                    f"{self.description} has no SmartBall Stream and Control characteristics; "
                    "is it a SmartBall with current firmware?"
                )
            await self._check_mtu(stream)
            self._put(link, detail)
            announced = True
            await client.start_notify(stream, self._on_notify)
            if self._channels is None:
                self._channels = await self._board_channels(client, control)
            start = Command.start(self._next_seq(), self._seq & 0xFF, self._rate_hz,
                                  self._channels)
            await client.write_gatt_char(control, encode_frame(start), response=True)
        except BaseException:
            if announced:
                self._put("disconnected", f"{self.description}: setting up the stream failed")
            with contextlib.suppress(Exception):
                await client.disconnect()
            raise
        self._client = client

    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) & 0xFFFF
        return self._seq

    async def _board_channels(self, client: BleakClient, control: BleakGATTCharacteristic) -> int:
        """The channel mask of the ball's INFO (asked for with INFO_REQUEST)."""
        waiter: asyncio.Future[int] = self._loop.create_future()
        self._info_waiter = waiter
        ask = Command(self._next_seq(), 0, Opcode.INFO_REQUEST, self._seq & 0xFF)
        try:
            await client.write_gatt_char(control, encode_frame(ask), response=True)
            return await asyncio.wait_for(waiter, INFO_TIMEOUT_S) & int(ALL_CHANNELS)
        except TimeoutError:
            log.warning("%s sent no INFO; asking it for every channel", self.description)
            return int(ALL_CHANNELS)
        finally:
            self._info_waiter = None

    async def _check_mtu(self, stream: BleakGATTCharacteristic) -> None:
        # bleak's documented way: the characteristic's write-without-response size is the
        # ATT MTU minus 3 (client.mtu_size is always 23 on BlueZ). It may still read the
        # default for a moment after connecting, so give it a second to settle.
        deadline = time.monotonic() + 1.0
        mtu = stream.max_write_without_response_size + 3
        while mtu == DEFAULT_ATT_MTU and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            mtu = stream.max_write_without_response_size + 3
        self.att_mtu = mtu
        if mtu < MIN_BLE_ATT_MTU:
            log.warning(
                "The Bluetooth link's ATT MTU is %d bytes, below the %d the ball needs: it "
                "will stream nothing (BlueZ before 5.62 always reports 23; update BlueZ).",
                mtu,
                MIN_BLE_ATT_MTU,
            )

    def _on_notify(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        frame = bytes(data)
        self._queue.put(Received(time.time(), frame))
        waiter = self._info_waiter
        if waiter is not None and not waiter.done() and frame[:1] == bytes([MsgType.INFO]):
            with contextlib.suppress(MalformedFrame):
                info = decode_frame(frame)
                if isinstance(info, Info):
                    waiter.set_result(info.channels)

    def _on_disconnected(self, client: BleakClient) -> None:
        if self._closing or client is not self._client:
            return  # our own disconnection, or a connection attempt that was given up
        self._client = None
        self._put("disconnected", f"{self.description}: link lost")
        self._reconnect_task = self._loop.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        for attempt, delay_s in enumerate(
            backoff_delays(self._reconnect_initial_s, self._reconnect_max_s), start=1
        ):
            await asyncio.sleep(delay_s)
            if self._closing:
                return
            try:
                await self._connect_and_start(
                    "reconnected", f"{self.description}: after {attempt} attempt(s)"
                )
            except Exception as exc:  # whatever it was, the ball may come back: try again
                log.info("Reconnection %d to %s failed: %s", attempt, self.description, exc)
                await self._refresh_device(delay_s)
                continue
            return

    async def _refresh_device(self, timeout_s: float) -> None:
        """Listen for the ball again: the stack may have forgotten it while it was away."""
        with contextlib.suppress(DeviceError, TimeoutError):
            self._device, _ = await find_ball(self.address, timeout_s, self._adapter)

    async def _write(self, data: bytes) -> None:
        client = self._client
        if client is None:
            raise DeviceError(f"{self.description} is not connected; try again once it is back.")
        with _bleak_errors():
            await asyncio.wait_for(
                client.write_gatt_char(CONTROL_UUID, data, response=True), COMMAND_TIMEOUT_S
            )

    async def _close(self) -> None:
        self._closing = True
        if self._reconnect_task is not None:
            self._reconnect_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnect_task
        client, self._client = self._client, None
        if client is not None:
            # A ball goes on streaming when a link drops (a host may come back); a host that
            # leaves on purpose says STOP first, so the ball rests and the next session
            # starts a new stream.
            stop = Command(self._next_seq(), 0, Opcode.STOP, self._seq & 0xFF)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    client.write_gatt_char(CONTROL_UUID, encode_frame(stop), response=True),
                    STOP_TIMEOUT_S,
                )
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), COMMAND_TIMEOUT_S)


async def _cancel_other_tasks() -> None:
    """Cancel what bleak left running on this loop (its D-Bus watcher) before it closes."""
    current = asyncio.current_task()
    rest = [task for task in asyncio.all_tasks() if task is not current]
    for task in rest:
        task.cancel()
    await asyncio.gather(*rest, return_exceptions=True)
