"""``--user NAME``, ``--part P`` and ``--zones A,B,C,D``: who presses, on which body part, and
the zones the session is processed with. Shared by every session command.

These are options of the session's context (:mod:`smartball.cli.context_args` loads them):
the zones are the person's own for the part where they measured them (``smartball zones``),
else the part's defaults; ``--zones`` over both; a recording is read with those it carries
unless an option says otherwise (:mod:`smartball.io.file_context`).
"""

from __future__ import annotations

import argparse


def add_user_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME",
                        help="whose session this is (default: $SMARTBALL_USER, else the one "
                             "default person): their zones, their ball, their history")


def add_person_arguments(parser: argparse.ArgumentParser, *, zones: bool = True) -> None:
    add_user_argument(parser)
    parser.add_argument("--part", metavar="P",
                        help="the body part: foot (default), back, shoulder, neck or hip; "
                             "its zones are the person's own where measured, else the part's "
                             "defaults")
    if zones:
        parser.add_argument("--zones", metavar="A,B,C,D",
                            help="these thresholds in N (rest/light, light/moderate, "
                                 "moderate/deep, deep/too hard) instead of the person's")
