"""Reading the record into SSDA903 rows for one collection year (STATUTE.md §7).

What goes in the return for the year 1 April ``year - 1`` to 31 March ``year``:

* Episodes: every care episode overlapping the year; an end after 31 March is not reported (open).
* Header: every child with an episode in the year or a care leaver contact (OC3) in the year.
* Reviews / Missing: those held / starting in the year; UASC: UASC children whose status ended in the year
  (or had not ended).
* OC2: children continuously looked after for 12 months at 31 March, from health checks, SDQ and the
  year's outcomes; OC3: the latest care leaver contact in the year, for children not in care.
* AD1: adoptions in the year (an episode ending E11/E12); PlacedAdoption: decisions to place for
  adoption in force during the year; PrevPerm: previous permanence of children starting care in the year.
* SWEpisodes: the child's named-worker allocations overlapping the year; DoLo (2026/27): not held in
  Safehold yet, so the table is empty.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from safehold.looked_after.models import (
    AdoptionJourney,
    AnnualOutcome,
    CareEpisode,
    CareLeaverContact,
    HealthCheck,
    LACReview,
    MissingEpisode,
    PreviousPermanence,
    SDQAssessment,
)
from safehold.people.models import Person, Relationship
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.dates import CollectionYear, add_years, fmt
from safehold.workforce.models import Allocation

LONDON = ZoneInfo("Europe/London")
SHORT_BREAKS = frozenset({"V3", "V4"})


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(LONDON).date() if value is not None else None


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def ssda903_return(*, year: int) -> t.Return903:
    """The SSDA903 return for the collection year ending 31 March ``year``, from the record."""
    cy = CollectionYear(year)
    start, end = cy.start, cy.end

    episodes = list(
        CareEpisode.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("child")
        .order_by("child__la_child_id", "start_date", "id")
    )
    contacts: dict[int, CareLeaverContact] = {}
    for c in CareLeaverContact.objects.filter(contacted_on__range=(start, end)).order_by("contacted_on", "id"):
        contacts[c.child_id] = c

    child_ids = {e.child_id for e in episodes} | set(contacts)
    children = {
        p.pk: p
        for p in Person.objects.filter(pk__in=child_ids).exclude(la_child_id__isnull=True).exclude(la_child_id="")
    }
    ret = t.Return903(year=year)

    def cid(pk: int) -> str:
        return children[pk].la_child_id or ""

    def dob(pk: int) -> str:
        return fmt(children[pk].date_of_birth)

    by_child: dict[int, list[CareEpisode]] = defaultdict(list)
    for e in episodes:
        if e.child_id not in children:
            continue
        by_child[e.child_id].append(e)
        ended = e.end_date is not None and e.end_date <= end
        # Short breaks (V3/V4): no placement location (903 rules 214, 398, 420). A child who is UASC in the
        # year (in the UASC table) has no home postcode, so no distance (rule 406).
        short_break = e.legal_status in SHORT_BREAKS
        p = children[e.child_id]
        uasc = p.uasc and (p.uasc_ceased is None or p.uasc_ceased >= start)
        ret.episodes.append(
            t.Episode(
                CHILD=cid(e.child_id),
                DECOM=fmt(e.start_date),
                RNE=e.reason_new_episode,
                LS=e.legal_status,
                CIN=e.category_of_need,
                PLACE=e.placement_type,
                PLACE_PROVIDER=e.placement_provider,
                DEC=fmt(e.end_date) if ended else "",
                REC=e.reason_ceased if ended else "",
                REASON_PLACE_CHANGE=e.reason_place_change if ended else "",
                HOME_POST="" if short_break or uasc else e.home_postcode,
                PL_POST="" if short_break else e.placement_postcode,
                URN="" if short_break else e.urn,
            )
        )

    # Children whose every episode is a short break: no MOTHER and no reviews (rule 399).
    short_breaks_only = {pk for pk, eps in by_child.items() if all(e.legal_status in SHORT_BREAKS for e in eps)}

    # Header, with motherhood from the child's own children (a parent relationship).
    babies: dict[int, dt.date | None] = {}
    for rel in Relationship.objects.filter(person_id__in=list(children), kind="parent").select_related("other"):
        born = rel.other.date_of_birth
        if born is not None and born <= end:
            current = babies.get(rel.person_id)
            babies[rel.person_id] = born if current is None else min(current, born)
    for pk in sorted(children, key=lambda k: children[k].la_child_id or ""):
        p = children[pk]
        mother = mc_dob = ""
        if p.sex == "F" and pk in by_child and pk not in short_breaks_only:
            mother = "1" if pk in babies else "0"
            mc_dob = fmt(babies.get(pk))
        ret.header.append(
            t.Header(
                CHILD=p.la_child_id or "",
                SEX=p.sex,
                DOB=fmt(p.date_of_birth),
                ETHNIC=p.ethnicity,
                UPN=p.upn or p.upn_unknown,
                MOTHER=mother,
                MC_DOB=mc_dob,
            )
        )
        if p.uasc and (p.uasc_ceased is None or p.uasc_ceased >= start) and pk in by_child:
            ret.uasc.append(t.UASC(CHILD=p.la_child_id or "", SEX=p.sex, DOB=dob(pk), DUC=fmt(p.uasc_ceased)))

    in_care = set(by_child)
    reviewed = in_care - short_breaks_only  # no reviews for children only on short breaks (rule 399)
    for r in LACReview.objects.filter(child_id__in=reviewed, held_on__range=(start, end)).order_by("held_on", "id"):
        ret.reviews.append(
            t.Review(CHILD=cid(r.child_id), DOB=dob(r.child_id), REVIEW=fmt(r.held_on), REVIEW_CODE=r.participation)
        )
    ret.reviews.sort(key=lambda r: r.CHILD)

    missing = MissingEpisode.objects.filter(child_id__in=in_care).order_by("started_at", "id")
    for m in missing:
        started, returned = _local_date(m.started_at), _local_date(m.returned_at)
        if started is None or started > end or (returned is not None and returned < start):
            continue
        ret.missing.append(
            t.Missing(
                CHILD=cid(m.child_id),
                DOB=dob(m.child_id),
                MISSING=m.kind,
                MIS_START=fmt(started),
                MIS_END=fmt(returned) if returned is not None and returned <= end else "",
            )
        )
    ret.missing.sort(key=lambda r: r.CHILD)

    _oc2(ret, cy, children, by_child, in_care)
    for pk, c in sorted(contacts.items(), key=lambda kv: cid(kv[0]) if kv[0] in children else ""):
        if pk in children and pk not in in_care:
            ret.oc3.append(
                t.OC3(CHILD=cid(pk), DOB=dob(pk), IN_TOUCH=c.in_touch, ACTIV=c.activity, ACCOM=c.accommodation)
            )

    _adoption(ret, cy, children, by_child)
    _prev_perm(ret, cy, children, by_child)
    _social_workers(ret, cy, children, by_child)
    return ret


def _oc2(
    ret: t.Return903,
    cy: CollectionYear,
    children: dict[int, Person],
    by_child: dict[int, list[CareEpisode]],
    in_care: set[int],
) -> None:
    """OC2 for the children looked after continuously for the 12 months to 31 March."""
    start, end = cy.start, cy.end
    cohort = []
    for pk, eps in by_child.items():
        first = min(e.start_date for e in eps)
        closed_in_year = any(
            e.end_date is not None and start <= e.end_date < end and e.reason_ceased != "X1" for e in eps
        )
        short_breaks = any(e.legal_status in ("V3", "V4") for e in eps)
        if first <= start and not closed_in_year and not short_breaks:
            cohort.append(pk)
    if not cohort:
        return
    year_ago = start
    checks: dict[int, set[str]] = defaultdict(set)
    for h in HealthCheck.objects.filter(child_id__in=cohort, done_on__range=(year_ago, end)):
        checks[h.child_id].add(h.kind)
    sdq: dict[int, SDQAssessment] = {}
    for s in SDQAssessment.objects.filter(child_id__in=cohort, done_on__range=(year_ago, end)).order_by(
        "done_on", "id"
    ):
        sdq[s.child_id] = s
    outcomes = {o.child_id: o for o in AnnualOutcome.objects.filter(child_id__in=cohort, year_ending=end)}
    for pk in sorted(cohort, key=lambda k: children[k].la_child_id or ""):
        p = children[pk]
        born = p.date_of_birth
        assert born is not None
        kinds = checks.get(pk, set())
        sdq_row = sdq.get(pk)
        o = outcomes.get(pk)
        aged_4_to_16 = add_years(born, 4) <= end and add_years(born, 17) > start
        misuse = bool(o and o.substance_misuse)
        ret.oc2.append(
            t.OC2(
                CHILD=p.la_child_id or "",
                DOB=fmt(born),
                SDQ_SCORE=str(sdq_row.score)
                if sdq_row is not None and sdq_row.score is not None and aged_4_to_16
                else "",
                SDQ_REASON=sdq_row.reason if sdq_row is not None and sdq_row.score is None and aged_4_to_16 else "",
                CONVICTED=("1" if o and o.convicted else "0") if add_years(born, 10) <= end else "",
                HEALTH_CHECK=("1" if "development" in kinds else "0") if add_years(born, 5) > end else "",
                IMMUNISATIONS="1" if "immunisations" in kinds else "0",
                TEETH_CHECK="1" if "dental" in kinds else "0",
                HEALTH_ASSESSMENT="1" if kinds & {"initial_health", "review_health"} else "0",
                SUBSTANCE_MISUSE="1" if misuse else "0",
                INTERVENTION_RECEIVED=_flag(o.intervention_received) if o and misuse else "",
                INTERVENTION_OFFERED=_flag(o.intervention_offered)
                if o and misuse and o.intervention_received is False
                else "",
            )
        )


def _adoption(
    ret: t.Return903, cy: CollectionYear, children: dict[int, Person], by_child: dict[int, list[CareEpisode]]
) -> None:
    start, end = cy.start, cy.end
    journeys = AdoptionJourney.objects.filter(child_id__in=list(by_child), decision_date__lte=end).order_by(
        "decision_date", "id"
    )
    latest: dict[int, AdoptionJourney] = {}
    for j in journeys:
        latest[j.child_id] = j
    for pk in sorted(latest, key=lambda k: children[k].la_child_id or ""):
        j = latest[pk]
        child, born = children[pk].la_child_id or "", fmt(children[pk].date_of_birth)
        adopted = any(
            e.reason_ceased in ("E11", "E12") and e.end_date is not None and start <= e.end_date <= end
            for e in by_child[pk]
        )
        if adopted:
            ret.ad1.append(
                t.AD1(
                    CHILD=child,
                    DOB=born,
                    DATE_INT=fmt(j.decision_date),
                    DATE_MATCH=fmt(j.matched_date),
                    FOSTER_CARE=_flag(j.adopted_by_foster_carer),
                    NB_ADOPTR="" if j.number_of_adopters is None else str(j.number_of_adopters),
                    SEX_ADOPTR=j.sex_of_adopters,
                    LS_ADOPTR=j.legal_status_of_adopters,
                )
            )
        if j.ceased_date is not None and j.ceased_date < start:
            continue
        ceased_in_year = j.ceased_date is not None and j.ceased_date <= end
        ret.placed_adoption.append(
            t.PlacedAdoption(
                CHILD=child,
                DOB=born,
                DATE_PLACED=fmt(j.decision_date),
                DATE_PLACED_CEASED=fmt(j.ceased_date) if ceased_in_year else "",
                REASON_PLACED_CEASED=j.ceased_reason if ceased_in_year else "",
            )
        )


def _prev_perm(
    ret: t.Return903, cy: CollectionYear, children: dict[int, Person], by_child: dict[int, list[CareEpisode]]
) -> None:
    starters = [
        pk for pk, eps in by_child.items() if any(e.reason_new_episode == "S" and e.start_date >= cy.start for e in eps)
    ]
    perms: dict[int, PreviousPermanence] = {}
    for p in PreviousPermanence.objects.filter(child_id__in=starters).order_by("id"):
        perms[p.child_id] = p
    for pk in sorted(perms, key=lambda k: children[k].la_child_id or ""):
        p = perms[pk]
        ret.prev_perm.append(
            t.PrevPerm(
                CHILD=children[pk].la_child_id or "",
                DOB=fmt(children[pk].date_of_birth),
                PREV_PERM=p.kind,
                LA_PERM=p.la,
                DATE_PERM=fmt(p.order_date),
            )
        )


#: A child allocated again more than this long after their last allocation ended is a new involvement: the new
#: social worker episode's reason is first contact (FCONTA), not why the last one ended (SW10aSTG2's tolerance).
_NEW_INVOLVEMENT_GAP = dt.timedelta(days=7)


def _first_contact(before: Allocation | None, a: Allocation) -> bool:
    """The child's first allocation, or the first after a gap (a case closed and later re-referred)."""
    return before is None or (before.end_date is not None and a.start_date - before.end_date > _NEW_INVOLVEMENT_GAP)


