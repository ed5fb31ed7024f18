"""Choosing a device on the command line: exactly one of ``--sim [SCENARIO]``,
``--port PORT``, ``--ble [NAME_OR_ADDRESS]``, ``--replay FILE``.

Shared by ``live`` and ``record``. Opening imports the backend only then (pyserial, bleak
and the simulator stay unimported until a device of that kind is asked for).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from smartball.errors import UsageError

if TYPE_CHECKING:
    from smartball.transport.base import Transport

AUTO = "auto"


def add_device_arguments(parser: argparse.ArgumentParser, *, replay: bool = True,
                         sim_default: str = "demo") -> None:
    group = parser.add_argument_group("device (exactly one)")
    ex = group.add_mutually_exclusive_group()
    ex.add_argument("--sim", nargs="?", const=sim_default, metavar="SCENARIO",
                    help=f"the simulated ball playing SCENARIO in real time (default: "
                         f"{sim_default}; 'smartball simulate --list' shows them)")
    ex.add_argument("--port", metavar="PORT",
                    help="the ball on a serial port (/dev/ttyACM0, COM3, a pyserial URL), "
                         "or 'auto' for the one ball plugged in")
    ex.add_argument("--ble", nargs="?", const=AUTO, metavar="NAME_OR_ADDRESS",
                    help="the ball over Bluetooth LE (default: the first SmartBall found)")
    if replay:
        ex.add_argument("--replay", metavar="FILE",
                        help="a recording, played back in real time as if it were the ball")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="with --sim: the seed of the simulated session (default 0)")
    parser.add_argument("--adapter", metavar="NAME",
                        help="with --ble: the Bluetooth adapter (e.g. hci0; default: the "
                             "system's)")


def chosen(args: argparse.Namespace) -> str:
    """The device option given; a usage error unless exactly one."""
    given = [name for name in ("sim", "port", "ble", "replay")
             if getattr(args, name, None) is not None]
    if len(given) != 1:
        opts = "--sim [SCENARIO], --port PORT, --ble [NAME], --replay FILE"
        if not hasattr(args, "replay"):
            opts = "--sim [SCENARIO], --port PORT, --ble [NAME]"
        raise UsageError(f"choose the ball with exactly one of {opts}")
    return given[0]


def open_device(args: argparse.Namespace, *, speed: float | None = 1.0,
                sim_speed: float = 1.0) -> Transport:
    """The transport the arguments ask for, open (``speed``: a replay's; ``sim_speed``: the
    simulated ball's, times real time)."""
    from smartball.transport import open_transport

    kind = chosen(args)
    if kind == "sim":
        return open_transport("sim", args.sim, seed=args.seed, speed=sim_speed)
    if kind == "port":
        port = None if args.port == AUTO else args.port
        return open_transport("serial", port)
    if kind == "ble":
        target = None if args.ble == AUTO else args.ble
        return open_transport("ble", target, adapter=args.adapter)
    return open_transport("replay", args.replay, speed=speed)


def describe(args: argparse.Namespace) -> str:
    kind = chosen(args)
    value = getattr(args, kind)
    if kind == "sim":
        return f"simulated ball '{value}'"
    if kind == "ble":
        return "Bluetooth ball" if value == AUTO else f"Bluetooth ball {value}"
    if kind == "port":
        return "serial ball" if value == AUTO else f"ball on {value}"
    return f"replay of {Path(value).name}"
