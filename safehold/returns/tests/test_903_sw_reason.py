"""The 903 export's SW_REASON: a child allocated again after their case was closed for a while starts a new
involvement, reported as first contact (FCONTA), not with the reason the last allocation ended (which would
break SW10aSTG2: a new episode more than seven days after the previous one ended, with a reason other than
first contact)."""

from __future__ import annotations

import datetime as dt

import pytest

from safehold.core.services import service
from safehold.looked_after.models import CareEpisode, PeriodOfCare
from safehold.people.models import Person
from safehold.returns.ssda903.domain import validate
from safehold.returns.ssda903.selectors import ssda903_return
from safehold.workforce.models import Allocation, StaffMember, Team

pytestmark = pytest.mark.django_db


def _episode(period: PeriodOfCare, start: dt.date, end: dt.date | None, rne: str, rec: str = "") -> None:
    CareEpisode(
        period=period,
        child=period.child,
        start_date=start,
        reason_new_episode=rne,
        legal_status="C2" if rne == "S" else "C1",
        category_of_need="N1",
        placement_type="U4",
        placement_provider="PR1",
        end_date=end,
        reason_ceased=rec,
        home_postcode="TW1 1AA",
        placement_postcode="TW1 1AF",
        urn="SC111111",
    ).save()


@service
def _child_back_in_care(gap_days: int) -> None:
    """In care from 1 May 2025 to 1 August 2025, case closed, then back in care from ``gap_days`` later."""
    child = Person(
        given_name="Ada",
        family_name="Lovelace",
        sex="F",
        date_of_birth=dt.date(2012, 5, 1),
        ethnicity="WBRI",
        is_child_record=True,
        la_child_id="LA0001",
        upn="A123456789012",
    )
    child.save()
    first = PeriodOfCare(child=child, start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 8, 1))
    first.save()
    _episode(first, dt.date(2025, 5, 1), dt.date(2025, 8, 1), "S", "E13")
    back = dt.date(2025, 8, 1) + dt.timedelta(days=gap_days)
    second = PeriodOfCare(child=child, start_date=back)
    second.save()
    _episode(second, back, None, "S")
    team = Team(name="Children in care 1", service_area="cic")
    team.save()
    workers = []
    for n in (1, 2):
        w = StaffMember(
            sw_id=f"SW12345{n}",
            given_name="Sam",
            family_name=f"Worker {n}",
            role="social_worker",
            team=team,
            start_date=dt.date(2020, 1, 1),
        )
        w.save()
        workers.append(w)
    Allocation(
        child=child, team=team, worker=workers[0], start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 8, 1),
        end_reason="CHCHAN",
    ).save()  # fmt: skip
    Allocation(child=child, team=team, worker=workers[1], start_date=back).save()


@pytest.mark.parametrize(("gap_days", "reason"), [(120, "FCONTA"), (5, "CHCHAN")])
def test_a_new_involvement_after_a_closed_case_is_first_contact(gap_days: int, reason: str) -> None:
    _child_back_in_care(gap_days)
    ret = ssda903_return(year=2026)
    assert [s.SW_REASON for s in ret.sw_episodes] == ["FCONTA", reason]
    flagged = {f.rule_code for f in validate(ret) if f.rule_code.startswith("SW10")}
    assert flagged == set()
