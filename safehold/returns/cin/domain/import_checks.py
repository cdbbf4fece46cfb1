"""What a census must satisfy before it may be written into the record.

These are the invariants the casework services and models enforce (a child's record must always be
something a social worker could have recorded through Safehold), checked up front for the whole file so
an import reports every problem at once and writes nothing. They are stricter than the DfE rules in some
places (a code outside the table is refused, not merely flagged) and say nothing of the DfE queries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from safehold.core.identifiers import is_valid_la_child_id, is_valid_upn
from safehold.returns.cin.domain.census import Census, Child
from safehold.returns.cin.domain.codes import (
    ABUSE_CATEGORIES,
    ASSESSMENT_FACTORS,
    CLOSURE_REASONS,
    DISABILITIES,
    ETHNICITIES,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    SEXES,
    UPN_UNKNOWN,
)


def import_problems(census: Census, *, today: dt.date) -> list[str]:
    """Every reason the census cannot be imported, each naming the child and the field."""
    out = [str(p) for p in census.problems]
    h = census.header
    if h.collection != "CIN":
        out.append(f"Header: Collection: '{h.collection}' is not CIN")
    if h.year is None or h.reference_date is None:
        out.append("Header: Year and ReferenceDate must both be given")
    ids = Counter(c.la_child_id for c in census.children)
    for c in census.children:
        out.extend(_child(c, ids, today))
    return out


def _child(c: Child, ids: Counter[str], today: dt.date) -> list[str]:
    who = f"Child {c.la_child_id}" if c.la_child_id else "A child with no LAchildID"
    out: list[str] = []

    def bad(field: str, message: str) -> None:
        out.append(f"{who}: {field}: {message}")

    if not c.la_child_id:
        bad("LAchildID", "is missing")
    elif not is_valid_la_child_id(c.la_child_id):
        bad("LAchildID", f"'{c.la_child_id}' must be 1 to 20 letters and digits")
    elif ids[c.la_child_id] > 1:
        bad("LAchildID", "appears on more than one child in the file")
    if c.sex not in SEXES:
        bad("Sex", f"'{c.sex}' is not M, F or U")
    if c.ethnicity not in ETHNICITIES:
        bad("Ethnicity", f"'{c.ethnicity}' is not an ethnicity code")
    for code in c.disabilities:
        if code not in DISABILITIES:
            bad("Disability", f"'{code}' is not a disability code")
    if len(set(c.disabilities)) != len(c.disabilities):
        bad("Disability", "the same code is given twice")
    for field, value in (("UPN", c.upn), ("FormerUPN", c.former_upn)):
        if value and not is_valid_upn(value):
            bad(field, f"'{value}' is not a valid UPN (13 characters with a correct check letter)")
    if c.upn_unknown and c.upn_unknown not in UPN_UNKNOWN:
        bad("UPNunknown", f"'{c.upn_unknown}' is not a UPN-unknown reason")
    if c.upn and c.upn_unknown:
        bad("UPNunknown", "give either a UPN or a reason it is unknown, not both")
    if c.birth_date is None and c.expected_birth_date is None:
        bad("PersonBirthDate", "a date of birth or an expected date of birth is needed")
    if c.birth_date is None and c.expected_birth_date is not None and c.sex != "U":
        bad("Sex", "an unborn child's sex must be U")
    if c.death_date and c.birth_date and c.death_date < c.birth_date:
        bad("PersonDeathDate", "is before the date of birth")
    for label, day in (("PersonBirthDate", c.birth_date), ("PersonDeathDate", c.death_date)):
        if day is not None and day > today:
            bad(label, f"{day} is in the future")

    open_episodes = 0
    previous_close: dt.date | None = None
    for n, e in enumerate(sorted(c.episodes, key=lambda e: e.referral_date or dt.date.min), start=1):
        where = f"CINdetails {n}"

        def ebad(field: str, message: str, where: str = where) -> None:
            bad(f"{where} {field}", message)

        if e.referral_date is None:
            ebad("CINreferralDate", "is missing")
            continue
        if e.referral_date > today:
            ebad("CINreferralDate", f"{e.referral_date} is in the future")
        if previous_close is not None and e.referral_date < previous_close:
            ebad("CINreferralDate", "this episode starts before the previous one closed")
        if e.referral_source not in REFERRAL_SOURCES:
            ebad("ReferralSource", f"'{e.referral_source}' is not a referral source code")
        if e.primary_need and e.primary_need not in PRIMARY_NEEDS:
            ebad("PrimaryNeedCode", f"'{e.primary_need}' is not a primary need code")
        if e.referral_nfa is None:
            ebad("ReferralNFA", "is missing")
        if e.closure_reason and e.closure_reason not in CLOSURE_REASONS:
            ebad("ReasonForClosure", f"'{e.closure_reason}' is not a reason for closure")
        if (e.closure_date is None) != (not e.closure_reason):
            ebad("CINclosureDate", "a closure date and a reason for closure go together")
        if e.closure_date is not None:
            if e.closure_date < e.referral_date:
                ebad("CINclosureDate", "is before the referral date")
            if e.closure_date > today:
                ebad("CINclosureDate", f"{e.closure_date} is in the future")
            previous_close = e.closure_date
        else:
            open_episodes += 1
            previous_close = dt.date.max
        if e.closure_reason in ("RC8", "RC9") and not e.assessments:
            ebad("ReasonForClosure", "'closed after assessment' needs an assessment on the episode")
        for a in e.assessments:
            if a.start is None:
                ebad("AssessmentActualStartDate", "is missing")
                continue
            done = a.internal_review or a.authorisation
            if done is not None and done < a.start:
                ebad("AssessmentInternalReviewDate", "the assessment ends before it started")
            if a.authorisation is not None and a.internal_review is not None and a.authorisation < a.internal_review:
                ebad("AssessmentAuthorisationDate", "sign-off is before the assessment was completed")
            for f in a.factors:
                if f not in ASSESSMENT_FACTORS:
                    ebad("AssessmentFactors", f"'{f}' is not an assessment factor code")
            if "21" in a.factors and len(a.factors) > 1:
                ebad("AssessmentFactors", "'21 No factors identified' cannot be combined with other factors")
            if len(set(a.factors)) != len(a.factors):
                ebad("AssessmentFactors", "the same factor is given twice")
        for p in e.cin_plans:
            if p.start is None:
                ebad("CINPlanStartDate", "is missing")
            elif p.end is not None and p.end < p.start:
                ebad("CINPlanEndDate", "is before the plan started")
        for s in e.section47s:
            if s.start is None:
                ebad("S47ActualStartDate", "is missing")
            elif s.icpc is not None and s.icpc < s.start:
                ebad("DateOfInitialCPC", "the conference is before the enquiry started")
            if s.icpc is not None and s.icpc_not_required:
                ebad("ICPCnotRequired", "a conference date is given for an enquiry marked 'ICPC not required'")
        for cp in e.cp_plans:
            if cp.start is None:
                ebad("CPPstartDate", "is missing")
                continue
            if cp.end is not None and cp.end <= cp.start:
                ebad("CPPendDate", "a plan must end after the day it started")
            for field, value in (
                ("InitialCategoryOfAbuse", cp.initial_category),
                ("LatestCategoryOfAbuse", cp.latest_category),
            ):
                if value not in ABUSE_CATEGORIES:
                    ebad(field, f"'{value}' is not a category of abuse")
            for r in cp.reviews:
                if r is None:
                    ebad("CPPreviewDate", "a review has no date")
                elif r <= cp.start:
                    ebad("CPPreviewDate", "a review must be after the plan started")
        dates = [e.icpc] + [d for a in e.assessments for d in (a.start, a.internal_review, a.authorisation)]
        dates += [d for p in e.cin_plans for d in (p.start, p.end)]
        dates += [d for s in e.section47s for d in (s.start, s.icpc)]
        dates += [d for cp in e.cp_plans for d in (cp.start, cp.end, *cp.reviews)]
        if any(d is not None and d > today for d in dates):
            ebad("dates", "a date on this episode is in the future")
    if open_episodes > 1:
        bad("CINclosureDate", "more than one episode is open; a child has at most one open episode")
    return out
