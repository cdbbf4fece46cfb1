"""Annex A derivation, without a database: each list's population at the window edges.

Inspection date Tue 31 Mar 2026: the 6-month window starts Wed 30 Sep 2025 (the day before is Tue
29 Sep 2025), the 12-month window starts Tue 31 Mar 2025 (the day before is Sun 30 Mar 2025).
"""

from __future__ import annotations

import datetime as dt

import pytest

from safehold.inspection.annex_a import domain as d
from safehold.inspection.annex_a import readiness, spec

D = dt.date
AS_OF = D(2026, 3, 31)
FIRST6 = D(2025, 9, 30)
BEFORE6 = D(2025, 9, 29)
FIRST12 = D(2025, 3, 31)
BEFORE12 = D(2025, 3, 30)


def child(pk: int, **kw: object) -> d.ChildFact:
    fields: dict[str, object] = {
        "id": pk,
        "la_child_id": f"C{pk}",
        "sex": "F",
        "ethnicity": "WBRI",
        "date_of_birth": D(2015, 6, 1),
    }
    fields.update(kw)
    return d.ChildFact(**fields)  # type: ignore[arg-type]


def facts(n: int = 9, **kw: object) -> d.Facts:
    f = d.Facts(children={i: child(i) for i in range(1, n + 1)})
    for k, v in kw.items():
        setattr(f, k, v)
    return f


def ids(annex: d.AnnexA, number: int) -> list[int | None]:
    return [r.child_id for r in annex.get(number).rows]


def cell(annex: d.AnnexA, number: int, heading: str, child_id: int) -> object:
    lst = annex.get(number)
    col = lst.column(heading)
    return next(r.values[col] for r in lst.rows if r.child_id == child_id)


def test_windows_and_month_arithmetic() -> None:
    assert d.window_start(AS_OF, 6) == FIRST6
    assert d.window_start(AS_OF, 12) == FIRST12
    assert d.months_before(D(2026, 8, 31), 6) == D(2026, 2, 28)
    assert d.months_before(D(2024, 8, 31), 6) == D(2024, 2, 29)
    assert d.months_before(D(2026, 1, 15), 1) == D(2025, 12, 15)


def test_every_list_has_its_headings_and_lists_2_and_11_are_empty() -> None:
    annex = d.derive(facts(), AS_OF)
    assert [lst.sheet_name for lst in annex.lists] == [f"List {i}" for i in range(1, 12)]
    for lst in annex.lists:
        assert lst.headings == spec.HEADINGS[lst.number]
    assert annex.get(2).rows == () and annex.get(11).rows == ()
    assert annex.get(11).headings[0] == "Individual adopter identifier"


def test_list1_contacts_on_the_window_edges() -> None:
    contacts = [
        d.ContactFact(1, BEFORE6, "6"),
        d.ContactFact(2, FIRST6, "6"),
        d.ContactFact(3, AS_OF, "2A"),
        d.ContactFact(4, AS_OF + dt.timedelta(days=1), "2A"),
    ]
    annex = d.derive(facts(contacts=contacts), AS_OF)
    assert ids(annex, 1) == [2, 3]
    row = annex.get(1).rows[0]
    assert row.values == ("C2", "b) Female", "a) WBRI", D(2015, 6, 1), 10, FIRST6, "q) 6: Police")
    assert cell(annex, 1, "Contact Source", 3) == "e) 2A: Schools"


def test_list3_referrals_and_the_twelve_month_count() -> None:
    referrals = [
        d.ReferralFact(1, 1, BEFORE6, "6"),
        d.ReferralFact(2, 2, FIRST6, "6", nfa=True, closure_date=D(2025, 10, 2), closure_reason="RC8"),
        d.ReferralFact(3, 3, AS_OF, "1A"),
        # Child 3's earlier referrals: one inside the 12 months (counted), one on the day before (not).
        d.ReferralFact(4, 3, FIRST12, "1A", closure_date=D(2025, 4, 1), closure_reason="RC7"),
        d.ReferralFact(5, 3, BEFORE12, "1A", closure_date=BEFORE12, closure_reason="RC7"),
    ]
    annex = d.derive(facts(referrals=referrals), AS_OF)
    assert ids(annex, 3) == [2, 3]
    assert cell(annex, 3, "Referral NFA?", 2) == "a) Yes"
    assert cell(annex, 3, "Referral NFA?", 3) == "b) No"
    assert cell(annex, 3, "Number of Referrals in Last 12 Months", 3) == 2
    assert cell(annex, 3, "Referral Source", 3) == "a) 1A: Individual"


