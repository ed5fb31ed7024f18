"""A private BlueZ for tests: a session-type ``dbus-daemon`` used as the system bus, BlueZoo
on it, and the simulated ball's peripheral in a thread of its own.

Everything here talks to that private bus through ``DBUS_SYSTEM_BUS_ADDRESS``, which is what
bleak and BlueZ programs read, so the code under test needs no knob of its own.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from dbus_fast import BusType, Message, MessageType
from dbus_fast.aio import MessageBus

from smartball.sim.ble_peripheral import BallPeripheral, FrameSource

HOST_ADDRESS = "00:00:00:11:11:11"
BALL_ADDRESS = "00:00:00:22:22:22"
REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def missing_tools() -> str | None:
    """Why the BLE tests cannot run here, or None."""
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon is not installed (Debian package dbus)"
    try:
        import bluezoo  # noqa: F401
    except ImportError:
        return "bluezoo is not installed (pip install bluezoo)"
    return None


class VirtualBluez:
    """dbus-daemon plus BlueZoo with the given adapters; hci1 and up are peripheral-only."""

    def __init__(
        self,
        adapters: tuple[str, ...] = (HOST_ADDRESS, BALL_ADDRESS),
        *,
        powered: bool = True,
        scan_interval_s: int = 1,
    ) -> None:
        self.adapters = adapters
        self.powered = powered
        self.scan_interval_s = scan_interval_s
        self.address = ""
        self._procs: list[subprocess.Popen[str]] = []
        self._saved_env: str | None = None

    def __enter__(self) -> VirtualBluez:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        daemon = subprocess.Popen(
            ["dbus-daemon", "--session", "--print-address=1", "--nofork"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._procs.append(daemon)
        assert daemon.stdout is not None
        self.address = daemon.stdout.readline().strip()
        self._saved_env = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
        os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = self.address
        cmd = [sys.executable, "-m", "tests.ble.bluezoo_main", "-q", "-q",
               "--scan-interval", str(self.scan_interval_s)]
        if self.powered:
            cmd.append("--auto-enable")
        for address in self.adapters:
            cmd += ["-a", address]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]))
        self._procs.append(subprocess.Popen(cmd, env=env, cwd=REPO, text=True))
        asyncio.run(self._wait_adapters())

    async def _wait_adapters(self, timeout_s: float = 15.0) -> None:
        # Poll GetManagedObjects until every adapter is there (and powered, if asked).
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                objects = await get_managed_objects()
            except (OSError, RuntimeError):
                objects = {}
            adapters = [
                props["org.bluez.Adapter1"]
                for props in objects.values()
                if "org.bluez.Adapter1" in props
            ]
            if "/org/bluez" in objects and len(adapters) == len(self.adapters) and all(
                a["Powered"].value or not self.powered for a in adapters
            ):
                return
            await asyncio.sleep(0.05)
        raise RuntimeError("BlueZoo did not bring its adapters up in time")

    def stop(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        self._procs.clear()
        if self._saved_env is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = self._saved_env


async def get_managed_objects() -> dict[str, Any]:
    bus = await MessageBus(bus_type=BusType.SYSTEM).connect()
    try:
        reply = await bus.call(
            Message(
                destination="org.bluez",
                path="/",
                interface="org.freedesktop.DBus.ObjectManager",
                member="GetManagedObjects",
            )
        )
        assert reply is not None
        if reply.message_type == MessageType.ERROR:
            raise RuntimeError(str(reply.error_name))
        result: dict[str, Any] = reply.body[0]
        return result
    finally:
        bus.disconnect()


async def bluez_call(path: str, interface: str, member: str, signature: str = "",
                     body: list[Any] | None = None) -> None:
    """One BlueZ method call from a connection of its own (another program on the host)."""
    bus = await MessageBus(bus_type=BusType.SYSTEM).connect()
    try:
        reply = await bus.call(
            Message(destination="org.bluez", path=path, interface=interface, member=member,
                    signature=signature, body=body or [])
        )
        assert reply is not None
        if reply.message_type == MessageType.ERROR:
            raise RuntimeError(f"{member}: {reply.error_name} {reply.body}")
    finally:
        bus.disconnect()


class PeripheralThread:
    """A :class:`BallPeripheral` running on its own event loop in a background thread."""

    def __init__(self, source: FrameSource, **kwargs: Any) -> None:
        self.peripheral = BallPeripheral(source, **kwargs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="ball-peripheral")
        self._stop: asyncio.Event | None = None
        self._run: Future[None] | None = None

    def start(self) -> PeripheralThread:
        self._thread.start()

        async def make_event() -> asyncio.Event:
            return asyncio.Event()

        self._stop = self.call(make_event())
        self._run = asyncio.run_coroutine_threadsafe(
            self.peripheral.run(self._stop), self._loop
        )
        ready = asyncio.run_coroutine_threadsafe(self.peripheral.wait_ready(), self._loop)
        try:
            ready.result(timeout=10)
        except Exception:
            if self._run.done():
                self._run.result()
            raise
        return self

    def call(self, coro: Coroutine[Any, Any, T], timeout_s: float = 10.0) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=timeout_s)

    def call_soon(self, fn: Callable[[], Any]) -> None:
        async def run() -> None:
            fn()

        self.call(run())

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._run is not None:
            self._run.result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()
