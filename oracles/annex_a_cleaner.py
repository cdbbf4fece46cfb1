"""Running the sector's Annex A cleaner (liiatools 0.2.0 ``annex-a cleanfile``) on a workbook and reading what it
says, for the Annex A oracle tests: its log (values it blanked, blank cells it expected filled, anything else) and
the cleaned workbook."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

Counts = dict[tuple[str, str], int]  # (sheet, column) -> cells


@dataclass
class Cleaned:
    log_text: str
    formatting: Counts  # cells the cleaner made blank because their value was wrong
    blanks: Counts  # blank cells that should have held data
    other: list[str]  # any other line of the log
    path: Path  # the cleaned workbook (absent when the cleaner did not match every sheet)


def clean(oracle_python: Path, workbook: Path, tmp_path: Path) -> Cleaned:
    """Run the cleaner on ``workbook`` (its name must carry the year) with logs and output under ``tmp_path``."""
    (tmp_path / "log").mkdir()
    (tmp_path / "clean").mkdir()
    result = subprocess.run(  # noqa: S603
        [str(oracle_python.absolute()), "-m", "liiatools", "annex-a", "cleanfile", "--i", str(workbook),
         "--la_code", "tow", "--la_log_dir", str(tmp_path / "log"), "--o", str(tmp_path / "clean")],
        cwd=tmp_path, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    log_text = "".join(p.read_text() for p in (tmp_path / "log").glob("*.txt"))
    formatting, blanks, other = parse_log(log_text)
    return Cleaned(log_text, formatting, blanks, other, tmp_path / "clean" / f"{workbook.stem}_clean.xlsx")


def parse_log(text: str) -> tuple[Counts, Counts, list[str]]:
    """(formatting errors, blank errors, other messages) from a liiatools Annex A error log."""
    formatting: Counts = {}
    blanks: Counts = {}
    other: list[str] = []
    sheet = ""
    target: Counts | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if re.fullmatch(r"List \d+", line.strip()):
            sheet, target = line.strip(), None
        elif line.startswith("Number of cells that have been made blank"):
            target = formatting
        elif line.startswith("Number of blank cells that should have contained data"):
            target = blanks
        elif target is not None and re.match(r"""^['"]""", line):
            for _, column, n in re.findall(r"""(['"])(.+?)\1: (\d+)""", line):
                target[(sheet, column)] = int(n)
        else:
            other.append(line)
            target = None
    return formatting, blanks, other


def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


def blank(value: object) -> bool:
    return value is None or value == ""


def assert_kept_values_are_ours(
    ours: list[tuple[object, ...]], cleaned: list[tuple[object, ...]], degraded: set[str]
) -> None:
    """Every value the cleaner kept in a list is the one we wrote (columns it minimises, ``degraded``, aside)."""
    heads = ours[0]
    for orow, crow in zip(ours[1:], cleaned[1:], strict=True):
        for column, theirs in zip(cleaned[0], crow, strict=True):
            if column in degraded:
                continue
            mine = orow[heads.index(column)]
            if blank(mine) and blank(theirs):
                continue
            if hasattr(mine, "date") and hasattr(theirs, "date") and mine.date() == theirs.date():  # type: ignore[union-attr]
                continue
            assert mine == theirs or str(mine) == str(theirs), (column, mine, theirs)
