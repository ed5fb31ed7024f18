"""Which context a session file is processed with: what it recorded, options overriding it.

A recording made since headers carry the context is processed exactly as it was live, on any
machine, whatever the user's files hold now. A file without one (an older recording, a raw
capture, a CSV) is read as before: the user's default ball, and for an older recording the
routine named on its recorded command line. An :class:`Override` (from ``--calibration``,
``--ball``, ``--routine``, ``--user``, ``--part``, ``--zones``) replaces one field either
way, and the user is told when it replaces a recorded one.

The zones are the person's: where neither the recording nor ``--zones`` gives them, they are
what the person (``--user``, else ``$SMARTBALL_USER``, else the default person) measured for
the part, else the part's defaults (:func:`smartball.people.zones.zones_for`); so are the
zones of a recording read as another person or part. Zones used for a session must end below
what the ball can measure (:mod:`smartball.sensor_range`): a new session's, and those
``--zones`` sets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartball.context import SessionContext

if TYPE_CHECKING:
    from smartball.io.load import SessionFile
    from smartball.people.zones import SessionZones
    from smartball.processing.calibration import Calibration
    from smartball.recording import RecordingReader
    from smartball.routines.model import Routine


@dataclass(frozen=True, slots=True)
class Override:
    """One field of the context set by an option rather than by the file."""

    field: str
    """The :class:`SessionContext` field (``calibration``, ``routine``, ``zones_n``...)."""
    value: Any
    option: str
    """What the user gave, as said back to them (``calibration my-ball.json``)."""
    name: str | None = None
    """How to name the value in summaries (a calibration's description), if it needs one."""


@dataclass(frozen=True, slots=True)
class FileContext:
    context: SessionContext
    recorded: bool
    """The file carried a context (a recording made since headers keep it)."""
    calibration_name: str
    """Where the force comes from, in words (``force from ...``)."""
    zones: SessionZones
    """Whose zones, for which part, and where they come from (``describe()`` says it)."""

    @property
    def zones_name(self) -> str | None:
        """The zones in words for a summary; None for the default person's foot defaults
        (nothing to say)."""
        from smartball.context import DEFAULT_PART, DEFAULT_USER, DEFAULT_ZONES_N

        z = self.zones
        if (z.user, z.part, tuple(z.thresholds_n)) == (DEFAULT_USER, DEFAULT_PART,
                                                        DEFAULT_ZONES_N):
            return None
        return z.describe()


def file_context(session_file: SessionFile | None, overrides: Sequence[Override] = (),
                 say: Callable[[str], None] | None = None) -> FileContext:
    """The context to process ``session_file`` with (None: a new session, from the ball);
    ``say`` tells the user of each option that replaces what the recording carries."""
    from smartball.people.names import current_user

    recorded = None if session_file is None else session_file.recorded_context
    chosen = {o.field: o for o in overrides}
    if recorded is not None:
        context = recorded
        calibration_name = recorded_calibration_name(recorded.calibration)
        for o in overrides:
            if say is None:
                continue
            if getattr(recorded, o.field) is None and o.field != "calibration":
                say(f"using {o.option}; the session was recorded without one")
            else:
                say(f"using {o.option} instead of the one recorded with the session")
    else:
        # Whose session: --user, else $SMARTBALL_USER, else the default person.
        context = SessionContext(user=(chosen["user"].value if "user" in chosen
                                       else current_user(None)))
        calibration_name = ""
        if "calibration" not in chosen:
            from smartball.io.calibration_file import resolve_calibration

            calibration, calibration_name = resolve_calibration(None, user=context.user)
            context = context.replace(calibration=calibration)
        if ("routine" not in chosen and session_file is not None
                and session_file.recording is not None):
            context = context.replace(routine=_routine_of_command_line(session_file.recording,
                                                                        say))
    for o in overrides:
        context = context.replace(**{o.field: o.value})
        if o.field == "calibration":
            calibration_name = o.name or o.option
    chosen = _part_of_routine(context, recorded, chosen)
    if "part" in chosen:
        context = context.replace(part=chosen["part"].value)
    context, zones = _with_zones(context, recorded, chosen)
    if recorded is not None and "zones_n" not in chosen and zones.source != "recorded" \
            and say is not None:
        say(f"reading it with {zones.describe()}")
    if session_file is None or "zones_n" in chosen:
        # Zones a new session will warn by (or zones the user sets) must end below what the
        # ball can measure; a finished session is read whatever its zones.
        from smartball.people.zones import check_fits_ball

        check_fits_ball(context.zones_n, context.calibration, context.user)
    return FileContext(context, recorded is not None, calibration_name, zones)


def _part_of_routine(context: SessionContext, recorded: SessionContext | None,
                     chosen: dict[str, Override]) -> dict[str, Override]:
    """A routine chosen for a session (not the one recorded) sets the body part, unless
    ``--part`` says another: ``--routine back-floor`` is read with the back's zones. Returned
    as a choice without an option (nothing to say: the routine's words already name it)."""
    routine = context.routine
    if "part" in chosen or routine is None or routine.part == context.part:
        return chosen
    if recorded is not None and "routine" not in chosen:
        return chosen
    return {**chosen, "part": Override("part", routine.part, "")}


def _with_zones(context: SessionContext, recorded: SessionContext | None,
                chosen: dict[str, Override]) -> tuple[SessionContext, SessionZones]:
    """The context with the zones it is processed with, and where they come from: ``--zones``;
    else those recorded, unless the session is read as another person or part; else the
    person's own for the part, or the part's defaults."""
    from smartball.people.zones import SessionZones, zones_for

    if "zones_n" in chosen:
        return context, SessionZones(context.user, context.part, context.zones_n, "--zones")
    if recorded is not None and "user" not in chosen and "part" not in chosen:
        return context, SessionZones(context.user, context.part, context.zones_n, "recorded")
    zones = zones_for(context.user, context.part)
    return context.replace(zones_n=zones.thresholds_n), zones


def recorded_calibration_name(calibration: Calibration | None) -> str:
    if calibration is None:
        return "the reference ball (60 Pa/N), as recorded"
    ball = f" ({calibration.ball})" if calibration.ball else ""
    return f"the calibration recorded with the session{ball}"


def routine_name_of_command_line(argv: Sequence[Any]) -> str | None:
    """``--routine NAME`` on a recorded command line (how older recordings tell it)."""
    for i, arg in enumerate(argv):
        if arg == "--routine" and i + 1 < len(argv):
            return str(argv[i + 1])
        if isinstance(arg, str) and arg.startswith("--routine="):
            return arg.split("=", 1)[1]
    return None


def _routine_of_command_line(reader: RecordingReader,
                             say: Callable[[str], None] | None) -> Routine | None:
    """The routine an older recording was made with, if it can still be read from here (a
    routine file named by a relative path may not be: the session is read without it)."""
    from smartball.errors import SmartBallError
    from smartball.routines.model import load_routine

    name = routine_name_of_command_line(reader.header.session.get("argv") or [])
    if name is None:
        return None
    try:
        return load_routine(name)
    except SmartBallError:
        if say is not None:
            say(f"note: the recording followed the routine {name}, which cannot be read from "
                "here, so it is left out (add --routine FILE to score it)")
        return None
