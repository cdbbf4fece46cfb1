"""Failing fixtures for group A's rules (rules/a_episode_spans.py, rules/a_uasc_leavers.py).

Base children (``support_903``): A girl born 08/07/2012 in an open C2/U4 episode since 07/06/2021; B girl born
04/03/2017, V2/U6 from 01/06/2025 (open, RNE S); C boy born 05/01/2017, U6 27/05/2024–24/06/2025 (X1) then U4
until 31/08/2025 (RNE P, E4A); L care leaver born 07/08/2005 (OC3 row, no episodes this year, one last year).
The year is 1 April 2025 – 31 March 2026. Each comment works out why the named child is flagged.
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

from safehold.returns.ssda903.domain import tables as t
from safehold.returns.tests.support_903 import A, B, C, L, Mutation, drop, edit


def _add(table: str, row: object) -> Mutation:
    return lambda r: r.rows(table).append(row)


CASES: list[tuple[str, str, Mutation]] = [
    # --- UASC ------------------------------------------------------------------------------------
    # B (born 04/03/2017) is UASC this year: 9 at 31 March 2026, younger than 11.
    ("231", B, _add("UASC", t.UASC(B, "F", "04/03/2017", ""))),
    # L turned 18 on 07/08/2023; a UASC status ceasing 01/05/2025 is after the 18th birthday.
    ("304", L, _add("UASC", t.UASC(L, "M", "07/08/2005", "01/05/2025"))),
    # --- Care leavers ----------------------------------------------------------------------------
    # L born 01/06/2008 is 16 on 1 April 2025 and in a foyer (T1). The DfE tool compares ACCOM with "T" only.
    (
        "347",
        L,
        lambda r: (edit(r, "Header", L, DOB="01/06/2008"), edit(r, "OC3", L, DOB="01/06/2008", ACCOM="T1")),
    ),
    # L born 01/01/2000 turned 25 on 01/01/2025, before the year began.
    ("351", L, lambda r: (edit(r, "Header", L, DOB="01/01/2000"), edit(r, "OC3", L, DOB="01/01/2000"))),
    # --- Episodes --------------------------------------------------------------------------------
    # A born 01/06/2003 was 18 on 01/06/2021, so her S episode of 07/06/2021 began after 18.
    ("352", A, lambda r: edit(r, "Header", A, DOB="01/06/2003")),
    ("353", A, lambda r: edit(r, "Episodes", A, DECOM="13/10/1991")),  # the day before the Act came in
    ("354", B, lambda r: edit(r, "Episodes", B, DECOM="01/04/2026")),  # starts after 31 March 2026
    ("354", C, lambda r: edit(r, "Episodes", C, 1, DEC="01/04/2026")),  # ends after 31 March (Safehold only)
    ("355", C, lambda r: edit(r, "Episodes", C, 1, DEC="24/06/2025")),  # began and ended on 24/06/2025
    ("356", C, lambda r: edit(r, "Episodes", C, 1, DEC="23/06/2025")),  # ended the day before it began
    ("357", B, lambda r: edit(r, "Episodes", B, RNE="P")),  # B's first ever episode, 01/06/2025, is not S
    ("358", A, lambda r: edit(r, "Episodes", A, LS="J1")),  # remanded on 07/06/2021 aged 8
    # A born 01/01/2007 turned 18 on 01/01/2025 and is still in a C2 foster placement (not V2 in K2).
    ("359", A, lambda r: edit(r, "Header", A, DOB="01/01/2007")),
    # B's open episode from 01/06/2025 runs to 31 March 2026 (303 days) under each short-term status.
    ("361", B, lambda r: edit(r, "Episodes", B, LS="L1")),
    ("362", B, lambda r: edit(r, "Episodes", B, LS="L2")),
    ("363", B, lambda r: edit(r, "Episodes", B, LS="L3")),
    ("364", B, lambda r: edit(r, "Episodes", B, LS="J2")),
    # C's police protection: 24/06/2025 (a new L1 episode) to 31/08/2025, 68 days.
    ("361", C, lambda r: edit(r, "Episodes", C, 1, LS="L1")),
    # B's short break is open from 01/06/2025: 303 days, more than 17 (365) and more than 75 in the year (367).
    ("365", B, lambda r: edit(r, "Episodes", B, LS="V3", PL_POST="", URN="")),
    ("367", B, lambda r: edit(r, "Episodes", B, LS="V3", PL_POST="", URN="")),
    ("366", C, lambda r: edit(r, "Episodes", C, 1, LS="V3", PL_POST="", URN="")),  # a V3 episode with RNE P
    ("EPI", L, lambda r: drop(r, "OC3", L)),  # L now has neither episodes nor an OC3 row
    # --- Placement postcodes ---------------------------------------------------------------------
    ("169", A, lambda r: edit(r, "Episodes", A, PL_POST="")),  # no placement postcode, so no LA
    ("179", A, lambda r: edit(r, "Episodes", A, PL_POST="TW1")),  # not a whole postcode
    ("164", A, lambda r: edit(r, "Episodes", A, HOME_POST="")),  # A is not UASC: no distance
    ("243", A, lambda r: edit(r, "Episodes", A, PL_POST="EH1 1YZ")),  # Edinburgh, with URN SC000000
]

# Rules that need last year's return: (code, child, change to this year, change to last year).
PREVIOUS_CASES: list[tuple[str, str, Mutation, Mutation]] = [
    # A was UASC last year with no DUC (still UASC on 31 March 2025) and has no UASC row this year.
    ("205A", A, lambda r: None, _add("UASC", t.UASC(A, "F", "08/07/2012", ""))),
    # A is UASC in both years, but her status ceased on 01/05/2024 last year.
    (
        "205B",
        A,
        _add("UASC", t.UASC(A, "F", "08/07/2012", "")),
        _add("UASC", t.UASC(A, "F", "08/07/2012", "01/05/2024")),
    ),
    # Z9 is in neither year's header (so never identified as UASC) yet has a UASC row with a DUC.
    ("205C", "Z9", _add("UASC", t.UASC("Z9", "F", "08/07/2012", "01/05/2025")), lambda p: None),
    # A is UASC this year; she was in last year's return without a UASC row.
    ("205D", A, _add("UASC", t.UASC(A, "F", "08/07/2012", "")), lambda p: None),
    # L was reported as having died last year; this year he is in touch.
    ("348", L, lambda r: None, _add("OC3", t.OC3(L, "07/08/2005", "DIED", "0", "0"))),
    # A's episode began in 2021, but last year's return has no episode for her.
    ("NoE", A, lambda r: None, lambda p: drop(p, "Episodes", A)),
]
