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
REPEAT_MISSING_SOURCE = (
    "Local threshold: 3 or more missing or away episodes starting in the last 90 days; DfE statutory guidance on "
    "children who run away or go missing from home or care (2014) asks councils to identify repeat missing"
)


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


def recent_missing_since(today: dt.date | None = None) -> dt.date:
    """The day before the 90 days in which missing episodes count as recent."""
    return (today or clock.today()) - dt.timedelta(days=REPEAT_MISSING_DAYS)


def missing_started_after(since: dt.date) -> QuerySet[MissingEpisode]:
    return MissingEpisode.objects.filter(started_at__date__gt=since)


def recent_missing(today: dt.date | None = None) -> QuerySet[MissingEpisode]:
    """Missing or away episodes that started in the last 90 days (of any child: filter by child)."""
    return missing_started_after(recent_missing_since(today))


def missing_count_recent(*, child: Person, today: dt.date | None = None) -> int:
    return recent_missing(today).filter(child=child).count()


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


# --- adoption and permanence (M10) --------------------------------------------------------------------------

#: Reasons a period of care ends in a special guardianship order (903 REC E45-E48).
SGO_REASONS = ("E45", "E46", "E47", "E48")
FOSTER_PLACEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6")


@dataclass
class Permanence:
    """What the adoption and permanence page shows: the journeys, the open one, any special guardianship
    order that ended care, and the timeliness of the latest journey (A1, A2, A10)."""

    journeys: list[Any]
    open_journey: Any | None
    latest: Any | None
    entered_care: dt.date | None
    sgo: CareEpisode | None
    measures: list[Any]


def _entered_care_for(child: Person, day: dt.date | None) -> dt.date | None:
    periods = PeriodOfCare.objects.filter(child=child).order_by("-start_date")
    if day is not None:
        periods = periods.filter(start_date__lte=day)
    return periods.values_list("start_date", flat=True).first()


def permanence_for(*, child: Person) -> Permanence:
    from safehold.looked_after.models import AdoptionJourney
    from safehold.looked_after.permanence import timeliness

    journeys = list(AdoptionJourney.objects.filter(child=child).order_by("-decision_date", "-pk"))
    open_journey = next((j for j in journeys if j.adoption_order_date is None and j.ceased_date is None), None)
    latest = open_journey or (journeys[0] if journeys else None)
    entered = _entered_care_for(child, latest.placed_date or latest.decision_date if latest else None)
    foster_start = None
    if latest is not None and latest.adopted_by_foster_carer and latest.placed_date:
        foster_start = (
            CareEpisode.objects.filter(child=child, start_date__lt=latest.placed_date,
                                       placement_type__in=FOSTER_PLACEMENTS)
            .order_by("-start_date")
            .values_list("start_date", flat=True)
            .first()
        )
    measures = timeliness(
        entered_care=entered,
        placement_order=latest.placement_order_date if latest else None,
        matched=latest.matched_date if latest else None,
        placed=latest.placed_date if latest else None,
        moved_in_with_foster_carer=foster_start,
    ) if latest is not None else []
    sgo = CareEpisode.objects.filter(child=child, reason_ceased__in=SGO_REASONS).order_by("-end_date").first()
    return Permanence(journeys, open_journey, latest, entered, sgo, measures)
