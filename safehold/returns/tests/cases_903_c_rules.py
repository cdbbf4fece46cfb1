"""Failing fixtures for the group C rules (rules/c_adoption.py, rules/c_care.py), in the shape test_903_rules.py
gathers: (code, child that must be flagged, change to the clean base return), and for the rules that compare
with last year's return (code, child, change to this year, change to last year's return).

The base (see test_903_rules.py), 2025/26 (1 April 2025 – 31 March 2026):
A girl born 08/07/2012 (13 at 31 March), one open U4 episode (C2, PR1) since 07/06/2021; OC2 row with CONVICTED 0,
  no HEALTH_CHECK, the four core items given. Last year's return (synthetic.previous_return) holds the same
  episode, still open.
B girl born 04/03/2017, one open U6 episode since 01/06/2025; a missing period 21–22/06/2025.
C boy born 05/01/2017, U6 from 27/05/2024 to 24/06/2025 (X1), then U4 until 31/08/2025 (E4A). ``ad1`` turns the
  second episode into an A5 adoption placement ending E11 on 31/08/2025, with AD1 (should be placed 01/05/2025,
  matched 10/06/2025, 2 adopters, MF, L11) and one PlacedAdoption decision of 01/05/2025, not reversed.
L care leaver, no episodes.
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

from safehold.returns.ssda903.domain import tables as t
from safehold.returns.tests.support_903 import A, C, Mutation, ad1, add, drop, edit

A_DOB = "08/07/2012"


def _born(ret: t.Return903, child: str, dob: str) -> None:
    """Give ``child`` a new date of birth in the header and in every table that repeats it."""
    for table in ("Header", "Reviews", "OC2", "SWEpisodes"):
        for i in range(sum(1 for row in ret.rows(table) if row.CHILD == child)):
            edit(ret, table, child, i, DOB=dob)


def _pa(child: str, placed: str, ceased: str = "", reason: str = "", dob: str = A_DOB) -> t.PlacedAdoption:
    return t.PlacedAdoption(child, dob, placed, ceased, reason)


CASES: list[tuple[str, str, Mutation]] = [
    # --- Episodes -----------------------------------------------------------------------------------------
    ("501", C, lambda r: edit(r, "Episodes", C, 1, DECOM="20/06/2025")),  # starts before the first ends (24/06)
    ("516", C, lambda r: edit(r, "Episodes", C, 1, REC="E45", PLACE="K2")),  # staying put from a children's home
    ("526", A, lambda r: edit(r, "Episodes", A, PLACE_PROVIDER="")),  # U4 needs a provider
    ("527", A, lambda r: edit(r, "Episodes", A, PLACE="R2", URN="")),  # keeps PR1
    ("528", A, lambda r: edit(r, "Episodes", A, PLACE="R2", PLACE_PROVIDER="PR2", URN="")),
    ("529", A, lambda r: edit(r, "Episodes", A, PLACE_PROVIDER="PR3")),  # foster care by another public body
    ("530", A, lambda r: edit(r, "Episodes", A, PLACE="P1", PLACE_PROVIDER="PR4", URN="")),
    ("531", A, lambda r: edit(r, "Episodes", A, PLACE="P1", PLACE_PROVIDER="PR5", URN="")),
    ("550", A, lambda r: edit(r, "Episodes", A, PLACE_PROVIDER="PR0")),  # PR0 (parent) only with P1
    # --- OC2: A is 13 at 31 March and in the OC2 cohort ------------------------------------------------------
    ("542", A, lambda r: _born(r, A, "01/06/2016")),  # 9 at 31 March with CONVICTED 0
    ("543", A, lambda r: edit(r, "OC2", A, CONVICTED="")),
    ("544", A, lambda r: edit(r, "OC2", A, CONVICTED="1", TEETH_CHECK="")),
    ("545", A, lambda r: _born(r, A, "01/06/2021")),  # 4 at 31 March, HEALTH_CHECK blank
    ("546", A, lambda r: edit(r, "OC2", A, HEALTH_CHECK="1")),  # 13 at 31 March
    ("547", A, lambda r: edit(r, "OC2", A, HEALTH_CHECK="1", IMMUNISATIONS="")),
    # --- Adopters (AD1) ---------------------------------------------------------------------------------------
    ("511", C, lambda r: ad1(r, SEX_ADOPTR="M1")),  # two adopters, one man
    ("514", C, lambda r: ad1(r, LS_ADOPTR="L0")),  # single adopter, but NB_ADOPTR 2 and MF
    ("517", C, lambda r: ad1(r, LS_ADOPTR="L3", SEX_ADOPTR="MM")),
    ("518", C, lambda r: ad1(r, LS_ADOPTR="L4")),  # MF
    ("519", C, lambda r: ad1(r, LS_ADOPTR="L2", NB_ADOPTR="1", SEX_ADOPTR="F1")),
    ("520", C, lambda r: ad1(r, SEX_ADOPTR="FF")),  # L11 is a different-gender married couple
    ("524", C, lambda r: ad1(r, LS_ADOPTR="L12")),  # MF
    ("521", C, lambda r: ad1(r, DATE_INT="25/06/2025")),  # after the A5 placement began on 24/06/2025
    ("523", C, lambda r: ad1(r, DATE_INT="02/05/2025")),  # decision to place was 01/05/2025
    ("582", C, lambda r: ad1(r, DATE_MATCH="31/08/2025")),  # matched on the day of adoption
    # --- Decisions to place for adoption (PlacedAdoption) -------------------------------------------------------
    (
        "522",
        C,
        lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="01/04/2025", REASON_PLACED_CEASED="RD1")),
    ),  # reversed before it was made (01/05/2025)
    (
        "525",
        C,
        lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="01/07/2025", REASON_PLACED_CEASED="RD1")),
    ),  # reversed, yet adopted on 31/08/2025
    ("551", C, lambda r: edit(r, "Episodes", C, 1, PLACE="A5")),  # placed for adoption, no decision row
    ("552", C, lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED="30/06/2025"))),  # placed 24/06/2025
    ("553", A, lambda r: edit(r, "Episodes", A, LS="E1")),  # placement order, no decision row
    (
        "553",
        A,
        lambda r: (
            edit(r, "Episodes", A, LS="E1"),
            add(r, "PlacedAdoption", _pa(A, "01/07/2021", "01/06/2025", "RD1")),
        ),
    ),  # the order is still in force (open E1 episode), yet the decision is recorded as reversed
    (
        "554",
        A,
        lambda r: (edit(r, "Episodes", A, LS="E1"), add(r, "PlacedAdoption", _pa(A, "01/01/2022"))),
    ),  # decided after the order (E1 since 07/06/2021)
    (
        "557",
        C,
        lambda r: (
            edit(r, "Episodes", C, 1, PLACE="A5"),
            add(r, "PlacedAdoption", _pa(C, "01/05/2025", dob="05/01/2017")),
        ),
    ),  # left care home (E4A) from an adoption placement, decision never reversed
    (
        "558",
        C,
        lambda r: (
            ad1(r),
            edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="01/06/2025", REASON_PLACED_CEASED="RD1"),
            add(r, "PlacedAdoption", _pa(C, "01/02/2025", "01/03/2025", "RD2", dob="05/01/2017")),
        ),
    ),  # adopted, but both decisions (the latest of 01/05/2025 too) are recorded as reversed
    ("563", A, lambda r: add(r, "PlacedAdoption", _pa(A, "", "01/06/2025", "RD1"))),
    (
        "579",
        A,
        lambda r: (add(r, "PlacedAdoption", _pa(A, "01/05/2025")), add(r, "PlacedAdoption", _pa(A, "01/07/2025"))),
    ),  # the second decision starts while the first is still open
    (
        "579",
        A,
        lambda r: (
            add(r, "PlacedAdoption", _pa(A, "01/05/2025", "01/08/2025", "RD1")),
            add(r, "PlacedAdoption", _pa(A, "01/07/2025", "01/09/2025", "RD1")),
        ),
    ),  # overlapping: the second decision (01/07) is before the first ceased (01/08)
    (
        "583",
        A,
        lambda r: (
            add(r, "PlacedAdoption", _pa(A, "01/05/2025")),
            add(r, "PlacedAdoption", _pa(A, "01/07/2025", "01/08/2025", "RD1")),
        ),
    ),  # the earlier decision (01/05) was never revoked
]

PREVIOUS_CASES: list[tuple[str, str, Mutation, Mutation]] = [
    # A's episode is open at the end of last year: this year's first episode must carry it on unchanged.
    ("502", A, lambda r: None, lambda p: edit(p, "Episodes", A, DECOM="01/06/2021")),
    ("503A", A, lambda r: None, lambda p: edit(p, "Episodes", A, RNE="P")),
    ("503B", A, lambda r: None, lambda p: edit(p, "Episodes", A, LS="C1")),
    ("503C", A, lambda r: None, lambda p: edit(p, "Episodes", A, CIN="N2")),
    ("503D", A, lambda r: None, lambda p: edit(p, "Episodes", A, PLACE="U5")),
    ("503E", A, lambda r: None, lambda p: edit(p, "Episodes", A, PLACE_PROVIDER="PR2")),
    ("503F", A, lambda r: None, lambda p: edit(p, "Episodes", A, URN="SC999999")),
    ("562", A, lambda r: None, lambda p: drop(p, "Episodes", A)),  # began in 2021 but absent last year
    (
        "576",
        A,
        lambda r: add(r, "Missing", t.Missing(A, A_DOB, "M", "01/05/2025", "02/05/2025")),
        lambda p: add(p, "Missing", t.Missing(A, A_DOB, "M", "20/03/2025", "")),
    ),  # open at last year's end, but this year's first period starts 01/05/2025
    ("576", A, lambda r: None, lambda p: add(p, "Missing", t.Missing(A, A_DOB, "A", "20/03/2025", ""))),  # no period
    ("559", A, lambda r: add(r, "PlacedAdoption", _pa(A, "01/02/2025")), lambda p: None),  # not in last year's
    (
        "560",
        A,
        lambda r: add(r, "PlacedAdoption", _pa(A, "01/03/2025")),
        lambda p: add(p, "PlacedAdoption", _pa(A, "01/02/2025")),
    ),  # last year's open decision (01/02/2025) is now dated 01/03/2025
    (
        "561",
        A,
        lambda r: add(r, "PlacedAdoption", _pa(A, "01/02/2025")),
        lambda p: add(p, "PlacedAdoption", _pa(A, "01/02/2025", "01/03/2025", "RD1")),
    ),  # reversed last year, reported again as the same decision
    (
        "584",
        A,
        lambda r: add(r, "PlacedAdoption", _pa(A, "01/01/2025")),
        lambda p: add(p, "PlacedAdoption", _pa(A, "01/02/2025", "01/03/2025", "RD1")),
    ),  # a decision after last year's reversal must be dated after last year's decision
]
