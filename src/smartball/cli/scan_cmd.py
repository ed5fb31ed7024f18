"""``smartball scan [--json]``: serial ports that look like balls, and balls in BLE range.

Without a Bluetooth adapter (or without permission to use it) the serial part is still
listed and the BLE part says why it is missing.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--all-ports", action="store_true",
                        help="list every serial port, not only those that look like balls")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S",
                        help="how long to listen for Bluetooth balls (default 5 s)")
    parser.add_argument("--adapter", metavar="NAME", help="the Bluetooth adapter (e.g. hci0)")
    parser.add_argument("--no-ble", action="store_true", help="serial ports only")


def scan(*, all_ports: bool = False, ble: bool = True, timeout_s: float = 5.0,
         adapter: str | None = None) -> dict[str, Any]:
    from smartball.errors import SmartBallError
    from smartball.transport.serial_port import list_serial_ports

    ports = [p.as_dict() for p in list_serial_ports(balls_only=not all_ports)]
    result: dict[str, Any] = {"serial": ports, "ble": [], "ble_error": None}
    if not ble:
        result["ble_error"] = "not scanned (--no-ble)"
        return result
    try:
        ble_module = importlib.import_module("smartball.transport.ble")  # bleak comes with it
        balls = ble_module.scan_balls(timeout_s=timeout_s, adapter=adapter)
    except ImportError:
        result["ble_error"] = "Bluetooth support is not installed (install bleak)"
    except (SmartBallError, OSError) as exc:
        result["ble_error"] = str(exc)
    else:
        result["ble"] = [{"name": b.name, "address": b.address, "rssi": b.rssi} for b in balls]
    return result


def run(args: argparse.Namespace) -> int:
    result = scan(all_ports=args.all_ports, ble=not args.no_ble, timeout_s=args.timeout,
                  adapter=args.adapter)
    if args.json:
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    if result["serial"]:
        out.write("Serial ports:\n")
        for p in result["serial"]:
            mark = "ball? " if p["looks_like_ball"] else "      "
            vid = f" [{p['vid']:04x}:{p['pid'] or 0:04x}]" if p["vid"] is not None else ""
            out.write(f"  {mark}{p['device']}  {p['description']}{vid}\n")
    else:
        out.write("Serial ports: no ball plugged in"
                  + (" (no serial ports at all)\n" if args.all_ports else "\n"))
    if result["ble_error"]:
        out.write(f"Bluetooth: {result['ble_error']}\n")
    elif result["ble"]:
        out.write("Bluetooth balls:\n")
        for b in result["ble"]:
            rssi = "" if b["rssi"] is None else f"  {b['rssi']} dBm"
            out.write(f"  {b['name']}  {b['address']}{rssi}\n")
    else:
        out.write("Bluetooth: no ball in range (is it switched on and not connected "
                  "elsewhere?)\n")
    return 0
