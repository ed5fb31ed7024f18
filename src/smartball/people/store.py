"""Every measurement of a person's zones, per body part, with its date: a small JSON file per
person, ``$SMARTBALL_HOME/people/NAME/zones.json``.

The latest measurement of a part is the person's zones for it; the earlier ones stay, because
the edge of too much over the weeks is their pressure tolerance (``smartball trends`` draws
it). A write goes through a temporary file renamed over the old one, under a lock, so two
programs saving at once both keep their measurement and a failure leaves the saved zones as
they were. Reading never creates anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smartball.errors import InputError
from smartball.people.names import DEFAULT_USER, check_user, user_key
from smartball.people.parts import PARTS, Thresholds, check_part

FORMAT = "smartball-zones"
VERSION = 1


def people_dir() -> Path:
    from smartball.home import smartball_home

    return smartball_home() / "people"


def person_dir(user: str) -> Path:
    return people_dir() / user_key(user)


def zones_path(user: str) -> Path:
    return person_dir(user) / "zones.json"


def ball_path(user: str) -> Path:
    """A person's own default ball; the default person's is ``$SMARTBALL_HOME/ball.json``
    (where it always was)."""
    from smartball.home import default_calibration_path

    if user_key(user) == DEFAULT_USER:
        return default_calibration_path()
    return person_dir(user) / "ball.json"


@dataclass(frozen=True, slots=True)
class Measurement:
    at: str
    """When it was measured (ISO date and time, UTC)."""
    thresholds_n: Thresholds
    how: str = "set"
    """``feel`` (a feel session: interactive or ``--from``), or ``set`` (typed)."""
    spread_n: tuple[float, float, float] | None = None
    """Max - min over the ramps of the moderate, deep and too-hard marks (a feel session)."""

    @property
    def date(self) -> str:
        return self.at[:10]

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"at": self.at, "thresholds_n": list(self.thresholds_n),
                             "how": self.how}
        if self.spread_n is not None:
            d["spread_n"] = list(self.spread_n)
        return d

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Measurement:
        t = tuple(float(x) for x in d["thresholds_n"])
        if len(t) != 4:
            raise ValueError("thresholds_n needs four forces")
        spread = d.get("spread_n")
        return Measurement(str(d["at"]), (t[0], t[1], t[2], t[3]), str(d.get("how", "set")),
                           None if spread is None else
                           (float(spread[0]), float(spread[1]), float(spread[2])))


@dataclass(frozen=True, slots=True)
class PersonZones:
    """What is kept of one person: their name and every measurement of every part."""

    user: str
    parts: dict[str, list[Measurement]]
    """Per part, oldest first."""

    def latest(self, part: str) -> Measurement | None:
        got = self.parts.get(part) or []
        return got[-1] if got else None

    def in_force_on(self, part: str, date: str) -> Measurement | None:
        """The measurement in force on an ISO date: the last one made on or before it."""
        found = None
        for m in self.parts.get(part) or []:
            if m.date <= date:
                found = m
        return found


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def load_zones(user: str) -> PersonZones:
    """A person's measurements (none if they never measured any)."""
    name = check_user(user)
    path = zones_path(name)
    if not path.exists():
        return PersonZones(name, {})
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError("not a zones file")
        parts: dict[str, list[Measurement]] = {}
        for part, got in dict(doc.get("parts", {})).items():
            if part in PARTS:
                parts[part] = sorted((Measurement.from_dict(m) for m in got),
                                     key=lambda m: m.at)
        return PersonZones(str(doc.get("user", name)), parts)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"the zones file {path} cannot be read ({exc}); move it aside and "
                         "measure the zones again with 'smartball zones'") from None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    lock = folder / ".zones.lock"
    with open(lock, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # not on POSIX: one writer at a time is the user's affair
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def add_measurement(user: str, part: str, measurement: Measurement) -> Path:
    """Keep a new measurement of a person's part; the file is replaced whole or not at all."""
    name = check_user(user)
    part = check_part(part)
    folder = person_dir(name)
    path = zones_path(name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot save the zones in {folder} ({exc.strerror}); make it "
                         "writable or set SMARTBALL_HOME to another folder") from None
    with _locked(folder):
        person = load_zones(name)
        parts = {p: list(ms) for p, ms in person.parts.items()}
        parts.setdefault(part, []).append(measurement)
        doc = {"format": FORMAT, "version": VERSION, "user": person.user or name,
               "parts": {p: [m.as_dict() for m in sorted(ms, key=lambda m: m.at)]
                         for p, ms in parts.items()}}
        _write_whole(path, json.dumps(doc, indent=1) + "\n")
    return path


def _write_whole(path: Path, text: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot save the zones in {path.parent} ({exc.strerror}); make it "
                         "writable or set SMARTBALL_HOME to another folder") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def known_users() -> list[str]:
    """The people with a folder (zones or a ball of their own), by name."""
    folder = people_dir()
    if not folder.is_dir():
        return []
    names = []
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and (sub / "zones.json").exists():
            try:
                names.append(load_zones(sub.name).user)
            except InputError:
                names.append(sub.name)
        elif sub.is_dir() and (sub / "ball.json").exists():
            names.append(sub.name)
    return names
