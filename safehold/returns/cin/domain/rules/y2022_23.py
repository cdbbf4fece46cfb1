"""CIN census rules in force from the 2022/23 collection and unchanged since (1530 as revised for 2023/24).

Each function is one DfE rule: the decorator names the code and the fields it reads; the message is the
DfE's. The docstring says how the rule is read where the DfE text leaves room. Dates are compared as
dates; a missing date never counts as "outside the year" unless the rule says the date must be present.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

from safehold.core.identifiers import upn_check_letter
from safehold.returns.cin.domain.census import Census, Child
from safehold.returns.cin.domain.codes import (
    ABUSE_CATEGORIES,
    ASSESSMENT_FACTORS,
    CLOSURE_REASONS,
    DISABILITIES,
    ETHNICITIES,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    UPN_LA_CODES,
)
from safehold.returns.cin.domain.rules.base import (
    ALL_YEARS,
    Ctx,
    Rule,
    child_rule,
    in_period,
    nfa_false,
    nfa_true,
    outside_period,
    overlapping,
    requires,
    return_rule,
)
from safehold.timescales.domain.periods import add_months

REGISTRY: dict[str, Rule] = {}
rule = partial(child_rule, registry=REGISTRY)
la_rule = partial(return_rule, registry=REGISTRY)

_UPN_TAIL = re.compile(r"[0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]")
_UPN_FORMAT = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]")
_CHECK_CHARS = set("0123456789ABCDEFGHJKLMNPQRTUVWXYZ")
_RC_AFTER_ASSESSMENT = {"RC8", "RC9"}


# --- Header and return-level ---------------------------------------------------------------------------------


@la_rule("100", ("ReferenceDate",))
def r100(census: Census, x: Ctx) -> bool:
    """The reference date must be present and be 31 March of the collection year."""
    h = census.header
    return h.reference_date is None or h.year is None or h.reference_date != dt.date(h.year, 3, 31)


@la_rule("2883", ("CPPstartDate", "DateOfInitialCPC"))
def r2883(census: Census, x: Ctx) -> bool:
    """More plans start in the year than initial conferences (at CINdetails or s47 level) are held in it."""
    plans = conferences = 0
    for c in census.children:
        for e in c.episodes:
            plans += sum(1 for p in e.cp_plans if in_period(p.start, x))
            conferences += in_period(e.icpc, x) + sum(1 for s in e.section47s if in_period(s.icpc, x))
    return plans > conferences


@la_rule("2887Q", ("Disability",))
def r2887q(census: Census, x: Ctx) -> bool:
    """Fewer than 8 of the disability codes (other than NONE) are used anywhere in the return."""
    used = {d for c in census.children for d in c.disabilities if d in DISABILITIES and d != "NONE"}
    return len(used) < 8


@la_rule("2888Q", ("Disability",))
def r2888q(census: Census, x: Ctx) -> bool:
    """No child in the return has more than one disability code (other than NONE)."""
    return not any(sum(1 for d in c.disabilities if d != "NONE") > 1 for c in census.children)


# --- Child identifiers ---------------------------------------------------------------------------------------


@rule("8500", ("LAchildID",))
def r8500(c: Child, x: Ctx) -> bool:
    return not c.la_child_id


@rule("8510", ("LAchildID",))
def r8510(c: Child, x: Ctx) -> bool:
    return bool(c.la_child_id) and x.la_id_counts[c.la_child_id] > 1


@rule("1510", ("UPN",))
def r1510(c: Child, x: Ctx) -> bool:
    """The check letter (character 1) is wrong; judged only where characters 2-13 are well formed."""
    u = c.upn
    return len(u) == 13 and bool(_UPN_TAIL.fullmatch(u[1:])) and upn_check_letter(u[1:]) != u[0]


@rule("1520", ("UPN",))
def r1520(c: Child, x: Ctx) -> bool:
    return bool(c.upn) and x.upn_counts[c.upn] > 1


@rule("1530", ("UPN",))
def r1530(c: Child, x: Ctx) -> bool:
    """Characters 2-4 must be a post-April 1998 LA code or a recognised pseudo-LA code (2023/24 list)."""
    return len(c.upn) == 13 and c.upn[1:4] not in UPN_LA_CODES


@rule("1540", ("UPN",))
def r1540(c: Child, x: Ctx) -> bool:
    return bool(c.upn) and not (len(c.upn) >= 12 and c.upn[4:12].isdigit() and c.upn[4:12].isascii())


@rule("1550", ("UPN",))
def r1550(c: Child, x: Ctx) -> bool:
    return len(c.upn) == 13 and c.upn[12] not in _CHECK_CHARS


@rule("1560Q", ("FormerUPN",))
def r1560q(c: Child, x: Ctx) -> bool:
    """A former UPN must look like a UPN: a letter, 11 digits, then a digit or a letter (temporary UPN)."""
    return bool(c.former_upn) and not _UPN_FORMAT.fullmatch(c.former_upn)


@rule("4220", ("Ethnicity",))
def r4220(c: Child, x: Ctx) -> bool:
    return c.ethnicity not in ETHNICITIES


@rule("8520", ("PersonBirthDate",))
def r8520(c: Child, x: Ctx) -> bool:
    return c.birth_date is not None and c.birth_date > x.end


@rule("8525Q", ("PersonBirthDate", "ExpectedPersonBirthDate"))
def r8525q(c: Child, x: Ctx) -> bool:
    return (c.birth_date is None) == (c.expected_birth_date is None)


@rule("8530Q", ("ExpectedPersonBirthDate",))
def r8530q(c: Child, x: Ctx) -> bool:
    """Expected date of birth must fall after the 30 days before the reference date and before 9 months after it."""
    e = c.expected_birth_date
    if e is None:
        return False
    return e <= x.reference_date - dt.timedelta(days=30) or e >= add_months(x.reference_date, 9)


@rule("8535Q", ("PersonDeathDate", "PersonBirthDate"))
def r8535q(c: Child, x: Ctx) -> bool:
    """A death date needs a birth date on or before it."""
    return c.death_date is not None and (c.birth_date is None or c.birth_date > c.death_date)


@rule("8545Q", ("PersonDeathDate",))
def r8545q(c: Child, x: Ctx) -> bool:
    return outside_period(c.death_date, x)


@rule("8555Q", ("PersonDeathDate", "CINreferralDate"))
def r8555q(c: Child, x: Ctx) -> bool:
    d = c.death_date
    return d is not None and any(e.referral_date is not None and e.referral_date > d for e in c.episodes)


@rule("8540", ("Disability",))
def r8540(c: Child, x: Ctx) -> bool:
    """A code outside the table; or, for a born child with a referral that went on to further action, no code."""
    if any(d not in DISABILITIES for d in c.disabilities):
        return True
    return not c.disabilities and c.birth_date is not None and any(nfa_false(e) for e in c.episodes)


@rule("8790", ("Disability",))
def r8790(c: Child, x: Ctx) -> bool:
    return "NONE" in c.disabilities and any(d != "NONE" for d in c.disabilities)


@rule("8794", ("Disability",))
def r8794(c: Child, x: Ctx) -> bool:
    return len(set(c.disabilities)) != len(c.disabilities)


@rule("8590", ("LAchildID",))
def r8590(c: Child, x: Ctx) -> bool:
    return not c.episodes


@rule("8772", ("UPNunknown", "ReferralNFA"))
def r8772(c: Child, x: Ctx) -> bool:
    return c.upn_unknown == "UN7" and any(not nfa_true(e) for e in c.episodes)


@rule("8775Q", ("PersonBirthDate", "CINclosureDate"))
def r8775q(c: Child, x: Ctx) -> bool:
    """Over 25 at the reference date with an episode open, or closed after the 25th birthday."""
    b = c.birth_date
    if b is None or b >= x.born_25_years_before:
        return False
    limit = add_months(b, 12 * 25)
    return any(e.closure_date is None or e.closure_date > limit for e in c.episodes)


# --- CINdetails ---------------------------------------------------------------------------------------------


@rule("8600", ("CINreferralDate",))
def r8600(c: Child, x: Ctx) -> bool:
    return any(e.referral_date is None or e.referral_date > x.end for e in c.episodes)


@rule("8606", ("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"))
def r8606(c: Child, x: Ctx) -> bool:
    """Referral more than 40 weeks (280 days) before the date of birth or the expected date of birth."""
    bounds = [d - dt.timedelta(days=280) for d in (c.birth_date, c.expected_birth_date) if d is not None]
    return any(e.referral_date is not None and any(e.referral_date < b for b in bounds) for e in c.episodes)


@rule("8866", ("ReferralSource",))
def r8866(c: Child, x: Ctx) -> bool:
    """Source missing or invalid, for referrals from 1 April 2013."""
    return any(
        e.referral_date is not None
        and e.referral_date >= dt.date(2013, 4, 1)
        and e.referral_source not in REFERRAL_SOURCES
        for e in c.episodes
    )


@rule("8650", ("PrimaryNeedCode",))
def r8650(c: Child, x: Ctx) -> bool:
    return any(e.primary_need and e.primary_need not in PRIMARY_NEEDS for e in c.episodes)


@rule("8610", ("PrimaryNeedCode", "ReferralNFA"))
def r8610(c: Child, x: Ctx) -> bool:
    return any(nfa_false(e) and not e.primary_need for e in c.episodes)


@rule("8568", ("ReferralNFA",))
def r8568(c: Child, x: Ctx) -> bool:
    return any(e.referral_nfa is None for e in c.episodes)


@rule("8569Q", ("CINreferralDate", "ReferralNFA"))
def r8569q(c: Child, x: Ctx) -> bool:
    """A referral dated before the first working day of the year cannot be NFA (nor have NFA missing)."""
    return any(e.referral_date is not None and e.referral_date < x.nfa_cutoff and not nfa_false(e) for e in c.episodes)


@rule("8620", ("CINclosureDate",))
def r8620(c: Child, x: Ctx) -> bool:
    return any(outside_period(e.closure_date, x) for e in c.episodes)


@rule("8630", ("CINclosureDate", "CINreferralDate"))
def r8630(c: Child, x: Ctx) -> bool:
    return any(
        e.closure_date is not None and e.referral_date is not None and e.closure_date < e.referral_date
        for e in c.episodes
    )


@rule("8640", ("ReasonForClosure",))
def r8640(c: Child, x: Ctx) -> bool:
    return any(e.closure_reason and e.closure_reason not in CLOSURE_REASONS for e in c.episodes)


@rule("8805", ("CINclosureDate", "ReasonForClosure"))
def r8805(c: Child, x: Ctx) -> bool:
    return any(e.closure_date is not None and not e.closure_reason for e in c.episodes)


@rule("8810", ("ReasonForClosure", "CINclosureDate"))
def r8810(c: Child, x: Ctx) -> bool:
    return any(e.closure_reason and e.closure_date is None for e in c.episodes)


@rule("8815", ("CINclosureDate",))
def r8815(c: Child, x: Ctx) -> bool:
    return sum(1 for e in c.episodes if e.closure_date is None and nfa_false(e)) > 1


@rule("8816", ("CINreferralDate", "CINclosureDate"))
def r8816(c: Child, x: Ctx) -> bool:
    """An open episode (not an NFA referral) that is not the one with the latest referral date."""
    dated = [e for e in c.episodes if e.referral_date is not None]
    if not dated:
        return False
    latest = max(dated, key=lambda e: e.referral_date or dt.date.min)
    return any(e is not latest and e.closure_date is None and nfa_false(e) for e in dated)


@rule("8820", ("CINreferralDate", "CINclosureDate"))
def r8820(c: Child, x: Ctx) -> bool:
    """An episode starts on or after another's referral and before that one closed (or, if that one is
    open and not an NFA referral, before the reference date)."""
    eps = [e for e in c.episodes if e.referral_date is not None]
    for a in eps:
        for b in eps:
            if a is b or a.referral_date is None or b.referral_date is None or a.referral_date < b.referral_date:
                continue
            if b.closure_date is not None:
                if a.referral_date < b.closure_date:
                    return True
            elif nfa_false(b) and a.referral_date < x.reference_date:
                return True
    return False


@rule("8585Q", ("ReasonForClosure", "PersonDeathDate"))
def r8585q(c: Child, x: Ctx) -> bool:
    return c.death_date is None and any(e.closure_reason == "RC2" for e in c.episodes)


@rule("8825Q", ("ReasonForClosure",))
def r8825q(c: Child, x: Ctx) -> bool:
    return any(e.closure_reason in _RC_AFTER_ASSESSMENT and not e.assessments for e in c.episodes)


@rule("2990", ("ReasonForClosure", "DateOfInitialCPC"))
def r2990(c: Child, x: Ctx) -> bool:
    """Closed after assessment (RC8/RC9) yet a conference, s47, CP plan or CIN plan is recorded."""
    return any(
        e.closure_reason in _RC_AFTER_ASSESSMENT and (e.icpc is not None or e.cp_plans or e.section47s or e.cin_plans)
        for e in c.episodes
    )


@rule("4000", ("ReferralNFA", "CINPlanStartDate"))
def r4000(c: Child, x: Ctx) -> bool:
    return any(nfa_true(e) and e.cin_plans for e in c.episodes)


@rule("8831", ("ReferralNFA", "DateOfInitialCPC", "S47ActualStartDate", "AssessmentActualStartDate"))
def r8831(c: Child, x: Ctx) -> bool:
    """An NFA referral with a conference, an s47 enquiry or an assessment."""
    return any(
        nfa_true(e)
        and (
            e.icpc is not None
            or any(s.start is not None for s in e.section47s)
            or any(a.start is not None or a.authorisation is not None for a in e.assessments)
        )
        for e in c.episodes
    )


@rule("8832", ("ReferralNFA",))
def r8832(c: Child, x: Ctx) -> bool:
    return any(nfa_true(e) and e.cp_plans for e in c.episodes)


@rule("8565", ("CINclosureDate",))
def r8565(c: Child, x: Ctx) -> bool:
    """The episode closed before an activity on it: a conference, an assessment start or sign-off, an s47
    start or conference, a CIN plan start or end, or a CP plan start or end."""
    for e in c.episodes:
        closed = e.closure_date
        if closed is None:
            continue
        dates: list[dt.date | None] = [e.icpc]
        for a in e.assessments:
            dates += (a.start, a.authorisation)
        for s in e.section47s:
            dates += (s.start, s.icpc)
        for p in e.cin_plans:
            dates += (p.start, p.end)
        for cp in e.cp_plans:
            dates += (cp.start, cp.end)
        if any(d is not None and d > closed for d in dates):
            return True
    return False


@rule("2884", ("DateOfInitialCPC",))
def r2884(c: Child, x: Ctx) -> bool:
    """The same initial conference is recorded on a CINdetails module and on a section 47 of the child."""
    at_s47 = {s.icpc for e in c.episodes for s in e.section47s if s.icpc is not None}
    return any(e.icpc is not None and e.icpc in at_s47 for e in c.episodes)


# --- Assessments --------------------------------------------------------------------------------------------


@rule("1103", ("AssessmentActualStartDate", "CINreferralDate"))
def r1103(c: Child, x: Ctx) -> bool:
    return any(
        a.start is not None and e.referral_date is not None and a.start < e.referral_date
        for e in c.episodes
        for a in e.assessments
    )


@rule("8608", ("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def r8608(c: Child, x: Ctx) -> bool:
    """The end of an assessment is its authorisation date."""
    return any(
        a.start is not None and a.authorisation is not None and a.start > a.authorisation
        for e in c.episodes
        for a in e.assessments
    )


@rule("8614", ("AssessmentAuthorisationDate", "AssessmentFactors"))
def r8614(c: Child, x: Ctx) -> bool:
    return any(a.authorisation is None and a.factors for e in c.episodes for a in e.assessments)


@rule("8696", ("AssessmentAuthorisationDate",))
def r8696(c: Child, x: Ctx) -> bool:
    return any(outside_period(a.authorisation, x) for e in c.episodes for a in e.assessments)


@rule("8736", ("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def r8736(c: Child, x: Ctx) -> bool:
    return any(a.authorisation is None and not in_period(a.start, x) for e in c.episodes for a in e.assessments)


@rule("8670Q", ("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def r8670q(c: Child, x: Ctx) -> bool:
    return any(
        a.authorisation is None and a.start is not None and a.start < x.assessment_overdue_before
        for e in c.episodes
        for a in e.assessments
    )


@rule("8863Q", ("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def r8863q(c: Child, x: Ctx) -> bool:
    """Two assessments of one episode overlap (an exact repeat - same start and end - is not an overlap)."""
    return any(
        overlapping(((a.start, a.authorisation, (a.start, a.authorisation)) for a in e.assessments), x.reference_date)
        for e in c.episodes
    )


@rule("8896", ("AssessmentAuthorisationDate",))
def r8896(c: Child, x: Ctx) -> bool:
    return any(sum(1 for a in e.assessments if a.authorisation is None) > 1 for e in c.episodes)


@rule("8867", ("CINclosureDate", "AssessmentAuthorisationDate"))
def r8867(c: Child, x: Ctx) -> bool:
    return any(e.closure_date is not None and any(a.authorisation is None for a in e.assessments) for e in c.episodes)


@rule("8869", ("AssessmentFactors",))
def r8869(c: Child, x: Ctx) -> bool:
    return any("21" in a.factors and len(a.factors) > 1 for e in c.episodes for a in e.assessments)


@rule("8873Q", ("AssessmentFactors", "ReasonForClosure"))
def r8873q(c: Child, x: Ctx) -> bool:
    """The episode's only assessment found no factors (21) but the episode's reason is not RC8 or RC9."""
    return any(
        len(e.assessments) == 1 and "21" in e.assessments[0].factors and e.closure_reason not in _RC_AFTER_ASSESSMENT
        for e in c.episodes
    )


@rule("8897Q", ("AssessmentAuthorisationDate", "AssessmentFactors"))
def r8897q(c: Child, x: Ctx) -> bool:
    """An assessment authorised in the year with no recognised factor code."""
    return any(
        a.authorisation is not None
        and a.authorisation >= x.start
        and not any(f in ASSESSMENT_FACTORS for f in a.factors)
        for e in c.episodes
        for a in e.assessments
    )


@rule("8898", ("AssessmentFactors",))
def r8898(c: Child, x: Ctx) -> bool:
    return any(len(set(a.factors)) != len(a.factors) for e in c.episodes for a in e.assessments)


@rule("2991Q", ("S47ActualStartDate",))
def r2991q(c: Child, x: Ctx) -> bool:
    return any(e.section47s and not e.assessments for e in c.episodes)


# --- CIN plans ----------------------------------------------------------------------------------------------


@rule("4010", ("CINPlanStartDate",))
def r4010(c: Child, x: Ctx) -> bool:
    return any(p.start is None or p.start > x.end for e in c.episodes for p in e.cin_plans)


@rule("4011", ("CINPlanEndDate", "CINPlanStartDate"))
def r4011(c: Child, x: Ctx) -> bool:
    return any(p.start is not None and p.end is not None and p.end < p.start for e in c.episodes for p in e.cin_plans)


@rule("4012Q", ("CINPlanStartDate", "CINPlanEndDate"))
def r4012q(c: Child, x: Ctx) -> bool:
    return any(p.start is not None and p.start == p.end for e in c.episodes for p in e.cin_plans)


@rule("4013", ("CINPlanEndDate",))
def r4013(c: Child, x: Ctx) -> bool:
    return any(outside_period(p.end, x) for e in c.episodes for p in e.cin_plans)


@rule("4014", ("CINPlanStartDate", "CINPlanEndDate"))
def r4014(c: Child, x: Ctx) -> bool:
    """Two CIN plans of the child overlap: one starts on or after another starts and no later than its end."""
    return overlapping(((p.start, p.end, id(p)) for e in c.episodes for p in e.cin_plans), x.reference_date)


@rule("4015", ("CINPlanStartDate", "CINreferralDate"))
def r4015(c: Child, x: Ctx) -> bool:
    return any(
        p.start is not None and e.referral_date is not None and p.start < e.referral_date
        for e in c.episodes
        for p in e.cin_plans
    )


@rule("4004", ("CINPlanEndDate",))
def r4004(c: Child, x: Ctx) -> bool:
    return any(sum(1 for p in e.cin_plans if p.end is None) > 1 for e in c.episodes)


@rule("4008", ("CINPlanStartDate", "PersonDeathDate"))
def r4008(c: Child, x: Ctx) -> bool:
    d = c.death_date
    return d is not None and any(p.start is not None and p.start > d for e in c.episodes for p in e.cin_plans)


@rule("4009Q", ("CINPlanEndDate", "PersonDeathDate"))
def r4009q(c: Child, x: Ctx) -> bool:
    d = c.death_date
    return d is not None and any(p.end is not None and p.end > d for e in c.episodes for p in e.cin_plans)


@rule("4001", ("CINPlanEndDate", "CPPendDate"))
def r4001(c: Child, x: Ctx) -> bool:
    """Within one episode, a CP plan and a CIN plan both without an end date."""
    return any(
        any(cp.end is None for cp in e.cp_plans) and any(p.start is not None and p.end is None for p in e.cin_plans)
        for e in c.episodes
    )


@rule("4003", ("CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"))
def r4003(c: Child, x: Ctx) -> bool:
    """A CP review held while a CIN plan of the child was open (on or after its start, before its end),
    other than a review that ended the CP plan."""
    plans = [(p.start, p.end) for e in c.episodes for p in e.cin_plans if p.start is not None]
    if not plans:
        return False
    for e in c.episodes:
        for cp in e.cp_plans:
            for r in cp.reviews:
                if r is None or r == cp.end:
                    continue
                if any(s <= r and (end is None or r < end) for s, end in plans):
                    return True
    return False


@rule("4016", ("CINPlanStartDate", "CPPstartDate", "CPPendDate"))
def r4016(c: Child, x: Ctx) -> bool:
    """A CIN plan starts while a CP plan of the child is open (on or after its start, before its end)."""
    cps = [(cp.start, cp.end) for e in c.episodes for cp in e.cp_plans if cp.start is not None]
    for e in c.episodes:
        for p in e.cin_plans:
            s = p.start
            if s is None:
                continue
            for cs, ce in cps:
                if cs is not None and s >= cs and (s < ce if ce is not None else s <= x.reference_date):
                    return True
    return False


@rule("4017", ("CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"))
def r4017(c: Child, x: Ctx) -> bool:
    """A CP plan starts while a CIN plan of the child is open (on or after its start, before its end)."""
    plans = [(p.start, p.end) for e in c.episodes for p in e.cin_plans if p.start is not None]
    for e in c.episodes:
        for cp in e.cp_plans:
            s = cp.start
            if s is None:
                continue
            for ps, pe in plans:
                if ps is not None and s >= ps and (s < pe if pe is not None else s <= x.reference_date):
                    return True
    return False


# --- Section 47 ---------------------------------------------------------------------------------------------


@rule("2889", ("S47ActualStartDate", "CINreferralDate"))
def r2889(c: Child, x: Ctx) -> bool:
    return any(
        s.start is not None and e.referral_date is not None and s.start < e.referral_date
        for e in c.episodes
        for s in e.section47s
    )


@rule("1104", ("DateOfInitialCPC", "CINreferralDate"))
def r1104(c: Child, x: Ctx) -> bool:
    return any(
        s.icpc is not None and e.referral_date is not None and s.icpc < e.referral_date
        for e in c.episodes
        for s in e.section47s
    )


@rule("8615", ("S47ActualStartDate", "DateOfInitialCPC"))
def r8615(c: Child, x: Ctx) -> bool:
    return any(s.icpc is not None and (s.start is None or s.start > s.icpc) for e in c.episodes for s in e.section47s)


@rule("8715", ("DateOfInitialCPC",))
def r8715(c: Child, x: Ctx) -> bool:
    return any(outside_period(s.icpc, x) for e in c.episodes for s in e.section47s)


@rule("8740", ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def r8740(c: Child, x: Ctx) -> bool:
    """An enquiry still awaiting its conference at year end (no ICPC, ICPCnotRequired false) must have started
    in the year."""
    return any(
        s.icpc is None and s.icpc_not_required is False and outside_period(s.start, x)
        for e in c.episodes
        for s in e.section47s
    )


@rule("8675Q", ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def r8675q(c: Child, x: Ctx) -> bool:
    return any(
        s.icpc is None and s.icpc_not_required is False and s.start is not None and s.start < x.s47_overdue_before
        for e in c.episodes
        for s in e.section47s
    )


@rule("8839", ("DateOfInitialCPC", "ICPCnotRequired"))
def r8839(c: Child, x: Ctx) -> bool:
    """Two or more enquiries in one episode still open: no conference and not marked 'not required'."""
    return any(
        sum(1 for s in e.section47s if s.icpc is None and s.icpc_not_required is not True) > 1 for e in c.episodes
    )


@rule("8890", ("S47ActualStartDate", "DateOfInitialCPC"))
def r8890(c: Child, x: Ctx) -> bool:
    """Within one episode an enquiry starts on or after another's start and no later than that one's
    conference (or, if that one is still open, the reference date). Exact repeats are not counted."""
    for e in c.episodes:
        spans = []
        for s in e.section47s:
            still_open = s.icpc is None and s.icpc_not_required is not True
            end = s.icpc if s.icpc is not None else (x.reference_date if still_open else dt.date.min)
            spans.append((s.start, end, (s.start, s.icpc)))
        if overlapping(spans, x.reference_date):
            return True
    return False


@rule("8868", ("CINclosureDate", "DateOfInitialCPC", "ICPCnotRequired"))
def r8868(c: Child, x: Ctx) -> bool:
    """A closed episode with an enquiry that neither held a conference nor was marked 'not required' - or
    that did both."""
    return any(
        e.closure_date is not None and any((s.icpc is None) != (s.icpc_not_required is True) for s in e.section47s)
        for e in c.episodes
    )


@rule("8870Q", ("InitialCPCtarget",))
def r8870q(c: Child, x: Ctx) -> bool:
    return any(s.icpc_target is not None and s.icpc_target.weekday() >= 5 for e in c.episodes for s in e.section47s)


@rule("8875", ("DateOfInitialCPC",))
def r8875(c: Child, x: Ctx) -> bool:
    return any(s.icpc is not None and s.icpc.weekday() >= 5 for e in c.episodes for s in e.section47s)


# --- Child protection plans ---------------------------------------------------------------------------------


@rule("1105", ("CPPstartDate", "CINreferralDate"))
def r1105(c: Child, x: Ctx) -> bool:
    return any(
        cp.start is not None and e.referral_date is not None and cp.start < e.referral_date
        for e in c.episodes
        for cp in e.cp_plans
    )


@rule("8720", ("CPPstartDate",))
def r8720(c: Child, x: Ctx) -> bool:
    return any(cp.start is None or cp.start > x.reference_date for e in c.episodes for cp in e.cp_plans)


@rule("8730", ("NumberOfPreviousCPP",))
def r8730(c: Child, x: Ctx) -> bool:
    return any(cp.previous_plans is None or cp.previous_plans < 0 for e in c.episodes for cp in e.cp_plans)


@rule("8905", ("InitialCategoryOfAbuse",))
def r8905(c: Child, x: Ctx) -> bool:
    return any(cp.initial_category not in ABUSE_CATEGORIES for e in c.episodes for cp in e.cp_plans)


@rule("8910", ("LatestCategoryOfAbuse",))
def r8910(c: Child, x: Ctx) -> bool:
    return any(cp.latest_category not in ABUSE_CATEGORIES for e in c.episodes for cp in e.cp_plans)


@rule("8840", ("CPPstartDate", "CPPendDate"))
def r8840(c: Child, x: Ctx) -> bool:
    return any(cp.start is not None and cp.start == cp.end for e in c.episodes for cp in e.cp_plans)


@rule("8925", ("CPPstartDate", "CPPendDate"))
def r8925(c: Child, x: Ctx) -> bool:
    return any(
        cp.start is not None and cp.end is not None and cp.end < cp.start for e in c.episodes for cp in e.cp_plans
    )


@rule("8930", ("CPPendDate",))
def r8930(c: Child, x: Ctx) -> bool:
    return any(outside_period(cp.end, x) for e in c.episodes for cp in e.cp_plans)


@rule("8915", ("CPPstartDate", "PersonDeathDate"))
def r8915(c: Child, x: Ctx) -> bool:
    d = c.death_date
    return d is not None and any(cp.start is not None and cp.start > d for e in c.episodes for cp in e.cp_plans)


@rule("8920", ("CPPendDate", "PersonDeathDate"))
def r8920(c: Child, x: Ctx) -> bool:
    d = c.death_date
    return d is not None and any(cp.end is not None and cp.end > d for e in c.episodes for cp in e.cp_plans)


@rule("8935", ("CPPendDate",))
def r8935(c: Child, x: Ctx) -> bool:
    return sum(1 for e in c.episodes for cp in e.cp_plans if cp.end is None) > 1


@rule("8940", ("CPPstartDate", "CPPendDate"))
def r8940(c: Child, x: Ctx) -> bool:
    """Two CP plans of the child overlap: one starts on or after another starts and no later than its end."""
    return overlapping(((cp.start, cp.end, id(cp)) for e in c.episodes for cp in e.cp_plans), x.reference_date)


@rule("8841", ("CPPreviewDate", "CPPstartDate"))
def r8841(c: Child, x: Ctx) -> bool:
    return any(
        cp.start is not None and any(r is not None and r <= cp.start for r in cp.reviews)
        for e in c.episodes
        for cp in e.cp_plans
    )


@rule("8842Q", ("CPPreviewDate",))
def r8842q(c: Child, x: Ctx) -> bool:
    return any(r is None for e in c.episodes for cp in e.cp_plans for r in cp.reviews)


@rule("2885", ("CPPstartDate", "DateOfInitialCPC"))
def r2885(c: Child, x: Ctx) -> bool:
    """A plan starting in the year must start on the day of an initial conference of its episode: one held
    under an s47 enquiry there (enquiries marked 'ICPC not required' aside) or, with no such enquiry, the
    conference recorded on the CINdetails module."""
    for e in c.episodes:
        s47_dates = [s.icpc for s in e.section47s if s.icpc_not_required is not True]
        for cp in e.cp_plans:
            if not in_period(cp.start, x):
                continue
            if s47_dates:
                if cp.start not in s47_dates:
                    return True
            elif cp.start != e.icpc:
                return True
    return False


_CP = ("cp_plans",)
_S47 = ("section47s",)
_PLAN = ("cin_plans",)
_ASS = ("assessments",)
requires(
    REGISTRY,
    {
        **dict.fromkeys(
            [
                "1105",
                "8720",
                "8730",
                "8905",
                "8910",
                "8840",
                "8925",
                "8930",
                "8935",
                "8940",
                "8841",
                "8842Q",
                "2885",
                "8832",
            ],
            _CP,
        ),
        **dict.fromkeys(
            ["2889", "1104", "8615", "8715", "8740", "8675Q", "8839", "8890", "8868", "8870Q", "8875", "2991Q"], _S47
        ),
        **dict.fromkeys(["4010", "4011", "4012Q", "4013", "4014", "4015", "4004", "4000"], _PLAN),
        **dict.fromkeys(
            [
                "1103",
                "8608",
                "8614",
                "8696",
                "8736",
                "8670Q",
                "8863Q",
                "8896",
                "8867",
                "8869",
                "8873Q",
                "8897Q",
                "8898",
            ],
            _ASS,
        ),
        **dict.fromkeys(["4001", "4003", "4016", "4017"], ("cp_plans", "cin_plans")),
        **dict.fromkeys(["8535Q", "8545Q", "8555Q"], ("death",)),
        **dict.fromkeys(["4008", "4009Q"], ("death", "cin_plans")),
        **dict.fromkeys(["8915", "8920"], ("death", "cp_plans")),
    },
)
assert all(r.years == ALL_YEARS for r in REGISTRY.values())
