"""Casework forms: thin views that parse a form, call one service and go back to the child's record.

A refusal from the service (``ValidationFailed``) or a stale edit (``ConcurrentEditError``) re-shows the
form with the GOV.UK error summary; the service's transaction has rolled back, so nothing is written.
Every page that shows a child's details logs an access event.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.audit.services import access_record_many
from safehold.casework import forms, selectors, services
from safehold.casework.models import Assessment, ChildProtectionPlan, CINPlan, Contact, Section47
from safehold.core import clock
from safehold.core.middleware import request_id
from safehold.frontend.recording import Page, form_page, recording_child, staff_of
from safehold.people.models import Person
from safehold.people.policies import restricted_matches

# --- Search ------------------------------------------------------------------------------------------------


def _matching_children(data: dict[str, Any]) -> QuerySet[Person]:
    """Every child record matching the search terms, before visibility (only ever passed to restricted_matches)."""
    qs = Person.objects.children()
    for word in data["name"].split():
        qs = qs.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(other_names__icontains=word))
    if data["date_of_birth"]:
        qs = qs.filter(Q(date_of_birth=data["date_of_birth"]) | Q(expected_date_of_birth=data["date_of_birth"]))
    if data["nhs_number"]:
        qs = qs.filter(nhs_number=data["nhs_number"].replace(" ", ""))
    if data["la_child_id"]:
        qs = qs.filter(la_child_id__iexact=data["la_child_id"].strip())
    return qs


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Search terms are posted, never put in the URL. Each child in the results is logged as a search hit.

    Restricted records the user cannot see are never listed. A role that may break glass is told only that
    a restricted record matches, with a link to give a reason; everyone else learns nothing of them.
    """
    from safehold.frontend.forms import SearchForm

    results: list[Person] | None = None
    restricted: list[int] = []
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            results = selectors.children_search(
                user=request.user,
                name=data["name"],
                date_of_birth=data["date_of_birth"],
                nhs_number=data["nhs_number"],
                la_child_id=data["la_child_id"],
            )
            access_record_many(
                actor=request.user,
                kind="search",
                child_ids=[c.pk for c in results],
                path=request.path,
                request_id=request_id(request),
            )
            matches = _matching_children(data)
            restricted = restricted_matches(user=request.user, matches=matches)[: selectors.SEARCH_LIMIT]
    else:
        form = SearchForm()
    return render(
        request,
        "frontend/search.html",
        {
            "form": form,
            "results": results,
            "restricted": restricted,
            "nav": "search",
            "limit": selectors.SEARCH_LIMIT,
        },
    )


