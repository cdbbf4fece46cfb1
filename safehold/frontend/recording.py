"""The machinery every "record something about a child" page shares (casework, children in care, proceedings,
exploitation): the child the user may record on, the access event for a page that shows the child, and the
one-form page that parses a form, calls one service and goes back to the child's record.

A refusal from the service (``ValidationFailed``) or a stale edit (``ConcurrentEditError``) re-shows the form
with the GOV.UK error summary; the service's transaction has rolled back, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safehold.audit.services import access_record
from safehold.casework import selectors
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.core.middleware import request_id
from safehold.frontend.forms import GovUKForm
from safehold.people.models import Person


def staff_of(request: HttpRequest) -> Any:
    return getattr(request.user, "staff", None)


def log_view(request: HttpRequest, child: Person) -> None:
    access_record(actor=request.user, kind="view", child_id=child.pk, path=request.path, request_id=request_id(request))


def recording_child(request: HttpRequest, pk: int) -> Person:
    """The child, if the user may see them (else 404).

    The recording views declare the "records_casework" policy, so a role that cannot record never gets here:
    the policy middleware refuses it with a 403 for a child it may see and a 404 for any other.
    """
    return selectors.child_for(user=request.user, pk=pk)


@dataclass
class Page:
    title: str
    rules: tuple[str, ...] = ()
    submit: str = "Save"
    success: str = "Saved"
    lead: str = ""


def form_page(
    request: HttpRequest,
    *,
    child: Person,
    form_class: type[GovUKForm],
    page: Page,
    save: Callable[[Any], Any],
    initial: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    blocked: str = "",
    context: dict[str, Any] | None = None,
    template: str = "casework/form.html",
    back: str = "",
) -> HttpResponse:
    """GET shows the form; a valid POST calls ``save(form)`` (one service) and goes ``back`` (a URL; by default
    the child's record). ``template`` is the page (each area's form page extends the same layout)."""
    kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            if blocked:
                form.add_error(None, blocked)
            else:
                try:
                    save(form)
                except (ValidationFailed, ConcurrentEditError) as exc:
                    form.add_service_error(exc)
                else:
                    messages.success(request, page.success)
                    return redirect(back or reverse("frontend:child", args=[child.pk]))
    else:
        form = form_class(initial=initial, **kwargs)
    log_view(request, child)
    due = selectors.due_for_form(child=child, rule_codes=list(page.rules)) if page.rules else []
    ctx = {"child": child, "form": form, "page": page, "due": due, "blocked": blocked, **(context or {})}
    return render(request, template, ctx)
