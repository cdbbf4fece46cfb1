"""Rules added or changed for the 2024/25 collection: ``Sex`` (M/F/U) replaced ``GenderCurrent``; LA child
ids are at most 20 letters and digits; 18A and 19A are queried; UN1 no longer explains a missing UPN for a
school-age child (STATUTE.md §6.1)."""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

from safehold.returns.cin.domain.census import Census, Child
from safehold.returns.cin.domain.codes import SEXES
from safehold.returns.cin.domain.rules.base import Ctx, Rule, child_rule, nfa_false, requires, return_rule
from safehold.timescales.domain.periods import add_months

REGISTRY: dict[str, Rule] = {}
rule = partial(child_rule, registry=REGISTRY)
la_rule = partial(return_rule, registry=REGISTRY)

_ALNUM = re.compile(r"[A-Za-z0-9]*")
_UPN_REASONS_FOR_SCHOOL_AGE = frozenset({"UN2", "UN3", "UN4", "UN5", "UN6", "UN7"})


@rule("1570", ("LAchildID",))
def r1570(c: Child, x: Ctx) -> bool:
    return len(c.la_child_id) > 20


@rule("1580", ("LAchildID",))
def r1580(c: Child, x: Ctx) -> bool:
    return not _ALNUM.fullmatch(c.la_child_id)


@rule("4180", ("Sex",))
def r4180(c: Child, x: Ctx) -> bool:
    return c.sex not in SEXES


@rule("8750", ("Sex", "PersonBirthDate", "ExpectedPersonBirthDate"))
def r8750(c: Child, x: Ctx) -> bool:
    """An unborn child (expected date of birth, no date of birth) must have sex U."""
    return c.birth_date is None and c.expected_birth_date is not None and c.sex != "U"


@la_rule("2886Q", ("Sex",))
def r2886q(census: Census, x: Ctx) -> bool:
    """More than 2% of children who are not unborn have sex missing or U (unborn: an expected date of birth)."""
    born = [c for c in census.children if c.expected_birth_date is None]
    if not born:
        return False
    unknown = sum(1 for c in born if c.sex in ("", "U"))
    return unknown / len(born) > 0.02


@rule("8770Q", ("UPN", "UPNunknown"))
def r8770q(c: Child, x: Ctx) -> bool:
    """A child of school age (5 by 31 August after the reference date, i.e. born on or before 31 August six
    years before that) with a referral that went on to further action needs a UPN, or a reason UN2-UN7."""
    b = c.birth_date
    if b is None or c.upn:
        return False
    school_start = add_months(x.reference_date, 4) + dt.timedelta(days=31)  # 31 August after a 31 March reference
    cutoff = add_months(school_start, -72)
    if b > cutoff or not any(nfa_false(e) for e in c.episodes):
        return False
    return c.upn_unknown.upper() not in _UPN_REASONS_FOR_SCHOOL_AGE


@rule("8945Q", ("AssessmentFactors",))
def r8945q(c: Child, x: Ctx) -> bool:
    return any("18A" in a.factors for e in c.episodes for a in e.assessments)


@rule("8950Q", ("AssessmentFactors",))
def r8950q(c: Child, x: Ctx) -> bool:
    return any("19A" in a.factors for e in c.episodes for a in e.assessments)


requires(REGISTRY, {"8945Q": ("assessments",), "8950Q": ("assessments",)})
