"""``smartball export FILE --out OUT.csv``: the samples of a recording (or a raw serial
capture) as the CSV form of DESIGN.md, in physical units, read and written in chunks.

Columns: ``t_s`` (device seconds), ``pressure_pa``, ``temp_c``, and the gyro and accel
columns when the ball sent them; a channel missing from a sample is an empty field. The
header comments say where the samples came from, so the CSV stands on its own.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from smartball.errors import InputError

if TYPE_CHECKING:
    from smartball.block import SampleBlock

BASE_COLUMNS = (("t_s", "%.4f"), ("pressure_pa", "%.2f"), ("temp_c", "%.2f"))
GYRO_COLUMNS = (("gyro_x_dps", "%.3f"), ("gyro_y_dps", "%.3f"), ("gyro_z_dps", "%.3f"))
ACCEL_COLUMNS = (("accel_x_g", "%.5f"), ("accel_y_g", "%.5f"), ("accel_z_g", "%.5f"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a recording (or a raw serial capture)")
    parser.add_argument("--out", metavar="OUT.csv", required=True,
                        help="the CSV file to write ('-' for stdout)")


def _table(block: SampleBlock, gyro: bool, accel: bool) -> str:
    import numpy as np

    cols = [block.t_s, block.pressure_pa, block.temp_c]
    fmts = [f for _, f in BASE_COLUMNS]
    if gyro:
        cols += [block.gyro_dps[:, k] for k in range(3)]
        fmts += [f for _, f in GYRO_COLUMNS]
    if accel:
        cols += [block.accel_g[:, k] for k in range(3)]
        fmts += [f for _, f in ACCEL_COLUMNS]
    buf = io.StringIO()
    np.savetxt(buf, np.column_stack(cols), fmt=fmts, delimiter=",")
    # An absent reading is an empty field, as spreadsheets expect.
    return buf.getvalue().replace("nan", "")


def export(path: str, out: TextIO) -> int:
    """Write the CSV of ``path`` to ``out``; returns the number of rows."""
    from smartball.io.load import open_session

    reader = open_session(path)
    if reader.info.format == "csv":
        raise InputError(f"{path} is already a CSV; export reads recordings and serial captures")
    rows = 0
    columns: tuple[bool, bool] | None = None
    for block in reader:
        if columns is None:
            columns = (block.has_gyro, block.has_accel)
            names = [n for n, _ in BASE_COLUMNS]
            names += [n for n, _ in GYRO_COLUMNS] if columns[0] else []
            names += [n for n, _ in ACCEL_COLUMNS] if columns[1] else []
            out.write(f"# smartball export of {Path(path).name} ({reader.info.format})\n")
            out.write(f"# sample_rate_hz={reader.info.sample_rate_hz:g}")
            if reader.info.ball_diameter_mm:
                out.write(f" ball_diameter_mm={reader.info.ball_diameter_mm:g}")
            out.write("\n" + ",".join(names) + "\n")
        out.write(_table(block, *columns))
        rows += len(block)
    out.write(f"# lost_samples={reader.info.lost_samples} crc_errors={reader.info.crc_errors}\n")
    return rows


def run(args: argparse.Namespace) -> int:
    if args.out == "-":
        export(args.file, sys.stdout)
        return 0
    out = Path(args.out)
    if not out.parent.is_dir():
        raise InputError(f"the folder {out.parent} does not exist; create it or choose another "
                         "--out")
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            rows = export(args.file, fh)
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    print(f"wrote {rows} samples to {out}", file=sys.stderr)
    return 0
