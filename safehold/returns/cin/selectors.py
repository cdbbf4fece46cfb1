"""Read the record into a CIN census for one collection year (STATUTE.md §6.1).

Scope: every CIN episode referred in the year, plus every episode open on 1 April. Within those episodes,
what the year saw: assessments not signed off before the year, CIN and CP plans not ended before it,
enquiries whose conference (or end) fell in it, and reviews held in it. Anything dated after 31 March is
shown as it stood on 31 March (an episode closed in April is open in the return).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Q

from safehold.casework.choices import ConferenceType
from safehold.casework.models import Assessment, ChildProtectionPlan, CINEpisode, CINPlan, Conference, Section47
from safehold.core import clock
from safehold.people.models import Person, PersonDisability
from safehold.returns.cin.domain.census import (
    Assessment as CensusAssessment,
)
from safehold.returns.cin.domain.census import (
    Census,
    Child,
    CPPlan,
    Episode,
    Header,
    collection_period,
)
from safehold.returns.cin.domain.census import (
    CINPlan as CensusCINPlan,
)
from safehold.returns.cin.domain.census import (
    Section47 as CensusSection47,
)

Row = dict[str, Any]


def _upto(d: dt.date | None, end: dt.date) -> dt.date | None:
    return d if d is not None and d <= end else None


def episodes_in_scope(year: int) -> Any:
    start, end = collection_period(year)
    return CINEpisode.objects.filter(
        Q(referral_date__gte=start) | Q(closure_date__isnull=True) | Q(closure_date__gte=start),
        referral_date__lte=end,
        child__is_child_record=True,
        child__merged_into__isnull=True,
    )


def cin_census(year: int, *, generated_at: dt.datetime | None = None) -> Census:
    """The census for the collection year ending 31 March ``year``, built from the record."""
    start, end = collection_period(year)
    scope = episodes_in_scope(year)
    episode_rows = list(scope.order_by("child_id", "referral_date", "id").values())
    child_ids = {r["child_id"] for r in episode_rows}
    in_scope_ids = scope.values("id")

    people = {
        p["id"]: p
        for p in Person.objects.filter(id__in=scope.values("child_id")).values(
            "id",
            "la_child_id",
            "upn",
            "former_upn",
            "upn_unknown",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "date_of_death",
            "ethnicity",
        )
    }
    disabilities: dict[int, list[str]] = defaultdict(list)
    for pid, code in (
        PersonDisability.objects.filter(person_id__in=scope.values("child_id"))
        .order_by("id")
        .values_list("person_id", "code")
    ):
        disabilities[pid].append(code)

    def by_episode(model: Any, order: tuple[str, ...]) -> dict[int, list[Row]]:
        grouped: dict[int, list[Row]] = defaultdict(list)
        for row in model.objects.filter(episode_id__in=in_scope_ids).order_by(*order).values():
            grouped[row["episode_id"]].append(row)
        return grouped

    assessments = by_episode(Assessment, ("start_date", "id"))
    s47s = by_episode(Section47, ("start_date", "id"))
    cin_plans = by_episode(CINPlan, ("start_date", "id"))
    cp_plans = by_episode(ChildProtectionPlan, ("start_date", "id"))
    conferences = by_episode(Conference, ("held_on", "id"))

    # NumberOfPreviousCPP: the child's plans (in any episode) that started before this one.
    plan_starts: dict[int, list[dt.date]] = defaultdict(list)
    for cid, started in ChildProtectionPlan.objects.filter(episode__child_id__in=scope.values("child_id")).values_list(
        "episode__child_id", "start_date"
    ):
        plan_starts[cid].append(started)

    children: dict[int, Child] = {}
    for er in episode_rows:
        cid = er["child_id"]
        if cid not in children:
            p = people[cid]
            children[cid] = Child(
                la_child_id=p["la_child_id"] or "",
                upn=p["upn"],
                former_upn=p["former_upn"],
                upn_unknown=p["upn_unknown"],
                birth_date=_upto(p["date_of_birth"], end),
                expected_birth_date=p["expected_date_of_birth"] if p["date_of_birth"] is None else None,
                sex=p["sex"],
                death_date=_upto(p["date_of_death"], end),
                ethnicity=p["ethnicity"],
                disabilities=list(disabilities.get(cid, [])),
            )
        eid = er["id"]
        closed = _upto(er["closure_date"], end)
        episode = Episode(
            referral_date=er["referral_date"],
            referral_source=er["referral_source"],
            primary_need=er["primary_need"],
            closure_date=closed,
            closure_reason=er["closure_reason"] if closed else "",
            referral_nfa=er["referral_nfa"],
        )
        for a in assessments.get(eid, []):
            if a["start_date"] > end or (a["authorised_date"] is not None and a["authorised_date"] < start):
                continue
            authorised = _upto(a["authorised_date"], end)
            episode.assessments.append(
                CensusAssessment(
                    start=a["start_date"],
                    internal_review=_upto(a["completed_date"], end),
                    authorisation=authorised,
                    factors=list(a["factors"] or []) if authorised else [],
                )
            )
        for pl in cin_plans.get(eid, []):
            if pl["start_date"] > end or (pl["end_date"] is not None and pl["end_date"] < start):
                continue
            episode.cin_plans.append(CensusCINPlan(start=pl["start_date"], end=_upto(pl["end_date"], end)))
        for s in s47s.get(eid, []):
            icpc, done = s["icpc_date"], s["completed_date"]
            if s["start_date"] > end or (icpc is not None and icpc < start):
                continue
            if icpc is None and done is not None and done < start:
                continue
            finished_in_time = done is not None and done <= end
            episode.section47s.append(
                CensusSection47(
                    start=s["start_date"],
                    icpc_target=s["icpc_target_date"],
                    icpc=_upto(icpc, end),
                    icpc_not_required=bool(s["icpc_not_required"]) and finished_in_time,
                )
            )
        reviews: dict[int, list[dt.date]] = defaultdict(list)
        for conf in conferences.get(eid, []):
            held = conf["held_on"]
            if not (start <= held <= end):
                continue
            if conf["kind"] == ConferenceType.REVIEW and conf["plan_id"] is not None:
                reviews[conf["plan_id"]].append(held)
            elif conf["kind"] in (ConferenceType.INITIAL, ConferenceType.TRANSFER_IN) and conf["section47_id"] is None:
                episode.icpc = held
        for cp in cp_plans.get(eid, []):
            if cp["start_date"] > end or (cp["end_date"] is not None and cp["end_date"] < start):
                continue
            episode.cp_plans.append(
                CPPlan(
                    start=cp["start_date"],
                    end=_upto(cp["end_date"], end),
                    initial_category=cp["initial_category"],
                    latest_category=cp["latest_category"],
                    previous_plans=sum(1 for d in plan_starts[cid] if d < cp["start_date"]),
                    reviews=list(reviews.get(cp["id"], [])),
                )
            )
        children[cid].episodes.append(episode)

    stamp = generated_at or clock.now()
    header = Header(
        year=year,
        reference_date=end,
        lea=str(getattr(settings, "SAFEHOLD_LA_CODE", "000")),
        release=str(getattr(settings, "SAFEHOLD_RELEASE", "1")),
        date_time=stamp.replace(microsecond=0).isoformat(),
    )
    ordered = sorted(children.values(), key=lambda c: c.la_child_id)
    assert len(ordered) == len(child_ids)
    return Census(header=header, children=ordered)
