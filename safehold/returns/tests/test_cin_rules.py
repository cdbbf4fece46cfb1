"""Every CIN census rule against a hand-built failing and passing census (no database).

The base census is one child whose record is clean for 2025/26 (reference date 31 March 2026; the year runs
1 April 2025 - 31 March 2026): born 14 March 2015, a UPN, eight disability codes, one open episode referred
on Thursday 1 May 2025 with an assessment (2 May - authorised 12 June), an s47 from 6 May with its initial
conference on Tuesday 27 May, and a CP plan from that conference with one review on 27 August. Each case
changes one thing; its ``why`` states the expected result and the reason, worked out by hand from the
DfE rule text.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from safehold.core.identifiers import upn_check_letter
from safehold.returns.cin.domain.census import (
    Assessment,
    Census,
    Child,
    CINPlan,
    CPPlan,
    Episode,
    Header,
    Section47,
)
from safehold.returns.cin.domain.rules import RULES, validate
from safehold.returns.cin.domain.rules.base import dfe_messages

D = dt.date


def upn(la: str = "201", rest: str = "012345678") -> str:
    tail = la + rest
    return upn_check_letter(tail) + tail


def base_child(la_id: str = "C1") -> Child:
    return Child(
        la_child_id=la_id,
        upn=upn(rest="01234567" + la_id[-1:] if la_id[-1:].isdigit() else "012345678"),
        birth_date=D(2015, 3, 14),
        sex="F",
        ethnicity="WBRI",
        disabilities=["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"],
        episodes=[
            Episode(
                referral_date=D(2025, 5, 1),
                referral_source="1A",
                primary_need="N1",
                referral_nfa=False,
                assessments=[Assessment(D(2025, 5, 2), D(2025, 6, 10), D(2025, 6, 12), ["1A"])],
                section47s=[Section47(D(2025, 5, 6), D(2025, 5, 27), D(2025, 5, 27), False)],
                cp_plans=[CPPlan(D(2025, 5, 27), None, "NEG", "NEG", 0, [D(2025, 8, 27)])],
            )
        ],
    )


def base() -> Census:
    return Census(header=Header(year=2026, reference_date=D(2026, 3, 31), lea="201"), children=[base_child()])


def ch(c: Census) -> Child:
    return c.children[0]


def ep(c: Census) -> Episode:
    return c.children[0].episodes[0]


def ass(c: Census) -> Assessment:
    return ep(c).assessments[0]


def s47(c: Census) -> Section47:
    return ep(c).section47s[0]


def cpp(c: Census) -> CPPlan:
    return ep(c).cp_plans[0]


Mutation = Callable[[Census], object]


@dataclass(frozen=True)
class Case:
    code: str
    fail: Mutation
    ok: Mutation
    why: str


def _set(get: Callable[[Census], object], **values: object) -> Mutation:
    def apply(c: Census) -> None:
        target = get(c)
        for k, v in values.items():
            setattr(target, k, v)

    return apply


def _do(*steps: Mutation) -> Mutation:
    def apply(c: Census) -> None:
        for step in steps:
            step(c)

    return apply


def _add_child(**values: object) -> Mutation:
    def apply(c: Census) -> None:
        extra = base_child("C2")
        for k, v in values.items():
            setattr(extra, k, v)
        c.children.append(extra)

    return apply


def _plans(*spans: tuple[dt.date, dt.date | None]) -> Mutation:
    return _set(ep, cin_plans=[CINPlan(s, e) for s, e in spans])


def _open_s47(start: dt.date, not_required: bool | None = False) -> Section47:
    return Section47(start, None, None, not_required)


def _closed(day: dt.date, reason: str = "RC7") -> Mutation:
    return _set(ep, closure_date=day, closure_reason=reason)


def _nothing(c: Census) -> None:
    return None


NFA = _set(ep, referral_nfa=True)
BARE = _set(ep, assessments=[], section47s=[], cp_plans=[], cin_plans=[])
OPEN_A = Assessment(D(2025, 5, 2))

CASES: list[Case] = [
    Case(
        "100",
        _set(lambda c: c.header, reference_date=D(2026, 3, 30)),
        _nothing,
        "30 March is not 31 March of Year 2026: fail; 31 March passes",
    ),
    Case(
        "1103",
        _set(ass, start=D(2025, 4, 30)),
        _set(ass, start=D(2025, 5, 1)),
        "assessment a day before the 1 May referral fails; on the referral day passes",
    ),
    Case(
        "1104",
        _set(s47, icpc=D(2025, 4, 30)),
        _set(s47, start=D(2025, 5, 1), icpc=D(2025, 5, 1)),
        "ICPC 30 April, before the referral: fail; on the referral day: pass",
    ),
    Case(
        "1105",
        _set(cpp, start=D(2025, 4, 30)),
        _set(cpp, start=D(2025, 5, 1)),
        "plan from 30 April, before the referral: fail; from 1 May: pass",
    ),
    Case(
        "1510",
        _set(ch, upn="A201012345678"),
        _set(ch, upn="B201012345678"),
        "201012345678 weighted 2..13 sums to 392; 392 mod 23 = 1 = B. A is wrong: fail; B: pass",
    ),
    Case(
        "1520",
        _add_child(upn=upn(rest="012345671")),
        _add_child(),
        "a second child with C1's UPN (...012345671): fail; its own UPN (...012345672): pass",
    ),
    Case(
        "1530",
        _set(ch, upn=upn(la="901")),
        _set(ch, upn=upn(la="943")),
        "901 is not an LA or pseudo-LA code: fail; 943 (added 2023/24) passes",
    ),
    Case(
        "1540",
        _set(ch, upn="A2010AB345678"),
        _nothing,
        "characters 5-12 '0AB34567' are not all digits: fail; all digits: pass",
    ),
    Case(
        "1550",
        _set(ch, upn="A20101234567I"),
        _set(ch, upn=upn(rest="01234567A")),
        "13th character I is not in the check alphabet: fail; A is (a temporary UPN): pass",
    ),
    Case(
        "1560Q",
        _set(ch, former_upn="A12345"),
        _set(ch, former_upn=upn(rest="01234567Z")),
        "a 6-character former UPN is wrongly formatted: fail; letter+11 digits+letter: pass",
    ),
    Case(
        "1570",
        _set(ch, la_child_id="A" * 21),
        _set(ch, la_child_id="A" * 20),
        "21 characters is more than 20: fail; exactly 20: pass",
    ),
    Case(
        "1580",
        _set(ch, la_child_id="AB-12"),
        _set(ch, la_child_id="AB12"),
        "a hyphen is not alphanumeric: fail; AB12: pass",
    ),
    Case(
        "2883",
        _set(s47, icpc=None),
        _nothing,
        "one plan starts in the year and no ICPC is held in it (1 > 0): fail; base 1 plan, 1 ICPC: pass",
    ),
    Case(
        "2884",
        _set(ep, icpc=D(2025, 5, 27)),
        _set(ep, icpc=D(2025, 6, 2)),
        "CINdetails ICPC equals the s47's ICPC (27 May): recorded twice, fail; a different date: pass",
    ),
    Case(
        "2885",
        _set(cpp, start=D(2025, 5, 28)),
        _nothing,
        "plan starts 28 May but the episode's s47 ICPC was 27 May: fail; same day: pass",
    ),
    Case(
        "2886Q",
        _set(ch, sex="U"),
        _add_child(birth_date=None, expected_birth_date=D(2026, 5, 1), sex="U"),
        "the only born child has sex U: 100% > 2%, fail; an unborn child with U is excluded: 0%, pass",
    ),
    Case(
        "2887Q",
        _set(ch, disabilities=["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR"]),
        _nothing,
        "7 codes used in the return is fewer than 8: fail; 8 codes: pass",
    ),
    Case(
        "2888Q",
        _set(ch, disabilities=["MOB"]),
        _nothing,
        "no child has more than one disability code: fail; a child with 8 codes: pass",
    ),
    Case(
        "2889",
        _set(s47, start=D(2025, 4, 30)),
        _set(s47, start=D(2025, 5, 1)),
        "s47 from 30 April, before the 1 May referral: fail; from 1 May: pass",
    ),
    Case(
        "2990",
        _closed(D(2025, 12, 1), "RC8"),
        _closed(D(2025, 12, 1), "RC7"),
        "RC8 (closed after assessment) with an s47 and CP plan: fail; RC7: pass",
    ),
    Case("2991Q", _set(ep, assessments=[]), _nothing, "an s47 with no assessment on the episode: fail; with one: pass"),
    Case(
        "4000",
        _do(BARE, NFA, _plans((D(2025, 5, 1), None))),
        _do(BARE, _plans((D(2025, 5, 1), None))),
        "an NFA referral with a CIN plan: fail; not NFA: pass",
    ),
    Case(
        "4001",
        _plans((D(2025, 6, 1), None)),
        _plans((D(2025, 6, 1), D(2025, 6, 2))),
        "open CIN plan and open CP plan in one episode: fail; the CIN plan ended: pass",
    ),
    Case(
        "4003",
        _plans((D(2025, 8, 1), D(2025, 9, 1))),
        _plans((D(2025, 9, 1), D(2025, 10, 1))),
        "CP review 27 Aug inside CIN plan 1 Aug-1 Sep: fail; CIN plan from 1 Sep: pass",
    ),
    Case(
        "4004",
        _do(_set(ep, cp_plans=[]), _plans((D(2025, 6, 1), None), (D(2025, 7, 1), None))),
        _do(_set(ep, cp_plans=[]), _plans((D(2025, 6, 1), D(2025, 6, 30)), (D(2025, 7, 1), None))),
        "two open CIN plans in one episode: fail; one ended: pass",
    ),
    Case(
        "4008",
        _do(_set(ch, death_date=D(2025, 6, 1)), _plans((D(2025, 7, 1), None))),
        _do(_set(ch, death_date=D(2025, 6, 1)), _plans((D(2025, 6, 1), None))),
        "plan starts after the death (1 Jul > 1 Jun): fail; same day: pass",
    ),
    Case(
        "4009Q",
        _do(_set(ch, death_date=D(2025, 6, 1)), _plans((D(2025, 5, 1), D(2025, 7, 1)))),
        _do(_set(ch, death_date=D(2025, 6, 1)), _plans((D(2025, 5, 1), D(2025, 6, 1)))),
        "plan ends a month after the death: fail; on the day of death: pass",
    ),
    Case(
        "4010",
        _plans((D(2026, 4, 1), None)),
        _plans((D(2026, 3, 31), None)),
        "plan starts after 31 March 2026: fail; on 31 March: pass",
    ),
    Case(
        "4011",
        _plans((D(2025, 7, 1), D(2025, 6, 30))),
        _plans((D(2025, 7, 1), D(2025, 7, 2))),
        "end before start: fail; after: pass",
    ),
    Case(
        "4012Q",
        _plans((D(2025, 7, 1), D(2025, 7, 1))),
        _plans((D(2025, 7, 1), D(2025, 7, 2))),
        "start and end the same day: fail; next day: pass",
    ),
    Case(
        "4013",
        _plans((D(2025, 3, 1), D(2025, 3, 31))),
        _plans((D(2025, 3, 1), D(2025, 4, 1))),
        "plan ended 31 March 2025, before the year: fail; 1 April 2025: pass",
    ),
    Case(
        "4014",
        _plans((D(2025, 6, 1), D(2025, 7, 1)), (D(2025, 6, 15), D(2025, 8, 1))),
        _plans((D(2025, 6, 1), D(2025, 7, 1)), (D(2025, 7, 2), D(2025, 8, 1))),
        "second plan starts 15 Jun inside the first (1 Jun-1 Jul): fail; starts 2 Jul: pass",
    ),
    Case(
        "4015",
        _plans((D(2025, 4, 30), None)),
        _do(_set(ep, cp_plans=[]), _plans((D(2025, 5, 1), None))),
        "CIN plan before the 1 May referral: fail; on the referral day: pass",
    ),
    Case(
        "4016",
        _plans((D(2025, 6, 1), D(2025, 6, 5))),
        _do(_set(cpp, end=D(2025, 9, 1)), _plans((D(2025, 9, 1), None))),
        "CIN plan starts 1 Jun while the CP plan (from 27 May) is open: fail; starts the day it ends: pass",
    ),
    Case(
        "4017",
        _plans((D(2025, 5, 1), D(2025, 6, 30))),
        _plans((D(2025, 5, 1), D(2025, 5, 27))),
        "CP plan starts 27 May inside CIN plan 1 May-30 Jun: fail; CIN plan ended 27 May: pass",
    ),
    Case("4180", _set(ch, sex="X"), _set(ch, sex="M"), "X is not M, F or U: fail; M: pass"),
    Case("4220", _set(ch, ethnicity="XXXX"), _set(ch, ethnicity="WIRI"), "XXXX is not a code: fail; WIRI: pass"),
    Case("8500", _set(ch, la_child_id=""), _nothing, "no LA child id: fail; C1: pass"),
    Case(
        "8510",
        _add_child(la_child_id="C1"),
        _add_child(la_child_id="C2"),
        "two records with id C1: fail; C1 and C2: pass",
    ),
    Case(
        "8520",
        _set(ch, birth_date=D(2026, 4, 1)),
        _set(ch, birth_date=D(2026, 3, 31)),
        "born after 31 March 2026: fail; on it: pass",
    ),
    Case(
        "8525Q",
        _set(ch, expected_birth_date=D(2015, 3, 1)),
        _nothing,
        "both date of birth and expected date of birth: fail; only date of birth: pass",
    ),
    Case(
        "8530Q",
        _set(ch, birth_date=None, sex="U", expected_birth_date=D(2027, 1, 15)),
        _set(ch, birth_date=None, sex="U", expected_birth_date=D(2026, 6, 1)),
        "expected 15 Jan 2027, on or after 31 Dec 2026 (reference + 9 months): fail; 1 June 2026: pass",
    ),
    Case(
        "8535Q",
        _set(ch, death_date=D(2015, 1, 1)),
        _set(ch, death_date=D(2025, 6, 1)),
        "death before birth: fail; after: pass",
    ),
    Case(
        "8540",
        _set(ch, disabilities=["XYZ"]),
        _set(ch, disabilities=["NONE"]),
        "XYZ is not a disability code: fail; NONE: pass",
    ),
    Case(
        "8545Q",
        _set(ch, death_date=D(2025, 3, 31)),
        _set(ch, death_date=D(2025, 4, 1)),
        "died 31 March 2025, before the year: fail; 1 April 2025: pass",
    ),
    Case(
        "8555Q",
        _set(ch, death_date=D(2025, 4, 30)),
        _set(ch, death_date=D(2025, 5, 1)),
        "referred 1 May after dying 30 April: fail; died on the referral day: pass",
    ),
    Case(
        "8565",
        _closed(D(2025, 6, 1)),
        _do(_set(cpp, end=D(2026, 2, 27)), _closed(D(2026, 3, 1))),
        "closed 1 June before the 27 Aug review... and CP plan: activity after closure, fail; closed after all: pass",
    ),
    Case("8568", _set(ep, referral_nfa=None), _nothing, "ReferralNFA missing: fail; false: pass"),
    Case(
        "8569Q",
        _do(BARE, NFA, _set(ep, referral_date=D(2025, 3, 31))),
        _do(BARE, NFA),
        "NFA referral on 31 March 2025, before the year's first working day (Tue 1 April): fail; 1 May: pass",
    ),
    Case(
        "8585Q",
        _closed(D(2026, 3, 1), "RC2"),
        _do(_closed(D(2026, 3, 1), "RC2"), _set(ch, death_date=D(2026, 3, 1))),
        "closed as died with no date of death: fail; with one: pass",
    ),
    Case("8590", _set(ch, episodes=[]), _nothing, "a child with no CINdetails: fail; one episode: pass"),
    Case(
        "8600",
        _set(ep, referral_date=D(2026, 4, 1)),
        _set(ep, referral_date=D(2025, 4, 1)),
        "referral after 31 March 2026: fail; 1 April 2025: pass",
    ),
    Case(
        "8606",
        _set(ep, referral_date=D(2015, 3, 14) - dt.timedelta(days=281)),
        _set(ep, referral_date=D(2015, 3, 14) - dt.timedelta(days=280)),
        "281 days before birth is more than 40 weeks: fail; exactly 280 days: pass",
    ),
    Case(
        "8608",
        _set(ass, start=D(2025, 6, 13)),
        _set(ass, start=D(2025, 6, 12)),
        "start 13 June after authorisation 12 June: fail; same day: pass",
    ),
    Case(
        "8610",
        _set(ep, primary_need=""),
        _do(BARE, NFA, _set(ep, primary_need="")),
        "no primary need on a referral with further action: fail; on an NFA referral: pass",
    ),
    Case(
        "8614",
        _set(ass, authorisation=None),
        _set(ass, authorisation=None, factors=[]),
        "factors on an assessment not authorised: fail; no factors: pass",
    ),
    Case(
        "8615",
        _set(s47, icpc=D(2025, 5, 5)),
        _set(s47, icpc=D(2025, 5, 6)),
        "ICPC 5 May before the s47 start 6 May: fail; same day: pass",
    ),
    Case("8620", _closed(D(2026, 4, 1)), _closed(D(2026, 3, 31)), "closed after the year: fail; 31 March: pass"),
    Case("8630", _closed(D(2025, 4, 30)), _closed(D(2025, 5, 1)), "closed before the referral: fail; same day: pass"),
    Case("8640", _closed(D(2026, 3, 1), "RC0"), _closed(D(2026, 3, 1), "RC7"), "RC0 invalid: fail; RC7: pass"),
    Case("8650", _set(ep, primary_need="N10"), _set(ep, primary_need="N9"), "N10 invalid: fail; N9: pass"),
    Case(
        "8670Q",
        _set(ass, authorisation=None, factors=[], start=D(2026, 1, 5)),
        _set(ass, authorisation=None, factors=[], start=D(2026, 3, 2)),
        "unauthorised since 5 Jan, more than 45 working days before 31 March: fail; since 2 March: pass",
    ),
    Case(
        "8675Q",
        _set(ep, section47s=[_open_s47(D(2026, 1, 5))]),
        _set(ep, section47s=[_open_s47(D(2026, 3, 20))]),
        "s47 from 5 Jan with no ICPC, more than 15 working days before year end: fail; from 20 March: pass",
    ),
    Case(
        "8696",
        _set(ass, start=D(2025, 3, 1), authorisation=D(2025, 3, 31)),
        _set(ass, authorisation=D(2025, 4, 1)),
        "authorised 31 March 2025, before the year: fail; 1 April 2025: pass",
    ),
    Case(
        "8715",
        _set(s47, start=D(2025, 3, 20), icpc=D(2025, 3, 31)),
        _nothing,
        "ICPC 31 March 2025, before the year: fail; 27 May 2025: pass",
    ),
    Case("8720", _set(cpp, start=None), _nothing, "plan with no start date: fail; with one: pass"),
    Case(
        "8730",
        _set(cpp, previous_plans=None),
        _set(cpp, previous_plans=2),
        "number of previous plans missing: fail; 2: pass",
    ),
    Case(
        "8736",
        _set(ass, authorisation=None, factors=[], start=D(2025, 3, 31)),
        _set(ass, authorisation=None, factors=[], start=D(2025, 4, 1)),
        "open assessment started 31 March 2025, before the year: fail; 1 April 2025: pass",
    ),
    Case(
        "8740",
        _set(ep, section47s=[_open_s47(D(2025, 3, 31))]),
        _set(ep, section47s=[_open_s47(D(2025, 4, 1))]),
        "s47 awaiting ICPC started before the year: fail; started on 1 April: pass",
    ),
    Case(
        "8750",
        _set(ch, birth_date=None, expected_birth_date=D(2026, 5, 1), sex="F"),
        _set(ch, birth_date=None, expected_birth_date=D(2026, 5, 1), sex="U"),
        "unborn with sex F: fail; U: pass",
    ),
    Case(
        "8770Q",
        _set(ch, upn="", upn_unknown="UN1"),
        _set(ch, upn="", upn_unknown="UN2"),
        "school-age child (born 2015) with no UPN and reason UN1: fail; UN2: pass",
    ),
    Case(
        "8772",
        _set(ch, upn="", upn_unknown="UN7"),
        _do(BARE, NFA, _set(ch, upn="", upn_unknown="UN7")),
        "UN7 with a referral that went on to further action: fail; every referral NFA: pass",
    ),
    Case(
        "8775Q",
        _set(ch, birth_date=D(2000, 1, 1)),
        _set(ch, birth_date=D(2001, 4, 1)),
        "26 at the reference date with an open episode: fail; 24: pass",
    ),
    Case(
        "8790",
        _set(ch, disabilities=["NONE", "MOB"]),
        _set(ch, disabilities=["NONE"]),
        "NONE with MOB: fail; NONE alone: pass",
    ),
    Case(
        "8794",
        _set(ch, disabilities=["MOB", "MOB"]),
        _set(ch, disabilities=["MOB", "HAND"]),
        "MOB twice: fail; two different codes: pass",
    ),
    Case(
        "8805",
        _set(ep, closure_date=D(2026, 3, 1)),
        _closed(D(2026, 3, 1)),
        "closure date with no reason: fail; with RC7: pass",
    ),
    Case("8810", _set(ep, closure_reason="RC7"), _nothing, "reason with no closure date: fail; neither: pass"),
    Case(
        "8815",
        _set(ch, episodes=[base_child().episodes[0], Episode(D(2025, 9, 1), "1A", "N1")]),
        _set(ch, episodes=[base_child().episodes[0], Episode(D(2025, 9, 1), "1A", "N1", referral_nfa=True)]),
        "two open episodes, both going on to further action: fail; the second an NFA referral: pass",
    ),
    Case(
        "8816",
        _set(ch, episodes=[base_child().episodes[0], Episode(D(2025, 12, 1), "1A", "N1", D(2026, 1, 5), "RC7")]),
        _set(ch, episodes=[Episode(D(2025, 3, 1), "1A", "N1", D(2025, 4, 30), "RC7"), base_child().episodes[0]]),
        "the open episode (1 May) is not the latest referral (1 Dec): fail; the open one is latest: pass",
    ),
    Case(
        "8820",
        _set(
            ch, episodes=[Episode(D(2025, 5, 1), "1A", "N1", D(2025, 8, 1), "RC7"), Episode(D(2025, 7, 1), "1A", "N1")]
        ),
        _set(
            ch, episodes=[Episode(D(2025, 5, 1), "1A", "N1", D(2025, 8, 1), "RC7"), Episode(D(2025, 8, 1), "1A", "N1")]
        ),
        "second referral 1 Jul before the first closed 1 Aug: fail; referred on the closure day: pass",
    ),
    Case(
        "8825Q",
        _do(BARE, _closed(D(2025, 6, 1), "RC8")),
        _do(_set(ep, section47s=[], cp_plans=[]), _closed(D(2025, 7, 1), "RC8")),
        "RC8 with no assessment: fail; with one: pass",
    ),
    Case(
        "8831",
        _do(_set(ep, section47s=[], cp_plans=[]), NFA),
        _do(BARE, NFA),
        "NFA referral with an assessment: fail; with nothing: pass",
    ),
    Case("8832", NFA, _do(_set(ep, cp_plans=[]), NFA), "NFA referral with a CP plan: fail; without: pass"),
    Case(
        "8839",
        _set(ep, section47s=[_open_s47(D(2026, 3, 2)), _open_s47(D(2026, 3, 9))]),
        _set(ep, section47s=[_open_s47(D(2026, 3, 2), True), _open_s47(D(2026, 3, 9))]),
        "two open s47s in one episode: fail; one marked ICPC not required: pass",
    ),
    Case(
        "8840",
        _set(cpp, end=D(2025, 5, 27)),
        _set(cpp, end=D(2025, 5, 28)),
        "plan starts and ends 27 May: fail; ends the next day: pass",
    ),
    Case(
        "8841",
        _set(cpp, reviews=[D(2025, 5, 27)]),
        _set(cpp, reviews=[D(2025, 5, 28)]),
        "review on the plan's first day: fail; the day after: pass",
    ),
    Case("8842Q", _set(cpp, reviews=[None]), _nothing, "review with no date: fail; with a date: pass"),
    Case(
        "8863Q",
        _set(ep, assessments=[ass(base()), Assessment(D(2025, 6, 1), D(2025, 6, 30), D(2025, 7, 1), ["1A"])]),
        _set(ep, assessments=[ass(base()), Assessment(D(2025, 6, 13), D(2025, 6, 30), D(2025, 7, 1), ["1A"])]),
        "second assessment starts 1 Jun inside the first (2 May-12 Jun): fail; starts 13 Jun: pass",
    ),
    Case("8866", _set(ep, referral_source=""), _set(ep, referral_source="10"), "no source: fail; 10: pass"),
    Case(
        "8867",
        _do(_set(ep, section47s=[], cp_plans=[], assessments=[OPEN_A]), _closed(D(2025, 7, 1))),
        _do(_set(ep, section47s=[], cp_plans=[]), _closed(D(2025, 7, 1))),
        "closed with an assessment not authorised: fail; authorised: pass",
    ),
    Case(
        "8868",
        _do(_set(ep, cp_plans=[], section47s=[_open_s47(D(2025, 5, 6))]), _closed(D(2025, 7, 1))),
        _do(_set(ep, cp_plans=[], section47s=[_open_s47(D(2025, 5, 6), True)]), _closed(D(2025, 7, 1))),
        "closed with an s47 that neither held an ICPC nor was marked not required: fail; marked: pass",
    ),
    Case("8869", _set(ass, factors=["21", "1A"]), _set(ass, factors=["21"]), "21 with 1A: fail; 21 alone: pass"),
    Case(
        "8870Q",
        _set(s47, icpc_target=D(2025, 5, 24)),
        _set(s47, icpc_target=D(2025, 5, 23)),
        "target on Saturday 24 May: fail; Friday 23 May: pass",
    ),
    Case(
        "8873Q",
        _set(ass, factors=["21"]),
        _do(_set(ep, section47s=[], cp_plans=[]), _set(ass, factors=["21"]), _closed(D(2025, 7, 1), "RC8")),
        "only assessment found no factors (21) but the reason is not RC8/RC9: fail; closed RC8: pass",
    ),
    Case("8875", _set(s47, icpc=D(2025, 5, 24)), _nothing, "ICPC on Saturday 24 May: fail; Tuesday 27 May: pass"),
    Case(
        "8890",
        _set(ep, section47s=[s47(base()), _open_s47(D(2025, 5, 20))]),
        _set(ep, section47s=[s47(base()), _open_s47(D(2025, 5, 28), True)]),
        "second s47 from 20 May before the first's ICPC (27 May): fail; from 28 May: pass",
    ),
    Case(
        "8896",
        _set(ep, assessments=[OPEN_A, Assessment(D(2025, 5, 3))]),
        _set(ep, assessments=[ass(base()), Assessment(D(2025, 6, 13))]),
        "two open assessments: fail; one authorised, one open: pass",
    ),
    Case("8897Q", _set(ass, factors=[]), _nothing, "authorised in the year with no factors: fail; with 1A: pass"),
    Case("8898", _set(ass, factors=["1A", "1A"]), _set(ass, factors=["1A", "1B"]), "1A twice: fail; 1A, 1B: pass"),
    Case("8905", _set(cpp, initial_category="XXX"), _set(cpp, initial_category="PHY"), "XXX: fail; PHY: pass"),
    Case("8910", _set(cpp, latest_category=""), _set(cpp, latest_category="MUL"), "missing: fail; MUL: pass"),
    Case(
        "8915",
        _set(ch, death_date=D(2025, 5, 26)),
        _set(ch, death_date=D(2025, 5, 27)),
        "plan starts 27 May after the death on 26 May: fail; died 27 May: pass",
    ),
    Case(
        "8920",
        _do(_set(ch, death_date=D(2025, 6, 1)), _set(cpp, end=D(2025, 7, 1))),
        _do(_set(ch, death_date=D(2025, 6, 1)), _set(cpp, end=D(2025, 6, 1))),
        "plan ends a month after the death: fail; on the day: pass",
    ),
    Case(
        "8925", _set(cpp, end=D(2025, 5, 26)), _set(cpp, end=D(2025, 5, 28)), "ends before it starts: fail; after: pass"
    ),
    Case(
        "8930", _set(cpp, end=D(2026, 4, 1)), _set(cpp, end=D(2026, 3, 31)), "ends after the year: fail; 31 March: pass"
    ),
    Case(
        "8935",
        _set(ep, cp_plans=[cpp(base()), CPPlan(D(2025, 9, 1), None, "NEG", "NEG", 1)]),
        _set(
            ep,
            cp_plans=[
                CPPlan(D(2025, 5, 27), D(2025, 8, 31), "NEG", "NEG", 0),
                CPPlan(D(2025, 9, 1), None, "NEG", "NEG", 1),
            ],
        ),
        "two open CP plans: fail; the first ended: pass",
    ),
    Case(
        "8940",
        _set(ep, cp_plans=[cpp(base()), CPPlan(D(2025, 9, 1), D(2025, 10, 1), "NEG", "NEG", 1)]),
        _set(
            ep,
            cp_plans=[
                CPPlan(D(2025, 5, 27), D(2025, 8, 31), "NEG", "NEG", 0),
                CPPlan(D(2025, 9, 1), D(2025, 10, 1), "NEG", "NEG", 1),
            ],
        ),
        "second plan starts 1 Sep while the first is open: fail; first ended 31 Aug: pass",
    ),
    Case("8945Q", _set(ass, factors=["18A"]), _set(ass, factors=["18B"]), "18A: fail; 18B: pass"),
    Case("8950Q", _set(ass, factors=["19A"]), _set(ass, factors=["19C"]), "19A: fail; 19C: pass"),
]


def test_every_dfe_rule_is_implemented_once() -> None:
    """The DfE list has 109 rules; every code is a registered rule and nothing else is."""
    assert set(RULES) == set(dfe_messages())
    assert len(RULES) == 109
    assert {c.code for c in CASES} == set(RULES)
    assert len(CASES) == len({c.code for c in CASES})


def test_rules_carry_code_message_fields_severity_and_years() -> None:
    for code, r in RULES.items():
        assert r.code == code and r.message and r.fields and 2026 in r.years
        assert r.severity == ("query" if code.endswith("Q") else "error")


def test_base_census_is_clean() -> None:
    """The base census breaks no rule, so each case below isolates one rule."""
    assert validate(base()) == []


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_rule_fails_and_passes(case: Case) -> None:
    failing, passing = base(), base()
    case.fail(failing)
    case.ok(passing)
    assert case.code in {f.rule_code for f in validate(failing)}, case.why
    assert case.code not in {f.rule_code for f in validate(passing)}, case.why


def test_failures_name_the_child_and_la_level_rules_name_none() -> None:
    census = base()
    _add_child(la_child_id="C1")(census)
    codes = {(f.rule_code, f.la_child_id) for f in validate(census)}
    assert codes == {("8510", "C1")}
    _set(lambda c: c.header, reference_date=D(2026, 3, 30))(census)
    assert ("100", "") in {(f.rule_code, f.la_child_id) for f in validate(census)}


def test_fixture_is_not_shared_between_cases() -> None:
    a, b = base(), copy.deepcopy(base())
    _set(ass, factors=["21"])(a)
    assert ass(b).factors == ["1A"]
