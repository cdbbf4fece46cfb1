"""Annex A from the database: selectors over a service-built borough, the workbook, the CSVs and the
command (which records every child it exports in the access log)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from safehold.audit.models import AccessEvent
from safehold.inspection.annex_a import selectors, spec, writer
from safehold.inspection.tests.fixtures import AS_OF, FIRST6, FIRST12, NOW, build_borough

pytestmark = pytest.mark.django_db


@pytest.fixture
def borough(personas):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield build_borough(personas.social_worker)


@pytest.fixture
def annex(borough):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        return selectors.annex_a(as_of=AS_OF)


def _named(annex, number, borough):  # type: ignore[no-untyped-def]
    by_id = {child.pk: key for key, child in borough.children.items()}
    return sorted(by_id[r.child_id] for r in annex.get(number).rows if r.child_id in by_id)


def test_populations_at_the_window_edges(annex, borough) -> None:  # type: ignore[no-untyped-def]
    assert _named(annex, 1, borough) == ["contact_first", "contact_last"]
    assert _named(annex, 3, borough) == ["cin_open"]
    # Assessments completed in July 2025 ended before the window; cin_open's is in it.
    assert _named(annex, 4, borough) == ["cin_open"]
    assert "cp_open" not in _named(annex, 5, borough)  # its enquiry ended in 2024
    assert _named(annex, 6, borough) == [
        "cin_closed_first", "cin_open", "cp_ended_before", "cp_ended_first", "cp_open",
    ]  # fmt: skip
    assert _named(annex, 7, borough) == ["cp_ended_first", "cp_open"]
    assert _named(annex, 8, borough) == ["la_ceased_first", "la_open"]
    assert _named(annex, 9, borough) == ["leaver"]
    assert _named(annex, 10, borough) == ["adopted_first", "adoption_waiting"]
    assert annex.get(2).rows == () and annex.get(11).rows == ()


def test_values_read_from_the_record(annex, borough) -> None:  # type: ignore[no-untyped-def]
    def value(number: int, key: str, heading: str) -> object:
        lst = annex.get(number)
        row = next(r for r in lst.rows if r.child_id == borough[key].pk)
        return row.values[lst.column(heading)]

    assert value(1, "contact_first", "Date of Contact") == FIRST6
    assert value(1, "contact_first", "Gender") == "a) Male"
    assert value(1, "contact_first", "Ethnicity") == "s) NOBT"
    assert value(4, "cin_open", "Continuous Assessment Date of Authorisation") is None  # not signed off
    assert value(4, "cin_open", "Child Seen During Continuous Assessment") == "a) Yes"
    assert value(6, "cin_open", "Case Status") == "c) Child in need plan"
    assert value(6, "cin_open", "Date Child Was Last Seen") == dt.date(2026, 3, 2)
    assert value(6, "cin_open", "Primary Need Code") == "N3 - Parental disability or illness"
    assert value(6, "cp_open", "Case Status") == "b) Child Protection plan"
    assert value(7, "cp_open", "Was the Child Seen Alone?") == "a) Yes"
    assert value(7, "cp_ended_first", "Child Protection Plan End Date") == FIRST6
    assert value(8, "la_open", "Child's Legal Status") == "C2: FCO"
    assert value(8, "la_open", "Placement Type") == "d) U4: Foster placement - long term"
    assert value(8, "la_open", "Placement Location") == "a) In"
    assert value(8, "la_open", "Date of Last Social Work Visit") == dt.date(2026, 3, 16)
    assert value(8, "la_ceased_first", "Reason Ceased to be Looked After") == (
        "e) E4A: Returned home to live with parents or relatives - part of planning"
    )
    assert value(9, "leaver", "Activity Status") == "F2: Full time in education other than higher"
    assert value(10, "adopted_first", "Date of Adoption Order") == FIRST12
    assert value(3, "cin_open", "Allocated Worker") == borough["cin_open"].allocations.get().worker.full_name


def test_workbook_structure(annex) -> None:  # type: ignore[no-untyped-def]
    wb = load_workbook(io.BytesIO(writer.workbook_bytes(annex)))
    assert wb.sheetnames == [f"List {i}" for i in range(1, 12)]
    for number in range(1, 12):
        ws = wb[f"List {number}"]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0] == spec.HEADINGS[number]
        assert len(rows) - 1 == len(annex.get(number).rows)
    first = next(wb["List 1"].iter_rows(min_row=2, max_row=2))
    assert first[5].is_date and first[5].value.date() == FIRST6
    assert first[5].number_format == "DD/MM/YYYY"
    assert first[1].value == "a) Male"


def test_csvs(annex) -> None:  # type: ignore[no-untyped-def]
    text = writer.list_csv(annex.get(1))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(spec.HEADINGS[1])
    assert rows[1][5] == "30/09/2025"


def test_command_writes_files_and_logs_every_child(borough, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command("annex_a", "--as-of", "2026-03-31", "--out", str(tmp_path), stdout=out)
        annex = selectors.annex_a(as_of=AS_OF)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["Annex_A_2026_03_31.xlsx"] + [f"Annex_A_List_{i:02d}.csv" for i in range(1, 12)]
    logged = set(AccessEvent.objects.filter(kind="export").values_list("child_id", flat=True))
    assert logged == annex.child_ids and len(logged) > 10
    assert "List 8" in out.getvalue()
