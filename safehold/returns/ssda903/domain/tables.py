"""The SSDA903 tables as plain rows (STATUTE.md §7.1).

Every field is kept as the text that appears in the CSV ("" when blank), so a file with wrong codes or
bad dates can be read, validated and reported on exactly as the DfE's validator would see it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

# Column order per table, as the DfE's CSV specification lists them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}

#: The file stem each table is written under.
FILE_NAMES: dict[str, str] = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "PlacedAdoption": "placed_for_adoption",
    "PrevPerm": "prev_perm",
    "Missing": "missing",
    "SWEpisodes": "social_workers",
    "DoLo": "dolo",
}


def tables_for_year(year: int) -> tuple[str, ...]:
    """The tables of the return for the collection year ending 31 March ``year``."""
    names = [t for t in COLUMNS if t != "DoLo"]
    if year >= 2027:
        names.append("DoLo")
    return tuple(names)


@dataclass(frozen=True, slots=True)
class Header:
    CHILD: str
    SEX: str = ""
    DOB: str = ""
    ETHNIC: str = ""
    UPN: str = ""
    MOTHER: str = ""
    MC_DOB: str = ""


@dataclass(frozen=True, slots=True)
class Episode:
    CHILD: str
    DECOM: str = ""
    RNE: str = ""
    LS: str = ""
    CIN: str = ""
    PLACE: str = ""
    PLACE_PROVIDER: str = ""
    DEC: str = ""
    REC: str = ""
    REASON_PLACE_CHANGE: str = ""
    HOME_POST: str = ""
    PL_POST: str = ""
    URN: str = ""


@dataclass(frozen=True, slots=True)
class Review:
    CHILD: str
    DOB: str = ""
    REVIEW: str = ""
    REVIEW_CODE: str = ""


@dataclass(frozen=True, slots=True)
class UASC:
    CHILD: str
    SEX: str = ""
    DOB: str = ""
    DUC: str = ""


@dataclass(frozen=True, slots=True)
class OC2:
    CHILD: str
    DOB: str = ""
    SDQ_SCORE: str = ""
    SDQ_REASON: str = ""
    CONVICTED: str = ""
    HEALTH_CHECK: str = ""
    IMMUNISATIONS: str = ""
    TEETH_CHECK: str = ""
    HEALTH_ASSESSMENT: str = ""
    SUBSTANCE_MISUSE: str = ""
    INTERVENTION_RECEIVED: str = ""
    INTERVENTION_OFFERED: str = ""


@dataclass(frozen=True, slots=True)
class OC3:
    CHILD: str
    DOB: str = ""
    IN_TOUCH: str = ""
    ACTIV: str = ""
    ACCOM: str = ""


@dataclass(frozen=True, slots=True)
class AD1:
    CHILD: str
    DOB: str = ""
    DATE_INT: str = ""
    DATE_MATCH: str = ""
    FOSTER_CARE: str = ""
    NB_ADOPTR: str = ""
    SEX_ADOPTR: str = ""
    LS_ADOPTR: str = ""


@dataclass(frozen=True, slots=True)
class PlacedAdoption:
    CHILD: str
    DOB: str = ""
    DATE_PLACED: str = ""
    DATE_PLACED_CEASED: str = ""
    REASON_PLACED_CEASED: str = ""


@dataclass(frozen=True, slots=True)
class PrevPerm:
    CHILD: str
    DOB: str = ""
    PREV_PERM: str = ""
    LA_PERM: str = ""
    DATE_PERM: str = ""


@dataclass(frozen=True, slots=True)
class Missing:
    CHILD: str
    DOB: str = ""
    MISSING: str = ""
    MIS_START: str = ""
    MIS_END: str = ""


@dataclass(frozen=True, slots=True)
class SWEpisode:
    CHILD: str
    DOB: str = ""
    SW_ID: str = ""
    SW_DECOM: str = ""
    SW_DEC: str = ""
    SW_REASON: str = ""


@dataclass(frozen=True, slots=True)
class DoLo:
    CHILD: str
    DOB: str = ""
    DOLO_START: str = ""
    DOLO_END: str = ""


ROW_TYPES: dict[str, type[Any]] = {
    "Header": Header,
    "Episodes": Episode,
    "Reviews": Review,
    "UASC": UASC,
    "OC2": OC2,
    "OC3": OC3,
    "AD1": AD1,
    "PlacedAdoption": PlacedAdoption,
    "PrevPerm": PrevPerm,
    "Missing": Missing,
    "SWEpisodes": SWEpisode,
    "DoLo": DoLo,
}

ATTRS: dict[str, str] = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "PlacedAdoption": "placed_adoption",
    "PrevPerm": "prev_perm",
    "Missing": "missing",
    "SWEpisodes": "sw_episodes",
    "DoLo": "dolo",
}


@dataclass
class Return903:
    """One local authority's SSDA903 return for the collection year ending 31 March ``year``.

    ``present`` names the tables the return holds (a table can be present and empty); a table that is
    absent was not supplied, and the rules that need it do not run.
    """

    year: int
    header: list[Header] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    uasc: list[UASC] = field(default_factory=list)
    oc2: list[OC2] = field(default_factory=list)
    oc3: list[OC3] = field(default_factory=list)
    ad1: list[AD1] = field(default_factory=list)
    placed_adoption: list[PlacedAdoption] = field(default_factory=list)
    prev_perm: list[PrevPerm] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    sw_episodes: list[SWEpisode] = field(default_factory=list)
    dolo: list[DoLo] = field(default_factory=list)
    present: frozenset[str] | None = None

    def rows(self, table: str) -> list[Any]:
        rows: list[Any] = getattr(self, ATTRS[table])
        return rows

    def has(self, table: str) -> bool:
        if self.present is None:
            return table in tables_for_year(self.year)
        return table in self.present

    def replace(self, **changes: Any) -> Return903:
        return dataclasses.replace(self, **changes)


def as_tuple(row: Any, table: str) -> tuple[str, ...]:
    return tuple(getattr(row, c) for c in COLUMNS[table])
