"""Everything Safehold holds about a person, as reviewable items.

The walk reuses the disposal map (:data:`safehold.retention.disposal.TREATMENTS`): it lists every kind of record
that belongs to a person and the way from each to the person, and its own test fails when a new kind of record is
not listed — so a new kind of record cannot silently escape a subject access request either. The person's record
comes first, then each kind of record in the map's order, then who has viewed the record (the access log).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from safehold.audit.models import AccessEvent
from safehold.people.models import Person
from safehold.retention.disposal import TREATMENTS, model_for

#: Fields that say nothing about the person (internal bookkeeping).
SKIPPED_FIELDS = {"id", "version", "updated_at", "sha256", "merged_into", "token_hash"}
#: Person fields shown as the record itself.
PERSON_SKIPPED = SKIPPED_FIELDS | {"is_child_record"}
#: The field that dates a record, in order of preference (the first one set is used).
DATE_FIELDS = (
    "received_at", "referral_date", "start_date", "held_on", "visited_on", "written_at", "occurred_at", "decided_at",
    "date", "submitted_at", "created_at",
)  # fmt: skip
ACCESS_LOG_SECTION = "Who has viewed the record"


@dataclass
class AssembledItem:
    section: str
    source: str
    title: str
    occurred_on: dt.date | None
    fields: list[dict[str, str]] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _related_text(obj: models.Model, f: models.ForeignKey) -> str:
    related = getattr(obj, f.name, None)
    if related is None:
        return ""
    full_name = getattr(related, "get_full_name", None)
    if callable(full_name) and full_name():
        return str(full_name())
    return str(related)


def _fields(obj: models.Model, *, subject_pk: int, skipped: set[str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for f in obj._meta.concrete_fields:
        if f.name in skipped or f.primary_key:
            continue
        if isinstance(f, models.ForeignKey):
            if f.related_model is Person and getattr(obj, f.attname) == subject_pk:
                continue  # the subject themselves
            value = _related_text(obj, f)
        elif f.choices:
            value = str(getattr(obj, f"get_{f.name}_display")())
        else:
            value = _text(getattr(obj, f.attname))
        if value == "":
            continue
        out.append({"name": f.name, "label": str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:], "value": value})
    return out


def _occurred_on(obj: models.Model) -> dt.date | None:
    for name in DATE_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date):
            return value
    return None


def _label(model: type[models.Model], plural: bool = False) -> str:
    name = str(model._meta.verbose_name_plural if plural else model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def _family_episode_ids(person: Person) -> list[int]:
    episode_child = model_for("early_help.EpisodeChild")
    if episode_child is None:
        return []
    return list(episode_child._default_manager.filter(child_id=person.pk).values_list("episode_id", flat=True))


def assemble(person: Person) -> list[AssembledItem]:
    """Every item held about ``person``: the record, each record that belongs to them, and the access log."""
    items = [
        AssembledItem(
            section="The record",
            source=f"people.Person#{person.pk}",
            title=f"{'Child' if person.is_child_record else 'Person'} record",
            occurred_on=None,
            fields=_fields(person, subject_pk=-1, skipped=PERSON_SKIPPED),
        )
    ]
    episode_ids = _family_episode_ids(person)
    for treatment in TREATMENTS:
        model = model_for(treatment.model)
        if model is None:
            continue
        ids = episode_ids if treatment.per_family else [person.pk]
        if not ids:
            continue
        query = models.Q()
        for lookup in treatment.via:
            query |= models.Q(**{f"{lookup}__in": ids})
        section = _label(model, plural=True)
        found: list[AssembledItem] = []
        for obj in model._default_manager.filter(query).distinct().order_by("pk"):
            on = _occurred_on(obj)
            found.append(
                AssembledItem(
                    section=section,
                    source=f"{treatment.model}#{obj.pk}",
                    title=_label(model) + (f" on {on:%-d %B %Y}" if on else ""),
                    occurred_on=on,
                    fields=_fields(obj, subject_pk=person.pk, skipped=SKIPPED_FIELDS),
                )
            )
        found.sort(key=lambda i: (i.occurred_on or dt.date.min, i.source))
        items += found
    if person.is_child_record:
        for event in AccessEvent.objects.filter(child_id=person.pk).order_by("occurred_at", "pk"):
            when = timezone.localtime(event.occurred_at)
            fields = [
                {"name": "occurred_at", "label": "When", "value": f"{when:%Y-%m-%d %H:%M}"},
                {"name": "actor_label", "label": "Who", "value": event.actor_label},
                {"name": "kind", "label": "What", "value": event.get_kind_display()},
            ]
            if event.break_glass:
                fields.append({"name": "reason", "label": "Reason given to open a restricted record",
                               "value": event.reason})  # fmt: skip
            items.append(
                AssembledItem(
                    section=ACCESS_LOG_SECTION,
                    source=f"audit.AccessEvent#{event.pk}",
                    title=f"{event.get_kind_display()} on {when:%-d %B %Y}",
                    occurred_on=when.date(),
                    fields=fields,
                )
            )
    return items
