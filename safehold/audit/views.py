"""The DPO's and managers' views of the access log and of a record's history. Thin adapters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from safehold.accounts.forms import AccessLogFilterForm
from safehold.accounts.policies import policy
from safehold.accounts.roles import Role
from safehold.audit import selectors
from safehold.audit.services import access_record
from safehold.core import clock
from safehold.people.models import Person
from safehold.people.policies import can_view_person

PAGE_SIZE = 50
#: Fields of a child's record shown on the "as at" page, in order, with their labels.
AS_AT_FIELDS = [
    ("given_name", "First name"),
    ("family_name", "Last name"),
    ("other_names", "Other names"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("ethnicity", "Ethnicity"),
    ("la_child_id", "LA child id"),
    ("nhs_number", "NHS number"),
    ("upn", "UPN"),
    ("uasc", "Unaccompanied asylum-seeking child"),
    ("restricted", "Restricted record"),
    ("date_of_death", "Date of death"),
]


def _child_for_audit(request: HttpRequest, pk: int) -> Person:
    """The DPO may see the access log of any child (restricted ones too); managers, of the children they see."""
    children = Person.objects.children()
    if request.user.role != Role.DATA_PROTECTION_OFFICER:  # type: ignore[union-attr]
        children = children.visible_to(request.user)
    return get_object_or_404(children, pk=pk)


def _log_view(request: HttpRequest, child: Person, detail: str) -> None:
    access_record(
        actor=request.user,
        kind="view",
        child_id=child.pk,
        path=request.path,
        detail=detail,
        request_id=getattr(request, "request_id", ""),
    )


@policy("audit_viewer")
def child_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has viewed this child: filter by user and date, 50 a page, a constant number of queries."""
    child = _child_for_audit(request, pk)
    # Logged first, so the page's own count and list include this view (reading the log is an access too).
    _log_view(request, child, "Viewed who has accessed this record")
    actors = selectors.child_access_actors(child_id=child.pk)
    form = AccessLogFilterForm(request.GET or None, actors=actors)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "actor_id": form.cleaned_data.get("user"),
            "date_from": form.cleaned_data.get("date_from"),
            "date_to": form.cleaned_data.get("date_to"),
        }
    events = selectors.child_access_log(child_id=child.pk, **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "child": child,
        "show_name": can_view_person(request.user, child),
        "form": form,
        "form_errors": form.errors if form.is_bound else {},
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "audit/child_access.html", context)


@policy("audit_viewer")
def child_as_at(request: HttpRequest, pk: int) -> HttpResponse:
    """What this child's record said at the end of a given date, from field history; who changed it and why,
    from the audit trail."""
    child = get_object_or_404(Person.objects.children().visible_to(request.user), pk=pk)
    raw = request.GET.get("date", "")
    error = ""
    try:
        day = dt.date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        day, error = clock.today(), "Enter a real date, for example 2024-03-31"
    at = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    as_was = selectors.record_as_at(Person, object_id=child.pk, at=at)
    rows = [(label, _display(as_was, field)) for field, label in AS_AT_FIELDS] if as_was is not None else []
    begins = selectors.history_begins(Person, object_id=child.pk) if as_was is None else None
    no_history_before = timezone.localdate(begins) if begins is not None and begins > at else None
    _log_view(request, child, f"Viewed the record as at {day.isoformat()}")
    context = {
        "child": child,
        "day": day,
        "rows": rows,
        "no_history_before": no_history_before,
        "error": error,
        "sections": selectors.child_record_as_at(child_id=child.pk, at=at) if as_was is not None else [],
        "changes": selectors.changes_up_to(child_id=child.pk, at=at),
    }
    return render(request, "audit/child_as_at.html", context)


def _display(instance: Person, field: str) -> Any:
    value = getattr(instance, field)
    if value not in (None, "") and getattr(instance._meta.get_field(field), "choices", None):
        return getattr(instance, f"get_{field}_display")()
    return value
