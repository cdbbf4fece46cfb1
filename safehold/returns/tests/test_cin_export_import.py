"""Export from the record, import into an empty record, export again; and files the import must refuse.

The record is built through the casework services. Six children, 2025/26 (1 April 2025 - 31 March 2026):

* A - referred 1 May 2025, assessed, s47 from 6 May, ICPC and CP plan 27 May, review 27 Aug: in scope.
* B - referred 1 Nov 2024 and open on 1 April 2025 (assessment authorised Dec 2024, CIN plan 15 Dec 2024 -
  30 Jun 2025), closed RC7 on 1 Jul 2025: in scope; the 2024 assessment is not (signed off before the year).
* C - an NFA referral, 1-2 Sep 2025: in scope, ReferralNFA 1.
* D - referred Jan 2023, closed Jan 2024: out of scope (closed before the year).
* E - unborn (expected 1 May 2026, sex U), referred 10 Jan 2026: in scope, no PersonBirthDate.
* F - referred 10 Apr 2026, after the year: out of scope.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import time_machine

from safehold.audit.models import AuditEvent
from safehold.casework import services as cw
from safehold.casework.models import Assessment, ChildProtectionPlan, CINEpisode, CINPlan, Conference, Section47
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.core.testing import make_child
from safehold.people.models import Person, PersonDisability
from safehold.returns.cin import cli
from safehold.returns.cin.services import cin_import

pytestmark = [pytest.mark.django_db]
D = dt.date
FROZEN = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)

#: The XSD sequence for each block (STATUTE.md §6.2); an export's children must appear in this order.
SEQUENCES = {
    "Message": ["Header", "Children"],
    "CollectionDetails": ["Collection", "Year", "ReferenceDate"],
    "Source": ["SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"],
    "ChildIdentifiers": [
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "Sex",
        "PersonDeathDate",
    ],
    "Child": ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"],
    "ChildCharacteristics": ["Ethnicity", "Disabilities"],
    "CINdetails": [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ],
    "Assessments": [
        "AssessmentActualStartDate",
        "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate",
        "FactorsIdentifiedAtAssessment",
    ],
    "CINPlanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
    "ChildProtectionPlans": [
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        "Reviews",
    ],
}


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _close(episode: CINEpisode, day: dt.date, reason: str, nfa: bool = False) -> None:
    episode.refresh_from_db()
    cw.episode_close(
        actor=None, episode=episode, expected_version=episode.version, closure_date=day, reason=reason, nfa=nfa
    )


def _assess(episode: CINEpisode, start: dt.date, done: dt.date, signed: dt.date, factors: list[str]) -> None:
    a = cw.assessment_start(actor=None, episode=episode, start_date=start)
    cw.assessment_complete(
        actor=None,
        assessment=a,
        expected_version=a.version,
        completed_date=done,
        factors=factors,
        child_seen=True,
        outcome="cin_plan",
    )
    a.refresh_from_db()
    cw.assessment_authorise(actor=None, assessment=a, expected_version=a.version, authorised_date=signed, manager=None)


@service
def _add_disabilities(child: Person, codes: list[str]) -> None:
    for code in codes:
        PersonDisability(person=child, code=code).save()


@service
def _wipe() -> None:
    Person.objects.all().delete()


def build_record() -> dict[str, Person]:
    kids = {
        "A": make_child(la_child_id="A1", upn="B201012345678", date_of_birth=D(2015, 3, 14)),
        "B": make_child(la_child_id="B1", sex="M", date_of_birth=D(2010, 1, 2), ethnicity="BAFR"),
        "C": make_child(la_child_id="C1", date_of_birth=D(2019, 6, 1), upn_unknown="UN1"),
        "D": make_child(la_child_id="D1"),
        "E": make_child(la_child_id="E1", sex="U", date_of_birth=None, expected_date_of_birth=D(2026, 5, 1)),
        "F": make_child(la_child_id="F1"),
    }
    _add_disabilities(kids["A"], ["NONE"])
    _add_disabilities(kids["B"], ["AUT", "COMM"])

    a = cw.referral_create(actor=None, child=kids["A"], referral_date=D(2025, 5, 1), source="2A", primary_need="N1")
    _assess(a, D(2025, 5, 2), D(2025, 6, 10), D(2025, 6, 12), ["3A", "16A"])
    cw.strategy_discussion_record(actor=None, episode=a, held_on=D(2025, 5, 6), start_section47=True)
    s47 = Section47.objects.get(episode=a)
    conf = cw.icpc_record(actor=None, section47=s47, held_on=D(2025, 5, 27), plan=True, initial_category="NEG")
    assert conf.plan is not None
    cw.cp_review_record(actor=None, plan=conf.plan, held_on=D(2025, 8, 27), continue_plan=True, latest_category="EMO")

    b = cw.referral_create(actor=None, child=kids["B"], referral_date=D(2024, 11, 1), source="6", primary_need="N4")
    _assess(b, D(2024, 11, 2), D(2024, 12, 10), D(2024, 12, 12), ["4B"])
    plan = cw.cin_plan_start(actor=None, episode=b, start_date=D(2024, 12, 15))
    cw.cin_plan_end(actor=None, plan=plan, expected_version=plan.version, end_date=D(2025, 6, 30))
    _close(b, D(2025, 7, 1), "RC7")

    c = cw.referral_create(actor=None, child=kids["C"], referral_date=D(2025, 9, 1), source="1A")
    _close(c, D(2025, 9, 2), "RC7", nfa=True)

    d = cw.referral_create(actor=None, child=kids["D"], referral_date=D(2023, 1, 9), source="2A", primary_need="N5")
    _close(d, D(2024, 1, 8), "RC7")

    cw.referral_create(actor=None, child=kids["E"], referral_date=D(2026, 1, 10), source="3B", primary_need="N1")
    cw.referral_create(actor=None, child=kids["F"], referral_date=D(2026, 4, 10), source="2A", primary_need="N1")
    return kids


def _tags(el: ET.Element) -> list[str]:
    return [sub.tag for sub in el]


def _in_order(tags: list[str], sequence: list[str]) -> bool:
    positions = [sequence.index(t) for t in tags]
    return positions == sorted(positions)


@pytest.mark.usefixtures("frozen")
def test_export_follows_the_xsd_sequence_and_the_scope(tmp_path: Path) -> None:
    build_record()
    out = tmp_path / "cin.xml"
    message = cli.export(2026, out)
    assert "4 children" in message
    root = ET.parse(out).getroot()  # noqa: S314 - our own file
    for el in root.iter():
        if el.tag in SEQUENCES:
            assert set(_tags(el)) <= set(SEQUENCES[el.tag]), el.tag
            assert _in_order(_tags(el), SEQUENCES[el.tag]), (el.tag, _tags(el))
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    children = {c.findtext("ChildIdentifiers/LAchildID") or "": c for c in root.iter("Child")}
    assert sorted(children) == ["A1", "B1", "C1", "E1"]  # D closed before the year, F referred after it

    a = children["A1"].find("CINdetails")
    assert a is not None
    assert a.findtext("ReferralNFA") == "0"
    assert a.findtext("Section47/S47ActualStartDate") == "2025-05-06"
    assert a.findtext("Section47/DateOfInitialCPC") == "2025-05-27"
    assert a.findtext("ChildProtectionPlans/CPPstartDate") == "2025-05-27"
    assert a.findtext("ChildProtectionPlans/LatestCategoryOfAbuse") == "EMO"
    assert a.findtext("ChildProtectionPlans/NumberOfPreviousCPP") == "0"
    assert [r.text for r in a.iter("CPPreviewDate")] == ["2025-08-27"]
    assert [f.text for f in a.iter("AssessmentFactors")] == ["16A", "3A"]  # stored sorted by the service

    b = children["B1"].find("CINdetails")
    assert b is not None
    assert b.find("Assessments") is None  # authorised 12 Dec 2024, before the year
    assert b.findtext("CINPlanDates/CINPlanEndDate") == "2025-06-30"
    assert (b.findtext("CINclosureDate"), b.findtext("ReasonForClosure")) == ("2025-07-01", "RC7")
    assert [d.text for d in children["B1"].iter("Disability")] == ["AUT", "COMM"]

    assert children["C1"].findtext("CINdetails/ReferralNFA") == "1"
    e = children["E1"].find("ChildIdentifiers")
    assert e is not None
    assert e.find("PersonBirthDate") is None and e.findtext("ExpectedPersonBirthDate") == "2026-05-01"
    assert e.findtext("Sex") == "U"


@pytest.mark.usefixtures("frozen")
def test_round_trip_into_an_empty_record_exports_the_same_file(tmp_path: Path) -> None:
    build_record()
    first = tmp_path / "first.xml"
    cli.export(2026, first)
    _wipe()
    assert Person.objects.count() == 0
    names = "LAchildID,given_name,family_name\nA1,Amara,Okafor\n"
    result = cin_import(actor=None, xml_bytes=first.read_bytes(), names_csv=names)
    assert (result.children_created, result.episodes_created) == (4, 4)
    assert Person.objects.get(la_child_id="A1").given_name == "Amara"
    assert Person.objects.get(la_child_id="B1").family_name == "Child B1"
    second = tmp_path / "second.xml"
    cli.export(2026, second)
    assert second.read_text() == first.read_text()


@pytest.mark.usefixtures("frozen")
def test_reimport_is_idempotent(tmp_path: Path) -> None:
    build_record()
    out = tmp_path / "cin.xml"
    cli.export(2026, out)
    _wipe()
    cin_import(actor=None, xml_bytes=out.read_bytes())
    counts = [
        m.objects.count()
        for m in (Person, CINEpisode, Assessment, Section47, ChildProtectionPlan, CINPlan, Conference, PersonDisability)
    ]
    again = cin_import(actor=None, xml_bytes=out.read_bytes())
    assert (again.children_created, again.children_updated, again.episodes_created) == (0, 0, 0)
    assert (again.children_unchanged, again.episodes_already_present) == (4, 4)
    assert counts == [
        m.objects.count()
        for m in (Person, CINEpisode, Assessment, Section47, ChildProtectionPlan, CINPlan, Conference, PersonDisability)
    ]


GOOD = (
    b'<?xml version="1.0"?><Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year>'
    b"<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails><Source><LEA>201</LEA></Source></Header>"
    b"<Children><Child><ChildIdentifiers><LAchildID>X1</LAchildID><PersonBirthDate>2015-03-14</PersonBirthDate>"
    b"<Sex>F</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
    b"<CINdetails><CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A</ReferralSource>"
    b"<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails></Child></Children></Message>"
)

BAD_FILES = {
    "not XML": (b"LAchildID,Sex\nX1,F\n", "not well-formed XML"),
    "empty": (b"", "empty"),
    "wrong root": (b"<Census><Header/></Census>", "root element is <Census>"),
    "truncated": (GOOD[: len(GOOD) // 2], "truncated"),
    "bad sex code": (GOOD.replace(b"<Sex>F</Sex>", b"<Sex>X</Sex>"), "Child X1: Sex: 'X' is not M, F or U"),
    "bad source code": (GOOD.replace(b">1A<", b">1Z<"), "Child X1: CINdetails 1 ReferralSource: '1Z'"),
    "impossible date": (GOOD.replace(b"2025-05-01", b"2025-02-30"), "Child X1: CINreferralDate: '2025-02-30'"),
    "closure before referral": (
        GOOD.replace(
            b"<ReferralNFA>",
            b"<CINclosureDate>2025-04-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure><ReferralNFA>",
        ),
        "Child X1: CINdetails 1 CINclosureDate: is before the referral date",
    ),
    "DTD": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Message/>', "DTD"),
}


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_and_change_nothing(name: str) -> None:
    """Each bad file raises ValidationFailed naming the child and the field, and writes nothing at all."""
    make_child(la_child_id="X1")  # a re-import would touch this child if the refusal were partial
    before = (Person.objects.count(), CINEpisode.objects.count(), AuditEvent.objects.count())
    data, expected = BAD_FILES[name]
    with pytest.raises(ValidationFailed) as excinfo:
        cin_import(actor=None, xml_bytes=data)
    assert expected in str(excinfo.value)
    assert "Nothing was imported" in str(excinfo.value)
    assert (Person.objects.count(), CINEpisode.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.usefixtures("frozen")
def test_a_good_file_imports_and_is_audited() -> None:
    before = AuditEvent.objects.count()
    result = cin_import(actor=None, xml_bytes=GOOD)
    assert (result.children_created, result.episodes_created) == (1, 1)
    child = Person.objects.get(la_child_id="X1")
    assert child.is_child_record and child.cin_episodes.get().referral_date == D(2025, 5, 1)
    actions = set(AuditEvent.objects.all()[: AuditEvent.objects.count() - before].values_list("action", flat=True))
    assert {"cin_import.child_created", "cin_import.completed"} <= actions


@pytest.mark.usefixtures("frozen")
def test_one_bad_child_stops_the_whole_file() -> None:
    second = GOOD.replace(b"<LAchildID>X1</LAchildID>", b"<LAchildID>X2</LAchildID>").replace(b"<Sex>F", b"<Sex>Q")
    children = second[second.index(b"<Child>") : second.index(b"</Children>")]
    both = GOOD.replace(b"</Children>", children + b"</Children>")
    with pytest.raises(ValidationFailed, match="Child X2: Sex"):
        cin_import(actor=None, xml_bytes=both)
    assert not Person.objects.filter(la_child_id__in=["X1", "X2"]).exists()
