"""Pages for children in care, private fostering, missing episodes and care leavers.

Thin views on the casework form pattern (``safehold.casework.views.form_page``): parse a form, call one
service, go back to the child's record; a refusal re-shows the form with the GOV.UK error summary and the
service's transaction has written nothing. Every form shows the timescales it concerns (rule, due date,
source) and every page logs an access event.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from safehold.accounts.policies import policy
from safehold.casework import selectors as casework_selectors
from safehold.casework import services as casework_services
from safehold.core import clock
from safehold.core.middleware import request_id
from safehold.frontend.recording import Page, form_page, log_view, recording_child, staff_of
from safehold.looked_after import forms, selectors, services
from safehold.people.models import Person

CARE_RULES = ("care_plan", "cla_review_first", "health_initial", "pep_initial", "cla_visit_first")
REVIEW_RULES = ("cla_review_first", "cla_review_second", "cla_review_next")
VISIT_RULES = ("cla_visit_first", "cla_visit_next_year1", "cla_visit_next_after")
HEALTH_RULES = ("health_initial", "health_review_under5", "health_review_over5")
PF_VISIT_RULES = ("pf_visit_first", "pf_visit_next_year1", "pf_visit_next_after")
PA_VISIT_RULES = ("pa_visit_first", "pa_visit")


def _open_pf(child: Person, pk: int) -> Any:
    return selectors.private_fostering_for(child=child, pk=pk)


# --- overview ---------------------------------------------------------------------------------------------


@policy("named_children")
@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Care, private fostering, missing and leaving care for one child, with the actions that apply."""
    child = casework_selectors.child_for(user=request.user, pk=pk)
    log_view(request, child)
    summary = selectors.child_summary(child=child)
    due = casework_selectors.open_deadlines(
        child=child,
        rule_codes=[*CARE_RULES, *REVIEW_RULES, *VISIT_RULES, *HEALTH_RULES, *PF_VISIT_RULES, "rhi",
                    "pathway_plan_review", *PA_VISIT_RULES],
    )
    return render(request, "looked_after/overview.html", {"child": child, "summary": summary, "due": due})


# --- children in care -------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def care_start(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.CareStartForm) -> Any:
        d = form.cleaned_data
        return services.period_of_care_start(
            actor=request.user, child=child, start_date=d["start_date"], legal_status=d["legal_status"],
            category_of_need=d["category_of_need"], placement_type=d["placement_type"],
            placement_provider=d["placement_provider"], placement_postcode=d["placement_postcode"],
            urn=d["urn"], home_postcode=d["home_postcode"], previous_permanence=d["previous_permanence"],
            previous_permanence_la=d["previous_permanence_la"], previous_permanence_date=d["previous_permanence_date"],
            request_id=request_id(request),
        )

    page = Page("Start a period of care", CARE_RULES, "Start period of care", "Period of care started",
                "This starts the first SSDA903 episode (reason for new episode S).")
    blocked = "This child is already looked after" if selectors.current_period(child=child) else ""
    return form_page(request, child=child, form_class=forms.CareStartForm, page=page, save=save,
                     initial={"start_date": clock.today()}, blocked=blocked)


