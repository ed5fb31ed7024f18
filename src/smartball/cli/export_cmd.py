"""``smartball export FILE --out OUT.csv [--processed]``: the samples of a recording (or a
raw serial capture) as the CSV form of DESIGN.md, in physical units, read and written in
whole blocks through the same pipeline as every other command.

Columns: ``t_s`` (device seconds), ``pressure_pa``, ``temp_c``, and the gyro and accel
columns when the ball sent them; a channel missing from a sample is an empty field.
``--processed`` adds what the processing made of each sample: ``force_n``, ``zone`` (its
name), ``rolling`` (0 or 1) and ``hold`` (seconds into the current hold; empty outside one),
with the ball's calibration (``--calibration``, default: your ball). The header comments say
where the samples came from (and which calibration made the force), so the CSV stands on its
own.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from smartball.cli.calibration_arg import add_calibration_argument
from smartball.errors import InputError, SmartBallError, UsageError
from smartball.out_file import CSV, check_args

if TYPE_CHECKING:
    from smartball.block import SampleBlock
    from smartball.context import SessionContext
    from smartball.processing import Calibration, ProcessResult

BASE_COLUMNS = (("t_s", "%.4f"), ("pressure_pa", "%.2f"), ("temp_c", "%.2f"))
GYRO_COLUMNS = (("gyro_x_dps", "%.3f"), ("gyro_y_dps", "%.3f"), ("gyro_z_dps", "%.3f"))
ACCEL_COLUMNS = (("accel_x_g", "%.5f"), ("accel_y_g", "%.5f"), ("accel_z_g", "%.5f"))
PROCESSED_COLUMNS = ("force_n", "zone", "rolling", "hold")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a recording (or a raw serial capture)")
    parser.add_argument("--out", metavar="OUT.csv", required=True,
                        help="the CSV file to write ('-' for stdout)")
    parser.add_argument("--processed", action="store_true",
                        help="add the force_n, zone, rolling and hold columns")
    add_calibration_argument(parser)


def _table(block: SampleBlock, gyro: bool, accel: bool, result: ProcessResult | None) -> str:
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
    text = buf.getvalue().replace("nan", "")
    if result is None:
        return text
    from smartball.events import ZONES

    buf = io.StringIO()
    # Where the sensor was at its end the force is not known: an empty field, the zone
    # too_hard (beyond what this ball can measure).
    np.savetxt(buf, np.column_stack([result.measured_force_n, result.hold_elapsed_s]),
               fmt=["%.3f", "%.2f"], delimiter=",")
    force_hold = buf.getvalue().replace("nan", "").splitlines()
    rows = []
    for line, extra, zone, rolling in zip(text.splitlines(), force_hold, result.zone.tolist(),
                                          result.rolling.tolist(), strict=True):
        force, hold = extra.split(",")
        rows.append(f"{line},{force},{ZONES[zone]},{int(rolling)},{hold}\n")
    return "".join(rows)


def export(path: str, out: TextIO, *, processed: bool = False,
           calibration: Calibration | None = None, calibration_name: str | None = None,
           context: SessionContext | None = None) -> int:
    """Write the CSV of ``path`` to ``out``; returns the number of rows. With ``processed``,
    force comes from ``context`` (what the session is processed with) or ``calibration``
    (None: the reference ball), named ``calibration_name`` in the header."""
    from smartball.io.load import open_file

    source = open_file(path)
    if source.format == "csv":
        raise InputError(f"{path} is already a CSV; export reads recordings and serial captures")
    pipeline = source.pipeline(process=processed,
                               calibration=calibration if context is None else None,
                               context=context)
    rows = 0
    columns: tuple[bool, bool] | None = None

    def write(block: SampleBlock, result: ProcessResult | None) -> None:
        nonlocal rows, columns
        if columns is None:
            info = source.info(pipeline)
            columns = (block.has_gyro, block.has_accel)
            names = [n for n, _ in BASE_COLUMNS]
            names += [n for n, _ in GYRO_COLUMNS] if columns[0] else []
            names += [n for n, _ in ACCEL_COLUMNS] if columns[1] else []
            names += list(PROCESSED_COLUMNS) if processed else []
            out.write(f"# smartball export of {Path(path).name} ({source.format})\n")
            out.write(f"# sample_rate_hz={info.sample_rate_hz:g}")
            if info.ball_diameter_mm:
                out.write(f" ball_diameter_mm={info.ball_diameter_mm:g}")
            if processed and calibration_name:
                out.write(f"\n# force from {calibration_name}")
            out.write("\n" + ",".join(names) + "\n")
        out.write(_table(block, *columns, result))
        rows += len(block)

    pipeline.add_block_listener(write)
    source.run(pipeline)
    info = source.info(pipeline)
    out.write(f"# lost_samples={info.lost_samples} crc_errors={info.crc_errors}\n")
    return rows


def run(args: argparse.Namespace) -> int:
    if args.calibration is not None and not args.processed:
        raise UsageError("--calibration turns pressure into force, which only --processed "
                         "adds; add --processed or drop --calibration")
    check_args(args, out=CSV)
    context: SessionContext | None = None
    name: str | None = None
    if args.processed:
        from smartball.cli.context_args import context_of_file

        chosen = context_of_file(args, args.file, "export")
        context, name = chosen.context, chosen.calibration_name

    def write(fh: TextIO) -> int:
        return export(args.file, fh, processed=args.processed, context=context,
                      calibration_name=name)

    if args.out == "-":
        write(sys.stdout)
        return 0
    out = Path(args.out).expanduser()
    # A new or regular file is written beside its place and renamed into it, so a failed
    # export leaves no half file; a link, a pipe or a device (/dev/stdout) is written into.
    plain = not out.is_symlink() and (out.is_file() or not out.exists())
    tmp = out.with_name(out.name + ".part") if plain else None
    try:
        with open(tmp or out, "w", encoding="utf-8", newline="") as fh:
            rows = write(fh)
        if tmp is not None:
            tmp.replace(out)
    except SmartBallError:
        _discard(tmp)
        raise
    except OSError as exc:  # the output's own folder, disk or permissions
        _discard(tmp)
        raise InputError(f"cannot write {out} ({exc.strerror or exc}); choose a path in a "
                         "folder you can write to") from None
    except BaseException:
        _discard(tmp)
        raise
    print(f"wrote {rows} samples to {out}", file=sys.stderr)
    return 0


def _discard(tmp: Path | None) -> None:
    """Remove the partial file, if there is one: the error that brought us here is the one to
    tell (a read-only folder refuses even the removal of a file that was never made)."""
    if tmp is not None:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
