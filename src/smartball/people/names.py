"""Who is using the ball: ``--user NAME``, else ``$SMARTBALL_USER``, else the one default
person. A name is a plain name (letters, digits, ``-``, ``_``, ``.``, a space inside), because
it names a folder under ``$SMARTBALL_HOME/people/`` and a column in the history."""

from __future__ import annotations

import os
import re
import unicodedata

from smartball.errors import UsageError

USER_ENV = "SMARTBALL_USER"
DEFAULT_USER = "default"
"""The person of a household that never names one: their ball is ``$SMARTBALL_HOME/ball.json``
and their sessions are the history's rows from before people had names."""
MAX_LENGTH = 40
_PLAIN = re.compile(r"^[\w][\w .-]*$")


def check_user(name: str) -> str:
    """``name`` if it is a plain name; else one sentence saying what a name may be."""
    text = unicodedata.normalize("NFC", name.strip())
    if (not text or len(text) > MAX_LENGTH or not _PLAIN.match(text) or text.endswith(".")
            or text.startswith(".") or "/" in text or "\\" in text):
        raise UsageError(f"{name!r} is not a plain name; give --user a name of letters and "
                         f"digits (and - _ . or spaces inside), at most {MAX_LENGTH} long")
    return text


def current_user(option: str | None = None) -> str:
    """The person a command is for: ``--user``, else ``$SMARTBALL_USER``, else the default
    person."""
    if option is not None:
        return check_user(option)
    env = os.environ.get(USER_ENV, "").strip()
    if env:
        try:
            return check_user(env)
        except UsageError:
            raise UsageError(f"{USER_ENV}={env!r} is not a plain name; set it to a name of "
                             "letters and digits, or unset it") from None
    return DEFAULT_USER


def user_key(name: str) -> str:
    """The folder name of a person: case does not make another person."""
    return check_user(name).casefold()
