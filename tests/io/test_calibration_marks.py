from __future__ import annotations

from pathlib import Path

import pytest

from smartball.errors import InputError
from smartball.io.calibration_marks import marks_path, parse_marks, read_marks, write_marks
from smartball.processing.calibration_fit import G_MPS2, HeldLoad


def test_kilograms_newtons_comments_and_round_trip(tmp_path: Path) -> None:
    kg = parse_marks("# noted by hand\nstart_s,end_s,load_kg\n1.0,13.0,3.2\n\n20,32,6.4\n")
    assert kg == [HeldLoad(1.0, 13.0, 3.2 * G_MPS2), HeldLoad(20.0, 32.0, 6.4 * G_MPS2)]
    n = parse_marks("load_n,start_s,end_s\n120,1,13\n")
    assert n == [HeldLoad(1.0, 13.0, 120.0)]
    path = marks_path(tmp_path / "cal.sbrec")
    assert path.name == "cal.sbrec.marks.csv"
    write_marks(path, kg)
    back = read_marks(path)
    assert [(m.start_s, m.end_s) for m in back] == [(1.0, 13.0), (20.0, 32.0)]
    assert [m.force_n for m in back] == pytest.approx([m.force_n for m in kg], rel=1e-4)


@pytest.mark.parametrize("text, match", [
    ("", "is empty"),
    ("# only a comment\n", "is empty"),
    ("start,end,kg\n1,2,3\n", "needs the columns"),
    ("start_s,end_s,load_kg\n1,2\n", "row 2"),
    ("start_s,end_s,load_kg\n1,13,3.2\n20,32,nan\n", "row 3"),
    ("start_s,end_s,load_kg\n1,inf,3.2\n", "row 2"),
    ("start_s,end_s,load_kg,load_n\n1,13,3.2,\n20,32,,62.8\n", "both a load_kg and a load_n"),
])
def test_bad_marks(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_marks(text)


def test_a_marks_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(InputError, match="not a text file"):
        read_marks(path)
