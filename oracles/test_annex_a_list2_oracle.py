"""Annex A list 2 (early help) against the sector's Annex A cleaner (liiatools 0.2.0 ``annex-a cleanfile``).

The generated boroughs of ``test_annex_a_oracle.py`` hold no early help yet, so their list 2 is empty. Here a
borough of early help families is written through the real services (assessments started and completed at
different dates, by different organisations, episodes open and closed, one family still without an assessment),
Annex A is derived from it and the cleaner runs on the workbook. We check that:

1. every list is recognised (the cleaner wrote its cleaned workbook and logged nothing unexpected);
2. list 2 has no value errors (dates, the coded gender and ethnicity columns);
3. every list 2 value the cleaner kept is the one we wrote (bar its minimisation of the date of birth and the
   child id);
4. its blank-cell count for list 2 is exactly ours: current early help with no assessment yet has no assessment
   start date (and the completion date may be blank, which the template allows).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine

from oracles.annex_a_cleaner import assert_kept_values_are_ours, blank, clean, sheets
from safehold.casework import services as cw
from safehold.core.testing import make_child
from safehold.early_help import services as eh
from safehold.early_help.tests.builders import organisation
from safehold.inspection.annex_a import selectors, writer

AS_OF = dt.date(2026, 3, 31)
NOW = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
ORGS = ("Oak Primary School", "Riverside Health Visiting", "Family Hub North", "Youth Service")
SEXES = ("F", "M", "U")
ETHNICITIES = ("WBRI", "BAFR", "MWBC", "ABAN", "OOTH", "NOBT", "REFU", "WIRT", "CHNE")
DEGRADED = {"Date of Birth", "Child Unique ID", "LA"}


def _family(worker: Any, i: int) -> None:
    opened = AS_OF - dt.timedelta(days=20 + 17 * i)
    child = make_child(
        given_name=f"Early{i}",
        family_name="Help",
        sex=SEXES[i % 3],
        ethnicity=ETHNICITIES[i % len(ETHNICITIES)],
        date_of_birth=dt.date(2010 + i % 14, 1 + i % 12, 1 + i % 27),
    )
    received = dt.datetime.combine(opened - dt.timedelta(days=2), dt.time(10), tzinfo=dt.UTC)
    contact = cw.contact_record(actor=worker, child=child, received_at=received, source="2A")
    cw.contact_decide(
        actor=worker, contact=contact, expected_version=contact.version, outcome="early_help", threshold_level="2",
        reason="Level 2: needs below the social care threshold", decided_at=received, decided_by=worker.staff,
    )  # fmt: skip
    episode = eh.early_help_open_from_contact(actor=worker, contact=contact, opened_on=opened)
    eh.consent_record(actor=worker, episode=episode, given_by="Parent", given_on=opened, scopes=["lead", "team"])
    if i % 5 == 4:
        return  # current early help, no assessment yet
    a = eh.assessment_start(
        actor=worker, episode=episode, start_date=opened + dt.timedelta(days=3), organisation=organisation(ORGS[i % 4])
    )
    if i % 3 == 0:
        return  # assessment in progress
    done = opened + dt.timedelta(days=15)
    eh.assessment_complete(actor=worker, assessment=a, expected_version=a.version, completed_date=done, needs="Needs")
    if i % 2 == 0:
        episode.refresh_from_db()
        eh.episode_close(
            actor=worker, episode=episode, expected_version=episode.version, closed_on=done, outcome="needs_met"
        )


@pytest.mark.django_db
def test_liiatools_accepts_list_2(oracle_python: Path, tmp_path: Path, personas: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        for i in range(40):
            _family(personas.social_worker, i)
        annex = selectors.annex_a(as_of=AS_OF)
    rows = annex.get(2).rows
    assert len(rows) >= 25, "too few early help rows to test list 2"
    workbook = tmp_path / "Annex_A_2026.xlsx"  # the cleaner wants the year in the file name
    workbook.write_bytes(writer.workbook_bytes(annex))
    c = clean(oracle_python, workbook, tmp_path)
    log_text, formatting, blanks, other = c.log_text, c.formatting, c.blanks, c.other
    print(f"\nlist 2: {len(rows)} rows; value errors {formatting}; blank cells {blanks}")

    # 1. Every list recognised.
    cleaned_path = c.path
    assert cleaned_path.exists(), f"the cleaner did not match all eleven sheets:\n{log_text}"
    assert other == [], f"unexpected messages in the cleaner's log: {other}"
    ours, cleaned = sheets(workbook), sheets(cleaned_path)
    assert list(cleaned) == [f"List {i}" for i in range(1, 12)]

    # 2. No value errors in list 2 (nor anywhere else: these children have only contacts besides).
    assert formatting == {}

    # 3. Every value the cleaner kept is ours.
    heads, crows = ours["List 2"][0], cleaned["List 2"]
    assert len(crows) == len(ours["List 2"]) == len(rows) + 1
    assert_kept_values_are_ours(ours["List 2"], crows, DEGRADED)

    # 4. Blank cells are ours: current early help without an assessment has no start date.
    list2_blanks = {column: n for (sheet, column), n in blanks.items() if sheet == "List 2"}
    mine_blank = {
        column: sum(1 for row in ours["List 2"][1:] if blank(row[heads.index(column)]))
        for column in ("Assessment start date", "Organisation completing assessment")
    }
    assert mine_blank["Assessment start date"] == 8  # i % 5 == 4 for i < 40
    assert list2_blanks == {k: v for k, v in mine_blank.items() if v}
