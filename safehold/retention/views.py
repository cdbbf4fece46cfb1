"""Retention pages: thin adapters (parse → authorise → one service or selector → render).

The review list, the decision page, legal holds and the disposal log are the data protection officer's
("retention_officer"). The schedule is readable by the data protection officer and system administrators and
editable by administrators ("admin"). Pages that name children log an access event for each child shown; a
restricted record the officer may not open is shown without its name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.audit.services import access_record_many
from safehold.core import clock
from safehold.core.exceptions import SafeholdError
from safehold.core.middleware import request_id
from safehold.people.models import Person
from safehold.retention import forms, selectors, services
from safehold.retention.choices import ItemStatus
from safehold.retention.models import LegalHold, RetentionRule


def _visible(request: HttpRequest, person_ids: Iterable[int]) -> set[int]:
    """Of ``person_ids``, the records this user may open (the rest are shown without a name); logs the reads."""
    ids = sorted(set(person_ids))
    visible = set(Person.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    if visible:
        access_record_many(
            actor=request.user,
            kind="view",
            child_ids=sorted(visible),
            path=request.path,
            request_id=request_id(request),
        )
    return visible


@policy("retention_officer")
def review(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.review_list(), 50).get_page(request.GET.get("page"))
    items = list(page.object_list)
    recent = list(selectors.recent_items()) if page.number == 1 else []
    visible = _visible(request, [i.person_id for i in items] + [i.person_id for i in recent])
    ctx = {
        "page": page,
        "items": items,
        "recent": recent,
        "visible": visible,
        "counts": selectors.open_item_status_counts(),
        "active_holds": selectors.holds().filter(released_at__isnull=True).count(),
        "nav": "retention",
    }
    return render(request, "retention/review.html", ctx)


@policy("retention_officer")
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, item_pk: int) -> HttpResponse:
    review_item = selectors.item_for(item_pk)
    if request.method == "POST":
        form = forms.DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.review_decide(
                    actor=request.user,
                    item=review_item,
                    decision=data["decision"],
                    reason=data["reason"],
                    defer_until=data.get("defer_until"),
                    expected_version=data["version"],
                    request_id=request_id(request),
                )
            except SafeholdError as exc:
                form.add_service_error(exc)
            else:
                if done.status == ItemStatus.DISPOSED:
                    assert done.disposal is not None
                    messages.success(request, f"Record disposed of: reference {done.disposal.reference}")
                else:
                    messages.success(request, f"Decision deferred until {done.defer_until:%-d %B %Y}")
                return redirect("retention:review")
            review_item = selectors.item_for(item_pk)
    else:
        form = forms.DecisionForm(initial={"version": review_item.version})
    visible = _visible(request, [review_item.person_id])
    specs = selectors.rule_specs()
    found = selectors.facts([review_item.person_id]).get(review_item.person_id)
    ctx = {
        "item": review_item,
        "form": form,
        "shown": review_item.person_id in visible,
        "types": selectors.describe_facts(found, specs) if found is not None else [],
        "holds": selectors.active_holds(review_item.person_id),
        "decisions": list(review_item.decisions.all()),
        "may_decide": review_item.status == ItemStatus.PROPOSED,
        "nav": "retention",
    }
    return render(request, "retention/item.html", ctx)


@policy("retention_officer")
def holds(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.holds(), 50).get_page(request.GET.get("page"))
    visible = _visible(request, [h.person_id for h in page.object_list])
    return render(request, "retention/holds.html", {"page": page, "visible": visible, "nav": "retention"})


@policy("retention_officer")
@require_http_methods(["GET", "POST"])
def hold_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    item_pk = request.GET.get("item", "")
    if request.method == "GET" and item_pk.isdigit():
        from safehold.retention.models import ReviewItem

        found = ReviewItem.objects.filter(pk=int(item_pk)).select_related("person").first()
        if found is not None and found.person_id in _visible(request, [found.person_id]):
            initial["la_child_id"] = found.person.la_child_id or ""
    form = forms.HoldForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = selectors.child_by_la_child_id(data["la_child_id"])
        if person is None:
            form.add_error("la_child_id", "No child's record has this LA child id")
        else:
            try:
                services.hold_place(
                    actor=request.user, person=person, reason=data["reason"], request_id=request_id(request)
                )
            except SafeholdError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Legal hold placed. The record will not be disposed of while it is held.")
                return redirect("retention:holds")
    return render(request, "retention/hold_new.html", {"form": form, "nav": "retention"})


@policy("retention_officer")
@require_http_methods(["GET", "POST"])
def hold_release(request: HttpRequest, hold_pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold.objects.select_related("person"), pk=hold_pk, released_at__isnull=True)
    if request.method == "POST":
        form = forms.HoldReleaseForm(request.POST)
        if form.is_valid():
            try:
                services.hold_release(
                    actor=request.user,
                    hold=hold,
                    reason=form.cleaned_data["release_reason"],
                    expected_version=form.cleaned_data["version"],
                    request_id=request_id(request),
                )
            except SafeholdError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Legal hold released")
                return redirect("retention:holds")
    else:
        form = forms.HoldReleaseForm(initial={"version": hold.version})
    shown = hold.person_id in _visible(request, [hold.person_id])
    ctx = {"form": form, "hold": hold, "shown": shown, "nav": "retention"}
    return render(request, "retention/hold_release.html", ctx)


@policy("retention_officer")
def log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.disposal_log(), 50).get_page(request.GET.get("page"))
    return render(request, "retention/log.html", {"page": page, "nav": "retention"})


@policy("retention_schedule")
def schedule(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "retention/schedule.html",
        {"rules": selectors.rules(), "today": clock.today(), "nav": "retention-schedule"},
    )


@policy("admin")
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_pk: int) -> HttpResponse:
    rule = get_object_or_404(RetentionRule, pk=rule_pk)
    if request.method == "POST":
        form = forms.RuleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rule_update(
                    actor=request.user,
                    rule=rule,
                    expected_version=data["version"],
                    basis=data["basis"],
                    years=data["years"],
                    death_years=data["death_years"],
                    source=data["source"],
                    reason=data["reason"],
                    request_id=request_id(request),
                )
            except SafeholdError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Retention rule for {rule.get_record_type_display().lower()} saved")
                return redirect("retention:schedule")
            rule.refresh_from_db()
    else:
        form = forms.RuleForm(
            initial={
                "version": rule.version,
                "basis": rule.basis,
                "years": rule.years,
                "death_years": rule.death_years,
                "source": rule.source,
            }
        )
    return render(request, "retention/rule_edit.html", {"form": form, "rule": rule, "nav": "retention-schedule"})
