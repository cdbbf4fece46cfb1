"""The passing edges of group A's rules (rules/a_episode_spans.py, rules/a_uasc_leavers.py), chiefly those the
DfE tool never flags in the agreement run (it needs last year's files, crashes, or has a defect): each change
below sits just inside the rule and must not be flagged, beside its failing twin just outside it.

The failing fixtures are in cases_903_a_spans_uasc.py; the base children are described there.
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from safehold.returns.ssda903.domain import synthetic, validate
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.tests.support_903 import BASE, A, B, C, L, edit

Change = Callable[[t.Return903], object]


def _flagged(code: str, change: Change, previous_change: Change | None = None) -> set[str]:
    ret = copy.deepcopy(BASE)
    change(ret)
    previous = None
    if previous_change is not None:
        previous = synthetic.previous_return(BASE)
        previous_change(previous)
    return {f.child_id for f in validate(ret, previous) if f.rule_code == code}


def _uasc(child: str, dob: str, duc: str) -> Change:
    return lambda r: r.uasc.append(t.UASC(child, "F", dob, duc))


def _nothing(ret: t.Return903) -> None:
    return None


EDGES: list[tuple[str, str, Change, Change | None, bool]] = [
    # (rule, child, change this year, change last year (None: no previous return), flagged?)
    # 205A: status ceased within last year (2024/25) is what "no longer UASC" needs; blank is not.
    ("205A", A, _nothing, _uasc(A, "08/07/2012", "01/05/2024"), False),
    ("205A", A, _nothing, _uasc(A, "08/07/2012", "31/03/2024"), True),
    # 205B: UASC on in both years with no DUC last year; a DUC this year must be within this year.
    ("205B", A, _uasc(A, "08/07/2012", ""), _uasc(A, "08/07/2012", ""), False),
    ("205B", A, _uasc(A, "08/07/2012", "01/05/2025"), _uasc(A, "08/07/2012", ""), False),
    ("205B", A, _uasc(A, "08/07/2012", "01/05/2026"), _uasc(A, "08/07/2012", ""), True),
    # 205D: a child new to the return may be UASC; one in last year's return must have been UASC then too.
    ("205D", A, _uasc(A, "08/07/2012", ""), lambda p: p.header.remove(p.header[0]), False),
    ("205D", A, _uasc(A, "08/07/2012", ""), _uasc(A, "08/07/2012", ""), False),
    # 231: 11 on 31 March 2026 is old enough (born 31/03/2015), a day younger is not.
    (
        "231",
        B,
        lambda r: (edit(r, "Header", B, DOB="31/03/2015"), _uasc(B, "31/03/2015", "")(r)),
        None,
        False,
    ),
    (
        "231",
        B,
        lambda r: (edit(r, "Header", B, DOB="01/04/2015"), _uasc(B, "01/04/2015", "")(r)),
        None,
        True,
    ),
    # 304: status may cease on the 18th birthday itself.
    ("304", L, _uasc(L, "07/08/2005", "07/08/2023"), None, False),
    # 347: 18 on 1 April 2025 may live in a foyer; 17 may not.
    (
        "347",
        L,
        lambda r: (edit(r, "Header", L, DOB="01/04/2007"), edit(r, "OC3", L, DOB="01/04/2007", ACCOM="T1")),
        None,
        False,
    ),
    (
        "347",
        L,
        lambda r: (edit(r, "Header", L, DOB="02/04/2007"), edit(r, "OC3", L, DOB="02/04/2007", ACCOM="T2")),
        None,
        True,
    ),
    # 348: reported as died both years is consistent.
    (
        "348",
        L,
        lambda r: edit(r, "OC3", L, IN_TOUCH="DIED", ACTIV="0", ACCOM="0"),
        lambda p: p.oc3.append(t.OC3(L, "07/08/2005", "DIED", "0", "0")),
        False,
    ),
    # 359: after 18, s.20 (V2) in a children's home (K2) is the only open episode allowed.
    (
        "359",
        A,
        lambda r: (edit(r, "Header", A, DOB="01/01/2007"), edit(r, "Episodes", A, LS="V2", PLACE="K2")),
        None,
        False,
    ),
    # 351: 25 on 1 April 2025 itself is not over 25 at the start of the year; a day older is.
    ("351", L, lambda r: (edit(r, "Header", L, DOB="01/04/2000"), edit(r, "OC3", L, DOB="01/04/2000")), None, False),
    ("351", L, lambda r: (edit(r, "Header", L, DOB="31/03/2000"), edit(r, "OC3", L, DOB="31/03/2000")), None, True),
    # 359: 18 on 31 March 2026 itself is not yet "after the 18th birthday"; 18 a day earlier is.
    ("359", A, lambda r: edit(r, "Header", A, DOB="31/03/2008"), None, False),
    ("359", A, lambda r: edit(r, "Header", A, DOB="30/03/2008"), None, True),
    # NoE: an episode starting this year needs nothing last year.
    ("NoE", B, _nothing, lambda p: p.episodes.clear(), False),
    # 355: one day is enough.
    ("355", C, lambda r: edit(r, "Episodes", C, 1, DEC="25/06/2025"), None, False),
    # 361: police protection of exactly 3 days is allowed; two L1 episodes of 2 days each, one
    # straight after the other (22/06 to 26/06/2025), are 4 days in all.
    ("361", C, lambda r: edit(r, "Episodes", C, 1, LS="L1", DEC="27/06/2025"), None, False),
    (
        "361",
        C,
        lambda r: (
            edit(r, "Episodes", C, 0, LS="L1", DECOM="22/06/2025"),
            edit(r, "Episodes", C, 1, LS="L1", DEC="26/06/2025"),
        ),
        None,
        True,
    ),
    # 365: a 17-day short break is allowed.
    (
        "365",
        C,
        lambda r: edit(r, "Episodes", C, 1, LS="V3", RNE="S", DEC="11/07/2025", PL_POST="", URN=""),
        None,
        False,
    ),
    # 367: 75 days of short breaks in the year are allowed (24/06/2025 to 07/09/2025).
    (
        "367",
        C,
        lambda r: edit(r, "Episodes", C, 1, LS="V3", RNE="S", DEC="07/09/2025", PL_POST="", URN=""),
        None,
        False,
    ),
    ("367", C, lambda r: edit(r, "Episodes", C, 1, LS="V3", RNE="S", DEC="08/09/2025", PL_POST="", URN=""), None, True),
    # 164: a UASC child has no home postcode, and needs none.
    ("164", A, lambda r: (edit(r, "Episodes", A, HOME_POST=""), _uasc(A, "08/07/2012", "")(r)), None, False),
    # 169/179: a postcode in lower case or without its space is still a postcode.
    ("169", A, lambda r: edit(r, "Episodes", A, PL_POST="tw11as"), None, False),
    # 243: a border area (SY: Shropshire and Powys) needs the postcode directory, so Safehold does not flag it.
    ("243", A, lambda r: edit(r, "Episodes", A, PL_POST="SY1 1AA"), None, False),
    ("243", A, lambda r: edit(r, "Episodes", A, PL_POST="CF10 1AA"), None, True),
]


@pytest.mark.parametrize(
    ("code", "child", "change", "previous_change", "expected"),
    EDGES,
    ids=[f"{e[0]}-{'fails' if e[4] else 'passes'}-{i}" for i, e in enumerate(EDGES)],
)
def test_edge(code: str, child: str, change: Change, previous_change: Change | None, expected: bool) -> None:
    assert (child in _flagged(code, change, previous_change)) is expected
