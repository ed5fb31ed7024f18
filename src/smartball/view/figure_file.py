"""Writing a finished figure (the report, the trends) to the file the user named."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from smartball.errors import UsageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SUFFIXES = (".png", ".pdf", ".svg")


def figure_path(out: str, what: str) -> Path:
    """``out`` checked before any work is done: its folder exists and its suffix is known."""
    path = Path(out).expanduser()
    if not path.resolve().parent.is_dir():
        raise UsageError(f"cannot write {out}: its folder does not exist; create it first.")
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(f"cannot write {out}: the {what} is a .png, .pdf or .svg file.")
    return path


def save_figure(fig: Figure, path: Path, dpi: int = 100) -> None:
    try:
        fig.savefig(path, dpi=dpi)
    except OSError as exc:
        raise UsageError(f"cannot write {path} ({exc.strerror or exc}); "
                         "choose a path you can write to.") from exc
