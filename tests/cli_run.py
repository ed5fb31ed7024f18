"""Running a command in process and reading what it said: the helpers the command tests
share."""

from __future__ import annotations

import pytest

from smartball.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``smartball ARGV`` in this process: its exit status, stdout and stderr."""
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def one_sentence(err: str, match: str = "") -> str:
    """``err`` is one line, no traceback, with ``match`` in it; the line."""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and match in err, err
    return lines[0]


def full_sentence(err: str, match: str = "") -> str:
    """As :func:`one_sentence`, and the line ends with a full stop."""
    line = one_sentence(err, match)
    assert line.rstrip().endswith(".")
    return line
