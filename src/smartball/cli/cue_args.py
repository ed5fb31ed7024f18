"""``--cues``, ``--cue-log``, ``--audio-out``, ``--volume``, ``--view compact`` and ``--lsl``
on ``live``, ``demo`` and ``replay``: checked before the session starts, then attached to it
as listeners. The logic lives in :mod:`smartball.cues`, :mod:`smartball.lsl` and
:mod:`smartball.view`; this is only the wiring."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartball.errors import UsageError

if TYPE_CHECKING:
    from smartball.cues import Cue
    from smartball.session import Session




def volume(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a volume; give 0 to 1") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("give a volume from 0 (silent) to 1 (full)")
    return value


def add_cue_arguments(parser: argparse.ArgumentParser, *, view: bool = True) -> None:
    parser.add_argument("--cues", choices=("sound", "voice", "none"),
                        help="coaching without the screen: 'sound' (default; a low tone when "
                             "too hard, a chime to release a hold, notes for a new step), "
                             "'voice' (also speaks the step and 'release'), or 'none'")
    parser.add_argument("--cue-log", metavar="FILE",
                        help="write each cue as a JSON line {t_s, cue} to FILE ('-': stdout)")
    parser.add_argument("--audio-out", metavar="WAV", type=Path,
                        help="render the cues to a WAV file in the session's own time "
                             "(beside playing them; with --cues none, instead)")
    parser.add_argument("--volume", type=volume, default=0.8, metavar="V",
                        help="loudness of the cues, 0 to 1 (default 0.8)")
    if view:
        parser.add_argument("--view", choices=("full", "compact"), default="full",
                            help="'compact': a small always-on-top window (the word, the force "
                                 "bar, the hold count, the step) for a corner of the screen")
    parser.add_argument("--lsl", action="store_true",
                        help="publish the session as Lab Streaming Layer streams (Force, "
                             "Markers, IMU); needs the 'lsl' extra")


def cues_mode(args: argparse.Namespace, *, fast: bool = False) -> str:
    """The ``--cues`` asked for, or the default: sound, none for a replay at full speed."""
    mode: str | None = args.cues
    return mode if mode is not None else ("none" if fast else "sound")


def check_cue_arguments(args: argparse.Namespace) -> None:
    """What can be checked before the session starts: the cue log and the WAV track with
    every other file the command writes (:func:`smartball.out_file.check_args`), the compact
    window, LSL."""
    from smartball.out_file import check_args

    check_args(args)
    if getattr(args, "view", "full") == "compact" and getattr(args, "no_plot", False):
        raise UsageError("--view compact is a window, which --no-plot turns off; drop one")
    if args.lsl:
        from smartball.lsl import check_lsl_available

        check_lsl_available()


def attach_outputs(args: argparse.Namespace, stack: ExitStack, session: Session, *,
                   fast: bool = False, gauge: bool = False) -> None:
    """Cues, cue log, WAV track, LSL and the terminal gauge, as listeners of ``session``;
    everything they open is closed by ``stack``."""
    from smartball.cues import CueMaker

    mode = cues_mode(args, fast=fast)
    sinks: list[Any] = []
    if args.cue_log is not None:
        from smartball.cues.log import CueLog

        stream = sys.stdout if args.cue_log == "-" else stack.enter_context(
            open(args.cue_log, "w", encoding="utf-8"))
        sinks.append(CueLog(stream))
    voice = False
    player = None
    if mode in ("sound", "voice"):
        from smartball.cues.player import CuePlayer, SoundUnavailable

        try:
            player = CuePlayer(volume=args.volume,
                               backend=os.environ.get("SMARTBALL_AUDIO", "sounddevice")).open()
        except SoundUnavailable as exc:
            print(f"smartball: {exc}; the session goes on without sound", file=sys.stderr)
        else:
            stack.callback(player.close)
            stack.callback(player.drain, 1.5)  # the last cue finishes before the stream closes
            sinks.append(player)
    if mode == "voice":
        from smartball.cues.voice import Speaker, VoiceUnavailable

        try:
            speaker = Speaker(play=None if player is None else player.play,
                              play_rate_hz=player.rate_hz if player is not None else 48_000)
            speaker.open()
        except VoiceUnavailable as exc:
            print(f"smartball: {exc}", file=sys.stderr)
        else:
            stack.callback(speaker.close)
            sinks.append(speaker)
            voice = True
    if args.audio_out is not None:
        from smartball.cues.render import CueTrack

        speech = None
        if voice:  # the words too, as the platform's speech says them
            from smartball.cues.voice import synthesize

            speech = synthesize
        track = CueTrack(args.audio_out, volume=args.volume, speech=speech)
        stack.callback(track.close)
        session.add_listener(track)
        sinks.append(track)
    if sinks:
        def on_cue(cue: Cue) -> None:
            for sink in sinks:
                sink(cue)

        context = getattr(getattr(session, "pipeline", None), "context", None)
        line_n = None if context is None else float(context.zones_n[-1])
        session.add_listener(CueMaker(on_cue, voice=voice, line_n=line_n))
    if args.lsl:
        from smartball.lsl import LslOutlets

        outlets = LslOutlets(session)
        stack.callback(outlets.close)
    if gauge:
        from smartball.view.gauge import Gauge

        g = Gauge(sys.stdout)
        session.add_listener(g)
        stack.callback(g.close)
