"""The passing edges of group D's rules (rules/d_motherhood.py, d_permanence.py, d_social_workers.py), chiefly
where Safehold's reading of the DfE text differs from the DfE tool's or the tool cannot run the rule (624 and 626
need last year's return): each change below sits just inside the rule and must not be flagged; its failing twin,
just outside, is in cases_903_d_rules.py (where the base children are described).
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import pytest

from safehold.returns.ssda903.domain import synthetic, validate
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.rules.d_permanence import latest_possible
from safehold.returns.tests.support_903 import BASE, A, B, C, add, drop, edit

Change = Callable[[t.Return903], object]


def _flagged(code: str, change: Change, previous_change: Change | None = None) -> set[str]:
    ret = copy.deepcopy(BASE)
    change(ret)
    previous = None
    if previous_change is not None:
        previous = synthetic.previous_return(BASE)
        previous_change(previous)
    return {f.child_id for f in validate(ret, previous) if f.rule_code == code}


def _a_second_worker(first_ends: str, second_starts: str, reason: str) -> Change:
    def change(ret: t.Return903) -> None:
        edit(ret, "SWEpisodes", A, SW_DEC=first_ends)
        add(ret, "SWEpisodes", t.SWEpisode(A, "08/07/2012", "SW100000", second_starts, "", reason))

    return change


PASSING: list[tuple[str, str, Change]] = [
    # 607: a boy, or a girl whose only end this year is a placement move (X1), needs no MOTHER.
    ("607", C, lambda r: edit(r, "Episodes", C, 1, DEC="", REC="")),
    # 620: exactly 11 on 1 April 2025 (born 01/04/2014) is old enough.
    ("620", A, lambda r: edit(r, "Header", A, DOB="01/04/2014", MOTHER="1", MC_DOB="01/01/2026")),
    # 621: her child born the day after her.
    ("621", A, lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="09/07/2012")),
    # 625: C (as a girl) moved placement on 24/06/2025 and is still looked after: a child born in August is not
    # after "the date the child ceased to be looked after" (the DfE tool compares with the move date).
    ("625", C, lambda r: (edit(r, "Header", C, SEX="F", MOTHER="1", MC_DOB="01/08/2025"), _c_still_in_care(r))),
    # 625: born on the day care ended.
    ("625", C, lambda r: edit(r, "Header", C, SEX="F", MOTHER="1", MC_DOB="31/08/2025")),
    # 632: ZZ/05/2025 is at the latest 31/05/2025, before B's care began on 01/06/2025.
    ("632", B, lambda r: edit(r, "PrevPerm", B, PREV_PERM="P2", LA_PERM="889", DATE_PERM="ZZ/05/2025")),
    # 632: an unknown year cannot be compared; the format is valid.
    ("632", B, lambda r: edit(r, "PrevPerm", B, PREV_PERM="P2", LA_PERM="889", DATE_PERM="ZZ/ZZ/ZZZZ")),
    # 633: an LA since reorganised (Cumbria, 909) and a new unitary (Cumberland, 942) are both valid.
    ("633", B, lambda r: edit(r, "PrevPerm", B, PREV_PERM="P2", LA_PERM="909", DATE_PERM="01/01/2020")),
    ("633", B, lambda r: edit(r, "PrevPerm", B, PREV_PERM="P2", LA_PERM="942", DATE_PERM="01/01/2024")),
    # 634: A in care since 2021 (after 1 April 2016) may have previous permanence recorded (the DfE tool flags
    # any child in care before this collection year).
    ("634", A, lambda r: add(r, "PrevPerm", t.PrevPerm(A, "08/07/2012", "P2", "889", "01/01/2015"))),
    ("634", A, lambda r: (edit(r, "Episodes", A, DECOM="01/04/2016"), add(r, "PrevPerm", _a_perm()))),
    # SW10STG2: starting seven days before the previous worker left is within the tolerance.
    ("SW10STG2", A, _a_second_worker("01/05/2025", "24/04/2025", "CHCHAN")),
    # SW10STG2: a gap after the previous end is SW10aSTG2's finding, not this rule's.
    ("SW10STG2", A, _a_second_worker("01/05/2025", "20/05/2025", "CHCHAN")),
    # SW10aSTG2: seven days after is within +/- 7 days.
    ("SW10aSTG2", A, _a_second_worker("01/05/2025", "08/05/2025", "CHCHAN")),
    # SW10bSTG2: a first contact the day after the previous worker left.
    ("SW10bSTG2", A, _a_second_worker("01/05/2025", "02/05/2025", "FCONTA")),
    # SW11bSTG2: an end on 28/03/2026 followed by a new worker; an end before 26 March is SW17STG2's.
    ("SW11bSTG2", A, _a_second_worker("28/03/2026", "28/03/2026", "CHCHAN")),
    ("SW11bSTG2", A, lambda r: edit(r, "SWEpisodes", A, SW_DEC="25/03/2026")),
    # SW12STG2: C left care on 31/08/2025, so is not looked after on 31 March: no worker needed here.
    ("SW12STG2", C, lambda r: drop(r, "SWEpisodes", C)),
    # SW12STG2: a worker from before care began (B's care began 01/06/2025) is reported, as the rule asks.
    ("SW12STG2", B, lambda r: edit(r, "SWEpisodes", B, SW_DECOM="01/03/2025")),
]


def _c_still_in_care(ret: t.Return903) -> None:
    edit(ret, "Episodes", C, 1, DEC="", REC="")


def _a_perm() -> t.PrevPerm:
    return t.PrevPerm(A, "08/07/2012", "P2", "889", "01/01/2015")


@pytest.mark.parametrize(("code", "child", "change"), PASSING, ids=[f"{c[0]}-{i}" for i, c in enumerate(PASSING)])
def test_passing_edge(code: str, child: str, change: Change) -> None:
    assert child not in _flagged(code, change)


def test_624_same_date_written_differently_passes() -> None:
    """01/01/2025 and 1/1/2025 are the same date: not a contradiction."""
    now = lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="01/01/2025")  # noqa: E731
    assert A not in _flagged("624", now, lambda p: edit(p, "Header", A, MOTHER="1", MC_DOB="1/1/2025"))
    assert A not in _flagged("624", now, lambda p: None)  # nothing recorded last year


def test_626_first_child_born_this_year_passes() -> None:
    """Not a mother last year and her child born on 1 April 2025 (in this year): consistent."""
    now = lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="01/04/2025")  # noqa: E731
    assert A not in _flagged("626", now, lambda p: edit(p, "Header", A, MOTHER="0"))


def test_latest_possible_date_of_a_partly_unknown_order() -> None:
    assert latest_possible("ZZ/02/2024") == (True, dt.date(2024, 2, 29))
    assert latest_possible("15/ZZ/2025")[1] == dt.date(2025, 12, 15)
    assert latest_possible("30/02/2024") == (False, None)
    assert latest_possible("2020-01-01") == (False, None)