def _not_in_care(child: Person) -> str:
    return "" if selectors.current_period(child=child) else "This child is not looked after: start a period of care"


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def placement_change(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.PlacementChangeForm) -> Any:
        d = form.cleaned_data
        return services.placement_change(
            actor=request.user, child=child, change_date=d["change_date"], placement_type=d["placement_type"],
            reason_place_change=d["reason_place_change"], placement_provider=d["placement_provider"],
            legal_status=d["legal_status"], same_carer=bool(d["same_carer"]),
            placement_postcode=d["placement_postcode"], urn=d["urn"], request_id=request_id(request),
        )

    page = Page("Change placement", VISIT_RULES, "Save placement change", "Placement changed",
                "The current episode ends (X1) and a new one starts: P or T, or B or U if the legal status "
                "changes the same day. A new placement restarts the visit clock.")
    return form_page(request, child=child, form_class=forms.PlacementChangeForm, page=page, save=save,
                     initial={"change_date": clock.today()}, blocked=_not_in_care(child),
                     context={"episode": selectors.current_episode(child=child)})


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def legal_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.LegalStatusChangeForm) -> Any:
        d = form.cleaned_data
        return services.legal_status_change(actor=request.user, child=child, change_date=d["change_date"],
                                            legal_status=d["legal_status"], request_id=request_id(request))

    page = Page("Change legal status", REVIEW_RULES, "Save legal status", "Legal status changed",
                "A new SSDA903 episode starts (reason L); the placement and its visit clock continue.")
    return form_page(request, child=child, form_class=forms.LegalStatusChangeForm, page=page, save=save,
                     initial={"change_date": clock.today()}, blocked=_not_in_care(child))


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def care_end(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.CareEndForm) -> Any:
        d = form.cleaned_data
        return services.period_of_care_end(actor=request.user, child=child, end_date=d["end_date"],
                                           reason_ceased=d["reason_ceased"], request_id=request_id(request))

    page = Page("End the period of care", (*REVIEW_RULES, *VISIT_RULES), "End period of care",
                "Period of care ended", "Ending care stops every looked-after clock for this period.")
    return form_page(request, child=child, form_class=forms.CareEndForm, page=page, save=save,
                     blocked=_not_in_care(child))


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def care_plan(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.CarePlanForm) -> Any:
        return services.care_plan_record(actor=request.user, child=child, plan_date=form.cleaned_data["plan_date"],
                                         request_id=request_id(request))

    page = Page("Record the care plan", ("care_plan",), "Save care plan date", "Care plan recorded")
    return form_page(request, child=child, form_class=forms.CarePlanForm, page=page, save=save,
                     blocked=_not_in_care(child))


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pep(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.PEPForm) -> Any:
        return services.pep_record(actor=request.user, child=child, pep_date=form.cleaned_data["pep_date"],
                                   request_id=request_id(request))

    page = Page("Record the personal education plan", ("pep_initial",), "Save PEP date",
                "Personal education plan recorded")
    return form_page(request, child=child, form_class=forms.PEPForm, page=page, save=save,
                     blocked=_not_in_care(child))


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.ReviewForm) -> Any:
        d = form.cleaned_data
        return services.lac_review_record(
            actor=request.user, child=child, held_on=d["held_on"], participation=d["participation"],
            decisions=d["decisions"], request_id=request_id(request),
        )

    page = Page("Record a looked-after child review", REVIEW_RULES, "Save review", "Review recorded")
    return form_page(request, child=child, form_class=forms.ReviewForm, page=page, save=save,
                     initial={"held_on": clock.today()})


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.CLAVisitForm) -> Any:
        d = form.cleaned_data
        return casework_services.visit_record(
            actor=request.user,
            child=child,
            visit_type="cla",
            visited_on=d["visited_on"],
            seen=d["seen"],
            seen_alone=d["seen_alone"],
            worker=staff_of(request),
            notes=form.visit_notes(),
            request_id=request_id(request),
        )

    page = Page("Record a statutory visit", VISIT_RULES, "Save visit", "Visit recorded")
    return form_page(
        request,
        child=child,
        form_class=forms.CLAVisitForm,
        page=page,
        save=save,
        initial={"visited_on": clock.today()},
        blocked=_not_in_care(child),
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def health_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.HealthCheckForm) -> Any:
        d = form.cleaned_data
        return services.health_check_record(
            actor=request.user, child=child, kind=d["kind"], done_on=d["done_on"], request_id=request_id(request)
        )

    page = Page("Record a health check", HEALTH_RULES, "Save health check", "Health check recorded")
    return form_page(request, child=child, form_class=forms.HealthCheckForm, page=page, save=save)


