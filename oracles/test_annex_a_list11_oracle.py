"""Annex A list 11 (prospective adopters) against the sector's Annex A cleaner (liiatools 0.2.0 ``annex-a
cleanfile``).

Households of prospective adopters are written through the adoption services (enquiries; couples and single
adopters; households at every stage from enquiry to adoption order; households that left with each of the three
reasons; one that left before the 12-month window and so is not listed), Annex A is derived and the cleaner runs
on the workbook. We check that every list is recognised, list 11 has no value errors, every list 11 value the
cleaner kept is the one we wrote (bar its minimisation of the adopter identifier), and its blank-cell counts
for list 11 are exactly ours (stages not reached yet are blank, which the template allows).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from oracles.annex_a_cleaner import assert_kept_values_are_ours, blank, clean, sheets
from safehold.adoption import services as ad
from safehold.adoption.models import STEPS
from safehold.inspection.annex_a import selectors, writer

AS_OF = dt.date(2026, 3, 31)
NOW = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
SEXES = ("F", "M", "U")
ETHNICITIES = ("WBRI", "BAFR", "MWBC", "ABAN", "OOTH", "NOBT", "REFU", "WIRT", "CHNE")
DEGRADED = {"Individual adopter identifier", "LA"}


def _household(i: int) -> None:
    enquiry = AS_OF - dt.timedelta(days=500 - 11 * i)
    people = [ad.AdopterDetails(f"Adopter{i}", "One", SEXES[i % 3], ETHNICITIES[i % 9], disabled=i % 7 == 0)]
    if i % 2 == 0:
        people.append(ad.AdopterDetails(f"Partner{i}", "Two", SEXES[(i + 1) % 3], ETHNICITIES[(i + 4) % 9]))
    h = ad.adopter_enquiry_record(actor=None, enquiry_on=enquiry, adopters=people, fostering_for_adoption=i % 5 == 0)
    day = enquiry
    for field, _label in STEPS[: i % (len(STEPS) + 1)]:
        day += dt.timedelta(days=9)
        if day > AS_OF:
            break
        h.refresh_from_db()
        ad.adopter_step_record(
            actor=None,
            household=h,
            expected_version=h.version,
            step=field,
            on=day,
            children_placed=1 + i % 2 if field == "placed_on" else None,
        )
    h.refresh_from_db()
    if i % 4 == 3 and h.adoption_order_on is None:
        ad.adopters_leave(
            actor=None,
            household=h,
            expected_version=h.version,
            left_on=min(day + dt.timedelta(days=5), AS_OF),
            reason=str(1 + i % 3),
        )


@pytest.mark.django_db
def test_liiatools_accepts_list_11(oracle_python: Path, tmp_path: Path) -> None:
    with time_machine.travel(NOW, tick=False):
        for i in range(40):
            _household(i)
        annex = selectors.annex_a(as_of=AS_OF)
    rows = annex.get(11).rows
    assert len(rows) >= 40, "too few adopter rows to test list 11"
    heads = annex.get(11).headings
    reasons = {r.values[heads.index("Reason for leaving adoption process")] for r in rows} - {None}
    assert len(reasons) == 3, reasons
    workbook = tmp_path / "Annex_A_2026.xlsx"  # the cleaner wants the year in the file name
    workbook.write_bytes(writer.workbook_bytes(annex))
    c = clean(oracle_python, workbook, tmp_path)
    log_text, formatting, blanks, other = c.log_text, c.formatting, c.blanks, c.other
    print(f"\nlist 11: {len(rows)} rows; value errors {formatting}; blank cells {blanks}")

    # 1. Every list recognised.
    cleaned_path = c.path
    assert cleaned_path.exists(), f"the cleaner did not match all eleven sheets:\n{log_text}"
    assert other == [], f"unexpected messages in the cleaner's log: {other}"
    ours, cleaned = sheets(workbook), sheets(cleaned_path)
    assert list(cleaned) == [f"List {i}" for i in range(1, 12)]

    # 2. No value errors.
    assert formatting == {}

    # 3. Every value the cleaner kept is ours.
    oheads, crows = ours["List 11"][0], cleaned["List 11"]
    assert len(crows) == len(ours["List 11"]) == len(rows) + 1
    assert_kept_values_are_ours(ours["List 11"], crows, DEGRADED)

    # 4. Blank cells are ours (stages not reached), column by column.
    list11 = {column: n for (sheet, column), n in blanks.items() if sheet == "List 11"}
    for column, n in list11.items():
        assert n == sum(1 for row in ours["List 11"][1:] if blank(row[oheads.index(column)])), column
