"""Thin views: parse → authorise → call a selector or service → render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from safehold.accounts.policies import policy
from safehold.audit.services import access_record
from safehold.people.models import Person
from safehold.workforce.selectors import caseload_for, plan_label


@policy("public")
def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@policy("signed_in")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    children = list(caseload_for(user=request.user))
    for child in children:
        child.plan_label = plan_label(child)  # type: ignore[attr-defined]
    return render(request, "frontend/home.html", {"children": children, "nav": "caseload"})


@policy("named_children")
@login_required
def child_record(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(Person.objects.visible_to(request.user).children(), pk=pk)
    access_record(
        actor=request.user,
        kind="view",
        child_id=child.pk,
        path=request.path,
        request_id=getattr(request, "request_id", ""),
    )
    return render(request, "frontend/child_record.html", {"child": child})
