"""The 903 CSV reader's fast paths (plain split, no stripping, direct row construction) give exactly the rows the
csv module and the dataclass constructors give, and the slow paths still handle quoting, padding and odd line ends.
"""

from __future__ import annotations

import csv
import dataclasses
import io

from safehold.returns.ssda903.domain import synthetic, write_csv
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.csvio import read_csv


def _reference_read(files: dict[str, str], year: int) -> t.Return903:
    """What the reader must produce: every file through the csv module, every value stripped, rows built by the
    dataclass constructors."""
    ret = t.Return903(year=year)
    for text in files.values():
        records = list(csv.reader(io.StringIO(text)))
        heading = [c.strip().upper() for c in records[0]]
        table = next(name for name, cols in t.COLUMNS.items() if set(cols) == set(heading))
        rows = []
        for values in records[1:]:
            cleaned = [v.strip() for v in values]
            if len(cleaned) == len(heading) and any(cleaned):
                by_name = dict(zip(heading, cleaned, strict=True))
                rows.append(t.ROW_TYPES[table](*(by_name[c] for c in t.COLUMNS[table])))
        setattr(ret, t.ATTRS[table], rows)
    return ret


def _same_rows(got: t.Return903, want: t.Return903) -> None:
    for table in t.COLUMNS:
        mine, theirs = got.rows(table), want.rows(table)
        assert mine == theirs, table
        assert all(type(a) is type(b) and hash(a) == hash(b) for a, b in zip(mine, theirs, strict=True))


def test_plain_files_read_as_the_csv_module_reads_them() -> None:
    ret = synthetic.clean_return(40, seed=3, year=2027)
    files = write_csv(ret)
    got = read_csv({n: s.encode() for n, s in files.items()}, year=2027)
    _same_rows(got, _reference_read(files, 2027))
    _same_rows(got, ret)
    episode = got.episodes[0]
    assert dataclasses.replace(episode, DEC="01/01/2026").DEC == "01/01/2026"  # still a frozen dataclass
    try:
        episode.DEC = "x"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("rows must stay frozen")


def test_padding_quoting_and_line_ends_take_the_careful_path() -> None:
    ret = synthetic.clean_return(8, seed=7)
    files = write_csv(ret)
    header = files["header.csv"]
    variants = {
        "padded": header.replace(",", " , "),
        "tab": header.replace(",F,", ",\tF,"),
        "quoted": header.replace("\n", ',"x"\n', 0).replace("C007000000,", '"C007000000",'),
        "crlf": header.replace("\n", "\r\n"),
        "blank lines": header + "\n\n,,,,,,\n",
        "no final newline": header.rstrip("\n") + "  ",
        "nbsp": header.replace(",F,", ",F\u00a0,"),
    }
    for label, text in variants.items():
        one = {"header.csv": text}
        got = read_csv({"header.csv": text.encode()}, year=2026)
        assert got.header == _reference_read(one, 2026).header, label
    assert read_csv({"header.csv": variants["padded"].encode()}, year=2026).header == ret.header