def test_list4_assessments_open_during_the_window() -> None:
    assessments = [
        d.AssessmentFact(1, 1, D(2025, 8, 1), completed=BEFORE6, authorised=BEFORE6, outcome="nfa"),
        d.AssessmentFact(2, 2, D(2025, 8, 1), completed=FIRST6, authorised=D(2025, 10, 3), outcome="cin_plan"),
        d.AssessmentFact(3, 3, D(2026, 3, 1)),  # still open
        # Completed after the inspection date: open on the day, so not yet authorised or decided.
        d.AssessmentFact(4, 4, D(2026, 3, 2), completed=D(2026, 4, 2), authorised=D(2026, 4, 3), outcome="nfa"),
        d.AssessmentFact(5, 5, AS_OF + dt.timedelta(days=1)),  # not started by then
    ]
    annex = d.derive(facts(assessments=assessments), AS_OF)
    assert ids(annex, 4) == [2, 3, 4]
    assert cell(annex, 4, "Continuous Assessment Date of Authorisation", 2) == D(2025, 10, 3)
    assert cell(annex, 4, "Was the child assessed as requiring LA children's social care support?", 2) == "a) Yes"
    assert cell(annex, 4, "Continuous Assessment Date of Authorisation", 4) is None
    assert cell(annex, 4, "Was the child assessed as requiring LA children's social care support?", 4) is None


def test_list5_section47s_and_icpcs() -> None:
    s47s = [
        d.Section47Fact(1, 1, D(2025, 9, 1), completed=BEFORE6, icpc_not_required=True),
        d.Section47Fact(2, 2, D(2025, 9, 10), completed=FIRST6, icpc_date=FIRST6, icpc_plan=True),
        d.Section47Fact(3, 3, D(2026, 3, 20)),  # open
        d.Section47Fact(4, 2, D(2025, 4, 1), completed=D(2025, 4, 20), icpc_not_required=True),  # counted only
    ]
    annex = d.derive(facts(section47s=s47s), AS_OF)
    assert ids(annex, 5) == [2, 3]
    assert cell(annex, 5, "Did the Initial Child Protection Conference Result in a Child Protection Plan", 2) == (
        "a) Yes"
    )
    assert cell(annex, 5, "Was an Initial Child Protection Conference deemed unnecessary?", 2) == "b) No"
    assert cell(annex, 5, "Number of Section 47 Enquiries in the last 12 months", 2) == 2
    assert cell(annex, 5, "Number of ICPCs in the last 12 months", 2) == 1
    assert cell(annex, 5, "Was an Initial Child Protection Conference deemed unnecessary?", 3) is None


def test_list6_children_in_need() -> None:
    referrals = [
        d.ReferralFact(1, 1, D(2025, 1, 5), "6", primary_need="N1", closure_date=BEFORE6, closure_reason="RC7"),
        d.ReferralFact(2, 2, D(2025, 1, 5), "6", primary_need="N4", closure_date=FIRST6, closure_reason="RC4"),
        d.ReferralFact(3, 3, D(2025, 1, 5), "6", primary_need="N2"),
        # Closed at referral with no further action: a referral, not a service.
        d.ReferralFact(4, 4, D(2025, 12, 1), "6", nfa=True, closure_date=D(2025, 12, 2), closure_reason="RC8"),
        d.ReferralFact(5, 5, D(2025, 12, 1), "6"),  # open, no plan: assessment stage
    ]
    visits = [d.VisitSummary(3, "cin", last=D(2026, 3, 10), last_seen=D(2026, 3, 3))]
    plans = [d.CINPlanFact(3, D(2025, 2, 1), None)]
    annex = d.derive(facts(referrals=referrals, visits=visits, cin_plans=plans), AS_OF)
    assert ids(annex, 6) == [2, 3, 5]
    assert cell(annex, 6, "Reason for Closure", 2) == "RC4 - Special guardianship order"
    assert cell(annex, 6, "Case Status", 2) == "e) Closed episode"
    assert cell(annex, 6, "Case Status", 3) == "c) Child in need plan"
    assert cell(annex, 6, "Case Status", 5) == "d) Open assessment"
    assert cell(annex, 6, "Date Child Was Last Seen", 3) == D(2026, 3, 3)
    assert cell(annex, 6, "Primary Need Code", 3) == "N2 - Child's disability"


