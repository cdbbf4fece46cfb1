"""From the record to clock events: one bulk read per table, grouped by child, fed to the pure core."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from safehold.timescales.domain.deadlines import ClockEvent, EventKind

LONG_TERM_PLACEMENTS = frozenset({"U1", "U4"})
PLACEMENT_CHANGES = frozenset({"S", "P", "B", "T", "U"})


def _local_date(value: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    """The local date of ``value``; pass ``tz`` (the current time zone, looked up once) in a loop."""
    if value.utcoffset() is None:
        return value.date()
    return value.astimezone(tz or timezone.get_current_timezone()).date()


def events_for(child_ids: Iterable[int] | QuerySet[Any]) -> dict[int, list[ClockEvent]]:
    """Every clock event of the given children."""
    from safehold.casework.models import (
        Assessment,
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
    from safehold.looked_after.models import (
        CareEpisode,
        HealthCheck,
        LACReview,
        MissingEpisode,
        PathwayPlanReview,
        PeriodOfCare,
        PrivateFostering,
    )
    from safehold.people.models import Person

    # A queryset of ids (the nightly refresh passes a range of children) goes into every read as a
    # subquery: far cheaper to build and run than thousands of literal parameters.
    ids: Any = child_ids if isinstance(child_ids, QuerySet) else list(child_ids)
    ev: dict[int, list[ClockEvent]] = defaultdict(list)
    add = ClockEvent
    K = EventKind
    tz = timezone.get_current_timezone()

    dobs: dict[int, dt.date] = {}
    for cid, dob in Person.objects.filter(pk__in=ids, date_of_birth__isnull=False).values_list("pk", "date_of_birth"):
        if dob is not None:
            dobs[cid] = dob
            ev[cid].append(add(K.BIRTH, dob))

    for cid, pk, received, decided in Contact.objects.filter(child_id__in=ids).values_list(
        "child_id", "pk", "received_at", "decided_at"
    ):
        ref = f"contact:{pk}"
        ev[cid].append(add(K.CONTACT, _local_date(received, tz), ref))
        if decided:
            ev[cid].append(add(K.CONTACT_DECISION, _local_date(decided, tz), ref))

    # A referral is decided by the first next step: an assessment, a strategy discussion or NFA closure.
    # Closing the case stops the clocks of everything in it that is still open (an s47 with no
    # conference, a plan with no end date): a closed case has no duties left to fall due.
    closures: dict[int, dt.date] = {}
    for cid, pk, referral, closure, nfa in CINEpisode.objects.filter(child_id__in=ids).values_list(
        "child_id", "pk", "referral_date", "closure_date", "referral_nfa"
    ):
        if closure:
            closures[pk] = closure
        ref = f"referral:{pk}"
        ev[cid].append(add(K.REFERRAL, referral, ref))
        if closure and nfa:
            ev[cid].append(add(K.REFERRAL_DECISION, closure, ref))
    for cid, pk, episode_id, start, completed in Assessment.objects.filter(episode__child_id__in=ids).values_list(
        "episode__child_id", "pk", "episode_id", "start_date", "completed_date"
    ):
        ref = f"assessment:{pk}"
        ev[cid].append(add(K.ASSESSMENT_START, start, ref, f"referral:{episode_id}"))
        ev[cid].append(add(K.REFERRAL_DECISION, start, f"referral:{episode_id}"))
        if completed:
            ev[cid].append(add(K.ASSESSMENT_COMPLETE, completed, ref))
    for cid, episode_id, held, s47_id in StrategyDiscussion.objects.filter(episode__child_id__in=ids).values_list(
        "episode__child_id", "episode_id", "held_on", "section47_id"
    ):
        ev[cid].append(add(K.REFERRAL_DECISION, held, f"referral:{episode_id}"))
        if s47_id:
            ev[cid].append(add(K.STRATEGY_DISCUSSION, held, f"s47:{s47_id}"))
    for cid, pk, episode_id, start, icpc, completed, not_required in Section47.objects.filter(
        episode__child_id__in=ids
    ).values_list(
        "episode__child_id", "pk", "episode_id", "start_date", "icpc_date", "completed_date", "icpc_not_required"
    ):
        ref = f"s47:{pk}"
        ev[cid].append(add(K.STRATEGY_DISCUSSION, start, ref))
        if icpc:
            ev[cid].append(add(K.ICPC, icpc, ref))
        elif completed and not_required:
            ev[cid].append(add(K.S47_END, completed, ref))
        elif episode_id in closures:
            ev[cid].append(add(K.S47_END, closures[episode_id], ref))

    cp_refs: dict[int, list[str]] = defaultdict(list)
    for cid, pk, episode_id, start, end in ChildProtectionPlan.objects.filter(episode__child_id__in=ids).values_list(
        "episode__child_id", "pk", "episode_id", "start_date", "end_date"
    ):
        ref = f"cpp:{pk}"
        cp_refs[cid].append(ref)
        ev[cid].append(add(K.CP_PLAN_START, start, ref))
        end = end or closures.get(episode_id)
        if end:
            ev[cid].append(add(K.CP_PLAN_END, end, ref))
    for cid, plan_id, held in Conference.objects.filter(
        episode__child_id__in=ids, kind="review", plan__isnull=False
    ).values_list("episode__child_id", "plan_id", "held_on"):
        ev[cid].append(add(K.CP_REVIEW, held, f"cpp:{plan_id}"))
    for cid, plan_id, held in CoreGroup.objects.filter(plan__episode__child_id__in=ids).values_list(
        "plan__episode__child_id", "plan_id", "held_on"
    ):
        ev[cid].append(add(K.CORE_GROUP, held, f"cpp:{plan_id}"))

    cin_refs: dict[int, list[str]] = defaultdict(list)
    for cid, pk, episode_id, start, end in CINPlan.objects.filter(episode__child_id__in=ids).values_list(
        "episode__child_id", "pk", "episode_id", "start_date", "end_date"
    ):
        ref = f"cinplan:{pk}"
        cin_refs[cid].append(ref)
        ev[cid].append(add(K.CIN_PLAN_START, start, ref))
        end = end or closures.get(episode_id)
        if end:
            ev[cid].append(add(K.CIN_PLAN_END, end, ref))
    for cid, plan_id, held in CINPlanReview.objects.filter(plan__episode__child_id__in=ids).values_list(
        "plan__episode__child_id", "plan_id", "held_on"
    ):
        ev[cid].append(add(K.CIN_PLAN_REVIEW, held, f"cinplan:{plan_id}"))

    # Periods of care and placements.
    periods: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for cid, pk, start, end, care_plan, pep in PeriodOfCare.objects.filter(child_id__in=ids).values_list(
        "child_id", "pk", "start_date", "end_date", "care_plan_date", "pep_date"
    ):
        ref = f"poc:{pk}"
        periods[cid].append((start, ref))
        ev[cid].append(add(K.CARE_PERIOD_START, start, ref))
        if end:
            ev[cid].append(add(K.CARE_PERIOD_END, end, ref))
        if care_plan:
            ev[cid].append(add(K.CARE_PLAN, care_plan, ref))
        if pep:
            ev[cid].append(add(K.PEP, pep, ref))
    for p in periods.values():
        p.sort()
    placements: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for cid, pk, period_id, start, rne, place in (
        CareEpisode.objects.filter(child_id__in=ids)
        .order_by("start_date", "pk")
        .values_list("child_id", "pk", "period_id", "start_date", "reason_new_episode", "placement_type")
    ):
        if rne not in PLACEMENT_CHANGES:
            continue
        ref = f"placement:{pk}"
        placements[cid].append((start, ref))
        ev[cid].append(add(K.PLACEMENT_START, start, ref, f"poc:{period_id}"))
        if place in LONG_TERM_PLACEMENTS:
            ev[cid].append(add(K.PLACEMENT_INTENDED_UNTIL_18, start, ref))
    for cid, period_id, held in LACReview.objects.filter(child_id__in=ids).values_list(
        "child_id", "period_id", "held_on"
    ):
        ev[cid].append(add(K.CLA_REVIEW, held, f"poc:{period_id}"))

    def _containing(spans: list[tuple[dt.date, str]], day: dt.date) -> str | None:
        i = bisect_right(spans, (day, "\uffff")) - 1
        return spans[i][1] if i >= 0 else None

    for cid, kind, done in HealthCheck.objects.filter(
        child_id__in=ids, kind__in=["initial_health", "review_health"]
    ).values_list("child_id", "kind", "done_on"):
        period_ref = _containing(periods.get(cid, []), done)
        if period_ref:
            k = K.HEALTH_ASSESSMENT_INITIAL if kind == "initial_health" else K.HEALTH_ASSESSMENT_REVIEW
            ev[cid].append(add(k, done, period_ref))

    pf_refs: dict[int, list[str]] = defaultdict(list)
    for cid, pk, aware, end in PrivateFostering.objects.filter(child_id__in=ids).values_list(
        "child_id", "pk", "notified_on", "arrangement_end"
    ):
        ref = f"pf:{pk}"
        pf_refs[cid].append(ref)
        ev[cid].append(add(K.PF_AWARE, aware, ref))
        if end:
            ev[cid].append(add(K.PF_END, end, ref))

    for cid, vtype, day in Visit.objects.filter(child_id__in=ids, seen=True).values_list(
        "child_id", "visit_type", "visited_on"
    ):
        if vtype == "cp":
            ev[cid].extend(add(K.CP_VISIT, day, ref) for ref in cp_refs.get(cid, ()))
        elif vtype == "cin":
            ev[cid].extend(add(K.CIN_VISIT, day, ref) for ref in cin_refs.get(cid, ()))
        elif vtype == "cla":
            placement_ref = _containing(placements.get(cid, []), day)
            if placement_ref:
                ev[cid].append(add(K.CLA_VISIT, day, placement_ref))
        elif vtype == "pf":
            ev[cid].extend(add(K.PF_VISIT, day, ref) for ref in pf_refs.get(cid, ()))

    for cid, pk, returned, rhi in MissingEpisode.objects.filter(
        child_id__in=ids, returned_at__isnull=False
    ).values_list("child_id", "pk", "returned_at", "rhi_at"):
        ref = f"missing:{pk}"
        ev[cid].append(add(K.MISSING_RETURN, timezone.localtime(returned, tz), ref))
        if rhi:
            ev[cid].append(add(K.RETURN_INTERVIEW, timezone.localtime(rhi, tz), ref))

    for cid, held in (
        PathwayPlanReview.objects.filter(child_id__in=ids).order_by("held_on").values_list("child_id", "held_on")
    ):
        ref = f"pathway:{cid}"
        kind = K.PATHWAY_PLAN if not any(e.kind == K.PATHWAY_PLAN for e in ev[cid]) else K.PATHWAY_PLAN_REVIEW
        ev[cid].append(add(kind, held, ref))
        if kind == K.PATHWAY_PLAN and cid in dobs:
            # Leaving-care duties end at 21 unless extended on request; see docs/timescales.md.
            ev[cid].append(add(K.CARE_LEAVER_END, _birthday(dobs[cid], 21), ref))
    for extra in (
        _strategy_decision_events,
        _pa_visit_events,
        _proceedings_events,
        _exploitation_events,
        _early_help_events,
    ):
        extra(ids, ev)
    return ev


def _birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return dob.replace(year=dob.year + years, day=28)


def _strategy_decision_events(ids: Any, ev: dict[int, list[ClockEvent]]) -> None:
    """Decisions to hold a strategy discussion (local standard): the discussion that answered each one meets it;
    a case closed before the discussion was held stops it."""
    from safehold.casework.models import StrategyDecision

    K = EventKind
    for cid, pk, decided, held, closed in StrategyDecision.objects.filter(episode__child_id__in=ids).values_list(
        "episode__child_id", "pk", "decided_on", "discussion__held_on", "episode__closure_date"
    ):
        ref = f"strategy:{pk}"
        ev[cid].append(ClockEvent(K.STRATEGY_DECISION, decided, ref))
        if held:
            ev[cid].append(ClockEvent(K.STRATEGY_HELD, held, ref))
        elif closed:
            ev[cid].append(ClockEvent(K.STRATEGY_DECISION_LAPSED, closed, ref))


def _pa_visit_events(ids: Any, ev: dict[int, list[ClockEvent]]) -> None:
    """Spells of accommodation the LA provides to a care leaver and the personal adviser's visits in them
    (casework visits of type "care_leaver" where the young person was seen), CLR reg 8."""
    from safehold.casework.models import Visit
    from safehold.looked_after.models import LeavingCareAccommodation

    K = EventKind
    spells: dict[int, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for cid, pk, start, end in LeavingCareAccommodation.objects.filter(child_id__in=ids).values_list(
        "child_id", "pk", "provided_from", "provided_until"
    ):
        ref = f"pacc:{pk}"
        spells[cid].append((start, end, ref))
        ev[cid].append(ClockEvent(K.PA_ACCOMMODATION_START, start, ref))
        if end:
            ev[cid].append(ClockEvent(K.PA_ACCOMMODATION_END, end, ref))
    if not spells:
        return
    for cid, day in Visit.objects.filter(child_id__in=list(spells), visit_type="care_leaver", seen=True).values_list(
        "child_id", "visited_on"
    ):
        for start, end, ref in spells[cid]:
            if start <= day and (end is None or day <= end):
                ev[cid].append(ClockEvent(K.PA_VISIT, day, ref))


def _proceedings_events(ids: Any, ev: dict[int, list[ClockEvent]]) -> None:
    """Care and supervision proceedings: issue, court extensions of the timetable and conclusion (CA89 s.32)."""
    from safehold.proceedings.models import Extension, Proceedings

    K = EventKind
    for cid, pk, issued, concluded in Proceedings.objects.filter(child_id__in=ids).values_list(
        "child_id", "pk", "issued_on", "concluded_on"
    ):
        ref = f"proceedings:{pk}"
        ev[cid].append(ClockEvent(K.APPLICATION_ISSUED, issued, ref))
        if concluded:
            ev[cid].append(ClockEvent(K.PROCEEDINGS_CONCLUDED, concluded, ref))
    for cid, pid, extended_to in Extension.objects.filter(proceedings__child_id__in=ids).values_list(
        "proceedings__child_id", "proceedings_id", "extended_to"
    ):
        ev[cid].append(ClockEvent(K.PROCEEDINGS_EXTENDED, extended_to, f"proceedings:{pid}"))


def _exploitation_events(ids: Any, ev: dict[int, list[ClockEvent]]) -> None:
    """Exploitation risk screenings and the ends of risk management: each spell runs from a screening (the first,
    or the first after an end) to the next end; later screenings in the spell review it."""
    from safehold.exploitation.models import RiskEnd, Screening

    K = EventKind
    rows: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for cid, screening_id, day in Screening.objects.filter(child_id__in=ids).values_list(
        "child_id", "pk", "screened_on"
    ):
        rows[cid].append((day, 1, f"{screening_id:012d}"))
    if not rows:
        return
    for cid, day in RiskEnd.objects.filter(child_id__in=list(rows)).values_list("child_id", "ended_on"):
        rows[cid].append((day, 0, ""))
    for cid, items in rows.items():
        ref = ""
        for day, is_screening, key in sorted(items):
            if not is_screening:
                if ref:
                    ev[cid].append(ClockEvent(K.EXPLOITATION_ENDED, day, ref))
                ref = ""
            elif not ref:
                ref = f"exploitation:{int(key)}"
                ev[cid].append(ClockEvent(K.EXPLOITATION_SCREENING, day, ref))
            else:
                ev[cid].append(ClockEvent(K.EXPLOITATION_REVIEW, day, ref))


def _early_help_episodes(ids: Any) -> dict[int, list[int]]:
    """Early help episode ids per child (an episode is the family's: each child in it carries its clocks)."""
    from safehold.early_help.models import EpisodeChild

    out: dict[int, list[int]] = defaultdict(list)
    for cid, episode_id in EpisodeChild.objects.filter(child_id__in=ids).values_list("child_id", "episode_id"):
        out[episode_id].append(cid)
    return out


def _early_help_events(ids: Any, ev: dict[int, list[ClockEvent]]) -> None:
    """Early help assessments (ref ``eh_assessment:<pk>``, parent = the episode), team around the family reviews
    and closure (ref ``early_help:<episode pk>``), repeated for every child of the family (local standards)."""
    from safehold.early_help.models import EarlyHelpAssessment, EarlyHelpEpisode, Review

    K = EventKind
    children = _early_help_episodes(ids)
    if not children:
        return
    episode_ids = list(children)
    found: list[tuple[int, ClockEvent]] = []
    for pk, episode_id, start, completed in EarlyHelpAssessment.objects.filter(episode_id__in=episode_ids).values_list(
        "pk", "episode_id", "start_date", "completed_date"
    ):
        ref, parent = f"eh_assessment:{pk}", f"early_help:{episode_id}"
        found.append((episode_id, ClockEvent(K.EH_ASSESSMENT_START, start, ref, parent)))
        if completed:
            found.append((episode_id, ClockEvent(K.EH_ASSESSMENT_COMPLETE, completed, ref, parent)))
    for episode_id, held in Review.objects.filter(episode_id__in=episode_ids).values_list("episode_id", "held_on"):
        found.append((episode_id, ClockEvent(K.EH_REVIEW, held, f"early_help:{episode_id}")))
    for episode_id, closed in EarlyHelpEpisode.objects.filter(pk__in=episode_ids, closed_on__isnull=False).values_list(
        "pk", "closed_on"
    ):
        if closed is not None:
            found.append((episode_id, ClockEvent(K.EH_CLOSED, closed, f"early_help:{episode_id}")))
    for episode_id, event in found:
        for cid in children[episode_id]:
            ev[cid].append(event)


def early_help_owners(child_ids: Iterable[int] | QuerySet[Any]) -> dict[str, tuple[int | None, int | None]]:
    """(worker, team) by clock ref for early help led by a council practitioner: the lead and their team own
    those deadlines in the worklists (a partner-led family's stay with the child's allocation, if any)."""
    from safehold.early_help.models import EarlyHelpAssessment, EarlyHelpEpisode

    ids: Any = child_ids if isinstance(child_ids, QuerySet) else list(child_ids)
    leads = {
        pk: (staff_id, team_id)
        for pk, staff_id, team_id in EarlyHelpEpisode.objects.filter(
            children__child_id__in=ids, lead_staff__isnull=False
        ).values_list("pk", "lead_staff_id", "lead_staff__team_id")
    }
    if not leads:
        return {}
    out: dict[str, tuple[int | None, int | None]] = {f"early_help:{pk}": owner for pk, owner in leads.items()}
    for pk, episode_id in EarlyHelpAssessment.objects.filter(episode_id__in=list(leads)).values_list(
        "pk", "episode_id"
    ):
        out[f"eh_assessment:{pk}"] = leads[episode_id]
    return out
