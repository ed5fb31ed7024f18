"""Writing a finished figure (the report, the trends, the live view's snapshot) to the file
the user named, which :func:`smartball.out_file.check_output` checked before the work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from smartball.errors import UsageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def save_figure(fig: Figure, path: Path, dpi: int = 100) -> None:
    """Save ``fig``; a full disk or a folder gone meanwhile is one sentence."""
    try:
        fig.savefig(path, dpi=dpi, facecolor=fig.get_facecolor())
    except OSError as exc:
        raise UsageError(f"cannot write {path} ({exc.strerror or exc}); "
                         "choose a path you can write to.") from exc
