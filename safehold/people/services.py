"""Writes to the person index. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from safehold.audit.services import audit_record, snapshot
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.identifiers import normalise_nhs_number
from safehold.core.services import service
from safehold.people.choices import DuplicateStatus
from safehold.people.models import DuplicateCandidate, Person, Relationship

PERSON_FIELDS = {
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "ethnicity",
    "la_child_id",
    "nhs_number",
    "upn",
    "former_upn",
    "upn_unknown",
    "uasc",
    "uasc_ceased",
    "restricted",
    "care_experienced",
}


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise ValidationFailed({"__all__": [f"Unknown fields: {', '.join(sorted(unknown))}"]})
    if fields.get("nhs_number"):
        fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"])
    for key in ("la_child_id", "nhs_number"):
        if key in fields and fields[key] == "":
            fields[key] = None
    return fields


@service
def person_create(*, actor: Any, is_child: bool = False, request_id: str = "", **fields: Any) -> Person:
    person = Person(is_child_record=is_child, **_clean_fields(fields))
    person = create_audited(person, actor=actor, action="person.created", child_id=None, request_id=request_id)
    return person


@service
def child_create(*, actor: Any, request_id: str = "", **fields: Any) -> Person:
    child = Person(is_child_record=True, **_clean_fields(fields))
    create_audited(child, actor=actor, action="child.created", child_id=None, request_id=request_id, clean=True)
    return child


@service
def person_update(*, actor: Any, person: Person, expected_version: int, request_id: str = "", **changes: Any) -> Person:
    return update_audited(
        person,
        actor=actor,
        action="person.updated",
        child_id=person.pk if person.is_child_record else None,
        changes=_clean_fields(changes),
        expected_version=expected_version,
        request_id=request_id,
    )


@service
def relationship_create(
    *,
    actor: Any,
    person: Person,
    other: Person,
    kind: str,
    has_parental_responsibility: bool = False,
    start_date: dt.date | None = None,
) -> Relationship:
    rel = Relationship(
        person=person,
        other=other,
        kind=kind,
        has_parental_responsibility=has_parental_responsibility,
        start_date=start_date,
    )
    child_id = other.pk if other.is_child_record else (person.pk if person.is_child_record else None)
    return create_audited(rel, actor=actor, action="relationship.created", child_id=child_id)


def _repoint(model: Any, field: str, source: Person, target: Person) -> int:
    return model._default_manager.filter(**{field: source}).update(**{field: target})


@service
def person_merge(*, actor: Any, keep: Person, remove: Person, reason: str) -> Person:
    """Merge ``remove`` into ``keep``: every record that names ``remove`` now names ``keep``; ``remove``
    stays as a tombstone pointing at ``keep`` so old references and the audit trail still resolve."""
    if keep.pk == remove.pk:
        raise ValidationFailed("A record cannot be merged into itself")
    if remove.merged_into_id is not None or keep.merged_into_id is not None:
        raise ValidationFailed("One of these records has already been merged")
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter the reason these records are the same person"]})
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    remove = Person.objects.select_for_update().get(pk=remove.pk)
    before = {"keep": snapshot(keep), "remove": snapshot(remove)}
    # Relationships between the two records describe one person and go; the rest move across.
    Relationship.objects.filter(models.Q(person=keep, other=remove) | models.Q(person=remove, other=keep)).delete()
    for rel in Relationship.objects.filter(person=remove):
        if Relationship.objects.filter(person=keep, other=rel.other, kind=rel.kind).exists():
            rel.delete()
    for rel in Relationship.objects.filter(other=remove):
        if Relationship.objects.filter(person=rel.person, other=keep, kind=rel.kind).exists():
            rel.delete()
    moved: dict[str, int] = {}
    for related in Person._meta.related_objects:
        if related.related_model is Person and related.field.name == "merged_into":
            continue
        if related.one_to_many or related.one_to_one:
            model = related.related_model
            if model is DuplicateCandidate:
                continue
            count = _repoint(model, related.field.name, remove, keep)
            if count:
                moved[model._meta.label] = count
    # Fill identifiers the kept record lacks.
    for field in ("nhs_number", "upn", "la_child_id", "date_of_birth"):
        if not getattr(keep, field) and getattr(remove, field):
            value = getattr(remove, field)
            if field == "la_child_id":
                remove.la_child_id = None
                remove.save(update_fields=["la_child_id"])
            setattr(keep, field, value)
    keep.is_child_record = keep.is_child_record or remove.is_child_record
    keep.version += 1
    keep.save()
    remove.merged_into = keep
    remove.version += 1
    remove.save()
    DuplicateCandidate.objects.filter(
        models.Q(person_a__in=[keep.pk, remove.pk]) & models.Q(person_b__in=[keep.pk, remove.pk])
    ).update(status=DuplicateStatus.MERGED)
    audit_record(
        actor=actor,
        action="person.merged",
        instance=keep,
        child_id=keep.pk if keep.is_child_record else None,
        before=before,
        after={"keep": snapshot(keep), "moved": moved, "removed_id": remove.pk},
        reason=reason,
    )
    return keep


@service
def duplicates_find(*, actor: Any = None, threshold: float | None = None) -> int:
    """Score likely duplicate child records (blocking keys, then Jaro-Winkler on names, date of birth and
    NHS number) and store new candidates for a person to review. Never merges by itself."""
    from safehold.people.domain.matching import DUPLICATE_THRESHOLD, PersonFacts, candidate_pairs, duplicate_score

    limit = DUPLICATE_THRESHOLD if threshold is None else threshold
    rows = list(
        Person.objects.children()
        .order_by("pk")
        .values_list("pk", "given_name", "family_name", "date_of_birth", "nhs_number", "sex")
    )
    postcodes: dict[int, str] = {}
    from safehold.people.models import Address

    for pid, postcode in Address.objects.filter(end_date__isnull=True).values_list("person_id", "postcode"):
        postcodes[pid] = postcode
    facts = [
        PersonFacts(given_name=g, family_name=f, date_of_birth=dob, nhs_number=nhs, postcode=postcodes.get(pk), sex=sex)
        for pk, g, f, dob, nhs, sex in rows
    ]
    existing = set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id"))
    new: list[DuplicateCandidate] = []
    for i, j in candidate_pairs(facts):
        score, reasons = duplicate_score(facts[i], facts[j])
        if score < limit:
            continue
        a, b = sorted((rows[i][0], rows[j][0]))
        if (a, b) in existing:
            continue
        existing.add((a, b))
        new.append(DuplicateCandidate(person_a_id=a, person_b_id=b, score=round(score, 3), reasons=reasons))
    DuplicateCandidate.objects.bulk_create(new, batch_size=2000)
    audit_record(
        actor=actor,
        action="duplicates.scored",
        object_type="people.DuplicateCandidate",
        after={"children": len(rows), "new_candidates": len(new), "threshold": limit},
    )
    return len(new)
