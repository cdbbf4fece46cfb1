"""Reads for subject access requests. A request is reachable only by an officer who may see its person's record."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safehold.people.models import Person
from safehold.subject_access.models import SarItem, SarRedaction, SubjectAccessRequest
from safehold.subject_access.redact import Mark


def requests_for(*, user: Any) -> QuerySet[SubjectAccessRequest]:
    visible = Person.objects.visible_to(user).values("pk")
    return SubjectAccessRequest.objects.filter(person__in=visible).select_related("person")


def request_for(*, user: Any, pk: int) -> SubjectAccessRequest:
    sar = requests_for(user=user).select_related("opened_by", "submitted_by", "approved_by").filter(pk=pk).first()
    if sar is None:
        raise Http404("No such subject access request")
    return sar


def item_for(*, sar: SubjectAccessRequest, pk: int) -> SarItem:
    item = SarItem.objects.filter(sar=sar, pk=pk).first()
    if item is None:
        raise Http404("No such item")
    return item


def people_by_identifier(*, user: Any, identifier: str) -> list[Person]:
    """The records the user may open that an LA child id or an NHS number (spaces and hyphens ignored, check
    digit valid) names: one, none, or — for an NHS number on two records not yet merged — several."""
    from safehold.core.identifiers import is_valid_nhs_number

    value = identifier.strip()
    digits = value.replace(" ", "").replace("-", "")
    visible = Person.objects.visible_to(user).children()
    if is_valid_nhs_number(digits):
        people = list(visible.filter(Q(nhs_number=digits) | Q(la_child_id__iexact=value)).order_by("pk")[:5])
        if people:
            return people
    return list(visible.filter(la_child_id__iexact=value).order_by("pk")[:1])


def redactions(*, sar: SubjectAccessRequest) -> QuerySet[SarRedaction]:
    return SarRedaction.objects.filter(sar=sar).select_related("item", "marked_by")


def marks(*, sar: SubjectAccessRequest) -> list[Mark]:
    return [
        Mark(item_id=r.item_id, field=r.field, text=r.text, reason=r.reason)
        for r in SarRedaction.objects.filter(sar=sar).order_by("pk")
    ]


def item_dicts(*, sar: SubjectAccessRequest, items: Any = None) -> list[dict[str, Any]]:
    rows = items if items is not None else SarItem.objects.filter(sar=sar).order_by("position")
    return [
        {
            "id": i.pk,
            "section": i.section,
            "source": i.source,
            "title": i.title,
            "occurred_on": i.occurred_on.isoformat() if i.occurred_on else None,
            "fields": i.fields,
        }
        for i in rows
    ]


def redaction_counts(*, sar: SubjectAccessRequest) -> dict[int, int]:
    counts: dict[int, int] = {}
    for item_id in SarRedaction.objects.filter(sar=sar, item__isnull=False).values_list("item_id", flat=True):
        counts[item_id] = counts.get(item_id, 0) + 1
    return counts
