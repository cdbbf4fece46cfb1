"""Early help test builders: everything written through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum

from safehold.audit.models import AuditEvent
from safehold.casework import services as casework
from safehold.casework.models import CINEpisode, Contact
from safehold.core.services import service
from safehold.core.testing import make_user
from safehold.early_help import services
from safehold.early_help.models import (
    Consent,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EpisodeChild,
    FamilyGoal,
    GoalProgress,
    PartnerOrganisation,
    Review,
    TAFMember,
)
from safehold.frontend.tests.journey import Case, build

DECIDED = dt.datetime(2025, 6, 2, 12, 0, tzinfo=dt.UTC)
OPENED = dt.date(2025, 6, 3)


def early_help_contact(worker: Any) -> Case:
    case = build("contact", worker)
    contact = case["contact"]
    casework.contact_decide(
        actor=worker, contact=contact, expected_version=contact.version, outcome="early_help", threshold_level="2",
        reason="Level 2: school attendance falling, parent asks for help", decided_at=DECIDED,
        decided_by=worker.staff,
    )
    return case


@service
def _org(name: str) -> PartnerOrganisation:
    return PartnerOrganisation.objects.get_or_create(name=name, defaults={"kind": "school"})[0]


def organisation(name: str = "Oak Primary School") -> PartnerOrganisation:
    return _org(name)


def partner_lead(name: str = "Oak Primary School") -> Any:
    user = make_user(role="partner")
    services.membership_set(actor=None, user=user, organisation=organisation(name))
    return user


def open_episode(worker: Any, *, lead_user: Any = None, consent: bool = True) -> tuple[Case, EarlyHelpEpisode]:
    case = early_help_contact(worker)
    episode = services.early_help_open_from_contact(actor=worker, contact=case["contact"], opened_on=OPENED,
                                                    lead_user=lead_user)
    if consent:
        services.consent_record(actor=worker, episode=episode, given_by="Jo Parent (mother)", given_on=OPENED,
                                scopes=["lead", "team"])
    return case, episode


def assessed(worker: Any, **kw: Any) -> tuple[Case, EarlyHelpEpisode]:
    case, episode = open_episode(worker, **kw)
    a = services.assessment_start(actor=worker, episode=episode, start_date=OPENED, organisation=organisation())
    services.assessment_complete(actor=worker, assessment=a, expected_version=a.version,
                                 completed_date=dt.date(2025, 6, 20), needs="Attendance; parenting support")
    services.goal_add(actor=worker, episode=episode, text="Sam goes to school every day")
    services.taf_member_add(actor=worker, episode=episode, name="Ms Head", agency="Oak Primary School")
    return case, episode


WRITE_MODELS = (EarlyHelpEpisode, EpisodeChild, Consent, EarlyHelpAssessment, FamilyGoal, TAFMember, Review,
                GoalProgress, Contact, CINEpisode, AuditEvent)


def fingerprint() -> tuple[int, ...]:
    counts = [m.objects.count() for m in WRITE_MODELS]
    versions = [int(m.objects.aggregate(v=Sum("version"))["v"] or 0)  # type: ignore[attr-defined]
                for m in (EarlyHelpEpisode, EarlyHelpAssessment, Contact)]
    return (*counts, *versions)
