"""Early help pages: thin adapters (parse → authorise → one service or selector → render).

An episode or family the user may not see is a 404; a visible episode the user may not record on is a 403.
A service refusal re-shows the form with the GOV.UK error summary, and its transaction wrote nothing.
Every page that shows a family logs an access event per child.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.accounts.roles import RECORDING_ROLES, Role
from safehold.audit.services import access_record_many
from safehold.casework import selectors as cw_selectors
from safehold.casework.choices import ContactOutcome
from safehold.casework.models import CINEpisode, Contact
from safehold.core import clock
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.core.middleware import request_id
from safehold.early_help import forms, selectors, services
from safehold.early_help.choices import ConsentScope
from safehold.early_help.models import (
    Consent,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    PartnerMembership,
    PartnerOrganisation,
)
from safehold.early_help.policies import can_record, is_partner
from safehold.frontend.forms import GovUKForm
from safehold.workforce.choices import ServiceArea, StaffRole
from safehold.workforce.models import StaffMember


def _log(request: HttpRequest, child_ids: list[int]) -> None:
    access_record_many(actor=request.user, kind="view", child_ids=child_ids, path=request.path,
                       request_id=request_id(request))


def _recording_episode(request: HttpRequest, pk: int) -> EarlyHelpEpisode:
    episode = selectors.episode_for(user=request.user, pk=pk)
    if not can_record(request.user, episode):
        raise PermissionDenied("You cannot record early help on this family")
    return episode


def _require_recording_role(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in RECORDING_ROLES:
        raise PermissionDenied("Your role cannot record casework")


def _lead_choices() -> list[tuple[str, str]]:
    staff = StaffMember.objects.filter(leave_date__isnull=True).filter(
        role=StaffRole.EARLY_HELP_WORKER
    ) | StaffMember.objects.filter(leave_date__isnull=True, team__service_area=ServiceArea.EARLY_HELP)
    out = [(f"staff:{s.pk}", f"{s.full_name} (council)") for s in staff.distinct().order_by("family_name")]
    for m in PartnerMembership.objects.select_related("user", "organisation").filter(
        user__is_active=True, user__role=Role.PARTNER
    ):
        out.append((f"user:{m.user_id}", f"{m.user.get_full_name() or m.user.username} ({m.organisation})"))
    return out


def _lead_kwargs(value: str) -> dict[str, Any]:
    kind, _, pk = value.partition(":")
    if kind == "staff":
        return {"lead_staff": StaffMember.objects.get(pk=int(pk))}
    if kind == "user":
        return {"lead_user": get_user_model().objects.get(pk=int(pk))}
    return {}


def _form_page(
    request: HttpRequest,
    *,
    title: str,
    form_class: type[GovUKForm],
    save: Callable[[Any], Any],
    back: str,
    child_ids: list[int],
    success: str,
    submit: str = "Save",
    next_url: Callable[[Any], str] | None = None,
    initial: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    blocked: str = "",
    caption: str = "",
    lead: str = "",
    due: list[Any] | None = None,
) -> HttpResponse:
    kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            if blocked:
                form.add_error(None, blocked)
            else:
                try:
                    result = save(form)
                except (ValidationFailed, ConcurrentEditError) as exc:
                    form.add_service_error(exc)
                else:
                    messages.success(request, success)
                    return redirect(next_url(result) if next_url else back)
    else:
        form = form_class(initial=initial, **kwargs)
    _log(request, child_ids)
    ctx = {"form": form, "title": title, "back": back, "submit": submit, "blocked": blocked, "caption": caption,
           "lead": lead, "due": due or [], "today": clock.today()}
    return render(request, "early_help/form.html", ctx)


def _episode_url(episode: EarlyHelpEpisode) -> str:
    return reverse("early_help:episode", args=[episode.pk])


# --- Opening early help -----------------------------------------------------------------------------------


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def open_from_contact(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("child"), pk=contact_pk)
    child = cw_selectors.child_for(user=request.user, pk=contact.child_id)
    _require_recording_role(request)

    def save(form: forms.LeadForm) -> EarlyHelpEpisode:
        d = form.cleaned_data
        return services.early_help_open_from_contact(
            actor=request.user, contact=contact, opened_on=d["opened_on"], request_id=request_id(request),
            **_lead_kwargs(d["lead"]),
        )

    blocked = "" if contact.outcome == ContactOutcome.EARLY_HELP else "This contact was not decided as early help"
    return _form_page(
        request, title="Open early help for the family", form_class=forms.LeadForm, save=save,
        back=reverse("frontend:child", args=[child.pk]), child_ids=[child.pk], success="Early help opened",
        submit="Open early help", next_url=_episode_url, initial={"opened_on": clock.today(), "lead": "none"},
        form_kwargs={"leads": _lead_choices()}, blocked=blocked, caption=child.full_name,
        lead=f"The front door decided: {contact.decision_reason}" if contact.decision_reason else "",
    )


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def step_down(request: HttpRequest, pk: int) -> HttpResponse:
    child = cw_selectors.child_for(user=request.user, pk=pk)
    _require_recording_role(request)
    cin = CINEpisode.objects.filter(child=child, closure_date__isnull=False).order_by("-closure_date").first()

    def save(form: forms.StepDownForm) -> EarlyHelpEpisode:
        d = form.cleaned_data
        assert cin is not None
        return services.early_help_step_down(
            actor=request.user, cin_episode=cin, summary=d["summary"], opened_on=d["opened_on"],
            request_id=request_id(request), **_lead_kwargs(d["lead"]),
        )

    return _form_page(
        request, title="Step down to early help", form_class=forms.StepDownForm, save=save,
        back=reverse("frontend:child", args=[child.pk]), child_ids=[child.pk], success="Stepped down to early help",
        submit="Step down", next_url=_episode_url, initial={"opened_on": clock.today(), "lead": "none"},
        form_kwargs={"leads": _lead_choices()}, caption=child.full_name,
        blocked="" if cin else "This child has no closed child-in-need or child protection episode to step down from",
        lead="Write the summary for the family's lead practitioner. A partner agency lead sees this summary and "
             "nothing else of the social-care record.",
    )


# --- The episode ---------------------------------------------------------------------------------------------


@policy("named_children")
@login_required
@require_http_methods(["GET"])
def episode(request: HttpRequest, episode_pk: int) -> HttpResponse:
    ep = selectors.episode_for(user=request.user, pk=episode_pk)
    view = selectors.episode_view(user=request.user, episode=ep)
    _log(request, selectors.child_ids(ep))
    return render(request, "early_help/episode.html", {
        "v": view, "episode": ep, "can_record": can_record(request.user, ep),
        "can_step_up": ep.is_open and getattr(request.user, "role", None) in RECORDING_ROLES,
        "children": [link.child for link in ep.children.select_related("child").order_by("pk")],
        "nav": "early_help", "today": clock.today(),
    })


@policy("named_children")
@login_required
@require_http_methods(["GET"])
def family(request: HttpRequest, household_pk: int) -> HttpResponse:
    view = selectors.family_view(user=request.user, household_pk=household_pk)
    _log(request, [row.child.pk for row in view.children])
    return render(request, "early_help/family.html", {"f": view, "partner": is_partner(request.user),
                                                      "nav": "early_help", "today": clock.today()})


@policy("named_children")
@login_required
@require_http_methods(["GET"])
def worklist(request: HttpRequest) -> HttpResponse:
    rows = selectors.worklist(user=request.user)
    _log(request, sorted({cid for r in rows for cid in selectors.child_ids(r.episode)}))
    measure = None
    if not is_partner(request.user):
        today = clock.today()
        measure = selectors.step_up_measure(closed_from=today.replace(year=today.year - 1), closed_to=today)
    return render(request, "early_help/worklist.html", {"rows": rows, "today": clock.today(), "measure": measure,
                                                        "nav": "early_help"})


def _episode_form(
    request: HttpRequest, episode_pk: int, *, title: str, form_class: type[GovUKForm],
    save: Callable[[EarlyHelpEpisode, Any], Any], success: str, submit: str = "Save",
    initial: Callable[[EarlyHelpEpisode], dict[str, Any]] | None = None,
    form_kwargs: Callable[[EarlyHelpEpisode], dict[str, Any]] | None = None,
    blocked: Callable[[EarlyHelpEpisode], str] | None = None, staff_only: bool = False,
    next_url: Callable[[Any], str] | None = None, lead: str = "",
) -> HttpResponse:
    ep = _recording_episode(request, episode_pk)
    if staff_only:
        _require_recording_role(request)
    due = selectors.episode_view(user=request.user, episode=ep).due
    return _form_page(
        request, title=title, form_class=form_class, save=lambda form: save(ep, form), back=_episode_url(ep),
        child_ids=selectors.child_ids(ep), success=success, submit=submit,
        initial=initial(ep) if initial else None, form_kwargs=form_kwargs(ep) if form_kwargs else None,
        blocked=(blocked(ep) if blocked else "") or ("" if ep.is_open else "This early help episode is closed"),
        caption=ep.household.name, due=due, next_url=next_url, lead=lead,
    )


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, episode_pk: int) -> HttpResponse:
    def save(ep: EarlyHelpEpisode, form: forms.ConsentForm) -> Any:
        d = form.cleaned_data
        return services.consent_record(actor=request.user, episode=ep, given_by=d["given_by"],
                                       given_on=d["given_on"], scopes=d["scopes"], request_id=request_id(request))

    return _episode_form(request, episode_pk, title="Record the family's consent", form_class=forms.ConsentForm,
                         save=save, success="Consent recorded", submit="Save consent",
                         initial=lambda ep: {"given_on": clock.today()})


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, episode_pk: int, consent_pk: int) -> HttpResponse:
    """The family withdrew consent (all of it or some sharing): after this a partner lead practitioner sees
    only what consent still covers, and the episode page says so."""
    consent = get_object_or_404(Consent, pk=consent_pk, episode_id=episode_pk)
    remaining = [(code, str(label)) for code, label in ConsentScope.choices if code in consent.current]

    def save(ep: EarlyHelpEpisode, form: forms.ConsentWithdrawForm) -> Any:
        d = form.cleaned_data
        return services.consent_withdraw(actor=request.user, consent=consent, withdrawn_on=d["withdrawn_on"],
                                         withdrawn_by=d["withdrawn_by"], scopes=d["scopes"],
                                         request_id=request_id(request))

    given = ", ".join(consent.scope_labels)
    return _episode_form(
        request, episode_pk, title="Record that the family withdrew consent", form_class=forms.ConsentWithdrawForm,
        save=save, success="Withdrawal of consent recorded", submit="Record withdrawal",
        initial=lambda ep: {"withdrawn_on": clock.today(), "scopes": [c for c, _ in remaining]},
        form_kwargs=lambda ep: {"scopes": remaining},
        blocked=lambda ep: "" if remaining else "This consent has already been withdrawn",
        lead=f"Consent given by {consent.given_by} on {consent.given_on:%-d %B %Y} to: {given}. "
             "Once sharing with the lead practitioner is withdrawn, a partner lead practitioner sees only the "
             "family's name, the children and who leads.",
    )


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, episode_pk: int) -> HttpResponse:
    def save(ep: EarlyHelpEpisode, form: forms.AssessmentStartForm) -> Any:
        d = form.cleaned_data
        org = PartnerOrganisation.objects.filter(pk=d["organisation"]).first()
        if org is None:
            raise ValidationFailed({"organisation": ["Select the organisation"]})
        return services.assessment_start(actor=request.user, episode=ep, start_date=d["start_date"],
                                         organisation=org, request_id=request_id(request))

    orgs = list(PartnerOrganisation.objects.values_list("pk", "name"))
    return _episode_form(
        request, episode_pk, title="Start the early help assessment", form_class=forms.AssessmentStartForm,
        save=save, success="Early help assessment started", submit="Start assessment",
        initial=lambda ep: {"start_date": clock.today(), "organisation": ep.lead_organisation_id},
        form_kwargs=lambda ep: {"organisations": orgs},
    )


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def assessment_complete(request: HttpRequest, episode_pk: int, assessment_pk: int) -> HttpResponse:
    assessment = get_object_or_404(EarlyHelpAssessment, pk=assessment_pk, episode_id=episode_pk)

    def save(ep: EarlyHelpEpisode, form: forms.AssessmentCompleteForm) -> Any:
        d = form.cleaned_data
        return services.assessment_complete(actor=request.user, assessment=assessment,
                                            expected_version=d["version"], completed_date=d["completed_date"],
                                            needs=d["needs"], request_id=request_id(request))

    return _episode_form(
        request, episode_pk, title="Complete the early help assessment", form_class=forms.AssessmentCompleteForm,
        save=save, success="Early help assessment completed", submit="Complete assessment",
        initial=lambda ep: {"version": assessment.version, "completed_date": clock.today()},
        blocked=lambda ep: "This assessment is already complete" if assessment.completed_date else "",
    )


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, episode_pk: int) -> HttpResponse:
    def save(ep: EarlyHelpEpisode, form: forms.GoalForm) -> Any:
        return services.goal_add(actor=request.user, episode=ep, text=form.cleaned_data["text"],
                                 request_id=request_id(request))

    return _episode_form(request, episode_pk, title="Add a family goal", form_class=forms.GoalForm, save=save,
                         success="Goal added", submit="Add goal")


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def taf_new(request: HttpRequest, episode_pk: int) -> HttpResponse:
    def save(ep: EarlyHelpEpisode, form: forms.TAFMemberForm) -> Any:
        d = form.cleaned_data
        return services.taf_member_add(actor=request.user, episode=ep, name=d["name"], agency=d["agency"],
                                       role=d["role"], request_id=request_id(request))

    return _episode_form(request, episode_pk, title="Add a member of the team around the family",
                         form_class=forms.TAFMemberForm, save=save, success="Team member added",
                         submit="Add member")


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, episode_pk: int) -> HttpResponse:
    def save(ep: EarlyHelpEpisode, form: forms.ReviewForm) -> Any:
        d = form.cleaned_data
        return services.review_record(actor=request.user, episode=ep, held_on=d["held_on"], scores=form.scores(),
                                      notes=d["notes"], request_id=request_id(request))

    return _episode_form(
        request, episode_pk, title="Record a team around the family review", form_class=forms.ReviewForm,
        save=save, success="Review recorded", submit="Save review",
        initial=lambda ep: {"held_on": clock.today()},
        form_kwargs=lambda ep: {"goals": list(ep.goals.values_list("pk", "text"))},
        blocked=lambda ep: "" if ep.goals.exists() else "Record the family's goals before a review",
    )


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, episode_pk: int) -> HttpResponse:
    def save(ep: EarlyHelpEpisode, form: forms.CloseForm) -> Any:
        d = form.cleaned_data
        return services.episode_close(actor=request.user, episode=ep, expected_version=d["version"],
                                      closed_on=d["closed_on"], outcome=d["outcome"], request_id=request_id(request))

    return _episode_form(request, episode_pk, title="Close early help", form_class=forms.CloseForm, save=save,
                         success="Early help closed", submit="Close early help",
                         initial=lambda ep: {"version": ep.version, "closed_on": clock.today()})


@policy("named_children")
@login_required
@require_http_methods(["GET", "POST"])
def step_up(request: HttpRequest, episode_pk: int) -> HttpResponse:

    def save(ep: EarlyHelpEpisode, form: forms.StepUpForm) -> Any:
        d = form.cleaned_data
        link = ep.children.select_related("child").filter(child_id=d["child"]).first()
        if link is None:
            raise ValidationFailed({"child": ["Select a child in this family"]})
        return services.early_help_step_up(actor=request.user, episode=ep, child=link.child, reason=d["reason"],
                                           decided_by=getattr(request.user, "staff", None),
                                           request_id=request_id(request))

    return _episode_form(
        request, episode_pk, title="Step up to children's social care", form_class=forms.StepUpForm, save=save,
        success="Stepped up: a referral to children's social care was recorded with the early help history",
        submit="Step up", staff_only=True, next_url=lambda cin: reverse("frontend:child", args=[cin.child_id]),
        form_kwargs=lambda ep: {"children": [(lk.child_id, lk.child.full_name)
                                             for lk in ep.children.select_related("child")]},
    )
