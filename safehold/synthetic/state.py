"""Shared state of the simulation: the child and family being simulated, constants and code lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safehold.casework import choices as cw_choices
from safehold.looked_after import choices as la_choices
from safehold.synthetic import codes as C
from safehold.synthetic.borough import (
    Row,
)

DEFAULT_AS_OF = dt.date(2026, 3, 31)
#: The LA code used when settings.SAFEHOLD_LA_CODE is not a valid DfE code (the default "999" is fictional):
#: Richmond upon Thames, the LA the 903 oracle harness and the clean synthetic 903 return assume (E09000027).
FALLBACK_LA_CODE = "318"


def la_code() -> str:
    """The 3-digit LA code for UPNs and own-LA fields: settings.SAFEHOLD_LA_CODE if it is a DfE LA or
    pseudo-LA code (CIN rule 1530's list), else :data:`FALLBACK_LA_CODE`."""
    from django.conf import settings

    from safehold.returns.cin.domain.codes import UPN_LA_CODES

    code = str(getattr(settings, "SAFEHOLD_LA_CODE", ""))
    return code if code in UPN_LA_CODES else FALLBACK_LA_CODE


#: From this child population up, rare codes are forced to occur at least once (see :class:`Picker`).
COVERAGE_THRESHOLD = 10_000
#: Picker categories whose codes count as seen only when written (a pick may be discarded).
NOTED_ON_WRITE = frozenset(
    {"rec", "placement", "legal", "provider", "in_touch", "need", "abuse", "source", "rd", "eet", "neet"}
)
HISTORY_YEARS = 6

# Per-referral pathway weights (LOCAL CALIBRATION against the national rates in ``rates``).
PATH_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("nfa", 7.4),
    ("assess_nfa", 25.0),
    ("assess_eh", 13.0),
    ("cin", 17.5),
    ("s47", 30.0),
    ("cla", 2.4),
    ("disabled", 2.6),
    ("yj", 0.5),
)
P_ICPC = 0.305  # of s47 enquiries (national: ICPCs / s47s = 0.31, plus repeat s47s without ICPC)
#: For a child who has had a CP plan before: most re-referrals that reach a section 47 go to conference
#: (LOCAL CALIBRATION so that second or subsequent plans are the national share of plans starting).
P_ICPC_AFTER_PLAN = 0.82
P_PLAN_AT_ICPC = 0.84  # initial conferences that make the child subject of a plan
P_REREFER = 0.52
CHAIN_END = frozenset({"RC1", "RC2", "RC5", "RC6"})
EXIT_PERMANENCE = frozenset({"E41", "E45", "E46", "E47", "E48", "E11", "E12"})
REC_TO_RC = {
    "E11": "RC1",
    "E12": "RC1",
    "E2": "RC2",
    "E41": "RC3",
    "E45": "RC4",
    "E46": "RC4",
    "E47": "RC4",
    "E48": "RC4",
    "E3": "RC5",
    "E7": "RC6",
}


COVERAGE: dict[str, list[str]] = {
    "legal": list(la_choices.LegalStatus.values),
    "placement": [v for v in la_choices.PlacementType.values if v not in ("H5", "P2", "Z1")],
    "rec": list(la_choices.ReasonEpisodeCeased.values),
    "rne": list(la_choices.ReasonNewEpisode.values),
    "provider": list(la_choices.PlacementProvider.values),
    "rpc": list(la_choices.ReasonPlaceChange.values),
    "cla_need": list(la_choices.CategoryOfNeed.values),
    "rd": list(la_choices.ReasonPlacedCeased.values),
    "sex_adopters": list(la_choices.SexAdopter.values),
    "ls_adopters": list(la_choices.LegalStatusAdopter.values),
    "accom": [c for c, _ in la_choices.ACCOMMODATION_CHOICES],
    "eet": [c for c, _ in C.EET],
    "neet": [c for c, _ in C.NEET],
    "in_touch": list(la_choices.InTouch.values),
    "pn": [v for v in la_choices.ReviewParticipation.values if v != "PN0"],
    "sdq": list(la_choices.SDQReason.values),
    "factor": list(cw_choices.AssessmentFactor.values),
    "rc": list(cw_choices.ClosureReason.values),
    "pf_answer": ["yes", "no"],
    "pf_decision": list(la_choices.PFDecision.values),
    "abuse": list(cw_choices.AbuseCategory.values),
    "need": list(cw_choices.PrimaryNeed.values),
    "source": list(cw_choices.ReferralSource.values),
    "missing": ["M", "A"],
    "eligibility": list(la_choices.CareLeaverEligibility.values),
}
RECIPES = ("adoption", "teen_leaver", "relevant", "uasc", "yj", "disabled", "pf", "moves", "generic")


def recipe_for(category: str, code: str) -> str:
    """Which kind of extra journey produces ``code`` of ``category``."""
    if category in ("rd", "sex_adopters", "ls_adopters") or code in (
        "A3",
        "A4",
        "A5",
        "A6",
        "E11",
        "E12",
        "E1",
        "RC1",
        "U2",
        "U5",
    ):
        return "adoption"
    if category in ("accom", "eet", "neet", "in_touch") or code in ("E17", "E5", "E6", "K3", "P3", "R5"):
        return "teen_leaver"
    if code in ("E15", "E16", "E3", "RC5"):
        return "uasc"
    if code in ("J1", "J2", "J3", "E14", "E9", "CUSTOD"):
        return "yj"
    if code in ("V3", "V4", "E7", "RC6"):
        return "disabled"
    if category in ("pf_answer", "pf_decision") or code in ("8B", "8C", "8D", "8E", "8F"):
        return "pf"
    if category == "eligibility":
        return "relevant"
    if category in ("placement", "rpc", "provider", "rne", "cla_need"):
        return "moves"
    return "generic"


@dataclass
class Child:
    id: int
    row: Row
    dob: dt.date
    sex: str
    disabled: bool = False
    gone: bool = False
    cp_plans: int = 0
    periods: list[tuple[dt.date, dt.date | None, str]] = field(default_factory=list)
    #: The start of each of the child's periods of care, short breaks included: where the 903 export starts
    #: counting their social worker episodes (see workforce.merge_short_allocations).
    care_starts: list[dt.date] = field(default_factory=list)
    allocs: list[Row] = field(default_factory=list)
    last_closure: dt.date | None = None
    open_area: str | None = None
    foster_links: set[int] = field(default_factory=set)
    uasc: bool = False


@dataclass
class Family:
    household_id: int
    family_name: str
    ethnicity: str
    postcode: str
    mother_id: int | None
    father_id: int | None
    children: list[Child]
    kin: tuple[int, str] | None = None


@dataclass
class Outcome:
    closure: dt.date | None
    reason: str