# --- Front door --------------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.ContactForm) -> Any:
        d = form.cleaned_data
        return services.contact_record(
            actor=request.user, child=child, received_at=form.received_at(), source=d["source"],
            summary=d["summary"], referrer_name=d["referrer_name"], request_id=request_id(request),
        )

    page = Page("Record a contact", ("contact_decision",), "Save contact", "Contact recorded")
    return form_page(request, child=child, form_class=forms.ContactForm, page=page, save=save)


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def contact_decide(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    contact = get_object_or_404(Contact, pk=contact_pk, child=child)

    def save(form: forms.ContactDecisionForm) -> Any:
        d = form.cleaned_data
        return services.contact_decide(
            actor=request.user, contact=contact, expected_version=d["version"], outcome=d["outcome"],
            threshold_level=d["threshold_level"], reason=d["reason"], decided_by=staff_of(request),
            request_id=request_id(request),
        )

    page = Page("Decide on the contact", ("contact_decision", "referral_decision"), "Save decision",
                "Decision recorded")
    blocked = "A decision has already been recorded for this contact" if contact.outcome else ""
    return form_page(
        request, child=child, form_class=forms.ContactDecisionForm, page=page, save=save,
        initial={"version": contact.version}, blocked=blocked, context={"contact": contact},
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    pos = selectors.current_position(child=child)
    contacts = pos.referral_contacts

    def save(form: forms.ReferralForm) -> Any:
        d = form.cleaned_data
        contact = next((c for c in contacts if c.pk == d["contact"]), None)
        return services.referral_create(
            actor=request.user, child=child, referral_date=d["referral_date"], source=d["source"],
            primary_need=d["primary_need"], contact=contact, request_id=request_id(request),
        )

    initial: dict[str, Any] = {"referral_date": clock.today()}
    if contacts:
        initial.update({"contact": contacts[0].pk, "source": contacts[0].source})
    blocked = "This child already has an open child-in-need episode" if pos.episode else ""
    page = Page("Record a referral", ("referral_decision", "assessment"), "Save referral", "Referral recorded")
    return form_page(
        request, child=child, form_class=forms.ReferralForm, page=page, save=save, initial=initial,
        form_kwargs={"contacts": contacts}, blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def episode_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The social worker asks to close the case; the team manager approves it (or returns it) from their
    sign-off queue, and only then does the episode close."""
    child = recording_child(request, pk)
    pos = selectors.current_position(child=child)
    episode = pos.episode

    def save(form: forms.ClosureForm) -> Any:
        d = form.cleaned_data
        assert episode is not None
        return services.closure_request(
            actor=request.user, episode=episode, expected_version=d["version"], closure_date=d["closure_date"],
            reason=d["reason"], nfa=d["nfa"], summary=d["summary"], requested_by=staff_of(request),
            request_id=request_id(request),
        )

    running = tuple(item.rule.code for item in selectors.open_deadlines(child=child))
    page = Page("Close the case", running, "Send to your manager for approval",
                "Closure sent to your manager for approval",
                "Your team manager approves the closure. When they do, the child-in-need episode ends and the clocks "
                "below stop. End any plan first.")
    blocked = ""
    if episode is None:
        blocked = "This child has no open child-in-need episode to close"
    elif pos.closure_pending:
        assert pos.closure_request is not None
        asked = timezone.localtime(pos.closure_request.requested_at)
        blocked = f"A request to close this case, sent on {asked:%-d %B %Y}, is awaiting the manager's approval"
    returned = pos.closure_request if pos.closure_request is not None and not pos.closure_pending else None
    return form_page(
        request, child=child, form_class=forms.ClosureForm, page=page, save=save,
        initial={"version": episode.version if episode else 1, "closure_date": clock.today()},
        blocked=blocked, context={"returned": returned},
    )


# --- Assessment --------------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    episode = selectors.current_position(child=child).episode

    def save(form: forms.AssessmentStartForm) -> Any:
        assert episode is not None
        return services.assessment_start(
            actor=request.user, episode=episode, start_date=form.cleaned_data["start_date"], worker=staff_of(request),
            request_id=request_id(request),
        )

    page = Page("Start an assessment", ("assessment",), "Start assessment", "Assessment started")
    return form_page(
        request, child=child, form_class=forms.AssessmentStartForm, page=page, save=save,
        initial={"start_date": clock.today()},
        blocked="" if episode else "This child has no open child-in-need episode. Record a referral first.",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def assessment_complete(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    assessment = get_object_or_404(Assessment.objects.select_related("episode"), pk=assessment_pk,
                                   episode__child=child)

    def save(form: forms.AssessmentCompleteForm) -> Any:
        d = form.cleaned_data
        return services.assessment_complete(
            actor=request.user, assessment=assessment, expected_version=d["version"],
            completed_date=d["completed_date"], factors=d["factors"], child_seen=d["child_seen"],
            outcome=d["outcome"], child_seen_date=d["child_seen_date"], request_id=request_id(request),
        )

    page = Page("Complete the assessment", ("assessment",), "Complete assessment",
                "Assessment completed. It now waits for a manager's sign-off.")
    return form_page(
        request, child=child, form_class=forms.AssessmentCompleteForm, page=page, save=save,
        initial={"version": assessment.version, "completed_date": clock.today()},
        blocked="This assessment is already complete" if assessment.completed_date else "",
    )


# --- Child protection --------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def strategy_discussion_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    episode = selectors.current_position(child=child).episode

    def save(form: forms.StrategyDiscussionForm) -> Any:
        d = form.cleaned_data
        assert episode is not None
        return services.strategy_discussion_record(
            actor=request.user, episode=episode, held_on=d["held_on"], start_section47=d["start_section47"],
            decision=d["decision"], agencies=d["agencies"], request_id=request_id(request),
        )

    page = Page("Record a strategy discussion", ("strategy_discussion", "icpc"), "Save strategy discussion",
                "Strategy discussion recorded")
    return form_page(
        request, child=child, form_class=forms.StrategyDiscussionForm, page=page, save=save,
        initial={"held_on": clock.today()},
        blocked="" if episode else "This child has no open child-in-need episode. Record a referral first.",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def strategy_decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    episode = selectors.current_position(child=child).episode

    def save(form: forms.StrategyDecisionForm) -> Any:
        d = form.cleaned_data
        assert episode is not None
        return services.strategy_decision_record(
            actor=request.user, episode=episode, decided_on=d["decided_on"], reason=d["reason"],
            decided_by=staff_of(request), request_id=request_id(request),
        )

    page = Page("Record a decision to hold a strategy discussion", ("strategy_discussion",), "Save decision",
                "Decision recorded", "The decision starts the clock for holding the strategy discussion; "
                "recording the discussion stops it.")
    return form_page(
        request, child=child, form_class=forms.StrategyDecisionForm, page=page, save=save,
        initial={"decided_on": clock.today()},
        blocked="" if episode else "This child has no open child-in-need episode. Record a referral first.",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def section47_complete(request: HttpRequest, pk: int, s47_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    s47 = get_object_or_404(Section47.objects.select_related("episode"), pk=s47_pk, episode__child=child)

    def save(form: forms.Section47CompleteForm) -> Any:
        d = form.cleaned_data
        return services.section47_complete(
            actor=request.user, section47=s47, expected_version=d["version"], completed_date=d["completed_date"],
            outcome=d["outcome"], request_id=request_id(request),
        )

    page = Page("End the section 47 enquiry", ("icpc",), "Save outcome", "Section 47 enquiry outcome recorded")
    return form_page(
        request, child=child, form_class=forms.Section47CompleteForm, page=page, save=save,
        initial={"version": s47.version, "completed_date": clock.today()},
        blocked="This enquiry has already ended" if s47.completed_date else "",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def icpc_new(request: HttpRequest, pk: int, s47_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    s47 = get_object_or_404(Section47.objects.select_related("episode"), pk=s47_pk, episode__child=child)

    def save(form: forms.ICPCForm) -> Any:
        d = form.cleaned_data
        return services.icpc_record(
            actor=request.user, section47=s47, held_on=d["held_on"], plan=d["plan"],
            initial_category=d["initial_category"], request_id=request_id(request),
        )

    page = Page("Record the initial child protection conference", ("icpc", "core_group_first", "cp_review_first"),
                "Save conference", "Initial child protection conference recorded")
    return form_page(
        request, child=child, form_class=forms.ICPCForm, page=page, save=save, initial={"held_on": clock.today()},
        blocked="An initial conference is already recorded for this enquiry" if s47.icpc_date else "",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def cp_review_new(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    plan = get_object_or_404(ChildProtectionPlan.objects.select_related("episode"), pk=plan_pk, episode__child=child)

    def save(form: forms.CPReviewForm) -> Any:
        d = form.cleaned_data
        return services.cp_review_record(
            actor=request.user, plan=plan, held_on=d["held_on"], continue_plan=d["continue_plan"],
            latest_category=d["latest_category"], request_id=request_id(request),
        )

    page = Page("Record a review child protection conference", ("cp_review_first", "cp_review_next"),
                "Save review", "Review conference recorded",
                "If the child no longer needs a child protection plan, the plan ends on the date of the review.")
    return form_page(
        request, child=child, form_class=forms.CPReviewForm, page=page, save=save,
        initial={"held_on": clock.today()}, blocked="This plan has ended" if plan.end_date else "",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def core_group_new(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    plan = get_object_or_404(ChildProtectionPlan.objects.select_related("episode"), pk=plan_pk, episode__child=child)

    def save(form: forms.CoreGroupForm) -> Any:
        return services.core_group_record(
            actor=request.user, plan=plan, held_on=form.cleaned_data["held_on"], request_id=request_id(request)
        )

    page = Page("Record a core group meeting", ("core_group_first", "core_group_next"), "Save meeting",
                "Core group meeting recorded")
    return form_page(
        request, child=child, form_class=forms.CoreGroupForm, page=page, save=save,
        initial={"held_on": clock.today()},
    )


# --- Child in need plans -----------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    episode = selectors.current_position(child=child).episode

    def save(form: forms.CINPlanStartForm) -> Any:
        assert episode is not None
        return services.cin_plan_start(
            actor=request.user,
            episode=episode,
            start_date=form.cleaned_data["start_date"],
            request_id=request_id(request),
        )

    page = Page(
        "Start a child in need plan", ("cin_plan_review_first", "cin_visit"), "Start plan", "Child in need plan started"
    )
    return form_page(
        request,
        child=child,
        form_class=forms.CINPlanStartForm,
        page=page,
        save=save,
        initial={"start_date": clock.today()},
        blocked="" if episode else "This child has no open child-in-need episode. Record a referral first.",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_review(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    plan = get_object_or_404(CINPlan.objects.select_related("episode"), pk=plan_pk, episode__child=child)

    def save(form: forms.CINPlanReviewForm) -> Any:
        return services.cin_plan_review_record(
            actor=request.user, plan=plan, held_on=form.cleaned_data["held_on"], request_id=request_id(request)
        )

    page = Page(
        "Record a child in need plan review",
        ("cin_plan_review_first", "cin_plan_review_next"),
        "Save review",
        "Plan review recorded",
    )
    return form_page(
        request,
        child=child,
        form_class=forms.CINPlanReviewForm,
        page=page,
        save=save,
        initial={"held_on": clock.today()},
        blocked="This plan has ended" if plan.end_date else "",
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_approval(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    """Ask the manager again to approve a plan they returned."""
    child = recording_child(request, pk)
    plan = get_object_or_404(CINPlan.objects.select_related("episode"), pk=plan_pk, episode__child=child)
    latest = selectors.latest_plan_request(plan=plan)

    def save(form: forms.PlanApprovalRequestForm) -> Any:
        return services.plan_approval_request(
            actor=request.user,
            plan=plan,
            summary=form.cleaned_data["summary"],
            requested_by=staff_of(request),
            request_id=request_id(request),
        )

    page = Page(
        "Ask for the plan to be approved",
        (),
        "Send to your manager for approval",
        "Plan sent to your manager for approval",
    )
    blocked = ""
    if plan.end_date:
        blocked = "This plan has ended"
    elif latest is not None and latest.status != "returned":
        blocked = (
            "This plan is already awaiting the manager's approval"
            if latest.is_pending
            else "This plan has already been approved"
        )
    return form_page(
        request,
        child=child,
        form_class=forms.PlanApprovalRequestForm,
        page=page,
        save=save,
        blocked=blocked,
        context={"returned": latest if latest is not None and latest.status == "returned" else None},
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_end(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    plan = get_object_or_404(CINPlan.objects.select_related("episode"), pk=plan_pk, episode__child=child)

    def save(form: forms.CINPlanEndForm) -> Any:
        d = form.cleaned_data
        return services.cin_plan_end(
            actor=request.user,
            plan=plan,
            expected_version=d["version"],
            end_date=d["end_date"],
            request_id=request_id(request),
        )

    page = Page(
        "End the child in need plan",
        ("cin_plan_review_first", "cin_plan_review_next", "cin_visit"),
        "End plan",
        "Child in need plan ended",
        "Ending the plan stops its review and visit clocks.",
    )
    return form_page(
        request,
        child=child,
        form_class=forms.CINPlanEndForm,
        page=page,
        save=save,
        initial={"version": plan.version, "end_date": clock.today()},
        blocked="This plan has already ended" if plan.end_date else "",
    )


# --- Visits and notes --------------------------------------------------------------------------------------

VISIT_RULES = (
    "cp_visit",
    "cin_visit",
    "cla_visit_first",
    "cla_visit_next_year1",
    "cla_visit_next_after",
    "pf_visit_first",
    "pf_visit_next_year1",
    "pf_visit_next_after",
    "pa_visit_first",
    "pa_visit",
)


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.VisitForm) -> Any:
        d = form.cleaned_data
        return services.visit_record(
            actor=request.user,
            child=child,
            visit_type=d["visit_type"],
            visited_on=d["visited_on"],
            seen=d["seen"],
            seen_alone=d["seen_alone"],
            worker=staff_of(request),
            notes=d["notes"],
            request_id=request_id(request),
        )

    running = [item.rule.code for item in selectors.open_deadlines(child=child, rule_codes=list(VISIT_RULES))]
    page = Page("Record a visit", tuple(running) or ("cp_visit", "cin_visit"), "Save visit", "Visit recorded")
    return form_page(
        request, child=child, form_class=forms.VisitForm, page=page, save=save, initial={"visited_on": clock.today()}
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def case_note_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.CaseNoteForm) -> Any:
        d = form.cleaned_data
        return services.case_note_add(
            actor=request.user,
            child=child,
            subject=d["subject"],
            body=d["body"],
            author=staff_of(request),
            request_id=request_id(request),
        )

    page = Page("Add a case note", (), "Save note", "Case note added")
    return form_page(request, child=child, form_class=forms.CaseNoteForm, page=page, save=save)
