"""Reading and writing the return as the DfE's CSV files, one file per table."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from safehold.returns.ssda903.domain.tables import (
    ATTRS,
    COLUMNS,
    FILE_NAMES,
    ROW_TYPES,
    Return903,
    as_tuple,
    tables_for_year,
)


class FileProblem(ValueError):
    """A file could not be read as an SSDA903 table. ``problems`` holds one message per fault."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def write_csv(ret: Return903) -> dict[str, str]:
    """File name → CSV text for every table of the year (a table with no rows still has its header)."""
    out: dict[str, str] = {}
    for table in tables_for_year(ret.year):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS[table])
        for row in ret.rows(table):
            writer.writerow(as_tuple(row, table))
        out[f"{FILE_NAMES[table]}.csv"] = buf.getvalue()
    return out


def _decode(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem([f"{name}: cannot be read as text (use UTF-8)"])


def identify(columns: tuple[str, ...]) -> str | None:
    """The table a file holds, recognised (as the DfE tool does) by its set of columns."""
    wanted = {c.strip().upper() for c in columns if c.strip()}
    for table, cols in COLUMNS.items():
        if set(cols) == wanted:
            return table
    return None


def read_csv(files: Mapping[str, bytes], *, year: int) -> Return903:
    """Read the files of one return. Tables are recognised by their columns, not their file names.

    Raises :class:`FileProblem` listing every file that is not a 903 table, or a table given twice.
    """
    problems: list[str] = []
    tables: dict[str, list[object]] = {}
    for name in sorted(files):
        text = _decode(name, files[name])
        reader = csv.reader(io.StringIO(text))
        try:
            heading = tuple(next(reader))
        except StopIteration:
            problems.append(f"{name}: the file is empty")
            continue
        table = identify(heading)
        if table is None:
            problems.append(f"{name}: the columns {', '.join(heading)} do not match any SSDA903 table")
            continue
        if table in tables:
            problems.append(f"{name}: a second {table} table")
            continue
        index = [c.strip().upper() for c in heading]
        row_type = ROW_TYPES[table]
        # Positions of the dataclass's fields in this file's column order.
        order = [index.index(col) for col in COLUMNS[table]]
        width = len(index)
        identity = order == list(range(width))
        rows: list[object] = []
        for line_no, values in enumerate(reader, start=2):
            if len(values) != width:
                if not any(v.strip() for v in values):
                    continue
                problems.append(f"{name} line {line_no}: {len(values)} values, expected {width}")
                continue
            cleaned = list(map(str.strip, values if identity else [values[i] for i in order]))
            if any(cleaned):
                rows.append(row_type(*cleaned))
        tables[table] = rows
    if problems:
        raise FileProblem(problems)
    ret = Return903(year=year, present=frozenset(tables))
    for table, rows in tables.items():
        setattr(ret, ATTRS[table], rows)
    return ret
