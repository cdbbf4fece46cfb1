"""Prospective adopters: the list of households in the process, an enquiry, a household's stages, the next step
and leaving the process. Thin views: a form, one service, back to the household; a refusal re-shows the form
with the GOV.UK error summary and nothing written. Adopters are adults, not child records: the pages are for the
roles that record casework (adoption social workers and their managers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from safehold.accounts.policies import policy
from safehold.adoption import forms, selectors, services
from safehold.adoption.models import AdopterHousehold
from safehold.core import clock
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.core.middleware import request_id
from safehold.frontend.forms import GovUKForm


def _form_page(
    request: HttpRequest,
    *,
    form_class: type[GovUKForm],
    title: str,
    submit: str,
    success: str,
    save: Callable[[Any], AdopterHousehold],
    household: AdopterHousehold | None = None,
    initial: dict[str, Any] | None = None,
    blocked: str = "",
    lead: str = "",
) -> HttpResponse:
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            if blocked:
                form.add_error(None, blocked)
            else:
                try:
                    saved = save(form)
                except (ValidationFailed, ConcurrentEditError) as exc:
                    form.add_service_error(exc)
                else:
                    messages.success(request, success)
                    return redirect("adoption:household", saved.pk)
    else:
        form = form_class(initial=initial)
    ctx = {"form": form, "title": title, "submit": submit, "household": household, "blocked": blocked, "lead": lead}
    return render(request, "adoption/form.html", ctx)


@policy("records_casework")
@login_required
@require_GET
def adopters(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    rows = list(selectors.households(current_only=not show_all)[:500])
    return render(request, "adoption/adopters.html", {"rows": rows, "show_all": show_all})


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def enquiry(request: HttpRequest) -> HttpResponse:
    def save(form: forms.EnquiryForm) -> AdopterHousehold:
        d = form.cleaned_data
        people = [
            services.AdopterDetails(
                d["given_name_1"], d["family_name_1"], d["sex_1"], d["ethnicity_1"], bool(d["disabled_1"])
            )
        ]
        if (d.get("given_name_2") or "").strip():
            people.append(
                services.AdopterDetails(
                    d["given_name_2"], d["family_name_2"], d["sex_2"], d["ethnicity_2"] or "NOBT", bool(d["disabled_2"])
                )
            )
        return services.adopter_enquiry_record(
            actor=request.user,
            enquiry_on=d["enquiry_on"],
            adopters=people,
            fostering_for_adoption=bool(d["fostering_for_adoption"]),
            request_id=request_id(request),
        )

    return _form_page(
        request,
        form_class=forms.EnquiryForm,
        title="Record an adoption enquiry",
        submit="Save enquiry",
        success="Enquiry recorded",
        save=save,
        initial={"enquiry_on": clock.today(), "ethnicity_1": "NOBT", "ethnicity_2": "NOBT"},
    )


@policy("records_casework")
@login_required
@require_GET
def household(request: HttpRequest, adopters_pk: int) -> HttpResponse:
    h = selectors.household(pk=adopters_pk)
    return render(request, "adoption/household.html", {"h": h, "steps": _steps(h)})


def _steps(h: AdopterHousehold) -> list[tuple[str, Any]]:
    from safehold.adoption.models import STEPS

    return [("Enquiry received", h.enquiry_on), *((label, getattr(h, f)) for f, label in STEPS)]


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, adopters_pk: int) -> HttpResponse:
    h = selectors.household(pk=adopters_pk)
    nxt = h.next_step

    def save(form: forms.StepForm) -> AdopterHousehold:
        d = form.cleaned_data
        assert nxt is not None  # blocked otherwise
        return services.adopter_step_record(
            actor=request.user,
            household=h,
            expected_version=d["version"],
            step=nxt[0],
            on=d["on"],
            children_placed=d["children_placed"],
            request_id=request_id(request),
        )

    blocked = "" if nxt else "There is no further step to record for this household"
    title = f"Record: {nxt[1]}" if nxt else "Record the next step"
    lead = "Enter the number of children placed." if nxt and nxt[0] == "placed_on" else ""
    return _form_page(
        request,
        form_class=forms.StepForm,
        title=title,
        submit="Save",
        success="Step recorded",
        save=save,
        household=h,
        initial={"version": h.version, "on": clock.today()},
        blocked=blocked,
        lead=lead,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, adopters_pk: int) -> HttpResponse:
    h = selectors.household(pk=adopters_pk)

    def save(form: forms.LeaveForm) -> AdopterHousehold:
        d = form.cleaned_data
        return services.adopters_leave(
            actor=request.user,
            household=h,
            expected_version=d["version"],
            left_on=d["left_on"],
            reason=d["reason"],
            notes=d["notes"],
            request_id=request_id(request),
        )

    blocked = "This household is no longer in the process" if h.left_on or h.adoption_order_on else ""
    return _form_page(
        request,
        form_class=forms.LeaveForm,
        title="Leaving the adoption process",
        submit="Save",
        success="Leaving recorded",
        save=save,
        household=h,
        initial={"version": h.version, "left_on": clock.today()},
        blocked=blocked,
    )
