"""Failing fixtures for the group D rules (rules/d_motherhood.py, d_permanence.py, d_social_workers.py), in the
shape test_903_rules.py gathers: (code, child that must be flagged, change to the clean base return).

The base (see test_903_rules.py), 2025/26 (1 April 2025 – 31 March 2026):
A girl born 08/07/2012, MOTHER 0, one open U4 episode since 07/06/2021; one social worker episode from
  07/06/2021, open (FCONTA).
B girl born 04/03/2017, MOTHER 0, one open episode since 01/06/2025 (RNE S); PrevPerm Z1 with no LA or date;
  a social worker from 01/06/2025, open.
C boy born 05/01/2017, episodes 27/05/2024 – 24/06/2025 (X1) and 24/06/2025 – 31/08/2025 (E4A); a social
  worker from 27/05/2024, open.
L boy born 07/08/2005, care leaver (OC3 YES/F2/U1), no episodes, MOTHER blank.

The clean base passes every rule here (test_clean_base_passes_every_rule): no mother, no AD1, PrevPerm only Z1
blanks, one open social worker episode per child starting on the day care began.
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

from safehold.returns.ssda903.domain import tables as t
from safehold.returns.tests.support_903 import A, B, C, L, Mutation, ad1, add, drop, edit


def _a_second_worker(ret: t.Return903, first_ends: str, second_starts: str, reason: str) -> None:
    """A's first social worker leaves on ``first_ends``; a second starts on ``second_starts``."""
    edit(ret, "SWEpisodes", A, SW_DEC=first_ends)
    add(ret, "SWEpisodes", t.SWEpisode(A, "08/07/2012", "SW100000", second_starts, "", reason))


def _b_previous_order(ret: t.Return903, prev_perm: str, la: str, date: str) -> None:
    edit(ret, "PrevPerm", B, PREV_PERM=prev_perm, LA_PERM=la, DATE_PERM=date)


CASES: list[tuple[str, str, Mutation]] = [
    # --- Adoption details (601, 602) -------------------------------------------------------------
    ("601", C, lambda r: ad1(r, DATE_INT="")),  # adopted (E11 on 31/08/2025) with DATE_INT blank: both tools
    (
        "601",
        C,
        lambda r: edit(r, "Episodes", C, 1, PLACE="A5", REC="E11", RNE="T", URN="XXXXXXX"),
    ),  # adopted with no AD1 row at all: none of the fields completed (the DfE tool needs a row to look at)
    ("602", B, lambda r: add(r, "AD1", t.AD1(B, "04/03/2017", "01/05/2025", "", "", "", "", ""))),  # B not adopted
    # --- Motherhood (607–628) --------------------------------------------------------------------
    ("607", C, lambda r: edit(r, "Header", C, SEX="F")),  # a girl who left care (E4A, 31/08/2025), MOTHER blank
    ("611", A, lambda r: edit(r, "Header", A, MOTHER="1")),  # a mother with no MC_DOB
    ("612", A, lambda r: edit(r, "Header", A, MC_DOB="01/01/2025")),  # MC_DOB but MOTHER 0
    ("620", B, lambda r: edit(r, "Header", B, MOTHER="1", MC_DOB="01/01/2026")),  # B is 8 on 1 April 2025
    ("621", A, lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="01/01/2010")),  # before A's own birth, 2012
    ("625", A, lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="01/04/2026")),  # after 31 March 2026
    (
        "625",
        C,
        lambda r: edit(r, "Header", C, SEX="F", MOTHER="1", MC_DOB="01/10/2025"),
    ),  # after C's latest episode ended (31/08/2025); 01/08/2025 would pass
    (
        "628",
        L,
        lambda r: edit(r, "Header", L, SEX="F", MOTHER="0"),
    ),  # a care leaver with no episode this year: MOTHER must be blank
    # --- Previous permanence (631–635) -----------------------------------------------------------
    ("631", B, lambda r: _b_previous_order(r, "P9", "", "")),
    ("632", B, lambda r: _b_previous_order(r, "P2", "889", "01/07/2025")),  # after B's care began (01/06/2025)
    ("632", B, lambda r: _b_previous_order(r, "P2", "889", "2020-01-01")),  # not dd/mm/yyyy
    (
        "632",
        B,
        lambda r: _b_previous_order(r, "P2", "889", "ZZ/06/2025"),
    ),  # latest possible day 30/06/2025 is after 01/06/2025; ZZ/05/2025 (latest 31/05/2025) would pass
    ("633", B, lambda r: _b_previous_order(r, "P2", "123", "01/01/2020")),  # 123 is no LA code
    (
        "634",
        A,
        lambda r: (
            edit(r, "Episodes", A, DECOM="07/06/2015"),
            add(r, "PrevPerm", t.PrevPerm(A, "08/07/2012", "P2", "889", "01/01/2014")),
        ),
    ),  # A's only episode began before 1 April 2016; from 01/04/2016 on it would pass
    ("635", B, lambda r: _b_previous_order(r, "", "889", "01/01/2020")),  # order details, no option: both tools
    ("635", B, lambda r: _b_previous_order(r, "Z1", "889", "")),  # Z1 (none) with an LA: the DfE message
    # --- Social worker episodes in sequence (SW10–SW12) ------------------------------------------
    (
        "SW10STG2",
        A,
        lambda r: _a_second_worker(r, "01/05/2025", "01/04/2025", "CHCHAN"),
    ),  # 30 days before the first ended; 24/04/2025 (7 days before) would pass
    (
        "SW10aSTG2",
        A,
        lambda r: _a_second_worker(r, "01/05/2025", "20/05/2025", "CHCHAN"),
    ),  # 19 days after; 08/05/2025 would pass
    (
        "SW10bSTG2",
        A,
        lambda r: _a_second_worker(r, "01/05/2025", "01/05/2025", "FCONTA"),
    ),  # a first contact on the day the previous ended; 02/05/2025 would pass
    ("SW11bSTG2", A, lambda r: edit(r, "SWEpisodes", A, SW_DEC="28/03/2026")),  # no worker after 28 March
    ("SW12STG2", B, lambda r: drop(r, "SWEpisodes", B)),  # looked after on 31 March, no social worker: both tools
    (
        "SW12STG2",
        B,
        lambda r: edit(r, "SWEpisodes", B, SW_DECOM="01/07/2025"),
    ),  # care began 01/06/2025 but the first worker reported starts a month later
]

PREVIOUS_CASES: list[tuple[str, str, Mutation, Mutation]] = [
    (
        "624",
        A,
        lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="01/01/2025"),
        lambda p: edit(p, "Header", A, MOTHER="1", MC_DOB="01/02/2025"),
    ),  # last year said 01/02/2025
    (
        "626",
        A,
        lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="01/01/2025"),
        lambda p: edit(p, "Header", A, MOTHER="0"),
    ),  # not a mother last year, yet her child was born before 1 April 2025
]
