"""BlueZ GATT server objects (service, characteristic, advertisement) exported with dbus_fast.

The D-Bus side of :mod:`smartball.sim.ble_peripheral`: each class answers the BlueZ API
(``org.bluez.GattService1``, ``GattCharacteristic1``, ``LEAdvertisement1``) and nothing else;
what is sent, and when, is decided by the peripheral.
"""

# No ``from __future__ import annotations``: dbus_fast reads the D-Bus signatures from the
# annotations at class creation, and a postponed ``None`` return would not parse.
import logging
from collections.abc import Callable
from typing import Annotated

from dbus_fast import PropertyAccess, Variant
from dbus_fast.annotations import DBusBytes, DBusDict, DBusSignature, DBusStr, DBusUInt16
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property

from smartball.protocol.constants import SERVICE_UUID

log = logging.getLogger(__name__)

DBusStrList = Annotated[list[str], DBusSignature("as")]
DBusObjectPathName = Annotated[str, DBusSignature("o")]


class GattService(ServiceInterface):
    def __init__(self, path: str, uuid: str) -> None:
        super().__init__("org.bluez.GattService1")
        self.path = path
        self._uuid = uuid

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> DBusStr:
        return self._uuid

    @dbus_property(access=PropertyAccess.READ)
    def Primary(self) -> Annotated[bool, DBusSignature("b")]:
        return True


class GattCharacteristic(ServiceInterface):
    """One characteristic. Notifications are PropertiesChanged on ``Value`` (StartNotify)."""

    def __init__(
        self,
        path: str,
        service: str,
        uuid: str,
        flags: list[str],
        *,
        mtu: int,
        on_write: Callable[[bytes], None] | None = None,
        on_notify: Callable[[bool], None] | None = None,
        value: bytes = b"",
    ) -> None:
        super().__init__("org.bluez.GattCharacteristic1")
        self.path = path
        self._service = service
        self._uuid = uuid
        self._flags = flags
        self._value = value
        self._mtu = mtu
        self._on_write = on_write
        self._on_notify = on_notify

    def notify(self, value: bytes) -> None:
        self._value = value
        self.emit_properties_changed({"Value": value})

    def set_mtu(self, mtu: int) -> None:
        self._mtu = mtu
        self.emit_properties_changed({"MTU": mtu})

    @dbus_method()
    def ReadValue(self, options: DBusDict) -> DBusBytes:
        return self._value

    @dbus_method()
    def WriteValue(self, value: DBusBytes, options: DBusDict) -> None:
        if self._on_write is not None:
            self._on_write(bytes(value))

    @dbus_method()
    def StartNotify(self) -> None:
        if self._on_notify is not None:
            self._on_notify(True)

    @dbus_method()
    def StopNotify(self) -> None:
        if self._on_notify is not None:
            self._on_notify(False)

    @dbus_method()
    def Confirm(self) -> None:
        """BlueZoo confirms every value change; a real BlueZ only indications."""

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> DBusStr:
        return self._uuid

    @dbus_property(access=PropertyAccess.READ)
    def Service(self) -> DBusObjectPathName:
        return self._service

    @dbus_property(access=PropertyAccess.READ)
    def Flags(self) -> DBusStrList:
        return self._flags

    @dbus_property(access=PropertyAccess.READ)
    def Value(self) -> DBusBytes:
        return self._value

    @dbus_property(access=PropertyAccess.READ)
    def MTU(self) -> DBusUInt16:
        return self._mtu


class Advertisement(ServiceInterface):
    def __init__(self, path: str, name: str) -> None:
        super().__init__("org.bluez.LEAdvertisement1")
        self.path = path
        self._name = name
        self.counter = 0

    def bump(self) -> None:
        self.counter = (self.counter + 1) & 0xFF
        self.emit_properties_changed({"ServiceData": self._service_data()})

    def _service_data(self) -> dict[str, Variant]:
        return {SERVICE_UUID: Variant("ay", bytes([self.counter]))}

    @dbus_method()
    def Release(self) -> None:
        log.debug("advertisement released")

    @dbus_property(access=PropertyAccess.READ)
    def Type(self) -> DBusStr:
        return "peripheral"

    @dbus_property(access=PropertyAccess.READ)
    def ServiceUUIDs(self) -> DBusStrList:
        return [SERVICE_UUID]

    @dbus_property(access=PropertyAccess.READ)
    def ServiceData(self) -> DBusDict:
        return self._service_data()

    @dbus_property(access=PropertyAccess.READ)
    def LocalName(self) -> DBusStr:
        return self._name

    @dbus_property(access=PropertyAccess.READ)
    def Discoverable(self) -> Annotated[bool, DBusSignature("b")]:
        return True
