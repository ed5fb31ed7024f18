"""The Bluetooth LE transport: a ball's Stream notifications, one bare frame per chunk.

bleak is asyncio, so it stays asyncio here: one event loop in a background thread owns the
connection, stamps every notification with the host time the moment it arrives and puts it
on a thread-safe queue, which ``_recv_internal`` drains. The rest of the program never sees
asyncio. This module imports bleak (and is imported only when a BLE ball is asked for).

Order matters on connection (protocol, section 3): subscribe to Stream first, then write
START to Control, so the first frames are not lost. The session sends START (the same
handshake as over serial, :mod:`smartball.handshake`) when it sees the ``connected`` or
``reconnected`` chunk; a write waits until the subscription is made. A link that drops is
reported as a ``disconnected`` chunk, then re-established with a growing delay (0.5 s doubling
to 8 s), re-subscribing, and reported as ``reconnected``. Finding the ball and checking the
adapter are :mod:`smartball.transport.ble_scan`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from smartball.errors import DeviceError
from smartball.protocol.constants import CONTROL_UUID, MIN_BLE_ATT_MTU, STREAM_UUID, Opcode
from smartball.protocol.messages import Command, encode_frame
from smartball.transport.base import LinkEvent, Received, Transport
from smartball.transport.ble_scan import (
    BallAdvert,
    bleak_errors,
    check_adapter,
    find_ball,
    scan_balls,
)

if TYPE_CHECKING:
    from bleak import BleakClient
    from bleak.backends.characteristic import BleakGATTCharacteristic
    from bleak.backends.device import BLEDevice

__all__ = ["BallAdvert", "BleTransport", "backoff_delays", "scan_balls"]

log = logging.getLogger(__name__)

RECONNECT_INITIAL_S = 0.5
RECONNECT_MAX_S = 8.0
CONNECT_TIMEOUT_S = 10.0
COMMAND_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 1.0
READY_WAIT_S = 2.0
"""How long a write waits for a connection being set up."""
DEFAULT_ATT_MTU = 23
"""What BlueZ before 5.62 always reports, and the least the ATT protocol allows."""
T = TypeVar("T")


def backoff_delays(initial_s: float = RECONNECT_INITIAL_S,
                   max_s: float = RECONNECT_MAX_S) -> Iterator[float]:
    """Delays before each reconnection attempt: ``initial_s`` doubling up to ``max_s``, forever."""
    delay_s = initial_s
    while True:
        yield delay_s
        delay_s = min(delay_s * 2.0, max_s)


class BleTransport(Transport):
    """A SmartBall over Bluetooth LE (bleak), found by name, address or its service UUID."""

    envelope = "packet"

    def __init__(
        self,
        name_or_address: str | None = None,
        *,
        adapter: str | None = None,
        scan_timeout_s: float = 10.0,
        reconnect_initial_s: float = RECONNECT_INITIAL_S,
        reconnect_max_s: float = RECONNECT_MAX_S,
    ) -> None:
        super().__init__(f"BLE ball {name_or_address or '(first found)'}")
        self._target = name_or_address
        self._adapter = adapter
        self._scan_timeout_s = scan_timeout_s
        self._reconnect_initial_s = reconnect_initial_s
        self._reconnect_max_s = reconnect_max_s
        self._queue: queue.SimpleQueue[Received] = queue.SimpleQueue()
        self._device: BLEDevice | None = None
        self._client: BleakClient | None = None
        self._closing = False
        self._reconnect_task: asyncio.Task[None] | None = None
        self._seq = 0
        self._ready: asyncio.Event | None = None
        """Set while a connection is subscribed to Stream: writes wait for it."""
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
        self._ready = asyncio.Event()
        await check_adapter(self._adapter)
        self._device, self.name = await find_ball(
            self._target, self._scan_timeout_s, self._adapter
        )
        self.address = self._device.address
        self.description = f"BLE ball {self.name or '?'} ({self.address})"
        with bleak_errors():
            await self._connect_and_subscribe("connected", self.description)

    async def _connect_and_subscribe(self, link: LinkEvent, detail: str) -> None:
        """Connect, check the MTU, subscribe to Stream; then writes may go (START first).

        The ``link`` chunk goes on the queue just before subscribing, so it comes before any
        frame of this connection; if the rest fails, a ``disconnected`` chunk follows. The
        session answers it with START, which waits here until the subscription is made; a
        reconnection gets the same START, so the ball goes on with the same stream and the
        samples lost meanwhile show as a gap in the index.
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
        except BaseException:
            if announced:
                self._put("disconnected", f"{self.description}: setting up the stream failed")
            with contextlib.suppress(Exception):
                await client.disconnect()
            raise
        self._client = client
        assert self._ready is not None
        self._ready.set()

    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) & 0xFFFF
        return self._seq

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
        self._queue.put(Received(time.time(), bytes(data)))

    def _on_disconnected(self, client: BleakClient) -> None:
        if self._closing or client is not self._client:
            return  # our own disconnection, or a connection attempt that was given up
        self._client = None
        if self._ready is not None:
            self._ready.clear()
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
                await self._connect_and_subscribe(
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
        # A START sent for a new connection waits until it is subscribed (a moment); a ball
        # that is away stays away longer than that.
        if self._ready is not None and self._client is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), READY_WAIT_S)
        client = self._client
        if client is None:
            raise DeviceError(f"{self.description} is not connected; try again once it is back.")
        with bleak_errors():
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