def test_list7_child_protection_plans() -> None:
    plans = [
        d.CPPlanFact(1, 1, D(2024, 1, 1), BEFORE6, "NEG", "NEG"),
        d.CPPlanFact(2, 2, D(2024, 1, 1), FIRST6, "PHY", "EMO"),
        d.CPPlanFact(3, 3, D(2023, 1, 1), D(2023, 8, 1), "NEG", "NEG"),  # an earlier plan for child 3
        d.CPPlanFact(4, 3, D(2025, 11, 1), None, "MUL", "SAB"),
    ]
    visits = [d.VisitSummary(3, "cp", last=D(2026, 3, 25), last_seen=D(2026, 3, 25), last_seen_alone=D(2026, 3, 25))]
    reviews = [d.ReviewConferenceFact(4, D(2026, 1, 20))]
    episodes = [d.CareEpisodeFact(3, 90, D(2025, 10, 1), D(2025, 10, 3), "S", "L2", "N1", "U6", reason_ceased="E4A")]
    annex = d.derive(facts(cp_plans=plans, visits=visits, review_conferences=reviews, care_episodes=episodes), AS_OF)
    assert ids(annex, 7) == [2, 3]
    assert cell(annex, 7, "Latest Category of Abuse", 2) == "d) Emotional abuse"
    assert cell(annex, 7, "Child Protection Plan End Date", 2) == FIRST6
    assert cell(annex, 7, "Initial Category of Abuse", 3) == "e) Multiple/not recommended"
    assert cell(annex, 7, "Number of Previous Child Protection Plans", 3) == 1
    assert cell(annex, 7, "Was the Child Seen Alone?", 3) == "a) Yes"
    assert cell(annex, 7, "Date of latest review conference", 3) == D(2026, 1, 20)
    heading = "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)"
    assert cell(annex, 7, heading, 3) == "a) Yes"
    assert cell(annex, 7, heading, 2) == "b) No"


def _episode(child_id: int, period: int, start: dt.date, end: dt.date | None, rne: str = "S", **kw: object):
    fields: dict[str, object] = {
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U6",
        "placement_provider": "PR1",
        "placement_postcode": "E3 2AB",
        "home_postcode": "E1 1AA",
    }
    fields.update(kw)
    return d.CareEpisodeFact(child_id, period, start, end, rne, **fields)  # type: ignore[arg-type]


