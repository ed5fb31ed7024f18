"""The ``smartball`` command line.

Commands are found by name in :data:`COMMANDS` and their modules imported only when
needed; a command module must not import numpy, matplotlib, bleak or pyserial at import
time, so that ``smartball --help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence
from typing import Protocol, TextIO, cast

from smartball import __version__
from smartball.errors import SmartBallError

# name -> (module, one-line help); the module has add_arguments(parser) and run(args) -> int.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("smartball.cli.demo_cmd", "the live coaching window on the simulated ball"),
    "inspect": (
        "smartball.cli.inspect_cmd",
        "protocol-level view of a serial capture or recording",
    ),
    "analyze": ("smartball.cli.analyze_cmd", "summary of a recording, a serial capture or a CSV"),
    "live": ("smartball.cli.live_cmd", "a live session with the coaching view"),
    "record": ("smartball.cli.record_cmd", "record a session without a view"),
    "replay": ("smartball.cli.replay_cmd", "replay a recording in time"),
    "export": ("smartball.cli.export_cmd", "a recording as CSV"),
    "scan": ("smartball.cli.scan_cmd", "serial ports and balls in BLE range"),
    "simulate": (
        "smartball.cli.simulate_cmd",
        "a simulated session with its ground truth, or a simulated ball on a pseudo-terminal",
    ),
    "report": ("smartball.cli.report_cmd", "one figure summarising a finished session"),
    "routines": ("smartball.cli.routines_cmd", "the routines from the guides"),
    "calibrate": ("smartball.cli.calibrate_cmd", "measure your ball on a scale"),
    "zones": ("smartball.cli.zones_cmd", "a person's own zones per body part"),
    "balls": ("smartball.cli.balls_cmd", "the balls calibrated, and which is the default"),
    "history": ("smartball.cli.history_cmd", "the kept sessions: list, show, import, forget"),
    "trends": ("smartball.cli.trends_cmd", "a figure of how the sessions went over the days"),
}


class CommandModule(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...
    def run(self, args: argparse.Namespace) -> int: ...


def _module(name: str) -> CommandModule:
    return cast(CommandModule, importlib.import_module(COMMANDS[name][0]))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smartball",
        description="Pressure-feedback coaching for a sensing foot-massage ball.",
        epilog="Start with 'smartball demo'. 'smartball COMMAND --help' tells more.",
    )
    parser.add_argument("--version", action="version", version=f"smartball {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_mod, help_text) in COMMANDS.items():
        description = help_text[:1].upper() + help_text[1:] + "."
        p = sub.add_parser(name, help=help_text, description=description)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show tracebacks of errors")
        _module(name).add_arguments(p)
    return parser


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: TextIO | None = None, line: str | None = None) -> None:
    """Warnings meant for users (a torn recording) as one plain line, not a source location."""
    print(f"smartball: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    warnings.showwarning = _show_warning
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return _module(args.command).run(args)
    except SmartBallError as exc:
        if args.debug:
            raise
        message = str(exc)
        if not message.endswith((".", "?", "!")):
            message += "."  # every error is one whole sentence, whoever raised it
        print(f"smartball {args.command}: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``| head``): not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"smartball {args.command}: unexpected error ({type(exc).__name__}: {exc}); "
            "run again with --debug and report the traceback.",
            file=sys.stderr,
        )
        return 70
