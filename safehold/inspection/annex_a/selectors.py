"""Read the facts Annex A needs for one inspection date, in about twenty set-based queries.

Each query is bounded by the widest window that can matter (12 months before the inspection date), the
children a list names are chosen in the database (``IN (subquery)``, never a long list of ids), and per-child
"latest" values (visits, reviews, health checks) are aggregated there. Rows are fetched straight from the
cursor and dates parsed once with ``date.fromisoformat``: the ORM's per-value converters cost more than the
queries on a large borough. The derivation itself is :mod:`safehold.inspection.annex_a.domain`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max, Model, Q, QuerySet
from django.utils import timezone

from safehold.casework.models import (
    Assessment,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
    Conference,
    Contact,
    Section47,
    Visit,
)
from safehold.early_help import selectors as early_help_selectors
from safehold.inspection.annex_a import domain as d
from safehold.inspection.annex_a.spec import WINDOW_MONTHS
from safehold.looked_after.models import (
    AdoptionJourney,
    CareEpisode,
    CareLeaver,
    CareLeaverContact,
    HealthCheck,
    LACReview,
    MissingEpisode,
    PeriodOfCare,
)
from safehold.people.models import Person, PersonDisability
from safehold.workforce.models import Allocation, StaffMember, Team

CHUNK = 5000


def la_name() -> str:
    """The authority's name for "LA of Placement" (setting SAFEHOLD_LA_NAME)."""
    return str(getattr(settings, "SAFEHOLD_LA_NAME", "") or "")


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _rows(qs: QuerySet[Any], *, dates: Iterable[int] = (), moments: Iterable[int] = ()) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset, read from the cursor; columns ``dates`` become dates and
    ``moments`` (stored datetimes) become the local date they fall on."""
    sql, params = qs.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    date_cols, moment_cols = tuple(dates), tuple(moments)
    if not raw or not (date_cols or moment_cols):
        return [tuple(r) for r in raw]
    tz = timezone.get_current_timezone()
    out = []
    for r in raw:
        row = list(r)
        for i in date_cols:
            v = row[i]
            if isinstance(v, str):
                row[i] = dt.date.fromisoformat(v[:10])
            elif isinstance(v, dt.datetime):
                row[i] = v.date()
        for i in moment_cols:
            v = row[i]
            if isinstance(v, str):
                v = dt.datetime.fromisoformat(v)
            if isinstance(v, dt.datetime):
                if v.tzinfo is None:
                    v = v.replace(tzinfo=dt.UTC)
                row[i] = v.astimezone(tz).date()
        out.append(tuple(row))
    return out


def _rows_by_id(
    model: type[Model], fields: Sequence[str], ids: Iterable[int], *, dates: Iterable[int] = ()
) -> list[tuple[Any, ...]]:
    """Rows of ``model`` whose primary key is in ``ids``, in chunks of plain ``IN (%s, …)`` queries (the ORM's
    per-value lookup preparation costs seconds for tens of thousands of ids)."""
    qn = connection.ops.quote_name
    concrete = {f.attname: str(f.column) for f in model._meta.concrete_fields}
    columns = ", ".join(qn(concrete[name]) for name in fields)
    table, pk = qn(model._meta.db_table), qn(concrete[model._meta.pk.attname if model._meta.pk else "id"])
    out: list[tuple[Any, ...]] = []
    date_cols = tuple(dates)
    for chunk in _chunks(ids, size=900):
        marks = ", ".join(["%s"] * len(chunk))
        sql = f"SELECT {columns} FROM {table} WHERE {pk} IN ({marks})"  # noqa: S608 - names from the model, values bound
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            raw = cursor.fetchall()
        for r in raw:
            row = list(r)
            for i in date_cols:
                if isinstance(row[i], str):
                    row[i] = dt.date.fromisoformat(row[i][:10])
            out.append(tuple(row))
    return out


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def annex_a_facts(*, as_of: dt.date) -> d.Facts:
    start6 = d.window_start(as_of, 6)
    start12 = d.window_start(as_of, 12)
    f = d.Facts()

    contacts = Contact.objects.filter(
        received_at__gte=_midnight(start6), received_at__lt=_midnight(as_of + dt.timedelta(1))
    )
    f.contacts = [
        d.ContactFact(child_id=cid, received_on=on, source=source)
        for cid, on, source in _rows(contacts.values_list("child_id", "received_at", "source"), moments=[1])
    ]

    referrals = CINEpisode.objects.filter(referral_date__lte=as_of).filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=start12)
    )
    f.referrals = [
        d.ReferralFact(
            id=pk,
            child_id=cid,
            referral_date=rd,
            source=src,
            nfa=bool(nfa),
            primary_need=need,
            closure_date=cd,
            closure_reason=cr,
        )  # fmt: skip
        for pk, cid, rd, src, nfa, need, cd, cr in _rows(
            referrals.values_list(
                "id",
                "child_id",
                "referral_date",
                "referral_source",
                "referral_nfa",
                "primary_need",
                "closure_date",
                "closure_reason",
            ),  # fmt: skip
            dates=[2, 6],
        )
    ]

    assessments = Assessment.objects.filter(start_date__lte=as_of).filter(
        Q(completed_date__isnull=True) | Q(completed_date__gte=start6)
    )
    f.assessments = [
        d.AssessmentFact(
            id=pk,
            child_id=cid,
            start=s,
            completed=c,
            authorised=a,
            child_seen=bool(seen),
            child_seen_date=seen_on,
            outcome=outcome,
        )  # fmt: skip
        for pk, cid, s, c, a, seen, seen_on, outcome in _rows(
            assessments.values_list(
                "id",
                "episode__child_id",
                "start_date",
                "completed_date",
                "authorised_date",
                "child_seen",
                "child_seen_date",
                "outcome",
            ),  # fmt: skip
            dates=[2, 3, 4, 6],
        )
    ]

    s47s = Section47.objects.filter(start_date__lte=as_of).filter(
        Q(completed_date__isnull=True) | Q(completed_date__gte=start12) | Q(icpc_date__gte=start12)
    )
    icpc_plan = {
        s47_id: bool(plan)
        for s47_id, plan in _rows(
            Conference.objects.filter(kind="initial", section47_id__in=s47s.values("pk")).values_list(
                "section47_id", "outcome_plan"
            )
        )
    }
    f.section47s = [
        d.Section47Fact(
            id=pk,
            child_id=cid,
            start=s,
            completed=c,
            icpc_date=icpc,
            icpc_not_required=bool(nr),
            icpc_plan=icpc_plan.get(pk),
        )  # fmt: skip
        for pk, cid, s, c, icpc, nr in _rows(
            s47s.values_list(
                "id", "episode__child_id", "start_date", "completed_date", "icpc_date", "icpc_not_required"
            ),
            dates=[2, 3, 4],
        )
    ]

    cp_plans = ChildProtectionPlan.objects.filter(start_date__lte=as_of)
    f.cp_plans = [
        d.CPPlanFact(id=pk, child_id=cid, start=s, end=e, initial_category=ic, latest_category=lc)
        for pk, cid, s, e, ic, lc in _rows(
            cp_plans.values_list(
                "id", "episode__child_id", "start_date", "end_date", "initial_category", "latest_category"
            ),
            dates=[2, 3],
        )
    ]
    cp_window = cp_plans.filter(Q(end_date__isnull=True) | Q(end_date__gte=start6))
    f.review_conferences = [
        d.ReviewConferenceFact(plan_id=pid, held_on=held)
        for pid, held in _rows(
            Conference.objects.filter(kind="review", plan_id__in=cp_window.values("pk"), held_on__lte=as_of)
            .values("plan_id")
            .annotate(last=Max("held_on"))
            .values_list("plan_id", "last"),
            dates=[1],
        )
    ]
    f.cin_plans = [
        d.CINPlanFact(child_id=cid, start=s, end=e)
        for cid, s, e in _rows(
            CINPlan.objects.filter(start_date__lte=as_of)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
            .values_list("episode__child_id", "start_date", "end_date"),
            dates=[1, 2],
        )
    ]

    f.periods = [
        d.PeriodFact(id=pk, child_id=cid, start=s, end=e)
        for pk, cid, s, e in _rows(
            PeriodOfCare.objects.filter(start_date__lte=as_of).values_list("id", "child_id", "start_date", "end_date"),
            dates=[2, 3],
        )
    ]
    f.care_episodes = [
        d.CareEpisodeFact(
            child_id=cid,
            period_id=pid,
            start=s,
            end=e,
            reason_new_episode=rne,
            legal_status=ls,
            category_of_need=cin,
            placement_type=pt,
            placement_provider=pp,
            placement_postcode=pc,
            home_postcode=hpc,
            urn=urn,
            reason_ceased=rc,
        )  # fmt: skip
        for cid, pid, s, e, rne, ls, cin, pt, pp, pc, hpc, urn, rc in _rows(
            CareEpisode.objects.filter(start_date__lte=as_of).values_list(
                "child_id",
                "period_id",
                "start_date",
                "end_date",
                "reason_new_episode",
                "legal_status",
                "category_of_need",
                "placement_type",
                "placement_provider",
                "placement_postcode",
                "home_postcode",
                "urn",
                "reason_ceased",
            ),  # fmt: skip
            dates=[2, 3],
        )
    ]
    in_care = PeriodOfCare.objects.filter(start_date__lte=as_of).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start6)
    )
    in_care_ids = in_care.values("child_id")
    f.lac_reviews = [
        d.DatedFact(child_id=cid, kind="review", on=last)
        for cid, last in _rows(
            LACReview.objects.filter(held_on__lte=as_of, child_id__in=in_care_ids)
            .values("child_id")
            .annotate(last=Max("held_on"))
            .values_list("child_id", "last"),
            dates=[1],
        )
    ]
    f.health = [
        d.DatedFact(child_id=cid, kind=kind, on=last)
        for cid, kind, last in _rows(
            HealthCheck.objects.filter(done_on__lte=as_of, child_id__in=in_care_ids)
            .values("child_id", "kind")
            .annotate(last=Max("done_on"))
            .values_list("child_id", "kind", "last"),
            dates=[2],
        )
    ]
    f.missing = [
        d.MissingFact(child_id=cid, kind=kind, started_on=on, rhi_offered=off, rhi_accepted=acc)
        for cid, kind, on, off, acc in _rows(
            MissingEpisode.objects.filter(
                started_at__lt=_midnight(as_of + dt.timedelta(1)), child_id__in=in_care_ids
            ).values_list("child_id", "kind", "started_at", "rhi_offered", "rhi_accepted"),
            moments=[2],
        )
    ]
    f.adoptions = [
        d.AdoptionFact(
            child_id=cid,
            decision=dec,
            placement_order=po,
            matched=m,
            placed=pl,
            adoption_order=ao,
            ceased=ce,
            ceased_reason=cr,
        )  # fmt: skip
        for cid, dec, po, m, pl, ao, ce, cr in _rows(
            AdoptionJourney.objects.filter(decision_date__lte=as_of).values_list(
                "child_id",
                "decision_date",
                "placement_order_date",
                "matched_date",
                "placed_date",
                "adoption_order_date",
                "ceased_date",
                "ceased_reason",
            ),  # fmt: skip
            dates=[1, 2, 3, 4, 5, 6],
        )
    ]
    f.care_leavers = [
        d.CareLeaverFact(child_id=cid, eligibility=el, personal_adviser=f"{g or ''} {fam or ''}".strip())
        for cid, el, g, fam in _rows(
            CareLeaver.objects.values_list(
                "child_id", "eligibility", "personal_adviser__given_name", "personal_adviser__family_name"
            )
        )
    ]
    f.care_leaver_contacts = [
        d.CareLeaverContactFact(child_id=cid, contacted_on=on, in_touch=it, activity=act, accommodation=acc)
        for cid, on, it, act, acc in _rows(
            CareLeaverContact.objects.filter(contacted_on__lte=as_of).values_list(
                "child_id", "contacted_on", "in_touch", "activity", "accommodation"
            ),
            dates=[1],
        )
    ]

    # Early help (list 2): the early help context's own selector chooses the assessments and current episodes.
    f.early_help = [
        d.EarlyHelpFact(
            child_id=row.person_id,
            start=row.assessment_start,
            completed=row.assessment_completed,
            organisation=row.organisation,
        )
        for row in early_help_selectors.annex_a_list2(inspection_date=as_of, months=WINDOW_MONTHS[2])
    ]

    f.adopters = _adopters(as_of)

    # The children the lists name, and what is known about each of them.
    ids: set[int] = set()
    for group in (
        f.contacts,
        f.referrals,
        f.assessments,
        f.section47s,
        f.periods,
        f.adoptions,
        f.care_leavers,
        f.early_help,
    ):
        ids.update(x.child_id for x in group)
    ids.update(p.child_id for p in f.cp_plans if p.end is None or p.end >= start6)
    disabled = {pid for (pid,) in _rows(PersonDisability.objects.exclude(code="NONE").values_list("person_id"))}
    person_fields = ("id", "la_child_id", "sex", "ethnicity", "date_of_birth", "uasc", "uasc_ceased", "is_child_record",
                     "merged_into_id")  # fmt: skip
    for pk, la_id, sex, eth, dob, uasc, uasc_ceased, is_child, merged in _rows_by_id(
        Person, person_fields, ids, dates=[4, 6]
    ):
        if is_child and merged is None:
            f.children[pk] = d.ChildFact(
                id=pk, la_child_id=la_id or str(pk), sex=sex, ethnicity=eth, date_of_birth=dob,
                disabled=pk in disabled, uasc=bool(uasc), uasc_ceased=uasc_ceased,
            )  # fmt: skip
    teams = dict(_rows(Team.objects.values_list("id", "name")))
    staff = {
        pk: f"{g} {fam}".strip()
        for pk, g, fam in _rows(StaffMember.objects.values_list("id", "given_name", "family_name"))
    }
    f.allocations = [
        d.AllocationFact(child_id=cid, start=s, end=e, team=teams.get(team, ""), worker=staff.get(worker, ""))
        for cid, s, e, team, worker in _rows(
            Allocation.objects.filter(start_date__lte=as_of)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start12))
            .values_list("child_id", "start_date", "end_date", "team_id", "worker_id"),
            dates=[1, 2],
        )
        if cid in f.children
    ]

    # Visits: when each child in need was last seen (any visit), and the latest CP, CLA and IRO visits.
    cin_children = referrals.filter(Q(closure_date__isnull=True) | Q(closure_date__gte=start6)).values("child_id")
    f.visits = [
        d.VisitSummary(child_id=cid, visit_type="any", last=last, last_seen=last)
        for cid, last in _rows(
            Visit.objects.filter(child_id__in=cin_children, visited_on__lte=as_of, seen=True)
            .values("child_id")
            .annotate(last=Max("visited_on"))
            .values_list("child_id", "last"),
            dates=[1],
        )
    ]
    typed = Visit.objects.filter(visited_on__lte=as_of).filter(
        Q(visit_type="cp", child_id__in=cp_window.values("episode__child_id"))
        | Q(visit_type__in=("cla", "iro"), child_id__in=in_care_ids)
    )
    f.visits.extend(
        d.VisitSummary(child_id=cid, visit_type=vt, last=last, last_seen_alone=alone)
        for cid, vt, last, alone in _rows(
            typed.values("child_id", "visit_type")
            .annotate(last=Max("visited_on"), alone=Max("visited_on", filter=Q(seen_alone=True)))
            .values_list("child_id", "visit_type", "last", "alone"),
            dates=[2, 3],
        )
    )
    return f


def _adopters(as_of: dt.date) -> list[d.AdopterFact]:
    """Prospective adopters (list 11): each adopter of every household with an enquiry by the inspection date."""
    from safehold.adoption.models import Adopter

    out = []
    for a in Adopter.objects.filter(household__enquiry_on__lte=as_of).select_related("household").order_by("pk"):
        h = a.household
        out.append(
            d.AdopterFact(
                identifier=a.identifier, family=h.family_identifier, sex=a.sex, ethnicity=a.ethnicity,
                disabled=a.disabled, fostering_for_adoption=h.fostering_for_adoption, enquiry=h.enquiry_on,
                stage1_started=h.stage1_started, stage1_ended=h.stage1_ended, stage2_started=h.stage2_started,
                stage2_ended=h.stage2_ended, application_submitted=h.application_submitted, approved=h.approved_on,
                matched=h.matched_on, placed=h.placed_on, children_placed=h.children_placed,
                adoption_order=h.adoption_order_on, left=h.left_on, leaving_reason=h.leaving_reason,
            )
        )
    return out


def annex_a(*, as_of: dt.date, on_list: Callable[[int], None] | None = None) -> d.AnnexA:
    return d.derive(annex_a_facts(as_of=as_of), as_of, la_name=la_name(), on_list=on_list)


def child_names(ids: Iterable[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for chunk in _chunks(set(ids)):
        for pk, given, family in Person.objects.filter(pk__in=chunk).values_list("id", "given_name", "family_name"):
            names[pk] = f"{given} {family}"
    return names
