"""Builders for the web tests: a child at each stage of the statutory journey, written through the real
services, and helpers to post GOV.UK date fields and to fingerprint the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from safehold.audit.models import AuditEvent
from safehold.casework import services
from safehold.casework.models import (
    ApprovalRequest,
    Assessment,
    CaseNote,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
    CINPlanReview,
    Conference,
    Contact,
    CoreGroup,
    Section47,
    StrategyDiscussion,
    Visit,
)
from safehold.core.testing import allocate, make_child
from safehold.oversight.models import ManagementDecision
from safehold.people.models import Person
from safehold.workforce.models import Allocation

#: Tests run with the clock frozen at midday on this day (a Monday).
TODAY = dt.date(2025, 6, 30)
NOW = dt.datetime(2025, 6, 30, 11, 0, tzinfo=dt.UTC)
REFERRAL = dt.date(2025, 6, 2)


def date_fields(name: str, value: dt.date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


WRITE_MODELS = (
    Contact, CINEpisode, Assessment, Section47, StrategyDiscussion, ChildProtectionPlan, Conference, CoreGroup,
    CINPlan, CINPlanReview, Visit, CaseNote, Allocation, AuditEvent, ApprovalRequest, ManagementDecision,
)
VERSIONED = (Contact, CINEpisode, Assessment, Section47, ChildProtectionPlan, CINPlan, ApprovalRequest)


def fingerprint() -> tuple[int, ...]:
    """Row counts of every table a casework form can write, and the sum of record versions (edits)."""
    counts = [m.objects.count() for m in WRITE_MODELS]
    versions = [int(m.objects.aggregate(v=Sum("version"))["v"] or 0) for m in VERSIONED]  # type: ignore[attr-defined]
    return (*counts, *versions)


@dataclass
class Case:
    child: Person
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def build(stage: str, worker: Any, **child_fields: Any) -> Case:
    """A child allocated to ``worker`` at ``stage`` of the journey (each stage includes the ones before)."""
    child = make_child(**child_fields)
    allocate(child, worker)
    case = Case(child)
    staff = worker.staff
    if stage == "fresh":
        return case
    contact = services.contact_record(
        actor=worker, child=child, received_at=dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC), source="2A",
        summary="School reports bruising",
    )
    case.objects["contact"] = contact
    if stage == "contact":
        return case
    services.contact_decide(
        actor=worker, contact=contact, expected_version=contact.version, outcome="referral", threshold_level="4",
        reason="Level 4: possible significant harm", decided_at=dt.datetime(2025, 6, 2, 12, 0, tzinfo=dt.UTC),
        decided_by=staff,
    )
    if stage == "decided":
        return case
    episode = services.referral_create(actor=worker, child=child, referral_date=REFERRAL, source="2A",
                                       contact=contact)
    case.objects["episode"] = episode
    if stage == "episode":
        return case
    if stage in {"assessment", "completed"}:
        assessment = services.assessment_start(actor=worker, episode=episode, start_date=dt.date(2025, 6, 3),
                                               worker=staff)
        case.objects["assessment"] = assessment
        if stage == "completed":
            services.assessment_complete(
                actor=worker, assessment=assessment, expected_version=assessment.version,
                completed_date=dt.date(2025, 6, 20), factors=["3B"], child_seen=True,
                child_seen_date=dt.date(2025, 6, 4), outcome="cin_plan",
            )
        return case
    if stage == "cin_plan":
        case.objects["cin_plan"] = services.cin_plan_start(actor=worker, episode=episode,
                                                           start_date=dt.date(2025, 6, 5))
        return case
    discussion = services.strategy_discussion_record(
        actor=worker, episode=episode, held_on=dt.date(2025, 6, 4), start_section47=True, decision="Start s47"
    )
    s47 = discussion.section47
    assert s47 is not None
    case.objects["s47"] = s47
    if stage == "s47":
        return case
    conference = services.icpc_record(
        actor=worker, section47=s47, held_on=dt.date(2025, 6, 16), plan=True, initial_category="PHY"
    )
    case.objects["cp_plan"] = conference.plan
    if stage == "cp_plan":
        return case
    raise ValueError(stage)
