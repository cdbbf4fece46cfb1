"""The care leaver indicators (SSDA903 OC3 definition) on a hand-built fixture."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.core.testing import allocate, make_child
from safehold.looked_after import services as la
from safehold.oversight import indicators
from safehold.oversight.selectors import LA, Scope

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def _care_leaver(worker, n: int):  # type: ignore[no-untyped-def]
    """Born 10 May 2008; looked after from 10 January 2022 to 30 May 2025 (aged 17): a care leaver."""
    child = make_child(date_of_birth=D(2008, 5, 10), given_name=f"Leaver{n}")
    allocate(child, worker)
    la.period_of_care_start(
        actor=None, child=child, start_date=D(2022, 1, 10), legal_status="C2", category_of_need="N1",
        placement_type="U6", placement_provider="PR1",
    )  # fmt: skip
    la.period_of_care_end(actor=None, child=child, end_date=D(2025, 5, 30), reason_ceased="E13")
    la.care_leaver_record(actor=None, child=child)
    return child


def _contact(child, day: dt.date, in_touch: str, activity: str, accommodation: str) -> None:  # type: ignore[no-untyped-def]
    la.care_leaver_contact_record(
        actor=None, child=child, contacted_on=day, in_touch=in_touch, activity=activity, accommodation=accommodation
    )


def test_care_leavers_in_touch_suitable_and_eet(personas) -> None:  # type: ignore[no-untyped-def]
    """Period 16 June 2025 – 15 June 2026. The latest contact in it counts, one per young person:

    * L1: in touch, full-time other education, with parents (B1) on 1 Sep 2025, then not in touch on 1 Mar 2026
      → latest: not in touch, activity 0, accommodation 0;
    * L2: 1 Feb 2026 in touch, NEET (G5), supported lodgings suitable (E1); an earlier contact of 1 May 2025 is
      before the period;
    * L3: 10 Jan 2026 in touch, part-time training or employment (P5), ordinary lodgings unsuitable (K2);
    * L4: no contact in the period (only 2 June 2025).

    In touch: L2, L3 of 3 = 66.7%. Suitable accommodation: L2 of 3 = 33.3%. EET: L3 of 3 = 33.3%.
    """
    w = personas.social_worker
    l1, l2, l3, l4 = (_care_leaver(w, n) for n in range(1, 5))
    _contact(l1, D(2025, 9, 1), "YES", "F2", "B1")
    _contact(l1, D(2026, 3, 1), "NO", "0", "0")
    _contact(l2, D(2025, 5, 1), "YES", "F5", "B1")
    _contact(l2, D(2026, 2, 1), "YES", "G5", "E1")
    _contact(l3, D(2026, 1, 10), "YES", "P5", "K2")
    _contact(l4, D(2025, 6, 2), "YES", "F1", "B1")
    first, last = indicators.period(TODAY)
    assert (first, last) == (D(2025, 6, 16), TODAY)
    got = {
        code: indicators.DASHBOARD[code].compute(LA, first, last)
        for code in ("care_leavers_in_touch", "care_leavers_suitable", "care_leavers_eet")
    }
    assert {c: (f.numerator, f.denominator, f.value) for c, f in got.items()} == {
        "care_leavers_in_touch": (2, 3, 66.7),
        "care_leavers_suitable": (1, 3, 33.3),
        "care_leavers_eet": (1, 3, 33.3),
    }
    # By the worker the young people are allocated to: the same; another team: none.
    worker = Scope("worker", str(w.staff.pk))
    assert indicators.care_leavers_in_touch(worker, first, last).denominator == 3
    assert indicators.care_leavers_in_touch(Scope("team", str(personas.other_team.pk)), first, last).denominator == 0
    # Back in care during the period: not a care leaver for OC3 (L3 looked after again from 1 June 2026).
    la.period_of_care_start(
        actor=None, child=l3, start_date=D(2026, 6, 1), legal_status="V2", category_of_need="N1",
        placement_type="U6", placement_provider="PR1",
    )  # fmt: skip
    f = indicators.care_leavers_eet(LA, first, last)
    assert (f.numerator, f.denominator) == (0, 2)
