"""Failing fixtures for the group B rules (rules/b_episodes.py, rules/b_locations.py), in the shape
test_903_rules.py gathers: (code, child that must be flagged, change to the clean base return).

The base (see test_903_rules.py): A girl born 08/07/2012, one open U4 episode since 07/06/2021 (C2);
B girl born 04/03/2017, one open U6 episode since 01/06/2025 (V2); C boy born 05/01/2017, U6 from 27/05/2024
to 24/06/2025 (X1) then U4 (RNE P) until 31/08/2025 (E4A); L care leaver born 07/08/2005, OC3 only.
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

from safehold.returns.ssda903.domain import tables as t
from safehold.returns.tests.support_903 import A, B, C, L, Mutation, add, edit


def born(ret: t.Return903, child: str, dob: str) -> None:
    """Give ``child`` a new date of birth in the header and in every table that repeats it."""
    for table in ("Header", "Reviews", "OC2", "OC3", "Missing", "PrevPerm", "SWEpisodes", "UASC", "AD1"):
        for i in range(sum(1 for row in ret.rows(table) if row.CHILD == child)):
            edit(ret, table, child, i, DOB=dob)


def _c_temporary_then(ret: t.Return903, place: str, rne: str = "P") -> None:
    """C's second episode becomes a T1 hospital stay ending X1 on 31/08/2025, followed by an open episode in
    ``place`` (the placement before the hospital stay was U6 at TW1 1AZ)."""
    edit(ret, "Episodes", C, 1, PLACE="T1", PLACE_PROVIDER="", URN="", REC="X1")
    add(
        ret,
        "Episodes",
        t.Episode(C, "31/08/2025", rne, "C2", "N1", place, "PR1", "", "", "", "TW1 1AW", "TW1 1AZ", "SC000002"),
    )


def t3_stay(child: str, start: str, end: str, postcode: str) -> t.Episode:
    return t.Episode(child, start, "P", "C2", "N1", "T3", "", end, "X1", "", "TW1 1AW", postcode, "")


CASES: list[tuple[str, str, Mutation]] = [
    # --- Minimum ages: C's first episode began 27/05/2024, when he was 7 (closed, so the DfE tool judges it too).
    ("372", C, lambda r: edit(r, "Episodes", C, 0, PLACE="R5", URN="")),
    ("374", C, lambda r: edit(r, "Episodes", C, 0, PLACE="P3", URN="")),
    # C born 01/01/2021 is 3 on 27/05/2024: too young for a school placement.
    ("373", C, lambda r: (born(r, C, "01/01/2021"), edit(r, "Episodes", C, 0, PLACE="S1"))),
    # --- Temporary placements: C's first episode lasted 27/05/2024 – 24/06/2025, far beyond 6 weeks / 3 weeks / 7 days.
    ("375", C, lambda r: edit(r, "Episodes", C, 0, PLACE="T1", PLACE_PROVIDER="", URN="", REASON_PLACE_CHANGE="")),
    ("376", C, lambda r: edit(r, "Episodes", C, 0, PLACE="T3", PLACE_PROVIDER="", URN="", REASON_PLACE_CHANGE="")),
    ("379", C, lambda r: edit(r, "Episodes", C, 0, PLACE="T4", PLACE_PROVIDER="", URN="", REASON_PLACE_CHANGE="")),
    # Three T3 stays (with different respite carers) within January–March 2025: more than two in 12 months.
    (
        "377",
        C,
        lambda r: (
            add(r, "Episodes", t3_stay(C, "01/01/2025", "03/01/2025", "TW1 1AX")),
            add(r, "Episodes", t3_stay(C, "01/02/2025", "03/02/2025", "TW1 1AY")),
            add(r, "Episodes", t3_stay(C, "01/03/2025", "03/03/2025", "TW1 1AS")),
        ),
    ),
    ("378", B, lambda r: edit(r, "Episodes", B, PLACE="P1", URN="")),  # placed with parents under s.20 (V2)
    ("380", A, lambda r: edit(r, "Episodes", A, PLACE="T0", PLACE_PROVIDER="", URN="")),  # RNE S
    ("381", C, lambda r: edit(r, "Episodes", C, 1, PLACE="T2", PLACE_PROVIDER="", URN="")),  # ends E4A
    ("382", B, lambda r: edit(r, "Episodes", B, LS="V3", PLACE="T4", PLACE_PROVIDER="", URN="", PL_POST="")),
    # After the hospital stay C goes to U4, not back to the U6 placement he came from.
    ("383", C, lambda r: _c_temporary_then(r, "U4")),
    ("384", B, lambda r: edit(r, "Episodes", B, LS="V3", PLACE="U4")),
    # B has a V3 and a V4 episode in the same year.
    (
        "426",
        B,
        lambda r: (
            edit(r, "Episodes", B, LS="V3", DEC="03/06/2025", REC="E8"),
            add(r, "Episodes", t.Episode(B, "01/07/2025", "S", "V4", "N4", "U6", "PR1", "03/07/2025", "E8")),
        ),
    ),
    # --- How an episode ends ----------------------------------------------------------------------
    ("385", C, lambda r: edit(r, "Episodes", C, 1, DEC="01/04/2026")),  # after 31 March 2026
    # Born 01/01/2007, C is 18 on 01/01/2025: adopted (386) / SGO (407) when already 18.
    ("386", C, lambda r: (born(r, C, "01/01/2007"), edit(r, "Episodes", C, 1, PLACE="A5", LS="E1", REC="E11"))),
    ("407", C, lambda r: (born(r, C, "01/01/2007"), edit(r, "Episodes", C, 1, REC="E45"))),
    ("387", C, lambda r: edit(r, "Episodes", C, 1, REC="E5")),  # independent living at 8
    ("389", C, lambda r: edit(r, "Episodes", C, 1, REC="E7")),  # adult social care at 8
    ("460", C, lambda r: edit(r, "Episodes", C, 1, REC="E17")),  # staying put "at 18" at 8
    ("388", C, lambda r: edit(r, "Episodes", C, 1, REC="X1")),  # his last episode ends X1
    ("390", C, lambda r: edit(r, "Episodes", C, 1, REC="E11")),  # adopted from a U4 foster placement
    ("408", C, lambda r: edit(r, "Episodes", C, 1, PLACE="A5", URN="XXXXXXX")),  # A5 under a care order (C2)
    # L (born 2005) in care from 01/11/2005 under a placement order, before placement orders existed.
    (
        "446",
        L,
        lambda r: add(
            r,
            "Episodes",
            t.Episode(
                L, "01/11/2005", "S", "E1", "N1", "U4", "PR1", "01/06/2023", "E8", "", "TW1 1AA", "TW1 1AF", "SC1"
            ),
        ),
    ),
    # --- The sequence of C's episodes: the second follows the first (X1) on 24/06/2025 ---------------
    ("431", C, lambda r: edit(r, "Episodes", C, 1, RNE="S")),  # a new period of care the day the last ended
    ("432", C, lambda r: edit(r, "Episodes", C, 0, REC="E4A", REASON_PLACE_CHANGE="")),  # left care, then RNE P
    ("433", C, lambda r: edit(r, "Episodes", C, 1, DECOM="25/06/2025")),  # continuation a day late
    ("434", C, lambda r: edit(r, "Episodes", C, 1, RNE="L")),  # legal status unchanged (C2), placement changed
    ("435", C, lambda r: edit(r, "Episodes", C, 1, LS="C1")),  # RNE P but the legal status changed
    ("436", C, lambda r: edit(r, "Episodes", C, 1, RNE="B")),  # RNE B but the legal status is unchanged
    ("437", C, lambda r: edit(r, "Episodes", C, 0, REC="E2", REASON_PLACE_CHANGE="")),  # died, then another episode
    # --- Postcodes, distance, UASC and short breaks -----------------------------------------------
    ("392a", A, lambda r: edit(r, "Episodes", A, HOME_POST="")),  # no distance can be derived
    ("392b", A, lambda r: edit(r, "Episodes", A, PL_POST="")),
    ("392c", A, lambda r: edit(r, "Episodes", A, HOME_POST="TW1")),  # not a whole postcode
    ("398", B, lambda r: edit(r, "Episodes", B, LS="V3", PL_POST="", URN="")),  # short break with a home postcode
    ("420", B, lambda r: edit(r, "Episodes", B, LS="V4", HOME_POST="", URN="")),  # short break with PL_POST
    # B's only episode a short break, yet MOTHER (0) and a review (PN1) are recorded.
    ("399", B, lambda r: edit(r, "Episodes", B, LS="V3", HOME_POST="", PL_POST="", URN="")),
    ("406", B, lambda r: add(r, "UASC", t.UASC(B, "F", "04/03/2017", ""))),  # UASC with both postcodes
    ("393", A, lambda r: edit(r, "Header", A, MOTHER="")),
    ("442", A, lambda r: edit(r, "Header", A, UPN="")),
    # --- Care leavers: OC3 for L born 01/06/2009, who is 16 all year (17 on 01/06/2026).
    ("391", L, lambda r: born(r, L, "01/06/2009")),
    # and for L born 01/03/2003, 22 on 01/03/2025, before the year began (the DfE tool checks only the young end).
    ("391", L, lambda r: born(r, L, "01/03/2003")),
]

PREVIOUS_CASES: list[tuple[str, str, Mutation, Mutation]] = [
    # UASC only in last year's return: this year's episode should then carry no distance (406) ...
    ("406", A, lambda r: None, lambda p: add(p, "UASC", t.UASC(A, "F", "08/07/2012", "08/07/2024"))),
]
