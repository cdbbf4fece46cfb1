"""Every kind of record that belongs to a person is declared in the disposal map, field by field.

The walk starts at ``people.Person`` and follows foreign keys backwards (a model pointing at a person, or at a
model that does, ...). Each model found must have a treatment in ``safehold.retention.disposal.TREATMENTS``; each
of its free-text and JSON fields must be emptied, kept with a reason, or its rows deleted; each link to another
person must be cut or kept with a reason. A model added later that names a child fails here until its author says
what disposal does with it. Append-only trails (audit events, field history) are deliberately not disposed of
(docs/retention.md) and are listed separately.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from safehold.audit.models import AppendOnlyModel
from safehold.retention.disposal import PERSON_IDENTIFYING, PERSON_KEPT, TREATMENTS, model_for

#: Models the map does not treat: the person itself (scrub_people) and retention's own accountability records.
HANDLED_ELSEWHERE = {
    "people.Person": "scrub_people replaces the identifying fields with the disposal marker",
    "retention.LegalHold": "the officer's record of a hold (its reason should name the matter, not the family)",
    "retention.ReviewItem": "the disposal review itself (dates, codes, the rule applied)",
    "retention.ReviewDecision": "the officer's decision and reason (accountability)",
}


def _append_only(model: type[models.Model]) -> bool:
    if issubclass(model, AppendOnlyModel):
        return True
    return any(base.__name__ == "AppendOnlyHistoricalRecord" for base in model.__mro__)


def _owned_models() -> list[type[models.Model]]:
    person = apps.get_model("people", "Person")
    owned: set[type[models.Model]] = {person}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in owned or _append_only(model):
                continue
            if any(isinstance(f, models.ForeignKey) and f.related_model in owned for f in model._meta.concrete_fields):
                owned.add(model)
                changed = True
    return sorted(owned, key=lambda m: m._meta.label)


def _text_fields(model: type[models.Model]) -> set[str]:
    out = set()
    for f in model._meta.concrete_fields:
        if isinstance(f, models.TextField | models.JSONField) or (isinstance(f, models.CharField) and not f.choices):
            out.add(f.name)
    return out


def test_every_model_that_names_a_person_is_in_the_disposal_map() -> None:
    by_label = {t.model: t for t in TREATMENTS}
    missing, undeclared_text, undeclared_links, unknown = [], [], [], []
    person = apps.get_model("people", "Person")
    for model in _owned_models():
        label = model._meta.label
        if label in HANDLED_ELSEWHERE:
            continue
        t = by_label.get(label)
        if t is None:
            missing.append(label)
            continue
        declared = set(t.blank) | set(t.keep)
        if not t.delete:
            undeclared_text += [f"{label}.{name}" for name in sorted(_text_fields(model) - declared)]
            via_first = {v.split("__")[0] for v in t.via}
            for f in model._meta.concrete_fields:
                if isinstance(f, models.ForeignKey) and f.related_model is person and f.name not in via_first:
                    if f.name not in set(t.null) | set(t.keep):
                        undeclared_links.append(f"{label}.{f.name}")
        for name in (*t.blank, *t.null, *t.keep):
            if name not in {f.name for f in model._meta.concrete_fields}:
                unknown.append(f"{label}.{name}")
    assert missing == [], "add a Treatment to safehold/retention/disposal.py for each"
    assert undeclared_text == [], "blank these fields on disposal, or keep them with a reason"
    assert undeclared_links == [], "cut (null) these links to other people on disposal, or keep them with a reason"
    assert unknown == []


@pytest.mark.django_db
def test_the_map_names_only_real_models_and_ways_to_the_person() -> None:
    for t in TREATMENTS:
        model = model_for(t.model)
        if model is None:  # a model another change has not landed yet
            continue
        for lookup in t.via:
            model._default_manager.filter(**{f"{lookup}__in": [0]}).exists()  # raises on a bad lookup


def test_person_fields_are_all_declared() -> None:
    person = apps.get_model("people", "Person")
    declared = set(PERSON_IDENTIFYING) | set(PERSON_KEPT)
    assert _text_fields(person) - declared == set()
    assert {"date_of_birth", "sex", "ethnicity"} <= set(PERSON_KEPT)
