"""The routine on the session report: its steps in order, each as a tile as wide as the
step was long, coloured by how well it went, with the percentage and the step's name on it.

Read at a glance: bluish-green steps went as asked, yellow ones partly, reddish-purple ones
not; a grey tile is a change of feet (nothing to score). The colours are Okabe-Ito ones the
force zones do not use, so a tile never reads as a zone, and each tile carries its percentage
in words too. Under the tiles, what each step asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartball.parts import DEFAULT_PART, words
from smartball.routines.text import NO_IMU, targets_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes

GOOD = "#009E73"  # Okabe-Ito bluish green
PARTLY = "#F0E442"  # Okabe-Ito yellow
POOR = "#CC79A7"  # Okabe-Ito reddish purple
NOT_SCORED = "#BDBDBD"
TEXT_ON = {GOOD: "#FFFFFF", PARTLY: "#000000", POOR: "#000000", NOT_SCORED: "#000000",
           "#FFFFFF": "#000000"}
"""Text colour on each tile colour, for contrast."""


def adherence_colour(a: float | None) -> str:
    if a is None:
        return NOT_SCORED
    return GOOD if a >= 0.8 else PARTLY if a >= 0.5 else POOR


def draw_routine(ax: Axes, routine: dict[str, Any]) -> None:
    """The tiles of ``routine`` (the ``routine`` object of ``analyze --json``) on ``ax``."""
    from matplotlib.patches import FancyBboxPatch

    ax.set_axis_off()
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    a = routine["adherence"]
    head = f"routine: {routine['title']}"
    head += f" — {100 * a:.0f} % as asked" if a is not None else " — not started"
    if not routine["completed"]:
        head += " (not finished)"
    ax.text(0.0, 1.02, head, fontsize=15, fontweight="bold", va="bottom",
            transform=ax.transAxes)
    steps = routine["steps"]
    widths = [max((s["end_s"] - s["start_s"]) if s["start_s"] is not None else 0.0, 0.0)
              for s in steps]
    planned = [max(w, 1e-9) for w in widths]
    total = sum(planned) or 1.0
    gap = 0.004
    x = 0.0
    for s, w in zip(steps, planned, strict=True):
        width = w / total
        reached = s["start_s"] is not None
        score = s["adherence"] if reached else None
        colour = adherence_colour(score) if reached else "#FFFFFF"
        inner = max(width - 2 * gap, 1e-4)
        rounding = min(0.02, inner / 3)
        ax.add_patch(FancyBboxPatch((x + gap, 0.38), inner, 0.55,
                                    boxstyle=f"round,pad=0,rounding_size={rounding:.5f}",
                                    facecolor=colour, edgecolor="#000000", linewidth=1.2,
                                    transform=ax.transAxes))
        cx = x + width / 2
        number = f"{steps.index(s) + 1}. "
        ink = TEXT_ON[colour]
        if s["motion"] == "switch":
            # Wide enough: across; a narrow tile: upright; a sliver: nothing (it is numbered
            # on the force plot below).
            label = "" if width < 0.015 else words(
                routine.get("part", DEFAULT_PART)).motions["switch"]
            ax.text(cx, 0.655, label.replace(" ", "\n") if width >= 0.06 else label,
                    ha="center", va="center", fontsize=11 if width >= 0.06 else 9,
                    rotation=0 if width >= 0.06 else 90, transform=ax.transAxes)
        else:
            big = "—" if score is None else f"{100 * score:.0f} %"
            ax.text(cx, 0.74, big, ha="center", va="center", fontsize=17, fontweight="bold",
                    color=ink, transform=ax.transAxes)
            name = number + s["name"].split(": ", 1)[-1]
            ax.text(cx, 0.52, _fit(name, width), ha="center", va="center", fontsize=11,
                    color=ink, transform=ax.transAxes)
            motions = words(routine.get("part", DEFAULT_PART)).motions
            asked = f"{targets_words(s['targets'])}\n{motions[s['motion']]}"
            extra = _extra(s)
            ax.text(cx, 0.3, _fit(asked, width) + (f"\n{_fit(extra, width)}" if extra else ""),
                    ha="center", va="top", fontsize=10, color="#333333",
                    transform=ax.transAxes)
        x += width
    if not routine["imu"]:
        ax.text(0.0, -0.12, NO_IMU[:1].upper() + NO_IMU[1:] + ".", fontsize=11,
                color="#444444", transform=ax.transAxes)


def _extra(s: dict[str, Any]) -> str:
    parts = []
    if s["motion"] == "holds":
        parts.append(f"{s['holds']} hold{'s' if s['holds'] != 1 else ''}")
    st = s["strokes"]
    if st and st["count"] and s["motion"] in ("along", "across"):
        right = st[s["motion"]]
        parts.append(f"{right}/{st['count']} {s['motion']}")
    if s["too_hard"]:
        parts.append(f"too hard {s['too_hard']}×")
    return ", ".join(parts)


def _fit(text: str, width: float) -> str:
    """Wrap each line to what a tile of ``width`` (axes fraction) holds."""
    import textwrap

    chars = max(4, int(width * 140))
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


def mark_steps(ax: Axes, routine: dict[str, Any]) -> None:
    """Thin lines at the steps' starts on the force plot, numbered as the tiles are."""
    for i, s in enumerate(routine["steps"], 1):
        if s["start_s"] is None:
            continue
        ax.axvline(s["start_s"], color="#000000", linewidth=0.8, linestyle=":")
        ax.text(s["start_s"], 0.015, f" {i}", transform=ax.get_xaxis_transform(),
                fontsize=10, va="bottom", ha="left", color="#333333")
