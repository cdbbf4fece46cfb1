"""Every implemented SSDA903 rule, table-driven: the clean base return passes every rule, and one small
change per case makes the rule fire for exactly the child named (the docstring of each case says why).

Base (``clean_return(8, seed=7)``, year 2025/26, 1 April 2025 – 31 March 2026):
A  C007000000  girl born 08/07/2012, in care since 07/06/2021 (C2, U4), OC2 row, one review PN1.
B  C007000001  girl born 04/03/2017, started 01/06/2025 (V2, U6), PrevPerm Z1, missing 21–22/06/2025.
C  C007000002  boy born 05/01/2017, U6 from 27/05/2024 to 24/06/2025 (X1, CARPL), then U4 until 31/08/2025 (E4A).
L  C007000003  boy born 07/08/2005, care leaver (OC3 YES/F2/U1), no episodes.
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from safehold.returns.ssda903.domain import rules_for_year, synthetic, validate
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.engine import REGISTRY
from safehold.returns.tests.support_903 import BASE, BASE_2027, A, B, C, L, Mutation, ad1, add, drop, edit


def _case_groups() -> list[Any]:
    """The cases_903_*.py modules beside this file, imported in name order."""
    import importlib

    here = Path(__file__).resolve().parent
    return [importlib.import_module(f"{__package__}.{p.stem}") for p in sorted(here.glob("cases_903_*.py"))]


CASES: list[tuple[str, str, Mutation]] = [
    # --- Header ---------------------------------------------------------------------------------
    ("101", A, lambda r: edit(r, "Header", A, SEX="2")),  # 1/2 are the pre-2024 codes
    ("102", A, lambda r: edit(r, "Header", A, DOB="31/02/2012")),
    ("103", A, lambda r: edit(r, "Header", A, ETHNIC="XXXX")),
    ("165", A, lambda r: edit(r, "Header", A, MOTHER="")),  # a girl looked after in the year needs MOTHER
    ("168", A, lambda r: edit(r, "Header", A, UPN="I590830166131")),  # I is not a valid first letter
    ("171", A, lambda r: edit(r, "Header", A, MOTHER="1", MC_DOB="2024-01-01")),
    ("174", C, lambda r: edit(r, "Header", C, MC_DOB="01/01/2024")),
    ("209", A, lambda r: edit(r, "Header", A, UPN="UN1")),  # 4 by 31/08/2024
    ("210", A, lambda r: edit(r, "Header", A, UPN="UN4")),  # in care since 2021, open at 31 March
    ("444", A, lambda r: edit(r, "Header", C, UPN=BASE.header[0].UPN)),  # C given A's UPN: both flagged
    ("232", A, lambda r: edit(r, "Header", A, SEX="U")),
    ("301", A, lambda r: edit(r, "Header", A, DOB="01/04/2026")),
    ("302", A, lambda r: edit(r, "Header", A, DOB="01/01/2022")),  # born after the 2021 episode began
    ("104", A, lambda r: add(r, "UASC", t.UASC(A, "F", "08/07/2012", "31/03/2025"))),  # before the year
    (
        "1014",
        L,
        lambda r: (
            add(r, "UASC", t.UASC(L, "M", "07/08/2005", "")),
            add(
                r,
                "Episodes",
                t.Episode(
                    L, "01/01/2022", "S", "V2", "N4", "U4", "PR1", "01/06/2023", "E8", "", "TW1 1AA", "TW1 1AF", "SC1"
                ),
            ),
        ),
    ),
    # --- Episodes -------------------------------------------------------------------------------
    ("141", A, lambda r: edit(r, "Episodes", A, DECOM="7/13/2021")),
    ("147", C, lambda r: edit(r, "Episodes", C, 1, DEC="31-08-2025")),
    ("143", A, lambda r: edit(r, "Episodes", A, RNE="X")),
    ("144", A, lambda r: edit(r, "Episodes", A, LS="C3")),
    ("145", A, lambda r: edit(r, "Episodes", A, CIN="N9")),
    ("146", A, lambda r: edit(r, "Episodes", A, PLACE="Z1")),  # Z1 was split into Z11–Z14 in 2025/26
    ("149", C, lambda r: edit(r, "Episodes", C, 1, REC="E4")),
    ("1009", C, lambda r: edit(r, "Episodes", C, 0, REASON_PLACE_CHANGE="MOVED")),
    ("142", C, lambda r: edit(r, "Episodes", C, 0, DEC="", REC="", REASON_PLACE_CHANGE="")),
    ("148", C, lambda r: edit(r, "Episodes", C, 1, REC="")),
    ("178", A, lambda r: edit(r, "Episodes", A, PLACE_PROVIDER="PR9")),
    (
        "199",
        C,
        lambda r: (edit(r, "Episodes", C, 0, REC="E11", REASON_PLACE_CHANGE=""), edit(r, "Episodes", C, 1, REC="E12")),
    ),  # adopted twice
    ("213", A, lambda r: edit(r, "Episodes", A, PLACE="Z12", URN="")),  # Z12 keeps PR1: not wanted
    ("214", A, lambda r: edit(r, "Episodes", A, LS="V3")),  # short breaks: no PL_POST or URN
    ("217", C, lambda r: edit(r, "Episodes", C, 1, PLACE="A5", RNE="P")),
    ("218", A, lambda r: edit(r, "Episodes", A, URN="")),
    ("222", A, lambda r: edit(r, "Episodes", A, PLACE="R1")),  # R1 takes no URN
    ("225", C, lambda r: edit(r, "Episodes", C, 0, REASON_PLACE_CHANGE="")),
    ("226", C, lambda r: edit(r, "Episodes", C, 1, PLACE="T1", PLACE_PROVIDER="", URN="")),  # prior CARPL
    ("233", A, lambda r: edit(r, "Episodes", A, REASON_PLACE_CHANGE="CARPL")),  # still open
    ("234", C, lambda r: edit(r, "Episodes", C, 0, REASON_PLACE_CHANGE="CUSTOD")),  # aged 7
    ("242", A, lambda r: edit(r, "Episodes", A, PLACE="K2", URN="XXXXXXX")),
    ("336", C, lambda r: (edit(r, "Episodes", C, 0, PLACE="K2"), edit(r, "Episodes", C, 1, PLACE="A4"))),
    ("371", A, lambda r: edit(r, "Episodes", A, PLACE="K3")),  # aged 8 at the start
    ("392d", A, lambda r: edit(r, "Episodes", A, PL_POST="TW1 1AR")),  # same as HOME_POST
    ("504", C, lambda r: edit(r, "Episodes", C, 1, CIN="N2")),  # X1 then a new CIN the same day
    ("630", B, lambda r: drop(r, "PrevPerm", B)),
    # --- Reviews --------------------------------------------------------------------------------
    ("166", A, lambda r: edit(r, "Reviews", A, REVIEW="")),
    ("167", A, lambda r: edit(r, "Reviews", A, REVIEW_CODE="PN9")),
    ("440", A, lambda r: edit(r, "Reviews", A, REVIEW_CODE="PN0")),  # she is 12
    (
        "441",
        B,
        lambda r: (
            edit(r, "Header", B, DOB="01/01/2022"),
            edit(r, "Reviews", B, REVIEW_CODE="PN1", DOB="01/01/2022"),
            edit(r, "Missing", B, DOB="01/01/2022"),
            edit(r, "PrevPerm", B, DOB="01/01/2022"),
        ),
    ),
    # --- Missing --------------------------------------------------------------------------------
    ("1004", B, lambda r: edit(r, "Missing", B, MIS_START="")),
    ("1005", B, lambda r: edit(r, "Missing", B, MIS_END="22/13/2025")),
    ("1006", B, lambda r: edit(r, "Missing", B, MISSING="X")),
    ("564", B, lambda r: edit(r, "Missing", B, MIS_START="")),
    ("565", B, lambda r: edit(r, "Missing", B, MISSING="")),
    ("566", B, lambda r: edit(r, "Missing", B, MISSING="")),
    ("567", B, lambda r: edit(r, "Missing", B, MIS_END="20/06/2025")),
    ("570", B, lambda r: edit(r, "Missing", B, MIS_START="01/04/2026", MIS_END="")),
    ("571", B, lambda r: edit(r, "Missing", B, MIS_END="02/04/2026")),
    ("574", B, lambda r: add(r, "Missing", t.Missing(B, "04/03/2017", "A", "21/06/2025", ""))),
    ("575", C, lambda r: add(r, "Missing", t.Missing(C, "05/01/2017", "M", "01/07/2025", ""))),  # episode ended
    ("577", C, lambda r: add(r, "Missing", t.Missing(C, "05/01/2017", "M", "01/08/2025", ""))),
    ("578", C, lambda r: add(r, "Missing", t.Missing(C, "05/01/2017", "M", "01/09/2025", "02/09/2025"))),
    (
        "580",
        C,
        lambda r: (
            edit(r, "Header", C, DOB="31/08/2007"),
            add(r, "Missing", t.Missing(C, "31/08/2007", "M", "30/08/2025", "31/08/2025")),
        ),
    ),
    ("581", B, lambda r: edit(r, "Missing", B, MIS_START="01/05/2025", MIS_END="02/05/2025")),  # before care
    ("586", B, lambda r: edit(r, "Missing", B, DOB="01/07/2025", MIS_START="01/07/2025", MIS_END="")),
    # --- OC2 ------------------------------------------------------------------------------------
    ("157", A, lambda r: edit(r, "OC2", A, SDQ_SCORE="", SDQ_REASON="SDQ1")),  # aged 12 all year
    ("158", A, lambda r: edit(r, "OC2", A, SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1", INTERVENTION_OFFERED="1")),
    ("159", A, lambda r: edit(r, "OC2", A, SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0")),
    ("180", A, lambda r: edit(r, "OC2", A, SDQ_SCORE="41")),
    ("181", A, lambda r: edit(r, "OC2", A, TEETH_CHECK="Y")),
    ("182", A, lambda r: edit(r, "OC2", A, TEETH_CHECK="")),  # CONVICTED given, a core item blank
    ("185", B, lambda r: add(r, "OC2", t.OC2(B, "04/03/2017", "10"))),  # B only started this year
    ("186", A, lambda r: edit(r, "OC2", A, SDQ_SCORE="")),
    ("188", B, lambda r: (edit(r, "Header", B, DOB="01/01/2023"), add(r, "OC2", t.OC2(B, "01/01/2023", "", "SDQ4")))),
    ("189", L, lambda r: add(r, "OC2", t.OC2(L, "07/08/2005", "12"))),
    ("190", B, lambda r: add(r, "OC2", t.OC2(B, "04/03/2017", "", "", "0"))),
    ("191", A, lambda r: drop(r, "OC2", A)),  # in the cohort with no OC2 row
    ("192", A, lambda r: edit(r, "OC2", A, SUBSTANCE_MISUSE="1")),
    ("193", A, lambda r: edit(r, "OC2", A, INTERVENTION_OFFERED="1")),
    ("196", A, lambda r: edit(r, "OC2", A, SDQ_SCORE="", SDQ_REASON="SDQ9")),
    (
        "197B",
        A,
        lambda r: (
            edit(r, "Header", A, DOB="01/06/2008"),
            edit(r, "OC2", A, DOB="01/06/2008", SDQ_SCORE=""),
            edit(r, "Reviews", A, DOB="01/06/2008"),
        ),
    ),  # 17 on 01/06/2025, no score or reason
    ("197a", A, lambda r: edit(r, "OC2", A, SDQ_REASON="SDQ2")),
    ("198", B, lambda r: add(r, "OC2", t.OC2(B, "04/03/2017", "", "SDQ2"))),
    ("215", L, lambda r: add(r, "OC2", t.OC2(L, "07/08/2005", "", "", "0"))),
    # --- OC3 ------------------------------------------------------------------------------------
    ("131", L, lambda r: edit(r, "OC3", L, IN_TOUCH="MAYBE")),
    ("132", L, lambda r: edit(r, "OC3", L, ACTIV="F3")),  # legacy code
    ("133", L, lambda r: edit(r, "OC3", L, ACCOM="S1")),  # homelessness is never suitable
    ("153", L, lambda r: edit(r, "OC3", L, ACCOM="")),
    ("187", A, lambda r: add(r, "OC3", t.OC3(A, "08/07/2012", "YES", "F2", "U1"))),
    ("344", L, lambda r: edit(r, "OC3", L, IN_TOUCH="DIED")),
    ("345", L, lambda r: edit(r, "OC3", L, ACTIV="0")),
    ("3001", L, lambda r: (edit(r, "Header", L, DOB="01/06/2008"), edit(r, "OC3", L, DOB="01/06/2008", ACCOM="Z1"))),
    (
        "1000",
        L,
        lambda r: add(
            r,
            "Episodes",
            t.Episode(
                L, "01/01/2024", "S", "V2", "N1", "U4", "PR1", "01/05/2025", "E2", "", "TW1 1AA", "TW1 1AF", "SC1"
            ),
        ),
    ),
    (
        "1007",
        L,
        lambda r: (
            edit(r, "Header", L, DOB="01/06/2008"),
            edit(r, "OC3", L, DOB="01/06/2008"),
            add(
                r,
                "Episodes",
                t.Episode(
                    L, "01/01/2024", "S", "V2", "N1", "U4", "PR1", "01/07/2025", "E8", "", "TW1 1AA", "TW1 1AF", "SC1"
                ),
            ),
        ),
    ),
    (
        "1011",
        L,
        lambda r: add(
            r,
            "Episodes",
            t.Episode(
                L, "01/01/2024", "S", "V2", "N1", "U4", "PR1", "01/05/2025", "E3", "", "TW1 1AA", "TW1 1AF", "SC1"
            ),
        ),
    ),
    ("1012", L, lambda r: add(r, "Reviews", t.Review(L, "07/08/2005", "01/05/2025", "PN1"))),
    (
        "1016",
        L,
        lambda r: (
            edit(r, "Header", L, DOB="01/06/2008"),
            edit(r, "OC3", L, DOB="01/06/2008"),
            add(
                r,
                "Episodes",
                t.Episode(
                    L, "01/01/2024", "S", "V2", "N1", "U4", "PR1", "01/07/2025", "E8", "", "TW1 1AA", "TW1 1AF", "SC1"
                ),
            ),
        ),
    ),
    # --- Adoption -------------------------------------------------------------------------------
    ("112", C, lambda r: ad1(r, DATE_INT="2025-05-01")),
    ("113", C, lambda r: ad1(r, DATE_MATCH="2025-06-10")),
    ("114", C, lambda r: ad1(r, FOSTER_CARE="Y")),
    ("175", C, lambda r: ad1(r, NB_ADOPTR="3")),
    ("176", C, lambda r: ad1(r, SEX_ADOPTR="XX")),
    ("177", C, lambda r: ad1(r, LS_ADOPTR="L5")),
    ("151", C, lambda r: ad1(r, LS_ADOPTR="")),
    ("134", L, lambda r: add(r, "AD1", t.AD1(L, "07/08/2005", "01/05/2025", "10/06/2025", "1", "2", "MF", "L11"))),
    ("331", C, lambda r: ad1(r, DATE_MATCH="30/06/2025")),  # matched after placement on 24/06/2025
    ("333", C, lambda r: ad1(r, DATE_INT="11/06/2025")),  # decision after the match
    ("334", C, lambda r: ad1(r, DATE_INT="01/05/2024")),  # before care started on 27/05/2024
    ("335", C, lambda r: ad1(r, FOSTER_CARE="0")),  # A5 is with the current foster carer
    ("115", C, lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED="1 May 2025"))),
    (
        "116",
        C,
        lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="31/06/2025", REASON_PLACED_CEASED="RD1")),
    ),
    (
        "117",
        C,
        lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="01/09/2025", REASON_PLACED_CEASED="RD4")),
    ),  # after the child left care
    (
        "118",
        C,
        lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="01/03/2025", REASON_PLACED_CEASED="RD4")),
    ),  # before the year
    ("119", C, lambda r: (ad1(r), edit(r, "PlacedAdoption", C, REASON_PLACED_CEASED="RD1"))),
    (
        "120",
        C,
        lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED_CEASED="01/06/2025", REASON_PLACED_CEASED="RD9")),
    ),
    ("184", C, lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED="01/01/2016"))),
    ("1003", C, lambda r: (ad1(r), edit(r, "PlacedAdoption", C, DATE_PLACED="01/05/2024"))),
    # --- Social workers -------------------------------------------------------------------------
    ("SW02STG1", A, lambda r: edit(r, "SWEpisodes", A, SW_ID="AB000000")),
    ("SW04STG1", A, lambda r: edit(r, "SWEpisodes", A, SW_DECOM="2021-06-07")),
    ("SW05STG1", A, lambda r: edit(r, "SWEpisodes", A, SW_DEC="2026-01-01")),
    ("SW06STG2", A, lambda r: edit(r, "SWEpisodes", A, SW_DECOM="01/04/2026")),
    ("SW07STG2", A, lambda r: edit(r, "SWEpisodes", A, SW_DEC="01/04/2026")),
    (
        "SW08STG2",
        A,
        lambda r: add(r, "SWEpisodes", t.SWEpisode(A, "08/07/2012", "SW999999", "01/01/2026", "", "LEFTRL")),
    ),
    (
        "SW09STG2",
        A,
        lambda r: (
            edit(r, "SWEpisodes", A, SW_DEC="08/06/2021"),
            add(r, "SWEpisodes", t.SWEpisode(A, "08/07/2012", "SW999999", "08/06/2021", "", "LEFTRL")),
        ),
    ),
    ("SW13STG1", B, lambda r: edit(r, "SWEpisodes", B, SW_REASON="")),  # started after April 2023
    ("SW17STG2", A, lambda r: edit(r, "SWEpisodes", A, SW_DEC="01/03/2026")),
    ("SW18STG2", A, lambda r: edit(r, "SWEpisodes", A, SW_DEC="07/06/2021")),
    (
        "SW19STG2",
        A,
        lambda r: add(r, "SWEpisodes", t.SWEpisode(A, "08/07/2012", "SW999999", "07/06/2021", "", "LEFTRL")),
    ),
]

# Internal checks: a row whose child is missing from the Header, a DOB or SEX that disagrees, a duplicate.
_INT_ROW: dict[str, Any] = {
    "AD1": t.AD1,
    "PlacedAdoption": t.PlacedAdoption,
    "Episodes": t.Episode,
    "Missing": t.Missing,
    "OC2": t.OC2,
    "OC3": t.OC3,
    "PrevPerm": t.PrevPerm,
    "Reviews": t.Review,
    "UASC": t.UASC,
}
for _code, _table in {
    "INT01": "AD1",
    "INT02": "PlacedAdoption",
    "INT03": "Episodes",
    "INT04": "Missing",
    "INT05": "OC2",
    "INT06": "OC3",
    "INT07": "PrevPerm",
    "INT08": "Reviews",
    "INT09": "UASC",
}.items():
    CASES.append((_code, "Z9", lambda r, _table=_table: add(r, _table, _INT_ROW[_table]("Z9"))))  # type: ignore[misc]
for _code, _table in {
    "INT11": "AD1",
    "INT12": "PlacedAdoption",
    "INT13": "Missing",
    "INT14": "OC2",
    "INT15": "OC3",
    "INT16": "PrevPerm",
    "INT17": "Reviews",
    "INT18": "UASC",
}.items():
    CASES.append((_code, C, lambda r, _table=_table: add(r, _table, _INT_ROW[_table](C, DOB="01/01/2000"))))  # type: ignore[misc]
CASES.append(("INT21", A, lambda r: add(r, "UASC", t.UASC(A, "M", "08/07/2012", ""))))
for _code, _table in {"INT31": "AD1", "INT33": "OC2", "INT34": "OC3", "INT35": "PrevPerm", "INT36": "UASC"}.items():
    CASES.append(
        (
            _code,
            L,
            lambda r, _table=_table: (  # type: ignore[misc]
                add(r, _table, _INT_ROW[_table](L, DOB="07/08/2005")),
                add(r, _table, _INT_ROW[_table](L, DOB="07/08/2005")),
            ),
        )
    )
CASES.append(("INT32", A, lambda r: add(r, "Header", r.header[0])))

# Rules that need last year's return: (code, child, change to this year, change to last year).
PREVIOUS_CASES: list[tuple[str, str, Mutation, Mutation]] = [
    ("202", A, lambda r: None, lambda p: edit(p, "Header", A, SEX="M")),
    ("203", A, lambda r: None, lambda p: edit(p, "Header", A, DOB="09/07/2012")),
    ("204", A, lambda r: None, lambda p: edit(p, "Header", A, ETHNIC="WIRI")),
    ("207", A, lambda r: None, lambda p: edit(p, "Header", A, MOTHER="1")),
    ("208", A, lambda r: None, lambda p: edit(p, "Header", A, UPN="A111111111111")),
    (
        "1001",
        L,
        lambda r: (edit(r, "Header", L, DOB="01/06/2006"), edit(r, "OC3", L, DOB="01/06/2006")),
        lambda p: edit(p, "Episodes", L, DECOM="01/07/2023"),
    ),  # 37 days in care
    ("1002", L, lambda r: None, lambda p: drop(p, "Episodes", L)),  # no care history in either year
    ("1010", L, lambda r: None, lambda p: edit(p, "Episodes", L, DEC="", REC="")),  # open at last year's end
]

# Further rules, one module per group of rules (each defines CASES and PREVIOUS_CASES in the same shapes).
for _group in _case_groups():
    CASES.extend(_group.CASES)
    PREVIOUS_CASES.extend(_group.PREVIOUS_CASES)

# DoLo (2026/27): an open order from 01/05/2025 for A (in K2 children's home this year).
DOLO_CASES: list[tuple[str, str, Mutation]] = [
    ("700", A, lambda r: add(r, "DoLo", t.DoLo(A, "08/07/2012", "2025-05-01", ""))),
    ("701", A, lambda r: add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/05/2026", "31/13/2026"))),
    ("702", A, lambda r: add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/05/2026", "01/05/2026"))),
    ("703", A, lambda r: add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/04/2027", ""))),
    ("704", A, lambda r: add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/05/2025", "01/06/2025"))),
    (
        "705",
        A,
        lambda r: (
            add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/05/2026", "")),
            add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/06/2026", "")),
        ),
    ),
    ("707", C, lambda r: add(r, "DoLo", t.DoLo(C, "05/01/2017", "01/05/2026", ""))),  # C left care
    ("708", A, lambda r: add(r, "DoLo", t.DoLo(A, "08/07/2012", "08/07/2012", ""))),
    (
        "709",
        A,
        lambda r: (
            edit(r, "Episodes", A, PLACE="U4"),
            add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/05/2026", "01/06/2026")),
        ),
    ),  # foster care
    (
        "710",
        A,
        lambda r: (
            edit(r, "Episodes", A, PLACE="K1"),
            add(r, "DoLo", t.DoLo(A, "08/07/2012", "01/05/2026", "01/06/2026")),
        ),
    ),
]


def _flagged(ret: t.Return903, code: str, previous: t.Return903 | None = None) -> set[str]:
    return {f.child_id for f in validate(ret, previous) if f.rule_code == code}


def test_clean_base_passes_every_rule() -> None:
    """The passing fixture for every rule: the base return (and its 2026/27 twin) raise nothing."""
    assert validate(BASE) == []
    assert validate(BASE_2027) == []
    assert validate(BASE, synthetic.previous_return(BASE)) == []


@pytest.mark.parametrize(("code", "child", "mutate"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires(code: str, child: str, mutate: Mutation) -> None:
    ret = copy.deepcopy(BASE)
    mutate(ret)
    assert child in _flagged(ret, code), f"{code} did not flag {child}"


@pytest.mark.parametrize(
    ("code", "child", "mutate", "mutate_previous"), PREVIOUS_CASES, ids=[c[0] for c in PREVIOUS_CASES]
)
def test_rule_with_previous_year_fires(code: str, child: str, mutate: Mutation, mutate_previous: Mutation) -> None:
    ret, previous = copy.deepcopy(BASE), synthetic.previous_return(BASE)
    mutate(ret)
    mutate_previous(previous)
    assert child in _flagged(ret, code, previous)
    assert code not in {f.rule_code for f in validate(ret)}, "needs last year's return to run"


@pytest.mark.parametrize(("code", "child", "mutate"), DOLO_CASES, ids=[c[0] for c in DOLO_CASES])
def test_dolo_rule_fires(code: str, child: str, mutate: Mutation) -> None:
    ret = synthetic.clean_return(8, seed=7, year=2027)
    edit(ret, "Episodes", A, PLACE="K2")
    assert validate(ret) == []
    mutate(ret)
    assert child in _flagged(ret, code)
    ret_2026 = copy.deepcopy(ret)
    ret_2026.year = 2026
    assert code not in {f.rule_code for f in validate(ret_2026)}, "DoLo rules start in 2026/27"


def test_dolo_706_needs_last_years_open_order() -> None:
    """An order open at 31 March 2026 must reappear in 2026/27 with the same start date."""
    ret = synthetic.clean_return(8, seed=7, year=2027)
    previous = synthetic.clean_return(8, seed=7, year=2026)
    previous.dolo = [t.DoLo(A, "08/07/2012", "01/05/2025", "")]
    assert A in _flagged(ret, "706", previous)
    ret.dolo = [t.DoLo(A, "08/07/2012", "01/05/2025", "")]
    edit(ret, "Episodes", A, PLACE="K2")
    assert "706" not in {f.rule_code for f in validate(ret, previous)}


def test_every_implemented_rule_has_a_failing_case() -> None:
    covered = {c[0] for c in CASES} | {c[0] for c in PREVIOUS_CASES} | {c[0] for c in DOLO_CASES} | {"706"}
    # Rules needing reference inputs (Ofsted providers, postcodes): their cases run in test_903_e_reference.py.
    covered |= {code for group in _case_groups() for code in getattr(group, "COVERED_ELSEWHERE", ())}
    assert set(rules_for_year(2027)) - covered == set()


def test_rule_codes_and_messages_come_from_the_dfe_lists() -> None:
    reference = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "rules"
    if not reference.exists():
        pytest.skip("shared reference rule lists not available")
    for year, name in ((2026, "ssda903_2025_26_rules.tsv"), (2027, "ssda903_2026_27_rules.tsv")):
        codes = {line.split("\t")[0] for line in (reference / name).read_text().splitlines() if line}
        assert set(rules_for_year(year)) <= codes


def test_implemented_list_is_current() -> None:
    """docs/returns/903-implemented.json is the machine-readable list of implemented rule codes."""
    listed = json.loads((Path(__file__).resolve().parents[3] / "docs/returns/903-implemented.json").read_text())
    assert listed == {str(y): sorted(rules_for_year(y)) for y in (2026, 2027)}
    assert all(r.code == code for code, r in REGISTRY.items())
