"""Early help reads. Every selector starts from ``EarlyHelpEpisode.objects.visible_to(user)``; an episode the
user may not see is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404

from safehold.casework.models import CINEpisode
from safehold.core import clock
from safehold.early_help import domain
from safehold.early_help.choices import ClosureOutcome, ConsentScope
from safehold.early_help.models import EarlyHelpAssessment, EarlyHelpEpisode, EpisodeChild
from safehold.early_help.policies import is_partner, partner_limited
from safehold.early_help.services import current_scopes
from safehold.people.models import Household, Person


def episode_for(*, user: Any, pk: int) -> EarlyHelpEpisode:
    episode = (
        EarlyHelpEpisode.objects.visible_to(user)
        .select_related("household", "lead_staff", "lead_user", "lead_organisation")
        .filter(pk=pk)
        .first()
    )
    if episode is None:
        raise Http404("No such early help episode")
    return episode


def child_ids(episode: EarlyHelpEpisode) -> list[int]:
    return list(episode.children.order_by("pk").values_list("child_id", flat=True))


def _facts(episode: EarlyHelpEpisode) -> domain.EpisodeFacts:
    assessments = sorted(episode.assessments.all(), key=lambda a: (a.start_date, a.pk))
    return domain.EpisodeFacts(
        episode_id=episode.pk,
        closed_on=episode.closed_on,
        review_dates=tuple(r.held_on for r in episode.reviews.all()),
        assessments=tuple((a.start_date, a.completed_date) for a in assessments),
    )


def deadlines_for(episodes: list[EarlyHelpEpisode]) -> list[domain.Due]:
    """The same clocks the timescales engine materialises for the family's children (its local amounts too)."""
    from safehold.timescales.services import context

    ctx = context()
    out: list[domain.Due] = []
    for episode in episodes:
        out += domain.deadlines(_facts(episode), ctx.calendar, ctx.rules)
    return out


@dataclass
class EpisodeView:
    episode: EarlyHelpEpisode
    limited: bool
    scopes: set[str]
    due: list[domain.Due]
    can_see_social_care: bool
    latest_scores: dict[int, int] = field(default_factory=dict)
    withdrawn: list[str] = field(default_factory=list)  # labels of sharing withdrawn and not given again

    @property
    def lead_withdrawn(self) -> bool:
        return str(ConsentScope.LEAD.label) in self.withdrawn


def episode_view(*, user: Any, episode: EarlyHelpEpisode) -> EpisodeView:
    scopes = current_scopes(episode)
    latest = episode.reviews.order_by("-held_on", "-pk").first()
    withdrawn: set[str] = set()
    for consent in episode.consents.all():
        withdrawn |= consent.withdrawn
    return EpisodeView(
        episode=episode,
        limited=partner_limited(user, scopes),
        scopes=scopes,
        due=[d for d in deadlines_for([episode]) if d.open],
        can_see_social_care=not is_partner(user),
        latest_scores={p.goal_id: p.score for p in latest.progress.all()} if latest else {},
        withdrawn=[str(label) for code, label in ConsentScope.choices if code in withdrawn - scopes],
    )


@dataclass
class ChildRow:
    child: Person
    early_help: list[EarlyHelpEpisode]
    social_care: list[CINEpisode] | None  # None: this user may not see the child's social-care record


@dataclass
class FamilyView:
    household: Household
    members: list[Any]
    children: list[ChildRow]
    episodes: list[EarlyHelpEpisode]
    due: list[domain.Due]
    limited: bool