def _social_workers(
    ret: t.Return903, cy: CollectionYear, children: dict[int, Person], by_child: dict[int, list[CareEpisode]]
) -> None:
    """One row per named-worker allocation of a child looked after in the year, overlapping both the year and
    the child's time in care. A worker allocated before the child became looked after is reported from that
    date (SW12STG2: no social worker episode starts before the episode that starts care, nor after the one
    that ends it); a worker who stays with the child after care ends has an open episode (SW17STG2: the last
    episode is open). SW_REASON is why this worker took over: FCONTA (first contact) for the child's first
    worker and for the first after a gap of more than seven days (a case closed, then re-referred: SW10aSTG2),
    else the reason the previous allocation ended. While a case has no named worker (a vacant post) it is
    held by the team manager, who is reported (otherwise the gap breaks SW10STG2/SW10aSTG2)."""
    span: dict[int, tuple[dt.date, dt.date | None]] = {}
    for pk, eps in by_child.items():
        eps = sorted(eps, key=lambda e: (e.start_date, e.pk))
        last = eps[-1]
        ends = None if last.end_date is None or last.end_date > cy.end else last.end_date
        span[pk] = (eps[0].start_date, ends)
    allocations = (
        Allocation.objects.filter(child_id__in=list(span), start_date__lte=cy.end)
        .filter(Q(worker__isnull=False) | Q(team__manager__isnull=False))
        .select_related("worker", "team__manager")
        .order_by("child_id", "start_date", "id")
    )
    rows: list[Any] = []
    previous: dict[int, Allocation] = {}
    for a in allocations:
        worker = a.worker or a.team.manager  # a case without a named worker is held by the team manager
        assert worker is not None
        before = previous.get(a.child_id)
        previous[a.child_id] = a
        since, until = span[a.child_id]
        if a.end_date is not None and (a.end_date < cy.start or a.end_date < since):
            continue
        if until is not None and a.start_date > until:
            continue
        ended = a.end_date is not None and a.end_date <= cy.end and (until is None or a.end_date < until)
        rows.append(
            t.SWEpisode(
                CHILD=children[a.child_id].la_child_id or "",
                DOB=fmt(children[a.child_id].date_of_birth),
                SW_ID=worker.sw_id,
                SW_DECOM=fmt(max(a.start_date, since)),
                SW_DEC=fmt(a.end_date) if ended else "",
                SW_REASON=before.end_reason if before is not None and not _first_contact(before, a) else "FCONTA",
            )
        )
    rows.sort(key=lambda r: r.CHILD)
    ret.sw_episodes.extend(rows)
