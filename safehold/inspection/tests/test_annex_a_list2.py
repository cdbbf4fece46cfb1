"""Annex A list 2 (early help), filled from early help records (``safehold.early_help.selectors.annex_a_list2``):
its population at the window edges, read "as at" the inspection date, with the values of Ofsted's template.

Inspection date Tue 31 Mar 2026: the 6-month window starts Tue 30 Sep 2025; the day before is Mon 29 Sep 2025.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from safehold.casework import services as cw
from safehold.core.testing import make_child
from safehold.early_help import services as eh
from safehold.early_help.tests.builders import organisation
from safehold.inspection.annex_a import domain as d
from safehold.inspection.annex_a import selectors, spec
from safehold.inspection.tests.fixtures import AS_OF, BEFORE6, FIRST6, NOW
from safehold.people.models import Person

D = dt.date


def _early_help(
    worker: Any,
    key: str,
    *,
    opened: dt.date,
    assessed: dt.date | None = None,
    completed: dt.date | None = None,
    closed: dt.date | None = None,
    org: str = "Oak Primary School",
    **child: Any,
) -> Person:
    person = make_child(given_name=key.replace("_", "").title(), family_name="Family", **child)
    received = dt.datetime.combine(opened - dt.timedelta(days=2), dt.time(10), tzinfo=dt.UTC)
    contact = cw.contact_record(actor=worker, child=person, received_at=received, source="2A")
    cw.contact_decide(
        actor=worker, contact=contact, expected_version=contact.version, outcome="early_help", threshold_level="2",
        reason="Level 2: needs below the social care threshold", decided_at=received, decided_by=worker.staff,
    )  # fmt: skip
    episode = eh.early_help_open_from_contact(actor=worker, contact=contact, opened_on=opened)
    eh.consent_record(actor=worker, episode=episode, given_by="Parent", given_on=opened, scopes=["lead", "team"])
    if assessed is not None:
        a = eh.assessment_start(actor=worker, episode=episode, start_date=assessed, organisation=organisation(org))
        if completed is not None:
            eh.assessment_complete(
                actor=worker, assessment=a, expected_version=a.version, completed_date=completed, needs="Attendance"
            )
    if closed is not None:
        episode.refresh_from_db()
        eh.episode_close(
            actor=worker, episode=episode, expected_version=episode.version, closed_on=closed, outcome="needs_met"
        )
    return person


@pytest.fixture
def families(personas: Any) -> dict[str, Person]:
    sw = personas.social_worker
    with time_machine.travel(NOW, tick=False):
        return {
            # Assessed and closed the day before the window: not on the list.
            "closed_before": _early_help(
                sw, "closed_before", opened=D(2025, 8, 1), assessed=D(2025, 8, 4), completed=D(2025, 9, 15),
                closed=BEFORE6,
            ),
            # Assessed on the window's first day (closed since): on the list.
            "assessed_first": _early_help(
                sw, "assessed_first", opened=FIRST6, assessed=FIRST6, completed=D(2025, 10, 20),
                closed=D(2025, 11, 3), org="Riverside Health Visiting", sex="M", ethnicity="BAFR",
                date_of_birth=D(2020, 4, 1),
            ),
            # Assessed long before the window but still open: current early help, on the list.
            "current": _early_help(
                sw, "current", opened=D(2025, 5, 1), assessed=D(2025, 5, 2), completed=D(2025, 6, 1)
            ),
            # Open with no assessment yet: on the list with blank assessment dates.
            "no_assessment": _early_help(sw, "no_assessment", opened=D(2026, 3, 2)),
            # Assessed in March 2026, completed 25 March: as at 20 March the completion has not happened.
            "late": _early_help(sw, "late", opened=D(2026, 3, 2), assessed=D(2026, 3, 3), completed=D(2026, 3, 25)),
        }  # fmt: skip


def _rows(annex: d.AnnexA, families: dict[str, Person]) -> dict[str, tuple[Any, ...]]:
    names = {p.pk: key for key, p in families.items()}
    return {names[r.child_id]: r.values for r in annex.get(2).rows if r.child_id in names}


@pytest.mark.django_db
def test_population_at_the_window_edges(families: dict[str, Person]) -> None:
    with time_machine.travel(NOW, tick=False):
        rows = _rows(selectors.annex_a(as_of=AS_OF), families)
    assert sorted(rows) == ["assessed_first", "current", "late", "no_assessment"]
    lst = spec.HEADINGS[2]
    first = dict(zip(lst, rows["assessed_first"], strict=True))
    assert first == {
        "Child Unique ID": families["assessed_first"].la_child_id,
        "Gender": spec.GENDER["M"],
        "Ethnicity": spec.ETHNICITY["BAFR"],
        "Date of Birth": D(2020, 4, 1),
        "Age of Child (Years)": 5,
        "Assessment start date": FIRST6,
        "Assessment completion date": D(2025, 10, 20),
        "Organisation completing assessment": "Riverside Health Visiting",
    }
    assert rows["current"][5:] == (D(2025, 5, 2), D(2025, 6, 1), "Oak Primary School")
    assert rows["no_assessment"][5:7] == (None, None)
    assert rows["late"][5:7] == (D(2026, 3, 3), D(2026, 3, 25))


@pytest.mark.django_db
def test_read_as_at_the_inspection_date(families: dict[str, Person]) -> None:
    """On 20 March 2026 the March assessment had started but not finished; on 2 March it had not started, so that
    family appears as current early help without an assessment."""
    with time_machine.travel(NOW, tick=False):
        on_20th = _rows(selectors.annex_a(as_of=D(2026, 3, 20)), families)
        on_2nd = _rows(selectors.annex_a(as_of=D(2026, 3, 2)), families)
    assert on_20th["late"][5:7] == (D(2026, 3, 3), None)
    assert on_2nd["late"][5:7] == (None, None)


def test_domain_orders_rows_and_leaves_out_unknown_children() -> None:
    child = d.ChildFact(id=1, la_child_id="C1", sex="F", ethnicity="WBRI", date_of_birth=D(2015, 6, 1))
    facts = d.Facts(
        children={1: child},
        early_help=[
            d.EarlyHelpFact(child_id=1, start=None, organisation="Lead school"),
            d.EarlyHelpFact(child_id=1, start=D(2026, 1, 5), completed=D(2026, 4, 2), organisation="B"),
            d.EarlyHelpFact(child_id=1, start=D(2025, 10, 1), completed=D(2025, 11, 1), organisation="A"),
            d.EarlyHelpFact(child_id=1, start=D(2026, 4, 1), organisation="after the inspection"),
            d.EarlyHelpFact(child_id=2, start=D(2025, 12, 1), organisation="not a known child"),
        ],
    )
    rows = d.derive(facts, AS_OF).get(2).rows
    assert [r.values[5:] for r in rows] == [
        (D(2025, 10, 1), D(2025, 11, 1), "A"),
        (D(2026, 1, 5), None, "B"),  # completed after the inspection date: not yet
        (None, None, "Lead school"),
    ]
    assert rows[0].values[:2] == ("C1", spec.GENDER["F"])