def family_view(*, user: Any, household_pk: int) -> FamilyView:
    """The household's members, each child's episodes across early help and social care, the lead practitioner.

    A partner sees only the episode they lead, and no social-care episode; staff see social-care episodes
    only for children they may see under the people visibility rules.
    """
    episodes = list(
        EarlyHelpEpisode.objects.visible_to(user).filter(household_id=household_pk)
        .select_related("household", "lead_staff", "lead_user", "lead_organisation")
        .prefetch_related("assessments", "reviews")
        .order_by("-opened_on")
    )
    if not episodes:
        raise Http404("No such family")
    household = episodes[0].household
    limited = is_partner(user) and all(partner_limited(user, current_scopes(e)) for e in episodes)
    members = list(household.members.filter(end_date__isnull=True).select_related("person").order_by("pk"))
    links = EpisodeChild.objects.filter(episode__in=episodes).select_related("child")
    kids: dict[int, Person] = {}
    by_child: dict[int, list[EarlyHelpEpisode]] = {}
    for link in links:
        kids[link.child_id] = link.child
        by_child.setdefault(link.child_id, []).append(next(e for e in episodes if e.pk == link.episode_id))
    if not is_partner(user):
        for m in members:
            if m.person.is_child_record:
                kids.setdefault(m.person_id, m.person)
    visible = set(Person.objects.visible_to(user).filter(pk__in=kids).values_list("pk", flat=True))
    cin_by_child: dict[int, list[CINEpisode]] = {}
    for cin in CINEpisode.objects.filter(child_id__in=visible).order_by("-referral_date"):
        cin_by_child.setdefault(cin.child_id, []).append(cin)
    rows = [
        ChildRow(child=kids[pk], early_help=by_child.get(pk, []),
                 social_care=cin_by_child.get(pk, []) if pk in visible else None)
        for pk in sorted(kids)
    ]
    if limited:
        members = [m for m in members if m.person_id in kids]
    due = [d for d in deadlines_for([e for e in episodes if e.is_open]) if d.open]
    return FamilyView(household=household, members=members, children=rows, episodes=episodes, due=due,
                      limited=limited)


@dataclass
class WorklistRow:
    episode: EarlyHelpEpisode
    due: domain.Due


def worklist(*, user: Any, today: dt.date | None = None) -> list[WorklistRow]:
    """Open early help deadlines across the episodes the user may see, soonest first."""
    episodes = list(
        EarlyHelpEpisode.objects.visible_to(user).open()
        .select_related("household", "lead_staff", "lead_user", "lead_organisation")
        .prefetch_related("assessments", "reviews")
    )
    by_pk = {e.pk: e for e in episodes}
    rows = [WorklistRow(by_pk[d.episode_id], d) for d in deadlines_for(episodes) if d.open]
    return sorted(rows, key=lambda r: (r.due.due, r.episode.pk))


def step_up_measure(*, closed_from: dt.date, closed_to: dt.date) -> domain.StepUpMeasure:
    """Of early help episodes closed in the period (other than by step-up), how many had a child referred
    to social care within 12 months of closing (aggregate: no child is named)."""
    episodes = list(
        EarlyHelpEpisode.objects.filter(closed_on__gte=closed_from, closed_on__lte=closed_to)
        .exclude(closure_outcome=ClosureOutcome.STEPPED_UP)
        .prefetch_related("children")
    )
    ids = {link.child_id for e in episodes for link in e.children.all()}
    referrals: dict[int, list[dt.date]] = {}
    for child_id, day in CINEpisode.objects.filter(child_id__in=ids).values_list("child_id", "referral_date"):
        referrals.setdefault(child_id, []).append(day)
    return domain.step_ups_after_closure(
        domain.ClosedEpisode(
            episode_id=e.pk,
            closed_on=e.closed_on or e.opened_on,
            later_referrals=tuple(d for link in e.children.all() for d in referrals.get(link.child_id, [])),
        )
        for e in episodes
    )


@dataclass(frozen=True)
class AnnexAList2Row:
    """One row of Annex A list 2 (early help): the common child columns come from ``person_id``."""

    person_id: int
    child_id: str
    assessment_start: dt.date | None
    assessment_completed: dt.date | None
    organisation: str


