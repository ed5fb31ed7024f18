"""The marks file of a scale calibration: one row per held load, ``start_s,end_s,load_kg``
(or ``load_n``), times in the recording's own seconds from its first sample. Lines that
start with ``#`` are comments."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from pathlib import Path

from smartball.errors import InputError, InputFileNotFound
from smartball.processing.calibration_fit import G_MPS2, HeldLoad

HEADER_KG = ("start_s", "end_s", "load_kg")


def parse_marks(text: str, name: str = "the marks file") -> list[HeldLoad]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader(lines))
    if not rows:
        raise InputError(f"{name} is empty; write one line per held load: "
                         "start_s,end_s,load_kg.")
    header = [h.strip().lower() for h in rows[0]]
    if "load_kg" in header and "load_n" in header:
        raise InputError(f"{name} has both a load_kg and a load_n column; give every load in "
                         "one of them (kg as the scale shows it, or N) and delete the other.")
    unit = "load_kg" if "load_kg" in header else "load_n" if "load_n" in header else None
    if "start_s" not in header or "end_s" not in header or unit is None:
        raise InputError(f"{name} needs the columns start_s,end_s,load_kg (or load_n) in "
                         "its first line.")
    cols = [header.index(c) for c in ("start_s", "end_s", unit)]
    scale = G_MPS2 if unit == "load_kg" else 1.0
    marks = []
    for n, row in enumerate(rows[1:], start=2):
        try:
            start, end, load = (float(row[c]) for c in cols)
            if not all(math.isfinite(v) for v in (start, end, load)):
                raise ValueError
        except (IndexError, ValueError):
            raise InputError(f"{name}, row {n} ({','.join(row)}), is not three numbers "
                             f"{','.join(header[c] for c in cols)}; fix or delete it.") from None
        marks.append(HeldLoad(start, end, load * scale))
    return marks


def read_marks(path: str | Path) -> list[HeldLoad]:
    p = Path(path)
    if not p.is_file():
        raise InputFileNotFound(f"{p} does not exist; give the marks file "
                                "(start_s,end_s,load_kg per held load).")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{p.name} is not a text file; give the marks file "
                         "(start_s,end_s,load_kg per held load).") from None
    return parse_marks(text, p.name)


def marks_text(loads: Sequence[HeldLoad]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER_KG)
    for m in loads:
        writer.writerow([f"{m.start_s:.2f}", f"{m.end_s:.2f}", f"{m.force_n / G_MPS2:.3f}"])
    return out.getvalue()


def marks_path(recording: Path) -> Path:
    """Where the marks of a recording go: its name plus ``.marks.csv``."""
    return recording.with_name(recording.name + ".marks.csv")


def write_marks(path: str | Path, loads: Sequence[HeldLoad]) -> None:
    Path(path).write_text(marks_text(loads), encoding="utf-8")
