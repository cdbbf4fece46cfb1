"""Subject access request pages: thin adapters (parse → authorise → one service or selector → render).

Every page is the data protection officer's ("subject_access"); a request whose person the officer may not see
(a restricted record) is a 404. Each page that shows the record logs an access event for the person's record:
"view" for the review pages, "export" for the JSON download and "print" for the printable copy.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.audit.services import access_record
from safehold.core import clock
from safehold.core.exceptions import SafeholdError
from safehold.core.middleware import request_id
from safehold.subject_access import selectors, services
from safehold.subject_access.choices import EXEMPTION_BY_CODE, SarStatus
from safehold.subject_access.forms import WHOLE_ITEM, DecisionForm, OpenForm, PhraseForm, RedactForm, SubmitForm
from safehold.subject_access.models import SarRedaction, SubjectAccessRequest
from safehold.subject_access.redact import released_item

ITEMS_PER_PAGE = 100



def _log(request: HttpRequest, sar: SubjectAccessRequest, kind: str = "view") -> None:
    if sar.person.is_child_record:
        access_record(
            actor=request.user,
            kind=kind,
            child_id=sar.person_id,
            path=request.path,
            detail=f"subject access request {sar.reference}",
            request_id=request_id(request),
        )


def _field_label(redaction: SarRedaction) -> str:
    if redaction.item is None or not redaction.field:
        return ""
    return next((f["label"] for f in redaction.item.fields if f["name"] == redaction.field), redaction.field)


@policy("subject_access")
@require_http_methods(["GET"])
def request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.requests_for(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "subject_access/list.html", {"page": page, "today": clock.today(), "nav": "subject-access"})


@policy("subject_access")
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = selectors.people_by_identifier(user=request.user, identifier=data["la_child_id"])
        person = people[0] if len(people) == 1 else None
        if not people:
            form.add_error("la_child_id", "No record you can open has this LA child id or NHS number")
        elif person is None:
            form.add_error(
                "la_child_id",
                "More than one record has this NHS number: enter the LA child id, and ask for the duplicates to be "
                "merged",
            )
        else:
            try:
                sar = services.sar_open(
                    actor=request.user,
                    person=person,
                    requester=data["requester"],
                    received_on=data["received_on"],
                    request_id=request_id(request),
                )
            except SafeholdError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, f"Request {sar.reference} opened: {sar.items.count()} items to review")
                return redirect("subject_access:detail", sar_pk=sar.pk)
    return render(request, "subject_access/new.html", {"form": form, "nav": "subject-access"})


@policy("subject_access")
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, sar_pk: int) -> HttpResponse:
    sar = selectors.request_for(user=request.user, pk=sar_pk)
    phrase_form = PhraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and phrase_form.is_valid():
        try:
            services.sar_redact(
                actor=request.user,
                sar=sar,
                item=None,
                fields=[],
                text=phrase_form.cleaned_data["phrase"],
                reason=phrase_form.cleaned_data["phrase_reason"],
                request_id=request_id(request),
            )
        except SafeholdError as exc:
            phrase_form.add_service_error(exc)
        else:
            messages.success(request, "The word or phrase will be redacted everywhere in the release")
            return redirect("subject_access:detail", sar_pk=sar.pk)
    _log(request, sar)
    page = Paginator(sar.items.all(), ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.redaction_counts(sar=sar)
    ctx: dict[str, Any] = {
        "sar": sar,
        "page": page,
        "items": [(item, counts.get(item.pk, 0)) for item in page.object_list],
        "redactions": [(r, _field_label(r)) for r in selectors.redactions(sar=sar)],
        "phrase_form": phrase_form,
        "form": phrase_form,
        "submit_form": SubmitForm(initial={"version": sar.version}),
        "separate_approver": services.separate_approver_required(),
        "may_approve": sar.status == SarStatus.AWAITING_APPROVAL
        and (not services.separate_approver_required() or sar.submitted_by_id != request.user.pk),
        "nav": "subject-access",
    }
    return render(request, "subject_access/detail.html", ctx)


@policy("subject_access")
@require_http_methods(["GET", "POST"])
def item_review(request: HttpRequest, sar_pk: int, item_pk: int) -> HttpResponse:
    sar = selectors.request_for(user=request.user, pk=sar_pk)
    item = selectors.item_for(sar=sar, pk=item_pk)
    form = RedactForm(request.POST if request.method == "POST" else None, item_fields=item.fields)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["fields_to_redact"]
        fields = [""] if WHOLE_ITEM in chosen else list(chosen)
        try:
            services.sar_redact(
                actor=request.user,
                sar=sar,
                item=item,
                fields=fields,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request_id=request_id(request),
            )
        except SafeholdError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Redaction recorded")
            return redirect("subject_access:item", sar_pk=sar.pk, item_pk=item.pk)
    _log(request, sar)
    item_dict = selectors.item_dicts(sar=sar, items=[item])[0]
    ctx = {
        "sar": sar,
        "item": item,
        "form": form,
        "released": released_item(item_dict, selectors.marks(sar=sar)),
        "redactions": list(item.redactions.select_related("marked_by")),
        "exemptions": EXEMPTION_BY_CODE,
        "labels": {f["name"]: f["label"] for f in item.fields},
        "nav": "subject-access",
    }
    return render(request, "subject_access/item.html", ctx)


@policy("subject_access")
@require_http_methods(["POST"])
def redaction_remove(request: HttpRequest, sar_pk: int, redaction_pk: int) -> HttpResponse:
    sar = selectors.request_for(user=request.user, pk=sar_pk)
    redaction = get_object_or_404(SarRedaction.objects.select_related("sar__person"), sar=sar, pk=redaction_pk)
    item_pk = redaction.item_id
    try:
        services.sar_redaction_remove(actor=request.user, redaction=redaction, request_id=request_id(request))
    except SafeholdError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Redaction removed")
    if item_pk is not None:
        return redirect("subject_access:item", sar_pk=sar.pk, item_pk=item_pk)
    return redirect("subject_access:detail", sar_pk=sar.pk)


@policy("subject_access")
@require_http_methods(["POST"])
def submit(request: HttpRequest, sar_pk: int) -> HttpResponse:
    sar = selectors.request_for(user=request.user, pk=sar_pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.sar_submit(
                actor=request.user,
                sar=sar,
                expected_version=form.cleaned_data["version"],
                request_id=request_id(request),
            )
        except SafeholdError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Sent for approval")
    else:
        messages.error(request, "Reload the page and try again")
    return redirect("subject_access:detail", sar_pk=sar.pk)


@policy("subject_access")
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, sar_pk: int) -> HttpResponse:
    sar = selectors.request_for(user=request.user, pk=sar_pk)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                done = services.sar_decide(
                    actor=request.user,
                    sar=sar,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                    request_id=request_id(request),
                )
            except SafeholdError as exc:
                form.add_service_error(exc)
                sar = selectors.request_for(user=request.user, pk=sar_pk)
            else:
                if done.status == SarStatus.RELEASED:
                    messages.success(request, f"Release approved: {done.reference}")
                else:
                    messages.success(request, "Returned to the reviewer")
                return redirect("subject_access:detail", sar_pk=sar.pk)
    else:
        form = DecisionForm(initial={"version": sar.version})
    _log(request, sar)
    ctx = {
        "sar": sar,
        "form": form,
        "awaiting": sar.status == SarStatus.AWAITING_APPROVAL,
        "redaction_count": sar.redactions.count(),
        "item_count": sar.items.count(),
        "nav": "subject-access",
    }
    return render(request, "subject_access/approve.html", ctx)


def _released(request: HttpRequest, sar: SubjectAccessRequest) -> bool:
    if sar.status == SarStatus.RELEASED and sar.export is not None:
        return True
    messages.error(request, "The export is available once an officer has approved the release")
    return False


@policy("subject_access")
@require_http_methods(["GET"])
def export_json(request: HttpRequest, sar_pk: int) -> HttpResponse:
    sar = selectors.request_for(user=request.user, pk=sar_pk)
    if not _released(request, sar):
        return redirect("subject_access:detail", sar_pk=sar.pk)
    _log(request, sar, "export")
    assert sar.export is not None
    response = HttpResponse(services.export_bytes(sar.export), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{sar.reference}.json"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@policy("subject_access")
@require_http_methods(["GET"])
def print_copy(request: HttpRequest, sar_pk: int) -> HttpResponse:
    sar = selectors.request_for(user=request.user, pk=sar_pk)
    if not _released(request, sar):
        return redirect("subject_access:detail", sar_pk=sar.pk)
    _log(request, sar, "print")
    assert sar.export is not None
    ctx = {"sar": sar, "export": sar.export, "released_at": parse_datetime(str(sar.export.get("released_at", "")))}
    response = render(request, "subject_access/print.html", ctx)
    response["Cache-Control"] = "no-store"
    return response