def test_list8_children_in_care() -> None:
    periods = [
        d.PeriodFact(1, 1, D(2024, 1, 1), BEFORE6),
        d.PeriodFact(2, 2, D(2024, 1, 1), FIRST6),
        d.PeriodFact(3, 3, D(2025, 1, 1), None),
    ]
    episodes = [
        _episode(1, 1, D(2024, 1, 1), BEFORE6, reason_ceased="E4A"),
        _episode(2, 2, D(2024, 1, 1), FIRST6, reason_ceased="E13"),
        # Child 3: placed 1 Jan 2025, legal status change only (same placement) 1 Jun 2025, moved 1 Dec 2025
        # to a placement out of area.
        _episode(3, 3, D(2025, 1, 1), D(2025, 6, 1), legal_status="V2", reason_ceased="X1"),
        _episode(3, 3, D(2025, 6, 1), D(2025, 12, 1), "L", legal_status="C1", reason_ceased="X1"),
        _episode(
            3,
            3,
            D(2025, 12, 1),
            None,
            "P",
            legal_status="C1",
            placement_type="K2",
            placement_provider="PR4",
            placement_postcode="ME1 1AA",
        ),  # fmt: skip
    ]
    missing = [
        d.MissingFact(3, "M", D(2026, 2, 1), rhi_offered=True, rhi_accepted=False),
        d.MissingFact(3, "A", D(2026, 2, 5)),
    ]
    annex = d.derive(facts(periods=periods, care_episodes=episodes, missing=missing), AS_OF, la_name="Tower Hamlets")
    assert ids(annex, 8) == [2, 3]
    assert cell(annex, 8, "Date Ceased to be Looked After", 2) == FIRST6
    assert cell(annex, 8, "Reason Ceased to be Looked After", 2) == (
        "g) E13: Parents, relatives or other with no parental responsibility"
    )
    assert cell(annex, 8, "Placement Location", 2) == "a) In"
    assert cell(annex, 8, "LA of Placement", 2) == "Tower Hamlets"
    assert cell(annex, 8, "Child's Legal Status", 3) == "C1: ICO"
    assert cell(annex, 8, "Start date of current legal status", 3) == D(2025, 6, 1)
    assert cell(annex, 8, "Number of Placements in the Last 12 months", 3) == 2
    assert cell(annex, 8, "Start Date of Most Recent Placement", 3) == D(2025, 12, 1)
    assert cell(annex, 8, "Placement Type", 3) == "p) K2: Children's Homes"
    assert cell(annex, 8, "Placement Location", 3) == "b) Out"
    assert cell(annex, 8, "Date Ceased to be Looked After", 3) is None
    missing_heading = "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"
    assert cell(annex, 8, missing_heading, 3) == 1
    assert cell(annex, 8, "Was the child offered a Return Interview after their last missing episode (Y/N)?", 3) == (
        "a) Yes"
    )
    assert cell(annex, 8, "Did the child accept a Return Interview after their last missing episode (Y/N)?", 3) == (
        "b) No"
    )


def test_list9_care_leavers_entitled_on_the_day() -> None:
    adult = D(2007, 1, 1)  # 19 on the inspection date
    children = {
        1: child(1, date_of_birth=adult),
        2: child(2, date_of_birth=D(2001, 3, 31)),  # 25 on the day: no longer entitled
        3: child(3, date_of_birth=adult),  # back in care on the day
        4: child(4, date_of_birth=D(2009, 6, 1)),  # eligible: still looked after, on list 8
    }
    periods = [d.PeriodFact(i, i, D(2019, 1, 1), D(2024, 12, 31)) for i in (1, 2)]
    periods += [d.PeriodFact(3, 3, D(2026, 1, 1), None), d.PeriodFact(4, 4, D(2020, 1, 1), None)]
    leavers = [
        d.CareLeaverFact(1, "former_relevant"),
        d.CareLeaverFact(2, "former_relevant"),
        d.CareLeaverFact(3, "relevant"),
        d.CareLeaverFact(4, "eligible"),
    ]
    contacts = [d.CareLeaverContactFact(1, D(2026, 1, 2), "YES", "F5", "U1")]
    f = d.Facts(children=children, periods=periods, care_leavers=leavers, care_leaver_contacts=contacts)
    annex = d.derive(f, AS_OF)
    assert ids(annex, 9) == [1]
    assert cell(annex, 9, "Eligibility Category", 1) == "b) Former relevant child"
    assert cell(annex, 9, "LA in Touch", 1) == "a) Yes"
    assert cell(annex, 9, "Type of Accommodation", 1) == "U: Independent living"
    assert cell(annex, 9, "Suitability of Accommodation", 1) == "a) Suitable"


