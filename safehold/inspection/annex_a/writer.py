"""Write an Annex A as one workbook (sheets ``List 1`` … ``List 11``) and as one CSV per list."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from safehold.inspection.annex_a.domain import AnnexA, AnnexList, Value

DATE_FORMAT = "DD/MM/YYYY"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- the workbook ---------------------------------------------------------------------------------------------
# Written directly as SpreadsheetML (ECMA-376): a borough's Annex A is hundreds of thousands of cells, and a
# general-purpose writer spends ~60 microseconds on each (openpyxl without lxml); this spends about one. Cells
# are inline strings, numbers and dates (day serials with a DD/MM/YYYY format); row 1 is bold. Tests read the
# result back with openpyxl and the sector's cleaner (liiatools).

_EPOCH = dt.date(1899, 12, 30)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_STYLE_DATE, _STYLE_BOLD, _STYLE_TEXT = 1, 2, 3

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column_letters(n: int) -> list[str]:
    letters = []
    for i in range(n):
        name, k = "", i + 1
        while k:
            k, rem = divmod(k - 1, 26)
            name = chr(65 + rem) + name
        letters.append(name)
    return letters


def _text(value: str) -> str:
    return escape(_ILLEGAL_XML.sub("", value))


def _sheet_xml(lst: AnnexList) -> str:
    cols = _column_letters(len(lst.headings))
    escaped: dict[str, str] = {}
    last = len(cols) - 1
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    ]
    parts.extend(
        f'<c r="{col}1" t="inlineStr" s="{_STYLE_BOLD}"><is><t>{_text(h)}</t></is></c>'
        for col, h in zip(cols, lst.headings, strict=True)
    )
    parts.append("</row>")
    for n, row in enumerate(lst.rows, start=2):
        cells = [f'<row r="{n}">']
        for i, value in enumerate(row.values):
            ref = f"{cols[i]}{n}"
            if value is None or value == "":
                if i == last:  # a blank last cell is still written, as a template filled in Excel has it
                    cells.append(f'<c r="{ref}" s="{_STYLE_TEXT}"/>')
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{ref}" s="{_STYLE_DATE}"><v>{(value - _EPOCH).days}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                key = str(value)
                text = escaped.get(key)
                if text is None:
                    text = escaped[key] = _text(key)
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
        cells.append("</row>")
        parts.append("".join(cells))
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def workbook_bytes(annex: AnnexA) -> bytes:
    """The workbook: sheets ``List 1`` … ``List 11``, headings in row 1, dates shown DD/MM/YYYY.

    A blank last cell is written as an empty text cell, as a template filled in Excel has it: readers that
    size a row by its last cell (liiatools) otherwise see a short row.
    """
    numbers = range(1, len(annex.lists) + 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "[Content_Types].xml", _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers))
        )
        zf.writestr("_rels/.rels", _ROOT_RELS)
        sheets = "".join(
            f'<sheet name="{_text(lst.sheet_name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, lst in zip(numbers, annex.lists, strict=True)
        )
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=sheets))
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in numbers
        )
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(rels=rels))
        zf.writestr("xl/styles.xml", _STYLES)
        for n, lst in zip(numbers, annex.lists, strict=True):
            zf.writestr(f"xl/worksheets/sheet{n}.xml", _sheet_xml(lst))
    return buffer.getvalue()


def _date_columns(lst: AnnexList) -> list[int]:
    """Every date column says "date" in its heading."""
    return [i for i, heading in enumerate(lst.headings) if "date" in heading.lower()]


def _csv_value(value: Value) -> Value:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return value


def list_csv(lst: AnnexList) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(lst.headings)
    for row in lst.rows:
        writer.writerow([_csv_value(v) for v in row.values])
    return out.getvalue()


def csv_name(lst: AnnexList) -> str:
    return f"Annex_A_List_{lst.number:02d}.csv"


def workbook_name(annex: AnnexA) -> str:
    # liiatools reads the collection year from the file name.
    return f"Annex_A_{annex.as_of.year}_{annex.as_of:%m_%d}.xlsx"


def csv_zip_bytes(annex: AnnexA) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for lst in annex.lists:
            zf.writestr(csv_name(lst), list_csv(lst).encode("utf-8-sig"))
    return buffer.getvalue()


def write(annex: AnnexA, out: Path) -> list[Path]:
    """Write to ``out``: a ``.xlsx`` path gets the workbook only; a directory gets the workbook and the CSVs."""
    if out.suffix.lower() == ".xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(workbook_bytes(annex))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = [out / workbook_name(annex)]
    written[0].write_bytes(workbook_bytes(annex))
    for lst in annex.lists:
        path = out / csv_name(lst)
        path.write_text(list_csv(lst), encoding="utf-8-sig", newline="")
        written.append(path)
    return written
