"""Reads about children in care, private fostering, missing episodes and care leavers.

``child_summary`` is what the child's record shows (``looked_after/_child_summary.html``); lists start from
``Person.objects.visible_to(user)`` so a child the user may not see never appears.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from safehold.core import clock
from safehold.looked_after.eligibility import CareSpan, Eligibility, care_leaver_eligibility
from safehold.looked_after.models import (
    CareEpisode,
    CareLeaver,
    CareLeaverContact,
    LACReview,
    LeavingCareAccommodation,
    MissingEpisode,
    PathwayPlanReview,
    PeriodOfCare,
    PrivateFostering,
)
from safehold.people.models import Person

#: Repeated missing: three or more episodes starting in the last 90 days (a local standard, commonly used
#: with the DfE 2014 statutory guidance on children who go missing from home or care).
REPEAT_MISSING_COUNT = 3
REPEAT_MISSING_DAYS = 90


def current_period(*, child: Person) -> PeriodOfCare | None:
    return PeriodOfCare.objects.filter(child=child, end_date__isnull=True).first()


def current_episode(*, child: Person) -> CareEpisode | None:
    return CareEpisode.objects.filter(child=child, end_date__isnull=True).first()


def open_private_fostering(*, child: Person) -> PrivateFostering | None:
    return PrivateFostering.objects.filter(child=child, arrangement_end__isnull=True).select_related("carer").first()


def private_fostering_for(*, child: Person, pk: int) -> PrivateFostering:
    from django.http import Http404

    arrangement = PrivateFostering.objects.filter(child=child, pk=pk).select_related("carer").first()
    if arrangement is None:
        raise Http404("No such arrangement")
    return arrangement


def has_care_leaver_record(*, child: Person) -> bool:
    return CareLeaver.objects.filter(child=child).exists()


def open_accommodation(*, child: Person) -> LeavingCareAccommodation | None:
    """The accommodation the council provides for the care leaver now, if any."""
    return LeavingCareAccommodation.objects.filter(child=child, provided_until__isnull=True).first()


def accommodation_for(*, child: Person, pk: int) -> LeavingCareAccommodation:
    from django.http import Http404

    spell = LeavingCareAccommodation.objects.filter(child=child, pk=pk).first()
    if spell is None:
        raise Http404("No such accommodation")
    return spell


def missing_episode_for(*, child: Person, pk: int) -> MissingEpisode:
    from django.http import Http404

    episode = MissingEpisode.objects.filter(child=child, pk=pk).first()
    if episode is None:
        raise Http404("No such missing episode")
    return episode


def open_missing(*, child: Person) -> MissingEpisode | None:
    return MissingEpisode.objects.filter(child=child, returned_at__isnull=True).first()


def awaiting_interview(*, child: Person) -> MissingEpisode | None:
    return MissingEpisode.objects.filter(child=child, returned_at__isnull=False, rhi_at__isnull=True).first()


def missing_count_recent(*, child: Person, today: dt.date | None = None) -> int:
    since = (today or clock.today()) - dt.timedelta(days=REPEAT_MISSING_DAYS)
    return MissingEpisode.objects.filter(child=child, started_at__date__gt=since).count()


def repeatedly_missing(*, child: Person, today: dt.date | None = None) -> bool:
    """Three or more missing or away episodes in the last 90 days."""
    return missing_count_recent(child=child, today=today) >= REPEAT_MISSING_COUNT


def children_repeatedly_missing(*, user: Any, today: dt.date | None = None) -> QuerySet[Any]:
    """For team lists: the children the user may see who went missing 3+ times in the last 90 days."""
    since = (today or clock.today()) - dt.timedelta(days=REPEAT_MISSING_DAYS)
    return (
        Person.objects.visible_to(user)
        .children()
        .annotate(recent_missing=Count("missing_episodes", filter=Q(missing_episodes__started_at__date__gt=since)))
        .filter(recent_missing__gte=REPEAT_MISSING_COUNT)
        .order_by("family_name", "given_name")
    )


def care_spans(*, child: Person) -> list[CareSpan]:
    return [
        CareSpan(start, end, status)
        for start, end, status in CareEpisode.objects.filter(child=child)
        .order_by("start_date", "pk")
        .values_list("start_date", "end_date", "legal_status")
    ]


def eligibility_for(*, child: Person, on: dt.date | None = None) -> Eligibility:
    """The leaving-care category derived from the child's care history, with the reasons."""
    if child.date_of_birth is None:
        return Eligibility(None, ("The date of birth is not recorded",))
    return care_leaver_eligibility(
        date_of_birth=child.date_of_birth, spans=care_spans(child=child), on=on or clock.today()
    )


@dataclass
class ChildSummary:
    """What the child's record shows about care, private fostering, missing and leaving care."""

    child: Person
    period: PeriodOfCare | None = None
    episode: CareEpisode | None = None
    last_review: LACReview | None = None
    private_fostering: PrivateFostering | None = None
    missing_now: MissingEpisode | None = None
    awaiting_interview: MissingEpisode | None = None
    missing_recent: int = 0
    repeat_missing: bool = False
    care_leaver: CareLeaver | None = None
    eligibility: Eligibility | None = None
    last_pathway_review: PathwayPlanReview | None = None
    last_leaver_contact: CareLeaverContact | None = None
    accommodation: LeavingCareAccommodation | None = None
    ever_in_care: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_anything(self) -> bool:
        return bool(
            self.period or self.private_fostering or self.missing_recent or self.care_leaver or self.ever_in_care
            or self.missing_now or self.awaiting_interview
        )


def child_summary(*, child: Person) -> ChildSummary:
    summary = ChildSummary(child=child)
    summary.period = current_period(child=child)
    summary.episode = current_episode(child=child)
    summary.ever_in_care = summary.period is not None or PeriodOfCare.objects.filter(child=child).exists()
    if summary.period is not None:
        summary.last_review = LACReview.objects.filter(period=summary.period).first()
    summary.private_fostering = open_private_fostering(child=child)
    summary.missing_now = open_missing(child=child)
    summary.awaiting_interview = awaiting_interview(child=child)
    summary.missing_recent = missing_count_recent(child=child)
    summary.repeat_missing = summary.missing_recent >= REPEAT_MISSING_COUNT
    summary.care_leaver = CareLeaver.objects.filter(child=child).select_related("personal_adviser").first()
    if summary.ever_in_care:
        summary.eligibility = eligibility_for(child=child)
        summary.last_pathway_review = PathwayPlanReview.objects.filter(child=child).first()
        summary.last_leaver_contact = CareLeaverContact.objects.filter(child=child).first()
        summary.accommodation = open_accommodation(child=child)
    return summary
