"""FuncAnimation's blit cycle, callable by hand: for rendering frames on Agg in tests (where
no timer runs) and for timing a frame in benchmarks."""

from __future__ import annotations

from matplotlib.artist import Artist

from smartball.view.live import LiveView


class Blitter:
    """FuncAnimation's blit cycle, callable by hand: for headless rendering on Agg (where no
    timer runs) and for timing a frame. Like FuncAnimation it restores the background of the
    axes drawn last frame, draws what :meth:`LiveView.update` returns, and blits those axes."""

    def __init__(self, view: LiveView) -> None:
        self.view = view
        canvas = view.fig.canvas
        for a in view.artists:
            a.set_animated(True)
        canvas.draw()
        self._bg = {
            ax: canvas.copy_from_bbox(ax.bbox)  # type: ignore[attr-defined]
            for ax in dict.fromkeys(a.axes for a in view.artists if a.axes is not None)
        }
        self._drawn: list[Artist] = []

    def frame(self) -> list[Artist]:
        canvas = self.view.fig.canvas
        for ax in {a.axes for a in self._drawn if a.axes is not None}:
            canvas.restore_region(self._bg[ax])  # type: ignore[attr-defined]
        artists = self.view.update()
        for a in artists:
            assert a.axes is not None
            a.axes.draw_artist(a)
        for axes in {a.axes for a in artists if a.axes is not None}:
            canvas.blit(axes.bbox)
        self._drawn = artists
        return artists
