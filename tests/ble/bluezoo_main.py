"""BlueZoo with the simulated ball's adapters in the peripheral role only.

Every BlueZoo adapter claims the central role, and bleak picks its default adapter from an
unordered set, so without this the host would scan on the ball's adapter about half the time.
The first adapter (hci0) stays a full adapter, as a laptop's would be; the others answer
``Roles`` with ``peripheral`` only, as a ball's radio would. Run as
``python -m tests.ble.bluezoo_main [bluezoo options]``; a separate process because BlueZoo
owns its asyncio loop and its sd-bus connection.

BlueZoo 1.0.2 also keeps the GATT objects it exported for a connection after the link is
gone, so the next connection to the same device fails to export them again (EEXIST): a
reconnection could never work. ``_disconnect`` removes them at disconnection, as bluetoothd
drops its attribute objects, and stops forwarding the old subscriptions.
"""

from __future__ import annotations

from typing import Any

import sdbus
from bluezoo import bluezoo
from bluezoo.adapter import Adapter
from bluezoo.device import Device
from bluezoo.gatt import GattCharacteristicClientLink
from bluezoo.utils import dbus_property_async_except_logging

_original_disconnect = Device.disconnect


async def _disconnect(self: Any, uuid: str | None = None) -> None:
    await _original_disconnect(self, uuid)
    for link in self.services.values():
        if isinstance(link, GattCharacteristicClientLink):
            link.client_props_changed_subscription.unsubscribe()
        self.peer_adapter.mock.remove_object(link)
    self.services = {}
    if self.services_resolved:
        await self.ServicesResolved.set_async(False)


Device.disconnect = _disconnect


class _RoleAdapter(Adapter):  # type: ignore[misc]
    @sdbus.dbus_property_async_override()  # type: ignore[misc]
    @dbus_property_async_except_logging  # type: ignore[misc]
    def Roles(self) -> list[str]:
        if self.id == 0:
            return ["central", "peripheral", "central-peripheral"]
        return ["peripheral"]


bluezoo.Adapter = _RoleAdapter

if __name__ == "__main__":
    bluezoo.main()
