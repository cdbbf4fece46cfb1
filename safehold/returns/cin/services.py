"""Import a CIN census into the record: all or nothing, idempotent, audited.

A child is matched on LA child id. A child not yet in the record is created with the census's
identifiers and characteristics (names from the optional names CSV); a child already there has those
fields brought into line. An episode is matched on its referral date: an episode already recorded is
left as it is, so importing the same file twice changes nothing the second time. Every check runs on
the whole file before anything is written (see :mod:`safehold.returns.cin.domain.import_checks`); the
database constraints stand behind them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from safehold.audit.services import audit_record
from safehold.casework.choices import ConferenceType
from safehold.casework.models import Assessment, ChildProtectionPlan, CINEpisode, CINPlan, Conference, Section47
from safehold.core import clock
from safehold.core.auditing import update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person, PersonDisability
from safehold.returns.cin.domain.census import Census, Child, Episode
from safehold.returns.cin.domain.import_checks import import_problems
from safehold.returns.cin.domain.xml_io import CinReadError, read_census

MAX_MESSAGES = 50
PERSON_FIELDS = (
    "upn",
    "former_upn",
    "upn_unknown",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "date_of_death",
    "ethnicity",
)


@dataclass
class ImportResult:
    children_created: int = 0
    children_updated: int = 0
    children_unchanged: int = 0
    episodes_created: int = 0
    episodes_already_present: int = 0
    child_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.children_created} children created, {self.children_updated} updated, "
            f"{self.children_unchanged} unchanged; {self.episodes_created} episodes created, "
            f"{self.episodes_already_present} already present"
        )


def _refuse(messages: list[str]) -> ValidationFailed:
    shown = messages[:MAX_MESSAGES]
    if len(messages) > MAX_MESSAGES:
        shown.append(f"... and {len(messages) - MAX_MESSAGES} more problems")
    return ValidationFailed({"__all__": ["Nothing was imported.", *shown]})


def parse_names(names_csv: bytes | str | None) -> dict[str, tuple[str, str]]:
    """``LAchildID,given_name,family_name`` rows (a header row is required)."""
    if not names_csv:
        return {}
    text = names_csv.decode("utf-8-sig") if isinstance(names_csv, bytes) else names_csv
    reader = csv.DictReader(io.StringIO(text))
    needed = {"LAchildID", "given_name", "family_name"}
    if reader.fieldnames is None or not needed <= set(reader.fieldnames):
        raise ValidationFailed({"names": ["The names file needs the columns LAchildID, given_name, family_name"]})
    names: dict[str, tuple[str, str]] = {}
    for n, row in enumerate(reader, start=2):
        la_id = (row["LAchildID"] or "").strip()
        given, family = (row["given_name"] or "").strip(), (row["family_name"] or "").strip()
        if not la_id or not given or not family:
            message = f"Names file line {n}: LAchildID, given_name and family_name are needed"
            raise ValidationFailed({"names": [message]})
        names[la_id] = (given, family)
    return names


def _required(d: dt.date | None) -> dt.date:
    assert d is not None, "checked by import_problems"
    return d


def _person_values(c: Child) -> dict[str, Any]:
    return {
        "upn": c.upn,
        "former_upn": c.former_upn,
        "upn_unknown": c.upn_unknown,
        "date_of_birth": c.birth_date,
        "expected_date_of_birth": c.expected_birth_date,
        "sex": c.sex,
        "date_of_death": c.death_date,
        "ethnicity": c.ethnicity,
    }


@service
def cin_import(*, actor: Any, xml_bytes: bytes, names_csv: bytes | str | None = None) -> ImportResult:
    """Import a CIN census file. Raises ValidationFailed (and writes nothing) if any record is unfit."""
    try:
        census = read_census(xml_bytes)
    except CinReadError as exc:
        raise _refuse([str(exc)]) from exc
    names = parse_names(names_csv)
    problems = import_problems(census, today=clock.today())
    if problems:
        raise _refuse(problems)
    try:
        with transaction.atomic():
            return _write(census, names, actor)
    except IntegrityError as exc:
        raise _refuse([f"The record refused the file: {exc}"]) from exc


def _write(census: Census, names: dict[str, tuple[str, str]], actor: Any) -> ImportResult:
    result = ImportResult()
    la_ids = [c.la_child_id for c in census.children]
    existing = {p.la_child_id: p for p in Person.objects.filter(la_child_id__in=la_ids)}
    for p in existing.values():
        if not p.is_child_record or p.merged_into_id is not None:
            raise _refuse([f"Child {p.la_child_id}: LAchildID: belongs to a record that is not a current child record"])

    new_people: list[Person] = []
    for c in census.children:
        person = existing.get(c.la_child_id)
        values = _person_values(c)
        if person is None:
            given, family = names.get(c.la_child_id, ("Unknown", f"Child {c.la_child_id}"))
            person = Person(
                is_child_record=True, la_child_id=c.la_child_id, given_name=given, family_name=family, **values
            )
            new_people.append(person)
            continue
        before = {f: getattr(person, f) for f in PERSON_FIELDS}
        if before != values:
            update_audited(person, actor=actor, action="cin_import.child_updated", child_id=person.pk, changes=values)
            result.children_updated += 1
        else:
            result.children_unchanged += 1
    Person.objects.bulk_create(new_people, batch_size=2000)
    people = {p.la_child_id: p for p in Person.objects.filter(la_child_id__in=la_ids)}
    new_ids = {p.la_child_id for p in new_people}
    result.children_created = len(new_people)

    disabilities: list[PersonDisability] = []
    for c in census.children:
        person = people[c.la_child_id]
        if c.la_child_id in new_ids:
            disabilities += [PersonDisability(person=person, code=d) for d in c.disabilities]
        else:
            have = set(person.disabilities.values_list("code", flat=True))
            if have != set(c.disabilities):
                person.disabilities.all().delete()
                disabilities += [PersonDisability(person=person, code=d) for d in c.disabilities]
    PersonDisability.objects.bulk_create(disabilities, batch_size=5000)

    known = set(
        CINEpisode.objects.filter(child__in=[people[i] for i in la_ids if i not in new_ids]).values_list(
            "child_id", "referral_date"
        )
    )
    pending: list[tuple[Person, Episode, CINEpisode]] = []
    for c in census.children:
        person = people[c.la_child_id]
        for e in c.episodes:
            if (person.pk, e.referral_date) in known:
                result.episodes_already_present += 1
                continue
            pending.append(
                (
                    person,
                    e,
                    CINEpisode(
                        child=person,
                        referral_date=_required(e.referral_date),
                        referral_source=e.referral_source,
                        primary_need=e.primary_need,
                        referral_nfa=bool(e.referral_nfa),
                        closure_date=e.closure_date,
                        closure_reason=e.closure_reason,
                    ),
                )
            )
    CINEpisode.objects.bulk_create([row for _, _, row in pending], batch_size=2000)
    result.episodes_created = len(pending)
    _write_modules(pending)

    touched: set[int] = {p.pk for _, _, row in pending for p in [row.child]}
    for la_id in new_ids:
        person = people[la_id]
        audit_record(
            actor=actor,
            action="cin_import.child_created",
            instance=person,
            child_id=person.pk,
            after={"la_child_id": la_id, "source": "CIN census import"},
        )
    for pid in touched:
        from safehold.timescales.services import deadlines_refresh_child

        deadlines_refresh_child(child_id=pid)
    result.child_ids = sorted(p.pk for p in people.values())
    audit_record(
        actor=actor,
        action="cin_import.completed",
        object_type="returns.cin",
        after={"year": census.header.year, "children": len(census.children), "summary": result.summary()},
    )
    return result


def _write_modules(pending: list[tuple[Person, Episode, CINEpisode]]) -> None:
    assessments: list[Assessment] = []
    plans: list[CINPlan] = []
    s47s: list[Section47] = []
    cps: list[tuple[Episode, CINEpisode, ChildProtectionPlan, list[Any]]] = []
    s47_links: list[tuple[CINEpisode, Section47]] = []
    for _person, e, row in pending:
        for a in e.assessments:
            assert a.start is not None
            assessments.append(
                Assessment(
                    episode=row,
                    start_date=a.start,
                    completed_date=a.internal_review or a.authorisation,
                    authorised_date=a.authorisation,
                    factors=list(a.factors),
                )
            )
        for p in e.cin_plans:
            plans.append(CINPlan(episode=row, start_date=_required(p.start), end_date=p.end))
        for s in e.section47s:
            obj = Section47(
                episode=row,
                start_date=_required(s.start),
                icpc_target_date=s.icpc_target,
                icpc_date=s.icpc,
                icpc_not_required=bool(s.icpc_not_required),
                completed_date=s.icpc,
            )
            s47s.append(obj)
            s47_links.append((row, obj))
        for cp in e.cp_plans:
            cps.append(
                (
                    e,
                    row,
                    ChildProtectionPlan(
                        episode=row,
                        start_date=_required(cp.start),
                        end_date=cp.end,
                        initial_category=cp.initial_category,
                        latest_category=cp.latest_category,
                    ),
                    list(cp.reviews),
                )
            )
    Assessment.objects.bulk_create(assessments, batch_size=2000)
    CINPlan.objects.bulk_create(plans, batch_size=2000)
    Section47.objects.bulk_create(s47s, batch_size=2000)
    ChildProtectionPlan.objects.bulk_create([cp for _, _, cp, _ in cps], batch_size=2000)

    conferences: list[Conference] = []
    plans_by_episode: dict[int, list[ChildProtectionPlan]] = {}
    for _e, row, plan_row, reviews in cps:
        plans_by_episode.setdefault(row.pk, []).append(plan_row)
        conferences += [
            Conference(
                episode=row, kind=ConferenceType.REVIEW, held_on=r, plan=plan_row, outcome_plan=r != plan_row.end_date
            )
            for r in reviews
        ]
    for row, enquiry in s47_links:
        if enquiry.icpc_date is not None:
            plan = next((p for p in plans_by_episode.get(row.pk, []) if p.start_date == enquiry.icpc_date), None)
            conferences.append(
                Conference(
                    episode=row,
                    kind=ConferenceType.INITIAL,
                    held_on=enquiry.icpc_date,
                    section47=enquiry,
                    plan=plan,
                    outcome_plan=plan is not None,
                )
            )
    for _person, e, row in pending:
        if e.icpc is not None:
            plan = next((p for p in plans_by_episode.get(row.pk, []) if p.start_date == e.icpc), None)
            conferences.append(
                Conference(episode=row, kind=ConferenceType.INITIAL, held_on=e.icpc, plan=plan, outcome_plan=bool(plan))
            )
    Conference.objects.bulk_create(conferences, batch_size=2000)
