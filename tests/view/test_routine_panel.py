"""The live view during a routine, rendered with Agg: step, time left, target band, coach."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from smartball.events import Event
from smartball.routines.model import load_routine
from smartball.routines.processing import RoutineProcessor
from smartball.sim.ball import SimulatedBall
from smartball.sim.performers import performer_scenario
from smartball.view.buffer import LiveBuffer
from smartball.view.live import LiveView
from smartball.view.routine_panel import RoutineWatch

from .pngcheck import assert_real_picture


def _view(name: str, style: str, seconds: float, channels: tuple[str, ...]) -> LiveView:
    routine = load_routine(name)
    ball = SimulatedBall(performer_scenario(routine, style, 1, channels=channels), seed=1,
                         seconds=seconds)
    s = ball.signals
    from smartball.block import SampleBlock

    gyro = s.gyro_dps if "gyro" in channels else None
    accel = s.accel_g if "accel" in channels else None
    block = SampleBlock.from_arrays(s.t_s, pressure_pa=s.pressure_pa, temp_c=s.temp_c,
                                    gyro_dps=gyro, accel_g=accel)
    proc = RoutineProcessor(routine)
    buf = LiveBuffer()
    buf.on_event(Event(0.0, "connected"))
    watch = RoutineWatch(routine)
    for a in range(0, len(block), 20):
        result = proc.process(block[a:a + 20])
        buf.on_samples(result)
        watch.on_samples(result)
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    view = LiveView(buf, fig, title="test", routine=watch)
    view.update()
    return view


def test_the_step_its_time_and_target_band_are_shown(tmp_path: Path) -> None:
    view = _view("inflamed", "careless", 20.0, ("pressure", "gyro", "accel"))
    panel = view.routine_panel
    assert panel is not None
    assert panel.step_text.get_text().startswith("Step 1 of 5")
    assert "left in step" in panel.time_text.get_text()
    assert panel.instruction_text.get_text() == load_routine("inflamed").steps[0].instruction
    assert panel.next_text.get_text() == "next: Left foot: across"
    assert panel.band.get_visible() and panel.band.get_y() == 10.0
    assert panel.band.get_height() == 40.0  # light: 10-50 N
    assert view.coach_text.get_text() == "Lighter: this routine stays light."
    assert "last stroke" in panel.score_text.get_text()
    out = tmp_path / "routine.png"
    view.fig.savefig(out)
    assert_real_picture(out)


def test_without_an_imu_the_view_says_why_there_are_no_strokes() -> None:
    view = _view("quick", "faithful", 12.0, ("pressure",))
    assert view.routine_panel is not None
    assert "no strokes" in view.routine_panel.score_text.get_text()


def test_the_hold_panel_asks_for_holds_only_where_the_routine_does() -> None:
    inflamed = _view("inflamed", "faithful", 20.0, ("pressure", "gyro", "accel"))
    assert inflamed.hold_note.get_text() == "light only: no holds"
    rolling_step = _view("quick", "faithful", 20.0, ("pressure", "gyro", "accel"))
    assert rolling_step.hold_note.get_text() == ""
    holds_step = _view("sore-spots", "faithful", 70.0, ("pressure", "gyro", "accel"))
    assert holds_step.routine_panel is not None
    assert holds_step.routine_panel.step_text.get_text().startswith("Step 2 of 5")
    assert holds_step.hold_note.get_text() == "stop on a sore spot"
    assert "holds 0 of 3" in holds_step.routine_panel.score_text.get_text()


def test_more_holds_than_asked_are_counted_as_made() -> None:
    import dataclasses

    view = _view("sore-spots", "faithful", 70.0, ("pressure", "gyro", "accel"))
    panel, watch = view.routine_panel, view.routine
    assert panel is not None and watch is not None
    step = watch.read()
    for made, words in ((2, "holds 2 of 3"), (3, "holds 3 of 3"), (4, "holds 4 (3 asked)")):
        panel.show(dataclasses.replace(step, holds=made, holds_asked=3))
        assert words in panel.score_text.get_text()
        assert "4 of 3" not in panel.score_text.get_text()
