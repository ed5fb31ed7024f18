"""Blitting a figure whose moving parts are animated artists: the driver of the live views.

:class:`BlitDriver` runs a blitted ``FuncAnimation`` over a view's animated artists, grouped by
the axes they sit in, and redraws only the groups whose look changed since the last frame
(text is the costly part of a frame and most of it changes a few times a minute), with a full
redraw every :data:`FULL_EVERY` frames and after any full draw of the figure. It knows nothing
of what the artists show: the view sets them in its frame function. It also keeps moving lines
and bars off the frames of framed axes, which a blitted frame cannot repaint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.animation import FuncAnimation
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axes._base import _AxesBase
    from matplotlib.figure import Figure

FULL_EVERY = 40
"""Every this many frames all artists are redrawn anyway (2 s at 20 frames/s)."""
FRAME_CLEARANCE_PX = 2.0
"""Moving lines and bars stay this far inside the frames of the framed axes."""


class BlitDriver:
    """``BlitDriver(fig, artists, show, framed=...)``: ``show()`` sets every artist for the
    next frame; :meth:`update` is the animation's frame function."""

    def __init__(self, fig: Figure, artists: Sequence[Artist], show: Callable[[], None], *,
                 framed: Sequence[Axes] = ()) -> None:
        self.fig = fig
        self.artists = list(artists)
        self._show = show
        self._framed = list(framed)
        self.animation: FuncAnimation | None = None
        self._groups: dict[_AxesBase, list[Artist]] = {}
        for a in self.artists:
            assert a.axes is not None
            self._groups.setdefault(a.axes, []).append(a)
        self._signatures: dict[_AxesBase, tuple[object, ...]] = {}
        self._frames = 0
        self._full_next = True
        self._keep_off_frames()
        fig.canvas.mpl_connect("draw_event", self._on_full_draw)

    def update(self, _frame_no: object = None) -> list[Artist]:
        """Set every animated artist; return those of the axes that changed since the last
        frame (all of them on the first frame, after any full redraw, and every
        :data:`FULL_EVERY` frames)."""
        self._show()
        self._frames += 1
        if self._full_next or self._frames % FULL_EVERY == 0:
            self._full_next = False
            self._signatures = {ax: _signature(arts) for ax, arts in self._groups.items()}
            return self.artists
        out: list[Artist] = []
        for ax, arts in self._groups.items():
            sig = _signature(arts)
            if sig != self._signatures.get(ax):
                self._signatures[ax] = sig
                out.extend(arts)
        return out

    def _on_full_draw(self, _event: object) -> None:
        # A full draw (first show, resize, expose) leaves animated artists out: redraw all.
        self._full_next = True
        self._keep_off_frames()

    def _keep_off_frames(self) -> None:
        """Clip the moving lines and bars of the framed axes to :data:`FRAME_CLEARANCE_PX`
        inside the frame. A blitted frame restores its axes' box rounded to whole pixels,
        without the frame's last column: a trace or a level mark drawn there would never be
        wiped, and would break the frame up."""
        from matplotlib.text import Text
        from matplotlib.transforms import Bbox, TransformedBbox

        for ax in self._framed:
            w, h = ax.bbox.width, ax.bbox.height
            if w <= 4 * FRAME_CLEARANCE_PX or h <= 4 * FRAME_CLEARANCE_PX:
                continue
            fx, fy = FRAME_CLEARANCE_PX / w, FRAME_CLEARANCE_PX / h
            inside = TransformedBbox(Bbox.from_extents(fx, fy, 1.0 - fx, 1.0 - fy),
                                     ax.transAxes)
            for a in self._groups.get(ax, []):
                if not isinstance(a, Text):
                    a.set_clip_box(inside)

    def animate(self, interval_ms: int = 50,
                frame: Callable[[object], list[Artist]] | None = None) -> FuncAnimation:
        """Start a blitted FuncAnimation on the figure's canvas; the view keeps a reference
        (an animation that is garbage collected stops)."""
        from matplotlib.animation import FuncAnimation

        class _WindowBoundAnimation(FuncAnimation):
            """Stops by itself once its window is gone.

            Closing a window hands the figure a plain canvas at once, but tears the window
            down only when the toolkit is next idle; a frame due in between would blit to a
            canvas that cannot, and print a traceback as the user closes the window.
            """

            def _step(self, *args: Any) -> bool:
                if fig.canvas is not canvas:
                    if self.event_source is not None:
                        self.event_source.stop()  # type: ignore[no-untyped-call]
                    return False
                return bool(super()._step(*args))  # type: ignore[misc]

        step = frame or self.update
        fig = self.fig
        canvas = fig.canvas
        self.animation = _WindowBoundAnimation(
            self.fig, step, init_func=lambda: step(None), interval=interval_ms, blit=True,
            cache_frame_data=False,
        )
        return self.animation

    def stop_animation(self) -> None:
        anim = self.animation
        if anim is not None and anim.event_source is not None:
            anim.pause()



def _signature(artists: list[Artist]) -> tuple[object, ...]:
    """What a frame of these artists looks like, cheap to compare. Lines and patches are
    data that move every frame: they never compare equal."""
    from matplotlib.text import Text

    sig: list[object] = []
    for a in artists:
        if not isinstance(a, Text):
            return (object(),)
        patch = a.get_bbox_patch()
        sig.append((a.get_text(), a.get_visible(), str(a.get_color()), a.get_fontsize(),
                    a.get_fontweight(),
                    None if patch is None else tuple(patch.get_facecolor())))
    return tuple(sig)