def test_list10_adoption_twelve_month_window() -> None:
    adoptions = [
        d.AdoptionFact(1, D(2024, 1, 1), adoption_order=BEFORE12),
        d.AdoptionFact(2, D(2024, 1, 1), adoption_order=FIRST12),
        d.AdoptionFact(3, D(2025, 6, 1)),  # waiting
        d.AdoptionFact(4, D(2024, 6, 1), ceased=D(2025, 5, 1), ceased_reason="RD3"),
        d.AdoptionFact(5, AS_OF + dt.timedelta(days=1)),
    ]
    periods = [d.PeriodFact(30, 3, D(2024, 11, 1), None)]
    episodes = [_episode(3, 30, D(2024, 11, 1), D(2025, 7, 1), reason_ceased="X1"),
                _episode(3, 30, D(2025, 7, 1), None, "P", placement_type="U5")]  # fmt: skip
    annex = d.derive(facts(adoptions=adoptions, periods=periods, care_episodes=episodes), AS_OF)
    assert ids(annex, 10) == [2, 4, 3]  # by decision date
    assert cell(annex, 10, "Date of Adoption Order", 2) == FIRST12
    assert cell(annex, 10, "Reason Why Child No Longer Placed for Adoption", 4) == (
        "RD3 - Prospective adopters could not be found"
    )
    assert cell(annex, 10, "Date the Child Entered Care", 3) == D(2024, 11, 1)
    heading = "Date the child was placed for fostering in FFA or concurrent planning placement"
    assert cell(annex, 10, heading, 3) == D(2025, 7, 1)


@pytest.mark.parametrize(
    ("sex", "ethnicity", "gender_cell", "ethnicity_cell"),
    [
        ("M", "BAFR", "a) Male", "o) BAFR"),
        ("U", "NOBT", "c) Not stated/recorded", "s) NOBT"),
        ("F", "REFU", "b) Female", "s) REFU"),
    ],
)
def test_coded_values(sex: str, ethnicity: str, gender_cell: str, ethnicity_cell: str) -> None:
    f = d.Facts(children={1: child(1, sex=sex, ethnicity=ethnicity)}, contacts=[d.ContactFact(1, AS_OF, "10")])
    row = d.derive(f, AS_OF).get(1).rows[0]
    assert row.values[1:3] == (gender_cell, ethnicity_cell)
    assert row.values[-1] == "u) 10: Unknown"


def test_allocation_on_the_day_or_the_last_one() -> None:
    f = facts(
        referrals=[d.ReferralFact(1, 1, D(2026, 1, 5), "6"), d.ReferralFact(2, 2, D(2025, 11, 5), "6")],
        allocations=[
            d.AllocationFact(1, D(2025, 1, 1), D(2026, 1, 31), "Old team", "Old Worker"),
            d.AllocationFact(1, D(2026, 2, 1), None, "Team A", ""),
            d.AllocationFact(2, D(2025, 11, 5), D(2025, 12, 20), "Team B", "Bo Worker"),
        ],
    )
    annex = d.derive(f, AS_OF)
    assert (cell(annex, 3, "Allocated Team", 1), cell(annex, 3, "Allocated Worker", 1)) == ("Team A", "")
    assert (cell(annex, 3, "Allocated Team", 2), cell(annex, 3, "Allocated Worker", 2)) == ("Team B", "Bo Worker")


def test_readiness_gaps() -> None:
    f = facts(
        children={1: child(1, ethnicity="NOBT"), 2: child(2), 3: child(3, ethnicity="REFU")},
        referrals=[d.ReferralFact(1, 1, D(2026, 1, 5), "6"), d.ReferralFact(2, 2, D(2026, 1, 5), "6")],
        assessments=[
            d.AssessmentFact(1, 1, D(2026, 1, 5), completed=D(2026, 2, 2), outcome="cin_plan"),  # not signed off
            d.AssessmentFact(2, 2, D(2026, 1, 5), completed=D(2026, 2, 2), authorised=D(2026, 2, 3), outcome="nfa"),
            d.AssessmentFact(3, 3, D(2026, 3, 5)),  # still open: nothing to sign off yet
        ],
        visits=[d.VisitSummary(2, "any", last=D(2026, 3, 1), last_seen=D(2026, 3, 1))],
        allocations=[
            d.AllocationFact(1, D(2026, 1, 5), None, "Team A", ""),
            d.AllocationFact(2, D(2026, 1, 5), None, "Team A", "Ann Worker"),
        ],
    )
    found = {g.code: g.child_ids for g in readiness.gaps(d.derive(f, AS_OF))}
    assert found == {
        "no_visit": (1,),
        "unknown_ethnicity": (1, 3),
        "unauthorised_assessment": (1,),
        "no_worker": (1,),
    }
