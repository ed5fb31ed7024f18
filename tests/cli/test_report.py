"""``smartball report``: a real figure from a session file, and one clear sentence for bad
input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartball.cli import main
from smartball.view.style import HOLD_COLOUR, WARNING_COLOUR, ZONE_COLOURS

from ..view.pngcheck import assert_real_picture, count_colour
from ..view.synthetic import story


def write_csv(path: Path, t: np.ndarray, force: np.ndarray) -> Path:
    lines = ["# synthetic session", "t_s,force_n"]
    lines += [f"{a:.3f},{b:.2f}" for a, b in zip(t, force, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def story_csv(tmp_path: Path) -> Path:
    r = story(seconds=45.0)
    return write_csv(tmp_path / "story.csv", r.t_s, r.force_n)


def test_report_draws_the_session(story_csv: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.png"
    assert main(["report", str(story_csv), "--out", str(out)]) == 0
    rgb = assert_real_picture(out, min_w=1200, min_h=800, min_colours=20)
    assert count_colour(rgb, WARNING_COLOUR) > 2000  # the too-hard bar and its stretch
    assert count_colour(rgb, HOLD_COLOUR) > 2000  # the hold that reached 10 s
    assert count_colour(rgb, ZONE_COLOURS["moderate"]) > 2000  # the time-in-zone bar
    assert "wrote" in capsys.readouterr().err


def test_report_names_the_calibration_on_the_figure(story_csv: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import smartball.view.report as view

    texts: list[str] = []
    monkeypatch.setattr(view, "save_figure",
                        lambda fig, _path: texts.extend(x.get_text() for x in fig.texts))
    assert main(["report", str(story_csv), "--out", str(tmp_path / "r.png")]) == 0
    assert any(x.startswith("force from the reference ball") for x in texts)


def test_report_figures_match_the_summary(story_csv: Path, tmp_path: Path) -> None:
    from smartball.view.report import write_report

    data = write_report(str(story_csv), str(tmp_path / "r.png"))
    s = data.summary
    assert len(s["holds"]) == 1
    assert s["holds"][0]["end_s"] - s["holds"][0]["start_s"] >= 10.0
    assert len(s["too_hard"]) == 1
    assert s["max_force_n"] == pytest.approx(215.0, abs=1.0)
    assert data.t_s.shape[0] <= 4001
    assert float(data.force_n.max()) == pytest.approx(215.0, abs=1.0)


def test_report_without_holds_says_so(tmp_path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from smartball.view.report import collect, draw

    t = np.arange(0.0, 20.0, 0.01)
    csv = write_csv(tmp_path / "roll.csv", t, 30.0 + 5.0 * np.sin(2 * np.pi * 0.5 * t))
    data = collect(str(csv))
    fig = Figure(figsize=(14, 9.5))
    FigureCanvasAgg(fig)
    draw(data, fig)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(x.startswith("No holds") for x in texts)
    assert "no holds" in texts and "0 of 0" not in texts  # the headline's card
    assert any(x == "never" for x in texts)  # time too hard


def test_pdf_output_works(story_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert main(["report", str(story_csv), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "does not exist"),
        (b"", "empty"),
        (b"time,pressure\n1,2\n", "column"),
    ],
)
def test_bad_input_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   content: bytes | None, words: str) -> None:
    src = tmp_path / "in.csv"
    if content is not None:
        src.write_bytes(content)
    out = tmp_path / "r.png"
    assert main(["report", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("smartball report: ")
    assert words in err.lower()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_missing_output_folder_is_refused(story_csv: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(story_csv), "--out", str(tmp_path / "no" / "r.png")]) == 1
    assert "folder does not exist" in capsys.readouterr().err


def test_unknown_output_kind_is_refused(story_csv: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(story_csv), "--out", str(tmp_path / "r.txt")]) == 1
    assert ".png" in capsys.readouterr().err


def test_report_of_a_simulated_serial_capture(tmp_path: Path) -> None:
    from smartball.sim.ball import SimulatedBall

    capture = tmp_path / "demo.bin"
    capture.write_bytes(SimulatedBall("demo", seed=0).serial_bytes())
    out = tmp_path / "demo.png"
    assert main(["report", str(capture), "--out", str(out)]) == 0
    rgb = assert_real_picture(out, min_w=1200, min_h=800, min_colours=20)
    assert count_colour(rgb, WARNING_COLOUR) > 500  # the demo's one too-hard press
    assert count_colour(rgb, HOLD_COLOUR) > 2000  # its two holds
