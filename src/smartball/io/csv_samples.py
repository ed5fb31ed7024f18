"""The CSV form of DESIGN.md, read in chunks.

A header row; lines starting with ``#`` are comments. ``t_s`` (seconds, increasing) and
either ``force_n`` or ``pressure_pa`` (with optional ``temp_c``); optional ``gyro_x_dps``,
``gyro_y_dps``, ``gyro_z_dps``, ``accel_x_g``, ``accel_y_g``, ``accel_z_g``. Other columns
are ignored. A bad row is reported with its line number, in one sentence that says what to do.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from smartball.block import SampleBlock
from smartball.errors import InputError

F64 = npt.NDArray[np.float64]

GYRO_COLUMNS = ("gyro_x_dps", "gyro_y_dps", "gyro_z_dps")
ACCEL_COLUMNS = ("accel_x_g", "accel_y_g", "accel_z_g")
KNOWN_COLUMNS = ("t_s", "force_n", "pressure_pa", "temp_c", *GYRO_COLUMNS, *ACCEL_COLUMNS)
CHUNK_ROWS = 65536


class CsvSamplesReader:
    """Iterates a CSV file as :class:`SampleBlock` chunks of at most ``chunk_rows`` rows."""

    def __init__(self, path: str | Path, chunk_rows: int = CHUNK_ROWS) -> None:
        self.path = Path(path)
        self.chunk_rows = chunk_rows
        self.columns: list[str] = []
        self._used: list[int] = []
        """Where the known columns stand in a row; only they are read."""
        self.sample_rate_hz: float | None = None
        """Median rate of the first chunk; known once the first block has been read."""

    def __iter__(self) -> Iterator[SampleBlock]:
        with open(self.path, encoding="utf-8", errors="replace", newline="") as fh:
            yield from self._blocks(fh)

    def _blocks(self, fh: IO[str]) -> Iterator[SampleBlock]:
        name = self.path.name
        header_line = 0
        for lineno, line in enumerate(fh, 1):
            s = line.strip()
            if s and not s.startswith("#"):
                self.columns = [c.strip().strip('"').strip() for c in s.split(",")]
                header_line = lineno
                break
        if not self.columns:
            raise InputError(f"{name} has no header row; a CSV starts with a line naming its "
                             "columns, e.g. 't_s,force_n'.")
        self._used = [i for i, c in enumerate(self.columns) if c in KNOWN_COLUMNS]
        cols = {self.columns[i]: k for k, i in enumerate(self._used)}
        if "t_s" not in cols:
            raise InputError(f"{name} has no 't_s' column; add the time in seconds as a "
                             "column named t_s.")
        if "force_n" not in cols and "pressure_pa" not in cols:
            raise InputError(f"{name} has neither a 'force_n' nor a 'pressure_pa' column; "
                             "add one of them.")
        required = ["t_s", "force_n" if "force_n" in cols else "pressure_pa"]
        last_t = -np.inf
        total = 0
        lineno = header_line
        while True:
            lines: list[str] = []
            numbers: list[int] = []
            for line in fh:
                lineno += 1
                s = line.strip()
                if not s or s.startswith("#"):
                    continue
                lines.append(s)
                numbers.append(lineno)
                if len(lines) >= self.chunk_rows:
                    break
            if not lines:
                break
            table = self._parse(lines, numbers, [cols[c] for c in required])
            t = table[:, cols["t_s"]]
            prev = np.concatenate([[last_t], t[:-1]])
            bad = np.flatnonzero(~(t > prev))
            if bad.size:
                raise InputError(f"{name} line {numbers[bad[0]]}: t_s does not increase "
                                 f"({t[bad[0]]:g} after {prev[bad[0]]:g}); sort the rows by "
                                 "time and remove repeated ones.")
            last_t = float(t[-1])
            if self.sample_rate_hz is None and t.size > 1:
                self.sample_rate_hz = float(1.0 / np.median(np.diff(t)))
            yield self._block(table, cols, total)
            total += t.size
        if total == 0:
            raise InputError(f"{name} has a header but no rows of samples; export the "
                             "session again.")

    def _parse(self, lines: list[str], numbers: list[int], required: list[int]) -> F64:
        """The known columns of the rows, in their order in the header."""
        commas = len(self.columns) - 1
        try:
            if any(line.count(",") != commas for line in lines):
                raise ValueError  # a row that does not fit the header: say which
            table = np.loadtxt(io.StringIO("\n".join(lines)), delimiter=",", ndmin=2,
                               dtype=np.float64, usecols=self._used)
        except ValueError:
            table = self._parse_slowly(lines, numbers)
        for k in required:
            bad = np.flatnonzero(~np.isfinite(table[:, k]))
            if bad.size:
                raise InputError(f"{self.path.name} line {numbers[bad[0]]}: "
                                 f"{self.columns[self._used[k]]} is empty or not a number; "
                                 "fill in or delete that row.")
        return table

    def _parse_slowly(self, lines: list[str], numbers: list[int]) -> F64:
        """Row by row, to name the line that is wrong; empty optional fields become NaN."""
        ncol = len(self.columns)
        table = np.empty((len(lines), len(self._used)))
        for r, (s, lineno) in enumerate(zip(lines, numbers, strict=True)):
            fields = s.split(",")
            if len(fields) != ncol:
                raise InputError(f"{self.path.name} line {lineno}: {len(fields)} fields where "
                                 f"the header names {ncol}; fix or delete that row.")
            for k, c in enumerate(self._used):
                fld = fields[c].strip()
                try:
                    table[r, k] = float(fld) if fld else np.nan
                except ValueError:
                    raise InputError(f"{self.path.name} line {lineno}: {fld!r} in column "
                                     f"{self.columns[c]} is not a number; fix or delete that "
                                     "row.") from None
        return table

    def _block(self, table: F64, cols: dict[str, int], first_index: int) -> SampleBlock:
        n = table.shape[0]

        def col(name: str) -> F64 | None:
            return table[:, cols[name]].copy() if name in cols else None

        def col3(names: tuple[str, str, str]) -> F64 | None:
            if not any(c in cols for c in names):
                return None
            return np.stack([table[:, cols[c]] if c in cols else np.full(n, np.nan)
                             for c in names], axis=1)

        return SampleBlock.from_arrays(
            table[:, cols["t_s"]].copy(),
            pressure_pa=col("pressure_pa"),
            temp_c=col("temp_c"),
            force_n=col("force_n"),
            gyro_dps=col3(GYRO_COLUMNS),
            accel_g=col3(ACCEL_COLUMNS),
            index=np.arange(first_index, first_index + n),
        )
