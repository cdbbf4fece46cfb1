"""Pre-proceedings and care proceedings pages: one overview per child and thin form views.

Each form view parses a form, calls one service and goes back to the child's proceedings page; a refusal
re-shows the form with the GOV.UK error summary, and the service's transaction has written nothing. Every page
names the child, so every page logs an access event. The overview shows the 26-week PLO deadline as the
timescales engine holds it, with its rule and source.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from safehold.accounts.policies import allows, policy
from safehold.casework import selectors as casework_selectors
from safehold.core import clock
from safehold.core.middleware import request_id
from safehold.frontend.recording import Page, form_page, log_view, recording_child
from safehold.people.models import Person
from safehold.proceedings import forms, selectors, services

PLO = ("plo_proceedings",)


def _form_page(request: HttpRequest, *, child: Person, **kwargs: Any) -> HttpResponse:
    """The shared one-form page (:func:`safehold.frontend.recording.form_page`), back to the proceedings page."""
    back = reverse("proceedings:overview", args=[child.pk])
    return form_page(request, child=child, template="proceedings/form.html", back=back, **kwargs)


@policy("named_children")
@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's pre-proceedings and proceedings, the PLO deadline and the actions that apply."""
    child = casework_selectors.child_for(user=request.user, pk=pk)
    log_view(request, child)
    case = selectors.case_for(child=child)
    context = {
        "child": child,
        "case": case,
        "can_record": allows("records_casework", request.user),
        "fgdm_duty_from": services.fgdm_duty_from(),
    }
    return render(request, "proceedings/overview.html", context)


# --- pre-proceedings -----------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pre_start(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.PreProceedingsStartForm) -> Any:
        return services.pre_proceedings_start(
            actor=request.user, child=child, started_on=form.cleaned_data["started_on"], request_id=request_id(request)
        )

    page = Page(
        "Start pre-proceedings",
        (),
        "Start pre-proceedings",
        "Pre-proceedings started",
        "Pre-proceedings under the Public Law Outline: the letter before proceedings, the offer of a family "
        "group decision-making meeting, and meetings with the parents and their lawyers.",
    )
    case = selectors.case_for(child=child)
    blocked = "" if case.can_start_pre_proceedings else "This child is already in pre-proceedings or proceedings"
    return _form_page(
        request,
        child=child,
        form_class=forms.PreProceedingsStartForm,
        page=page,
        save=save,
        initial={"started_on": clock.today()},
        blocked=blocked,
    )


