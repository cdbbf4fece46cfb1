"""What a return job does: export a collection year's return from the record, exactly as the command line does
(``manage.py returns export cin|903``), then check the file with Safehold's own implementation of the DfE rules,
reading it back as the validate command does (``returns validate cin FILE``; for SSDA903
``returns validate 903 DIR --previous PREVIOUS_DIR``, last year's return being exported from the record as it now
stands). Each step reports its progress.

The file is the command's file byte for byte: the CIN census XML, or the SSDA903 CSV tables (zipped, one file per
table, named as the command names them).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from safehold.core.jobs import Progress

XML_TYPE = "application/xml"
ZIP_TYPE = "application/zip"
#: A fixed time stamp for zip entries, so the same return zips to the same bytes.
ZIP_STAMP = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class FailureRow:
    rule_code: str
    child_ref: str  # LA child id ("" for a rule about the whole return)
    message: str
    fields: tuple[str, ...]

    @property
    def is_query(self) -> bool:
        return self.rule_code.endswith("Q")


@dataclass(frozen=True)
class Built:
    content: bytes
    file_name: str
    content_type: str
    child_refs: list[str]
    failures: list[FailureRow]


def year_label(year: int) -> str:
    return f"{year - 1}_{str(year)[2:]}"


# --- CIN census -------------------------------------------------------------------------------------------------

CIN_STEPS = ("Reading the record", "Writing the census XML", "Checking the file against the CIN census rules")


def build_cin(year: int, progress: Progress) -> Built:
    from safehold.returns.cin.domain.rules import validate as run_rules
    from safehold.returns.cin.domain.xml_io import read_census, write_census
    from safehold.returns.cin.selectors import cin_census

    total = len(CIN_STEPS)
    progress(0, total, CIN_STEPS[0])
    census = cin_census(year)
    progress(1, total, CIN_STEPS[1])
    content = write_census(census).encode("utf-8")
    progress(2, total, CIN_STEPS[2])
    checked = read_census(content)
    failures = [FailureRow("XML", p.la_child_id, f"{p.field}: {p.message}", (p.field,)) for p in checked.problems]
    failures += [FailureRow(f.rule_code, f.la_child_id, f.message, tuple(f.fields)) for f in run_rules(checked)]
    return Built(
        content=content,
        file_name=f"cin_census_{year_label(year)}.xml",
        content_type=XML_TYPE,
        child_refs=[c.la_child_id for c in census.children],
        failures=failures,
    )


# --- SSDA903 ----------------------------------------------------------------------------------------------------

SSDA903_STEPS = (
    "Reading the record",
    "Writing the CSV tables",
    "Reading last year's return from the record (for the rules that compare with it)",
    "Checking the tables against the SSDA903 rules",
)


def zip_files(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name].encode("utf-8"))
    return buffer.getvalue()


def build_903(year: int, progress: Progress) -> Built:
    from safehold.returns.ssda903.domain import FileProblem, read_csv, write_csv
    from safehold.returns.ssda903.domain import validate as run_rules
    from safehold.returns.ssda903.selectors import ssda903_return

    total = len(SSDA903_STEPS)
    progress(0, total, SSDA903_STEPS[0])
    ret = ssda903_return(year=year)
    progress(1, total, SSDA903_STEPS[1])
    files = write_csv(ret)
    content = zip_files(files)
    progress(2, total, SSDA903_STEPS[2])
    previous_files = write_csv(ssda903_return(year=year - 1))
    progress(3, total, SSDA903_STEPS[3])
    failures: list[FailureRow] = []
    try:
        checked = read_csv({name: text.encode("utf-8") for name, text in files.items()}, year=year)
        previous = read_csv({name: text.encode("utf-8") for name, text in previous_files.items()}, year=year - 1)
    except FileProblem as exc:
        failures = [FailureRow("FILE", "", problem, ()) for problem in exc.problems]
    else:
        # One failure per rule and child, as `returns validate 903` prints them; the affected items of every
        # flagged row are kept, each with its table.
        merged: dict[tuple[str, str], tuple[str, list[str]]] = {}
        for f in run_rules(checked, previous):
            key = (f.rule_code, f.child_id)
            message, fields = merged.setdefault(key, (f.message, []))
            for name in f.fields:
                item = f"{f.table}.{name}" if f.table else name
                if item not in fields:
                    fields.append(item)
        failures = [
            FailureRow(code, child, message, tuple(fields)) for (code, child), (message, fields) in merged.items()
        ]
    refs = sorted({h.CHILD for h in ret.header} | {e.CHILD for e in ret.episodes})
    return Built(
        content=content,
        file_name=f"ssda903_{year_label(year)}.zip",
        content_type=ZIP_TYPE,
        child_refs=refs,
        failures=failures,
    )


BUILDERS: dict[str, Callable[[int, Progress], Built]] = {"cin": build_cin, "903": build_903}
STEPS: dict[str, int] = {"cin": len(CIN_STEPS), "903": len(SSDA903_STEPS)}
