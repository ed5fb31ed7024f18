"""``--routine NAME``, shared by ``demo``, ``live``, ``replay`` and ``analyze``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartball.routines.model import Routine


def add_routine_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--routine", metavar="NAME",
                        help="follow a routine from the guides, step by step ('smartball "
                             "routines' lists them), or a routine JSON file")


def chosen_routine(args: argparse.Namespace) -> Routine | None:
    """The routine asked for, loaded (an unknown name lists the known ones), or None."""
    name = getattr(args, "routine", None)
    if name is None:
        return None
    from smartball.routines.model import load_routine

    return load_routine(name)
