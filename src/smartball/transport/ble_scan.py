"""Finding a ball over Bluetooth LE: scanning for the SmartBall service, and checking the
adapter first so that a missing or switched-off one is one clear sentence. Imports bleak (and
is imported only when a BLE ball is asked for)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartball.errors import DeviceError, DeviceNotFound
from smartball.protocol.constants import SERVICE_UUID

if TYPE_CHECKING:
    from bleak.backends.device import BLEDevice
    from bleak.backends.scanner import AdvertisementData


@dataclass(frozen=True, slots=True)
class BallAdvert:
    """A ball heard advertising the SmartBall service."""

    name: str
    address: str
    rssi: int


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
    with bleak_errors():
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
    with bleak_errors():
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
def bleak_errors() -> Iterator[None]:
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
