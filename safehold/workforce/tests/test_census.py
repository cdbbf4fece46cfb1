"""The DfE workforce census measures: the pure formulas on hand-built rows, then the same figures through the
database (services → selectors → dashboard indicators)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from safehold.oversight import indicators
from safehold.oversight.selectors import LA, Scope
from safehold.workforce import census, selectors, services
from safehold.workforce.census import PostRow, StaffRow
from safehold.workforce.choices import ServiceArea, StaffRole

D = Decimal
AS_OF = dt.date(2025, 9, 30)


def _staff() -> dict[str, StaffRow]:
    return {
        "A": StaffRow("permanent", D("1.0"), dt.date(2020, 1, 1)),
        "B": StaffRow("permanent", D("0.5"), dt.date(2025, 3, 1)),
        "C": StaffRow("fixed_term", D("1.0"), dt.date(2019, 5, 1), dt.date(2025, 6, 30)),
        "D": StaffRow("permanent", D("0.8"), dt.date(2018, 1, 1), dt.date(2024, 9, 30)),
        "E": StaffRow("agency", D("1.0"), dt.date(2025, 1, 1)),
        "F": StaffRow("agency", D("0.6"), dt.date(2023, 1, 1), dt.date(2025, 5, 1)),
        "G": StaffRow("permanent", D("1.0"), dt.date(2025, 10, 1)),
        "H": StaffRow("permanent", D("1.0"), dt.date(2016, 1, 1), dt.date(2025, 10, 1)),
    }


def test_year_start() -> None:
    """The 12 months to 30 Sep 2025 start on 1 Oct 2024; to 29 Feb 2024, on 1 Mar 2023 (28 Feb 2023 + 1)."""
    assert census.year_start(AS_OF) == dt.date(2024, 10, 1)
    assert census.year_start(dt.date(2024, 2, 29)) == dt.date(2023, 3, 1)


def test_agency_turnover_and_starters_by_hand() -> None:
    """On 30 Sep 2025 (year from 1 Oct 2024):

    * in post (LA-employed, started on or before, not yet left): A 1.0 + B 0.5 + H 1.0 (leaves 1 Oct) = 2.5.
      C left 30 Jun, D left 30 Sep 2024, G starts 1 Oct 2025: not in post. E is agency.
    * agency in post: E 1.0 (F left 1 May 2025) → agency rate 1.0 ÷ (1.0 + 2.5) = 28.6%.
    * LA-employed leavers in the year: C 1.0 (fixed-term counts; D left the day before the year; F is agency;
      H leaves after the date) → turnover 1.0 ÷ 2.5 = 40.0%.
    * LA-employed starters in the year: B 0.5 (E is agency, G not yet) → 1 starter, 0.5 FTE.
    """
    staff = list(_staff().values())
    assert census.in_post_fte(staff, AS_OF) == D("2.5")
    assert census.agency_fte(staff, AS_OF) == D("1.0")
    agency = census.agency_rate(staff, AS_OF)
    assert (agency.numerator, agency.denominator, agency.percent) == (D("1.0"), D("3.5"), 28.6)
    turnover = census.turnover_rate(staff, AS_OF)
    assert (turnover.numerator, turnover.denominator, turnover.percent) == (D("1.0"), D("2.5"), 40.0)
    assert census.leavers(staff, AS_OF) == [_staff()["C"]]
    assert census.starters(staff, AS_OF) == [_staff()["B"]]


def test_vacancy_rate_counts_agency_cover_as_vacant() -> None:
    """Posts open on 30 Sep 2025: P1 1.0 held by A (LA-employed), P2 1.0 held by E (agency: a vacancy in the
    census), P3 0.5 empty, P4 1.0 held by C who left 30 Jun (vacant), P7 0.5 held by B. P5 closed 1 Aug and P6
    opens 15 Oct: not counted. Vacancies 1.0 + 0.5 + 1.0 = 2.5 FTE; in post 2.5 (as above) →
    2.5 ÷ (2.5 + 2.5) = 50.0%."""
    s = _staff()
    posts = [
        PostRow(D("1.0"), dt.date(2015, 1, 1), holder=s["A"]),
        PostRow(D("1.0"), dt.date(2015, 1, 1), holder=s["E"]),
        PostRow(D("0.5"), dt.date(2015, 1, 1)),
        PostRow(D("1.0"), dt.date(2015, 1, 1), holder=s["C"]),
        PostRow(D("1.0"), dt.date(2015, 1, 1), closed=dt.date(2025, 8, 1)),
        PostRow(D("1.0"), dt.date(2025, 10, 15)),
        PostRow(D("0.5"), dt.date(2015, 1, 1), holder=s["B"]),
    ]
    assert [census.post_status(p, AS_OF) for p in posts[:4]] == ["permanent", "agency", "vacant", "vacant"]
    assert census.vacancy_fte(posts, AS_OF) == D("2.5")
    rate = census.vacancy_rate(posts, list(s.values()), AS_OF)
    assert (rate.numerator, rate.denominator, rate.percent) == (D("2.5"), D("5.0"), 50.0)


def test_published_england_figures_reproduce() -> None:
    """DfE's England row for 2023 (in post 33,119.1, leavers 5,254.6, agency 7,173.5, vacancies 7,722.7 FTE)
    gives the published turnover 15.9%, agency rate 17.8% and vacancy rate 18.9% with these formulas."""
    in_post, leavers, agency, vacancies = D("33119.1"), D("5254.6"), D("7173.5"), D("7722.7")
    assert census.Rate(leavers, in_post).percent == 15.9
    assert census.Rate(agency, agency + in_post).percent == 17.8
    assert census.Rate(vacancies, vacancies + in_post).percent == 18.9
    assert census.Rate(D(0), D(0)).percent is None


# --- Through the database -------------------------------------------------------------------------------------


@pytest.fixture
def borough(db):  # type: ignore[no-untyped-def]
    """The rows above as staff and posts in team T1 (plus an agency worker in T2), written through the services
    with the clock at 1 June 2025 (so C can still be given a post), then read at 30 September 2025."""
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        t1 = services.team_create(actor=None, name="T1", service_area=ServiceArea.CHILD_IN_NEED)
        t2 = services.team_create(actor=None, name="T2", service_area=ServiceArea.CHILD_IN_NEED)
        made = {}
        for n, (key, row) in enumerate(_staff().items()):
            made[key] = services.staff_create(
                actor=None,
                sw_id=f"C{n}",
                given_name=key,
                family_name="Census",
                role=StaffRole.SOCIAL_WORKER,
                team=t1,
                employment=row.employment,
                fte=row.fte,
                start_date=row.start,
                leave_date=row.leave,
            )
        services.staff_create(
            actor=None,
            sw_id="T2A",
            given_name="T2",
            family_name="Agency",
            role=StaffRole.SOCIAL_WORKER,
            team=t2,
            employment="agency",
            fte=D("1.0"),
            start_date=dt.date(2024, 1, 1),
        )
        # Not a social work role: never counted.
        services.staff_create(
            actor=None,
            sw_id="BS",
            given_name="Bea",
            family_name="Support",
            role=StaffRole.BUSINESS_SUPPORT,
            team=t1,
            employment="agency",
            fte=D("1.0"),
            start_date=dt.date(2024, 1, 1),
        )
        for holder, fte in (("A", "1.0"), ("E", "1.0"), (None, "0.5"), ("C", "1.0"), ("B", "0.5")):
            services.post_create(
                actor=None,
                team=t1,
                role=StaffRole.SOCIAL_WORKER,
                fte=fte,
                opened_on=dt.date(2015, 1, 1),
                holder=made[holder] if holder else None,
            )
        closed = services.post_create(
            actor=None, team=t1, role=StaffRole.SOCIAL_WORKER, fte="1", opened_on=dt.date(2015, 1, 1)
        )
        services.post_close(actor=None, post=closed, closed_on=dt.date(2025, 8, 1))
    return t1, t2


def test_census_measures_and_dashboard_figures_from_the_database(borough) -> None:  # type: ignore[no-untyped-def]
    """Team T1 on 30 Sep 2025 is the hand-worked example: agency 28.6%, turnover 40.0%, vacancy 50.0%. The whole LA
    adds T2's agency worker (1.0): agency 2.0 ÷ (2.0 + 2.5) = 44.4%; turnover and vacancies are unchanged (2.5 ÷
    5.0 = 50.0%). The business support agency worker never counts. The dashboard's indicators give the same
    figures for the same scopes (they call the same selector)."""
    t1, _ = borough
    m = selectors.census_measures(team_ids={t1.pk}, as_of=AS_OF)
    assert (m.agency_rate.percent, m.turnover_rate.percent, m.vacancy_rate.percent) == (28.6, 40.0, 50.0)
    assert (m.leavers, m.leavers_fte, m.starters, m.starters_fte) == (1, D("1.0"), 1, D("0.5"))
    la = selectors.census_measures(team_ids=None, as_of=AS_OF)
    assert (la.agency_rate.percent, la.turnover_rate.percent, la.vacancy_rate.percent) == (44.4, 40.0, 50.0)
    team = Scope("team", str(t1.pk), "T1")
    first, last = indicators.period(AS_OF)
    assert indicators.agency_rate(team, first, last).value == 28.6
    assert indicators.turnover_rate(team, first, last).value == 40.0
    assert indicators.vacancy_rate(team, first, last).value == 50.0
    assert indicators.agency_rate(LA, first, last).value == 44.4
    assert indicators.vacancy_rate(LA, first, last).value == 50.0


def test_establishment_by_team(borough) -> None:  # type: ignore[no-untyped-def]
    """T1's open posts on 30 Sep 2025: 5 (the closed one is gone), 4.0 FTE: LA-employed A 1.0 + B 0.5 = 1.5 (2
    posts), agency E 1.0 (1), vacant 0.5 + C's 1.0 = 1.5 (2); census vacancies 1.0 + 1.5 = 2.5. T2 has no posts."""
    t1, t2 = borough
    rows = {r.team.name: r for r in selectors.establishment(team_ids={t1.pk, t2.pk}, as_of=AS_OF)}
    r = rows["T1"]
    assert (r.posts, r.fte) == (5, D("4.0"))
    assert r.counts == {"permanent": 2, "agency": 1, "vacant": 2}
    assert r.ftes == {"permanent": D("1.5"), "agency": D("1.0"), "vacant": D("1.5")}
    assert r.census_vacancy_fte == D("2.5")
    assert rows["T2"].posts == 0


def test_turnover_trend_month_by_month(borough) -> None:  # type: ignore[no-untyped-def]
    """The turnover indicator's trend (12 months to 30 Sep 2025), three month ends worked by hand:

    * 30 Sep 2025 (year from 1 Oct 2024): leaver C 1.0; in post A + B + H = 2.5 → 40.0%.
    * 31 Aug 2025 (year from 1 Sep 2024): leavers C 1.0 and D 0.8 (left 30 Sep 2024) = 1.8; in post 2.5 → 72.0%.
    * 31 May 2025 (year from 1 Jun 2024): leaver D 0.8; in post A + B + C + H = 3.5 (C leaves 30 Jun) → 22.9%.
    """
    t1, _ = borough
    team = Scope("team", str(t1.pk), "T1")
    series = dict(indicators.trend(indicators.DASHBOARD["turnover_rate"], scope=team, as_of=AS_OF))
    assert series[dt.date(2025, 9, 1)].value == 40.0
    assert series[dt.date(2025, 8, 1)].value == 72.0
    assert series[dt.date(2025, 5, 1)].value == 22.9