# --- private fostering -------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pf_notify(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.PFNotifyForm) -> Any:
        d = form.cleaned_data
        return services.private_fostering_notify_new_carer(
            actor=request.user,
            child=child,
            carer_given_name=d["carer_given_name"],
            carer_family_name=d["carer_family_name"],
            carer_date_of_birth=d["carer_date_of_birth"],
            notified_on=d["notified_on"],
            arrangement_start=d["arrangement_start"],
            request_id=request_id(request),
        )

    page = Page(
        "Record a private fostering notification",
        ("pf_visit_first",),
        "Save notification",
        "Private fostering notification recorded",
    )
    blocked = (
        "This child already has an open private fostering arrangement"
        if selectors.open_private_fostering(child=child)
        else ""
    )
    return form_page(
        request,
        child=child,
        form_class=forms.PFNotifyForm,
        page=page,
        save=save,
        initial={"notified_on": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pf_visit(request: HttpRequest, pk: int, pf_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    arrangement = _open_pf(child, pf_pk)

    def save(form: forms.PFVisitForm) -> Any:
        d = form.cleaned_data
        return casework_services.visit_record(
            actor=request.user,
            child=child,
            visit_type="pf",
            visited_on=d["visited_on"],
            seen=d["seen"],
            seen_alone=d["seen_alone"],
            worker=staff_of(request),
            notes=form.visit_notes(),
            request_id=request_id(request),
        )

    page = Page("Record a private fostering visit", PF_VISIT_RULES, "Save visit", "Visit recorded")
    blocked = "This arrangement has ended" if arrangement.arrangement_end else ""
    return form_page(
        request,
        child=child,
        form_class=forms.PFVisitForm,
        page=page,
        save=save,
        initial={"visited_on": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pf_answers(request: HttpRequest, pk: int, pf_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    arrangement = _open_pf(child, pf_pk)

    def save(form: forms.PFAnswersForm) -> Any:
        d = form.cleaned_data
        return services.private_fostering_answers_record(
            actor=request.user,
            arrangement=arrangement,
            expected_version=d["version"],
            trafficking_considered=d["trafficking_considered"],
            trafficking_concern=d["trafficking_concern"],
            abandonment_concern=d["abandonment_concern"],
            parents_contacted=d["parents_contacted"],
            parental_contact_arrangements=d["parental_contact_arrangements"],
            household_checks_done=d["household_checks_done"],
            child_views=d["child_views"],
            request_id=request_id(request),
        )

    page = Page(
        "Safeguarding questions for the arrangement",
        PF_VISIT_RULES,
        "Save answers",
        "Answers saved",
        "The suitability assessment cannot be completed until every question here is answered.",
    )
    fields = (
        "trafficking_considered",
        "trafficking_concern",
        "abandonment_concern",
        "parents_contacted",
        "parental_contact_arrangements",
        "household_checks_done",
        "child_views",
    )
    initial = {"version": arrangement.version, **{f: getattr(arrangement, f) for f in fields}}
    blocked = "The assessment of this arrangement is already complete" if arrangement.assessment_completed_on else ""
    return form_page(
        request, child=child, form_class=forms.PFAnswersForm, page=page, save=save, initial=initial, blocked=blocked
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pf_assessment(request: HttpRequest, pk: int, pf_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    arrangement = _open_pf(child, pf_pk)

    def save(form: forms.PFAssessmentForm) -> Any:
        d = form.cleaned_data
        return services.private_fostering_assessment_complete(
            actor=request.user,
            arrangement=arrangement,
            expected_version=d["version"],
            completed_on=d["completed_on"],
            decision=d["decision"],
            request_id=request_id(request),
        )

    page = Page(
        "Complete the suitability assessment",
        PF_VISIT_RULES,
        "Complete assessment",
        "Assessment completed",
        "It can be completed only when the trafficking, abandonment and parental-contact questions are "
        "answered, the household checks are done and the child's own views are recorded.",
    )
    blocked = "The assessment of this arrangement is already complete" if arrangement.assessment_completed_on else ""
    return form_page(
        request,
        child=child,
        form_class=forms.PFAssessmentForm,
        page=page,
        save=save,
        initial={"version": arrangement.version, "completed_on": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pf_end(request: HttpRequest, pk: int, pf_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    arrangement = _open_pf(child, pf_pk)

    def save(form: forms.PFEndForm) -> Any:
        d = form.cleaned_data
        return services.private_fostering_end(
            actor=request.user,
            arrangement=arrangement,
            expected_version=d["version"],
            end_date=d["end_date"],
            request_id=request_id(request),
        )

    page = Page(
        "End the private fostering arrangement",
        PF_VISIT_RULES,
        "End arrangement",
        "Arrangement ended",
        "Ending the arrangement stops the private fostering visit clock.",
    )
    blocked = "This arrangement has already ended" if arrangement.arrangement_end else ""
    return form_page(
        request,
        child=child,
        form_class=forms.PFEndForm,
        page=page,
        save=save,
        initial={"version": arrangement.version},
        blocked=blocked,
    )


# --- missing ----------------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def missing_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.MissingForm) -> Any:
        return services.missing_episode_record(
            actor=request.user,
            child=child,
            kind=form.cleaned_data["kind"],
            started_at=form.started_at(),
            request_id=request_id(request),
        )

    page = Page("Record a missing or away episode", ("rhi",), "Save episode", "Missing episode recorded")
    blocked = (
        "This child is already recorded as missing: record their return first"
        if selectors.open_missing(child=child)
        else ""
    )
    return form_page(
        request,
        child=child,
        form_class=forms.MissingForm,
        page=page,
        save=save,
        initial={"started_on": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def missing_return(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    episode = selectors.missing_episode_for(child=child, pk=episode_pk)

    def save(form: forms.ReturnForm) -> Any:
        return services.missing_return_record(
            actor=request.user, episode=episode, returned_at=form.returned_at(), request_id=request_id(request)
        )

    page = Page(
        "Record the child's return",
        ("rhi",),
        "Save return",
        "Return recorded",
        "The return starts the 72-hour clock for offering an independent return home interview.",
    )
    blocked = "The child's return is already recorded" if episode.returned_at else ""
    return form_page(
        request,
        child=child,
        form_class=forms.ReturnForm,
        page=page,
        save=save,
        initial={"returned_on": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def return_interview(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    episode = selectors.missing_episode_for(child=child, pk=episode_pk)

    def save(form: forms.ReturnInterviewForm) -> Any:
        d = form.cleaned_data
        return services.return_interview_record(
            actor=request.user,
            episode=episode,
            offered_at=form.offered_at(),
            accepted=d["accepted"],
            outcome=d["outcome"],
            request_id=request_id(request),
        )

    page = Page("Record the return home interview", ("rhi",), "Save interview", "Return home interview recorded")
    blocked = ""
    if episode.returned_at is None:
        blocked = "Record the child's return before the return interview"
    elif episode.rhi_at is not None:
        blocked = "A return interview is already recorded for this episode"
    return form_page(
        request,
        child=child,
        form_class=forms.ReturnInterviewForm,
        page=page,
        save=save,
        initial={"offered_on": clock.today()},
        blocked=blocked,
    )


# --- care leavers -----------------------------------------------------------------------------------------


def _advisers() -> list[tuple[int, str]]:
    from safehold.workforce.models import StaffMember

    rows = StaffMember.objects.filter(leave_date__isnull=True).order_by("family_name", "given_name")[:500]
    return [(s.pk, f"{s.given_name} {s.family_name}") for s in rows]


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def care_leaver(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    advisers = _advisers()
    ids = {pk for pk, _ in advisers}

    def save(form: forms.CareLeaverForm) -> Any:
        from safehold.workforce.models import StaffMember

        d = form.cleaned_data
        adviser = StaffMember.objects.get(pk=d["personal_adviser"]) if d["personal_adviser"] in ids else None
        return services.care_leaver_record(
            actor=request.user,
            child=child,
            personal_adviser=adviser,
            staying_put=bool(d["staying_put"]),
            request_id=request_id(request),
        )

    eligibility = selectors.eligibility_for(child=child)
    existing = selectors.child_summary(child=child).care_leaver
    initial: dict[str, Any] = {"staying_put": False}
    if existing is not None:
        initial = {"personal_adviser": existing.personal_adviser_id, "staying_put": existing.staying_put}
    label = eligibility.category.replace("_", " ").capitalize() if eligibility.category else "Not entitled"
    lead = f"Eligibility category: {label}. Why: {'; '.join(eligibility.reasons)}."
    if eligibility.source:
        lead += f" Source: {eligibility.source}."
    page = Page(
        "Leaving care: eligibility and personal adviser",
        ("pathway_plan_review",),
        "Save",
        "Leaving-care status saved",
        lead,
    )
    return form_page(
        request,
        child=child,
        form_class=forms.CareLeaverForm,
        page=page,
        save=save,
        initial=initial,
        form_kwargs={"advisers": advisers},
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pathway_plan(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.PathwayPlanForm) -> Any:
        return services.pathway_plan_review_record(
            actor=request.user, child=child, held_on=form.cleaned_data["held_on"], request_id=request_id(request)
        )

    page = Page("Record a pathway plan or review", ("pathway_plan_review",), "Save", "Pathway plan recorded")
    return form_page(
        request, child=child, form_class=forms.PathwayPlanForm, page=page, save=save, initial={"held_on": clock.today()}
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def care_leaver_contact(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.CareLeaverContactForm) -> Any:
        d = form.cleaned_data
        return services.care_leaver_contact_record(
            actor=request.user,
            child=child,
            contacted_on=d["contacted_on"],
            in_touch=d["in_touch"],
            activity=d["activity"],
            accommodation=d["accommodation"],
            request_id=request_id(request),
        )

    page = Page(
        "Record contact with a care leaver",
        ("pathway_plan_review",),
        "Save contact",
        "Contact recorded",
        "In touch, activity and accommodation as the SSDA903 OC3 return needs them.",
    )
    return form_page(
        request,
        child=child,
        form_class=forms.CareLeaverContactForm,
        page=page,
        save=save,
        initial={"contacted_on": clock.today()},
    )


# --- personal adviser visits while the council provides accommodation (CLR reg 8) ---------------------------


def _no_care_leaver(child: Person) -> str:
    if not selectors.has_care_leaver_record(child=child):
        return "Record the young person's leaving-care status first"
    return ""


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def accommodation_start(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.AccommodationStartForm) -> Any:
        d = form.cleaned_data
        return services.leaving_care_accommodation_start(
            actor=request.user,
            child=child,
            provided_from=d["provided_from"],
            basis=d["basis"],
            description=d["description"],
            request_id=request_id(request),
        )

    page = Page(
        "Record accommodation the council provides",
        PA_VISIT_RULES,
        "Save accommodation",
        "Accommodation recorded",
        "While the council provides a care leaver's accommodation, their personal adviser must visit them "
        "there within 7 days of it first being provided, then at least every two months.",
    )
    blocked = _no_care_leaver(child)
    if not blocked and selectors.open_accommodation(child=child):
        blocked = "The council already provides accommodation for this young person: end it first"
    return form_page(
        request,
        child=child,
        form_class=forms.AccommodationStartForm,
        page=page,
        save=save,
        initial={"provided_from": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def accommodation_end(request: HttpRequest, pk: int, acc_pk: int) -> HttpResponse:
    child = recording_child(request, pk)
    spell = selectors.accommodation_for(child=child, pk=acc_pk)

    def save(form: forms.AccommodationEndForm) -> Any:
        d = form.cleaned_data
        return services.leaving_care_accommodation_end(
            actor=request.user,
            accommodation=spell,
            expected_version=d["version"],
            provided_until=d["provided_until"],
            request_id=request_id(request),
        )

    page = Page(
        "End the accommodation the council provides",
        PA_VISIT_RULES,
        "End accommodation",
        "Accommodation ended",
        "Ending it stops the personal adviser visit clock for this accommodation.",
    )
    blocked = "This accommodation has already ended" if spell.provided_until else ""
    return form_page(
        request,
        child=child,
        form_class=forms.AccommodationEndForm,
        page=page,
        save=save,
        initial={"version": spell.version, "provided_until": clock.today()},
        blocked=blocked,
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def pa_visit(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.PAVisitForm) -> Any:
        d = form.cleaned_data
        return services.pa_visit_record(
            actor=request.user,
            child=child,
            visited_on=d["visited_on"],
            seen=d["seen"],
            worker=staff_of(request),
            notes=d["notes"],
            request_id=request_id(request),
        )

    page = Page("Record a personal adviser visit", PA_VISIT_RULES, "Save visit", "Visit recorded")
    return form_page(
        request,
        child=child,
        form_class=forms.PAVisitForm,
        page=page,
        save=save,
        initial={"visited_on": clock.today()},
        blocked=_no_care_leaver(child),
    )


# --- adoption and permanence (M10) ----------------------------------------------------------------------------


def _adoption_initial(journey: Any) -> dict[str, Any]:
    if journey is None:
        return {}
    fields = (
        "decision_date",
        "placement_order_date",
        "matched_date",
        "placed_date",
        "adoption_order_date",
        "ceased_date",
        "ceased_reason",
    )
    initial = {f: getattr(journey, f) for f in fields}
    fc = journey.adopted_by_foster_carer
    initial.update(version=journey.version, adopted_by_foster_carer="" if fc is None else ("yes" if fc else "no"))
    return initial


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def adoption(request: HttpRequest, pk: int) -> HttpResponse:
    """The adoption journey and permanence for a child: record the milestones (each not before the one before),
    see the timeliness measures (A1, A2, A10) and any special guardianship order that ended care."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from safehold.core.exceptions import ConcurrentEditError, ValidationFailed

    child = recording_child(request, pk)
    permanence = selectors.permanence_for(child=child)
    if request.method == "POST":
        form = forms.AdoptionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.adoption_journey_record(
                    actor=request.user,
                    child=child,
                    decision_date=d["decision_date"],
                    placement_order_date=d["placement_order_date"],
                    matched_date=d["matched_date"],
                    placed_date=d["placed_date"],
                    adoption_order_date=d["adoption_order_date"],
                    ceased_date=d["ceased_date"],
                    ceased_reason=d["ceased_reason"],
                    adopted_by_foster_carer=d["adopted_by_foster_carer"],
                    expected_version=d["version"],
                    request_id=request_id(request),
                )
            except (ValidationFailed, ConcurrentEditError) as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Adoption journey saved")
                return redirect("looked_after:adoption", child.pk)
    else:
        form = forms.AdoptionForm(initial=_adoption_initial(permanence.open_journey))
    log_view(request, child)
    page = Page("Adoption and permanence", (), "Save adoption journey")
    return render(
        request,
        "looked_after/adoption.html",
        {"child": child, "form": form, "page": page, "permanence": permanence, "due": []},
    )


# --- repeatedly missing (M8) ----------------------------------------------------------------------------------


@policy("named_children")
@login_required
@require_GET
def repeat_missing(request: HttpRequest) -> HttpResponse:
    """The children the user may see who went missing or away repeatedly (the local threshold, with its source)."""
    from django.core.paginator import Paginator

    from safehold.audit.services import access_record

    access_record(actor=request.user, kind="view", child_id=None, path=request.path, request_id=request_id(request))
    page = Paginator(selectors.children_repeatedly_missing(user=request.user), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "count": selectors.REPEAT_MISSING_COUNT,
        "days": selectors.REPEAT_MISSING_DAYS,
        "source": selectors.REPEAT_MISSING_SOURCE,
    }
    return render(request, "looked_after/repeat_missing.html", context)


# --- SDQ and UASC ---------------------------------------------------------------------------------------------


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def sdq_new(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.SDQForm) -> Any:
        d = form.cleaned_data
        return services.sdq_record(
            actor=request.user,
            child=child,
            done_on=d["done_on"],
            score=d["score"],
            reason=d["reason"],
            request_id=request_id(request),
        )

    page = Page(
        "Record a Strengths and Difficulties Questionnaire",
        (),
        "Save SDQ",
        "SDQ recorded",
        "The SSDA903 return needs the latest total difficulties score (0 to 40) for a child looked after "
        "for at least 12 months and aged 4 to 16, or the reason there is none.",
    )
    return form_page(
        request, child=child, form_class=forms.SDQForm, page=page, save=save, initial={"done_on": clock.today()}
    )


@policy("records_casework")
@login_required
@require_http_methods(["GET", "POST"])
def uasc(request: HttpRequest, pk: int) -> HttpResponse:
    child = recording_child(request, pk)

    def save(form: forms.UASCForm) -> Any:
        d = form.cleaned_data
        return services.uasc_record(
            actor=request.user,
            child=child,
            expected_version=d["version"],
            uasc=d["uasc"],
            ceased_on=d["ceased_on"],
            request_id=request_id(request),
        )

    page = Page(
        "Unaccompanied asylum-seeking child status",
        (),
        "Save UASC status",
        "UASC status saved",
        "The SSDA903 return records whether the child is an unaccompanied asylum-seeking child and the date "
        "that status ceased.",
    )
    initial = {"version": child.version, "uasc": "yes" if child.uasc else "no", "ceased_on": child.uasc_ceased}
    return form_page(request, child=child, form_class=forms.UASCForm, page=page, save=save, initial=initial)