def _pp_blocked(pp: Any) -> str:
    return "" if pp.is_open else "Pre-proceedings have ended for this child"


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, pk: int, pp_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    pp = selectors.pre_proceedings_for(child=child, pk=pp_pk)

    def save(form: forms.LetterForm) -> Any:
        d = form.cleaned_data
        return services.letter_before_proceedings_record(
            actor=request.user,
            pre_proceedings=pp,
            expected_version=d["version"],
            sent_on=d["sent_on"],
            request_id=request_id(request),
        )

    lead = "The letter tells the parents that the council is considering applying to the court."
    if services.fgdm_duty_applies(clock.today()):
        lead += " It must include the offer of a family group decision-making meeting."
    page = Page("Record the letter before proceedings", (), "Save letter", "Letter before proceedings recorded", lead)
    blocked = _pp_blocked(pp) or ("The letter is already recorded" if pp.letter_sent_on else "")
    return _form_page(
        request,
        child=child,
        form_class=forms.LetterForm,
        page=page,
        save=save,
        initial={"version": pp.version, "sent_on": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def fgdm(request: HttpRequest, pk: int, pp_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    pp = selectors.pre_proceedings_for(child=child, pk=pp_pk)

    def save(form: forms.FGDMOfferForm) -> Any:
        d = form.cleaned_data
        return services.fgdm_offer_record(
            actor=request.user,
            pre_proceedings=pp,
            expected_version=d["version"],
            offered_on=d["offered_on"],
            response=d["response"],
            held_on=d["held_on"],
            not_held_reason=d["not_held_reason"],
            request_id=request_id(request),
        )

    page = Page(
        "Family group decision-making meeting",
        (),
        "Save",
        "Family group decision-making offer recorded",
        "Before applying for a care or supervision order the council must offer the parents a family group "
        "decision-making meeting; if one of them accepts, it must be held before the application unless that "
        "is not in the child's best interests (Children's Wellbeing and Schools Act 2026, section 1).",
    )
    initial = {
        "version": pp.version,
        "offered_on": pp.fgdm_offered_on or pp.letter_sent_on or clock.today(),
        "response": pp.fgdm_response,
        "held_on": pp.fgdm_held_on,
        "not_held_reason": pp.fgdm_not_held_reason,
    }
    return _form_page(
        request,
        child=child,
        form_class=forms.FGDMOfferForm,
        page=page,
        save=save,
        initial=initial,
        blocked=_pp_blocked(pp),
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int, pp_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    pp = selectors.pre_proceedings_for(child=child, pk=pp_pk)

    def save(form: forms.MeetingForm) -> Any:
        d = form.cleaned_data
        return services.pre_proceedings_meeting_record(
            actor=request.user,
            pre_proceedings=pp,
            kind=d["kind"],
            held_on=d["held_on"],
            next_review_on=d["next_review_on"],
            notes=d["notes"],
            request_id=request_id(request),
        )

    page = Page("Record a pre-proceedings meeting", (), "Save meeting", "Meeting recorded")
    return _form_page(
        request,
        child=child,
        form_class=forms.MeetingForm,
        page=page,
        save=save,
        initial={"held_on": clock.today()},
        blocked=_pp_blocked(pp),
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, pk: int, pp_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    pp = selectors.pre_proceedings_for(child=child, pk=pp_pk)

    def save(form: forms.DecisionForm) -> Any:
        d = form.cleaned_data
        return services.pre_proceedings_decide(
            actor=request.user,
            pre_proceedings=pp,
            expected_version=d["version"],
            decision=d["decision"],
            decided_on=d["decided_on"],
            request_id=request_id(request),
        )

    page = Page(
        "Decide the outcome of pre-proceedings",
        (),
        "Save decision",
        "Decision recorded",
        "Recording the application to the court also records a decision to apply.",
    )
    return _form_page(
        request,
        child=child,
        form_class=forms.DecisionForm,
        page=page,
        save=save,
        initial={"version": pp.version, "decided_on": clock.today()},
        blocked=_pp_blocked(pp),
    )


# --- proceedings -----------------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.ApplicationForm) -> Any:
        d = form.cleaned_data
        return services.proceedings_issue(
            actor=request.user,
            child=child,
            application_type=d["application_type"],
            issued_on=d["issued_on"],
            court=d["court"],
            case_number=d["case_number"],
            request_id=request_id(request),
        )

    page = Page(
        "Record the application to the court",
        PLO,
        "Save application",
        "Application recorded",
        "Issuing the application starts the 26-week timetable.",
    )
    blocked = "" if selectors.case_for(child=child).can_apply else "Care proceedings are already under way"
    return _form_page(
        request,
        child=child,
        form_class=forms.ApplicationForm,
        page=page,
        save=save,
        initial={"issued_on": clock.today()},
        blocked=blocked,
    )


def _proceedings_blocked(proceedings: Any) -> str:
    return "" if proceedings.is_open else "These proceedings have concluded"


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def hearing(request: HttpRequest, pk: int, proc_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    proceedings = selectors.proceedings_for(child=child, pk=proc_pk)

    def save(form: forms.HearingForm) -> Any:
        d = form.cleaned_data
        return services.hearing_record(
            actor=request.user,
            proceedings=proceedings,
            kind=d["kind"],
            heard_on=d["heard_on"],
            notes=d["notes"],
            request_id=request_id(request),
        )

    page = Page("Record a hearing", PLO, "Save hearing", "Hearing recorded")
    return _form_page(
        request,
        child=child,
        form_class=forms.HearingForm,
        page=page,
        save=save,
        initial={"heard_on": clock.today()},
        blocked=_proceedings_blocked(proceedings),
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def extension(request: HttpRequest, pk: int, proc_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    proceedings = selectors.proceedings_for(child=child, pk=proc_pk)

    def save(form: forms.ExtensionForm) -> Any:
        d = form.cleaned_data
        return services.extension_record(
            actor=request.user,
            proceedings=proceedings,
            granted_on=d["granted_on"],
            extended_to=d["extended_to"],
            reason=d["reason"],
            request_id=request_id(request),
        )

    page = Page(
        "Record an extension of the timetable",
        PLO,
        "Save extension",
        "Extension recorded",
        "The court may extend the timetable only if that is necessary to resolve the proceedings justly, by "
        "up to 8 weeks at a time (Children Act 1989, section 32(5)).",
    )
    return _form_page(
        request,
        child=child,
        form_class=forms.ExtensionForm,
        page=page,
        save=save,
        initial={"granted_on": clock.today()},
        blocked=_proceedings_blocked(proceedings),
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def conclude(request: HttpRequest, pk: int, proc_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    proceedings = selectors.proceedings_for(child=child, pk=proc_pk)

    def save(form: forms.ConcludeForm) -> Any:
        d = form.cleaned_data
        return services.proceedings_conclude(
            actor=request.user,
            proceedings=proceedings,
            expected_version=d["version"],
            concluded_on=d["concluded_on"],
            outcome=d["outcome"],
            request_id=request_id(request),
        )

    page = Page("Record the final order", PLO, "Save outcome", "Outcome recorded")
    return _form_page(
        request,
        child=child,
        form_class=forms.ConcludeForm,
        page=page,
        save=save,
        initial={"version": proceedings.version, "concluded_on": clock.today()},
        blocked=_proceedings_blocked(proceedings),
    )
