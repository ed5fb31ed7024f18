"""The command line as a whole: help, version, lazy imports, error handling."""

from __future__ import annotations

import subprocess
import sys

import pytest

from smartball import __version__
from smartball.cli import main

HEAVY = ("numpy", "scipy", "matplotlib", "bleak", "serial")


def test_help_builds_every_command_without_heavy_imports() -> None:
    code = (
        "import sys\n"
        "from smartball.cli import build_parser\n"
        "build_parser().format_help()\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at --help: {out.stdout.strip()}"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    from smartball.cli import COMMANDS

    for name in COMMANDS:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0, name
    assert "usage:" in capsys.readouterr().out
