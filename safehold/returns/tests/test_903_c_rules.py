"""The passing edges of the group C rules (rules/c_adoption.py, rules/c_care.py): the returns just inside each
rule, chiefly for the rules the oracle comparison cannot exercise (those needing last year's return) and for the
readings the rule docstrings explain. The failing fixtures are in cases_903_c_rules.py."""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

import copy

import pytest

from safehold.returns.ssda903.domain import synthetic, validate
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.tests.support_903 import BASE, A, C, Mutation, ad1, add, edit

A_DOB = "08/07/2012"


def _pa(child: str, placed: str, ceased: str = "", reason: str = "", dob: str = A_DOB) -> t.PlacedAdoption:
    return t.PlacedAdoption(child, dob, placed, ceased, reason)


def _born(ret: t.Return903, child: str, dob: str) -> None:
    for table in ("Header", "Reviews", "OC2", "SWEpisodes"):
        for i in range(sum(1 for row in ret.rows(table) if row.CHILD == child)):
            edit(ret, table, child, i, DOB=dob)


def _codes(ret: t.Return903, previous: t.Return903 | None = None) -> set[str]:
    return {f.rule_code for f in validate(ret, previous)}


PASSING: list[tuple[str, Mutation]] = [
    ("501", lambda r: edit(r, "Episodes", C, 1, DECOM="24/06/2025")),  # unchanged: starts the day the first ends
    ("543", lambda r: (_born(r, A, "31/03/2016"), edit(r, "OC2", A, CONVICTED="0"))),  # 10 on 31 March: given
    ("542", lambda r: _born(r, A, "31/03/2016")),  # 10 on 31 March, so conviction information may be given
    ("545", lambda r: (_born(r, A, "31/03/2021"), edit(r, "OC2", A, CONVICTED=""))),  # 5 on 31 March: not needed
    ("546", lambda r: (_born(r, A, "01/04/2021"), edit(r, "OC2", A, CONVICTED="", HEALTH_CHECK="1"))),  # 4 at 31/3
    ("544", lambda r: edit(r, "OC2", A, TEETH_CHECK="")),  # CONVICTED 0: that is rule 182's business
    ("511", lambda r: ad1(r, SEX_ADOPTR="XX")),  # an invalid gender code is 176, not 511
    ("514", lambda r: ad1(r, LS_ADOPTR="L0", NB_ADOPTR="1", SEX_ADOPTR="F1")),  # a single adopter
    (
        "558",
        lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="01/07/2025", REASON_PLACED_CEASED="RD1")),
    ),  # one reversed decision and an adoption: rule 525, not 558
    (
        "579",
        lambda r: (
            add(r, "PlacedAdoption", _pa(A, "01/05/2025", "01/07/2025", "RD1")),
            add(r, "PlacedAdoption", _pa(A, "01/07/2025")),
        ),
    ),  # the new decision is made the day the earlier one ceased
    (
        "583",
        lambda r: (
            add(r, "PlacedAdoption", _pa(A, "01/07/2025")),
            add(r, "PlacedAdoption", _pa(A, "01/05/2025", "01/06/2025", "RD1")),
        ),
    ),  # only the latest decision (in date order, not file order) is open
    (
        "553",
        lambda r: (edit(r, "Episodes", A, LS="E1"), add(r, "PlacedAdoption", _pa(A, "01/07/2021"))),
    ),  # an open placement order with an open decision
]


@pytest.mark.parametrize(("code", "mutate"), PASSING, ids=[c for c, _ in PASSING])
def test_rule_passes_at_its_edge(code: str, mutate: Mutation) -> None:
    ret = copy.deepcopy(BASE)
    mutate(ret)
    assert code not in _codes(ret)


PREVIOUS_PASSING: list[tuple[str, Mutation, Mutation]] = [
    # Last year's open episode for A carried on; a closed final episode puts no demand on this year's first.
    ("502", lambda r: None, lambda p: edit(p, "Episodes", C, 0, DECOM="01/05/2024")),  # C's last year ended
    (
        "503D",
        lambda r: edit(r, "Episodes", A, PLACE="Z11", PLACE_PROVIDER="", URN=""),
        lambda p: edit(p, "Episodes", A, PLACE="Z1", PLACE_PROVIDER="", URN=""),
    ),  # 2025/26 only: Z1 became Z11–Z14
    ("503A", lambda r: None, lambda p: edit(p, "Episodes", A, DEC="31/03/2025", REC="E8", RNE="P")),  # closed
    (
        "576",
        lambda r: add(r, "Missing", t.Missing(A, A_DOB, "M", "20/03/2025", "02/04/2025")),
        lambda p: add(p, "Missing", t.Missing(A, A_DOB, "M", "20/03/2025", "")),
    ),  # the open period continues into this year with the same start
    ("576", lambda r: None, lambda p: add(p, "Missing", t.Missing(A, A_DOB, "M", "20/03/2025", "21/03/2025"))),
    (
        "560",
        lambda r: (
            add(r, "PlacedAdoption", _pa(A, "01/02/2025", "01/05/2025", "RD1")),
            add(r, "PlacedAdoption", _pa(A, "01/06/2025")),
        ),
        lambda p: add(p, "PlacedAdoption", _pa(A, "01/02/2025")),
    ),  # last year's open decision kept (now reversed), and a new one made
    (
        "584",
        lambda r: add(r, "PlacedAdoption", _pa(A, "01/06/2025")),
        lambda p: add(p, "PlacedAdoption", _pa(A, "01/02/2025", "01/03/2025", "RD1")),
    ),  # a new decision after last year's reversal
    (
        "559",
        lambda r: add(r, "PlacedAdoption", _pa(A, "01/02/2025")),
        lambda p: add(p, "PlacedAdoption", _pa(A, "01/02/2025")),
    ),  # before this year, and in last year's return
]


@pytest.mark.parametrize(("code", "mutate", "mutate_previous"), PREVIOUS_PASSING, ids=[c for c, *_ in PREVIOUS_PASSING])
def test_rule_with_previous_year_passes_at_its_edge(code: str, mutate: Mutation, mutate_previous: Mutation) -> None:
    ret, previous = copy.deepcopy(BASE), synthetic.previous_return(BASE)
    mutate(ret)
    mutate_previous(previous)
    assert code not in _codes(ret, previous)


def test_503d_z1_exception_is_for_2025_26_only() -> None:
    """In 2026/27 last year's return already uses Z11–Z14, so a Z1 there no longer excuses a change."""
    ret = synthetic.clean_return(8, seed=7, year=2027)
    previous = synthetic.previous_return(ret)
    edit(ret, "Episodes", A, PLACE="Z11", PLACE_PROVIDER="", URN="")
    edit(previous, "Episodes", A, PLACE="Z1", PLACE_PROVIDER="", URN="")
    assert "503D" in _codes(ret, previous)