def open_on_q(day: dt.date, prefix: str = "") -> Q:
    """Episodes open on ``day``: opened on or before it and not closed by then (one closed later was open)."""
    return Q(**{f"{prefix}opened_on__lte": day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


def annex_a_list2(*, inspection_date: dt.date | None = None, months: int = 6) -> list[AnnexAList2Row]:
    """Annex A list 2 as at ``inspection_date`` (a past date gives the list as it stood then).

    * every early help assessment in the ``months`` before: started in the window, or started earlier and
      completed in it (whether or not the episode is still open);
    * plus current LA-coordinated early help: each episode open on the date (a later closure does not count)
      that no such assessment covers, with its latest assessment started by then, or none.

    One row per child per assessment; a completion after the date is left for the caller to blank. Reads only
    the columns it needs (no child or episode objects). Aggregate, whole-LA derivation for the inspection pack:
    the caller is responsible for authorising it.
    """
    from safehold.timescales.domain.periods import add_months

    today = inspection_date or clock.today()
    since = add_months(today, -months)
    columns = ("pk", "episode_id", "start_date", "completed_date", "organisation__name")
    in_window = list(
        EarlyHelpAssessment.objects.filter(start_date__lte=today)
        .filter(Q(start_date__gte=since) | Q(completed_date__gte=since, completed_date__lte=today))
        .order_by("start_date", "pk")
        .values_list(*columns)
    )
    covered = {row[1] for row in in_window}
    current = dict(
        EarlyHelpEpisode.objects.filter(open_on_q(today)).exclude(pk__in=covered)
        .values_list("pk", "lead_organisation__name")
    )
    latest: dict[int, tuple[Any, ...]] = {}
    for row in (
        EarlyHelpAssessment.objects.filter(episode_id__in=list(current), start_date__lte=today)
        .order_by("start_date", "pk")
        .values_list(*columns)
    ):
        latest[row[1]] = row  # the last one started by the date
    episodes = covered | set(current)
    children: dict[int, list[tuple[int, str]]] = {}
    for episode_id, person_id, la_id in (
        EpisodeChild.objects.filter(episode_id__in=list(episodes))
        .order_by("child_id")
        .values_list("episode_id", "child_id", "child__la_child_id")
    ):
        children.setdefault(episode_id, []).append((person_id, la_id or str(person_id)))
    rows: list[AnnexAList2Row] = []
    for _pk, episode_id, start, completed, org in [*in_window, *sorted(latest.values(), key=lambda r: (r[2], r[0]))]:
        for person_id, la_id in children.get(episode_id, []):
            rows.append(AnnexAList2Row(person_id, la_id, start, completed, org or ""))
    for episode_id in sorted(set(current) - set(latest)):
        for person_id, la_id in children.get(episode_id, []):
            rows.append(AnnexAList2Row(person_id, la_id, None, None, current[episode_id] or ""))
    return rows


@dataclass(frozen=True)
class ChronologyEntry:
    on: dt.date
    title: str
    detail: str


def chronology_entries(*, child: Person) -> list[ChronologyEntry]:
    """Early help events for a child's chronology: opened (incl. step-down), assessment, closure (incl. step-up).
    The caller has already decided the user may see the child's record."""
    out: list[ChronologyEntry] = []
    for link in EpisodeChild.objects.filter(child=child).select_related("episode"):
        e = link.episode
        title = "Stepped down to early help" if e.stepped_down_from_id else "Early help started"
        out.append(ChronologyEntry(e.opened_on, title, f"Lead practitioner: {e.lead_label}"))
        for a in e.assessments.all():
            out.append(ChronologyEntry(a.start_date, "Early help assessment started", a.organisation.name))
        if e.closed_on:
            title = "Stepped up to social care" if e.stepped_up_to_id else "Early help closed"
            out.append(ChronologyEntry(e.closed_on, title, e.get_closure_outcome_display()))
    return sorted(out, key=lambda x: x.on, reverse=True)
