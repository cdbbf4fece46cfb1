"""Forms for recording casework. They parse and check what was typed; the service decides what is allowed
(its ``ValidationFailed`` messages come back onto these forms through ``add_service_error``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safehold.casework.choices import (
    AbuseCategory,
    AssessmentFactor,
    AssessmentOutcome,
    ClosureReason,
    ContactOutcome,
    PrimaryNeed,
    ReferralSource,
    Section47Outcome,
    ThresholdLevel,
    VisitType,
)
from safehold.frontend.forms import (
    CheckboxesField,
    GovUKDateField,
    GovUKForm,
    RadioField,
    VersionedForm,
    YesNoField,
)


def _choices(choices: Any, blank: str | None = None) -> list[tuple[str, str]]:
    out = [(str(v), str(label)) for v, label in choices]
    return ([("", blank)] + out) if blank is not None else out


THRESHOLD_HINTS = {
    "1": "Needs met by universal services (schools, GPs, health visitors).",
    "2": "Additional needs best met by early help with the family's agreement.",
    "3": "Complex needs: the child is likely to be a child in need (Children Act 1989 s.17).",
    "4": "Acute needs: reasonable cause to suspect significant harm (s.47), or the child may need care.",
}

AGENCIES = [
    ("police", "Police"),
    ("health", "Health"),
    ("education", "Education"),
    ("social_care", "Children's social care"),
    ("other", "Other"),
]

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class ContactForm(GovUKForm):
    received_on = GovUKDateField(label="Date the contact was received")
    received_time = forms.CharField(
        label="Time received",
        required=False,
        help_text="Use the 24-hour clock, for example 14:30. Leave blank if not known.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
    )
    source = forms.ChoiceField(
        label="Who made the contact",
        choices=_choices(ReferralSource.choices, "Select the source"),
        error_messages={"required": "Select who made the contact"},
    )
    referrer_name = forms.CharField(label="Name of the person who made contact (optional)", required=False,
                                    max_length=200)
    summary = forms.CharField(label="What the contact is about", widget=forms.Textarea,
                              error_messages={"required": "Enter what the contact is about"})
    service_fields = {"received_at": "received_on"}

    def clean_received_time(self) -> dt.time:
        value = self.cleaned_data.get("received_time", "")
        if not value:
            return dt.time(9, 0)
        match = _TIME.match(value)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValidationError("Enter the time as hours and minutes, for example 14:30")
        return dt.time(int(match.group(1)), int(match.group(2)))

    def received_at(self) -> dt.datetime:
        when = dt.datetime.combine(self.cleaned_data["received_on"], self.cleaned_data["received_time"])
        return timezone.make_aware(when)


class ContactDecisionForm(VersionedForm):
    threshold_level = RadioField(
        label="Which threshold level does the child's need meet?",
        choices=_choices(ThresholdLevel.choices),
        choice_hints=THRESHOLD_HINTS,
        error_messages={"required": "Select the threshold level"},
    )
    outcome = RadioField(
        label="Decision", choices=_choices(ContactOutcome.choices), error_messages={"required": "Select the decision"}
    )
    reason = forms.CharField(
        label="Reasons for the decision against the threshold levels",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for the decision against the threshold levels"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == ContactOutcome.REFERRAL and data.get("threshold_level") in {"1", "2"}:
            self.add_error(
                "outcome", "A referral to children's social care needs threshold level 3 or 4; select another decision"
            )
        return data


class ReferralForm(GovUKForm):
    referral_date = GovUKDateField(label="Date of the referral")
    source = forms.ChoiceField(
        label="Source of the referral",
        choices=_choices(ReferralSource.choices, "Select the source"),
        error_messages={"required": "Select the source of the referral"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need (optional until the assessment ends)",
        choices=_choices(PrimaryNeed.choices, "Not yet known"),
        required=False,
    )
    contact = forms.TypedChoiceField(
        label="Contact this referral comes from", required=False, coerce=int, empty_value=None,
        choices=[("", "None")],
    )
    service_fields = {"source": "source"}

    def __init__(self, *args: Any, contacts: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "None")] + [
            (str(c.pk), f"{timezone.localtime(c.received_at):%-d %B %Y}: {c.get_source_display()}")
            for c in contacts or []
        ]


class AssessmentStartForm(GovUKForm):
    start_date = GovUKDateField(label="Date the assessment started")


class AssessmentCompleteForm(VersionedForm):
    completed_date = GovUKDateField(label="Date the assessment was completed")
    factors = CheckboxesField(
        label="Factors identified at the end of the assessment",
        help_text="Select all that apply, or 'No factors identified'.",
        choices=_choices(AssessmentFactor.choices),
        error_messages={"required": "Select the factors identified, or 'No factors identified'"},
    )
    child_seen = YesNoField(
        label="Was the child seen during the assessment?",
        error_messages={"required": "Select yes if the child was seen during the assessment"},
    )
    child_seen_date = GovUKDateField(label="Date the child was seen", required=False,
                                     help_text="If the child was seen. For example, 27 3 2025")
    outcome = RadioField(label="Outcome of the assessment", choices=_choices(AssessmentOutcome.choices),
                         error_messages={"required": "Select the outcome of the assessment"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("child_seen") is True and not data.get("child_seen_date") and "child_seen_date" not in self.errors:
            self.add_error("child_seen_date", "Enter the date the child was seen")
        if data.get("child_seen") is False and data.get("child_seen_date"):
            self.add_error("child_seen_date", "Remove the date, or select yes if the child was seen")
        return data


class StrategyDiscussionForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the strategy discussion")
    agencies = CheckboxesField(label="Agencies that took part", choices=AGENCIES, required=False)
    start_section47 = YesNoField(
        label="Did the discussion decide to start a section 47 enquiry?",
        error_messages={"required": "Select yes if a section 47 enquiry is to start"},
    )
    decision = forms.CharField(label="Decisions and actions agreed", widget=forms.Textarea,
                               error_messages={"required": "Enter the decisions and actions agreed"})


class StrategyDecisionForm(GovUKForm):
    decided_on = GovUKDateField(label="Date of the decision to hold a strategy discussion")
    reason = forms.CharField(label="Why is a strategy discussion needed?", widget=forms.Textarea,
                             error_messages={"required": "Enter why a strategy discussion is needed"})


class Section47CompleteForm(VersionedForm):
    completed_date = GovUKDateField(label="Date the enquiry ended")
    outcome = RadioField(label="Outcome of the enquiry", choices=_choices(Section47Outcome.choices),
                         error_messages={"required": "Select the outcome of the enquiry"})


class ICPCForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the initial child protection conference")
    plan = YesNoField(
        label="Did the conference decide the child should be subject to a child protection plan?",
        error_messages={"required": "Select yes if the child is to be subject to a child protection plan"},
    )
    initial_category = RadioField(
        label="Category of abuse", required=False, choices=_choices(AbuseCategory.choices),
        help_text="Needed when the child is made subject to a plan.",
    )


class CPReviewForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the review conference")
    continue_plan = YesNoField(
        label="Should the child remain subject to a child protection plan?",
        error_messages={"required": "Select yes if the child remains subject to a child protection plan"},
    )
    latest_category = RadioField(
        label="Category of abuse now (optional)", required=False, choices=_choices(AbuseCategory.choices),
        help_text="Only if the conference changed the category.",
    )


class CoreGroupForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the core group meeting")


class CINPlanStartForm(GovUKForm):
    start_date = GovUKDateField(label="Date the child in need plan started")


class CINPlanReviewForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the plan review")


class CINPlanEndForm(VersionedForm):
    end_date = GovUKDateField(label="Date the child in need plan ended")


class VisitForm(GovUKForm):
    visit_type = forms.ChoiceField(label="Type of visit", choices=_choices(VisitType.choices, "Select the type"),
                                   error_messages={"required": "Select the type of visit"})
    visited_on = GovUKDateField(label="Date of the visit")
    seen = YesNoField(label="Was the child seen?", error_messages={"required": "Select yes if the child was seen"})
    seen_alone = YesNoField(label="Was the child seen alone?",
                            error_messages={"required": "Select yes if the child was seen alone"})
    notes = forms.CharField(label="What you saw and heard, and the child's views", widget=forms.Textarea,
                            required=False)


class CaseNoteForm(GovUKForm):
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter a subject"})
    body = forms.CharField(label="Note", widget=forms.Textarea, error_messages={"required": "Enter the note"})


class ClosureForm(VersionedForm):
    closure_date = GovUKDateField(label="Date the case closed")
    reason = RadioField(label="Reason for closure", choices=_choices(ClosureReason.choices),
                        error_messages={"required": "Select a reason for closure"})
    nfa = forms.BooleanField(label="The referral led to no further action", required=False)
    summary = forms.CharField(
        label="Closure summary for your manager",
        help_text="What has changed for the child, and why the case can close. Your manager reads this.",
        widget=forms.Textarea,
        error_messages={"required": "Enter a closure summary for your manager"},
    )


class PlanApprovalRequestForm(GovUKForm):
    summary = forms.CharField(
        label="What has changed in the plan",
        help_text="Your manager returned the plan. Say what you have changed in answer to their reasons.",
        widget=forms.Textarea,
        error_messages={"required": "Enter what has changed since the manager returned the plan"},
    )


class ApprovalDecisionForm(VersionedForm):
    """A manager's decision on a closure or plan approval request, with the rationale."""

    decision = RadioField(label="Your decision", choices=[("approve", "Approve"), ("return", "Return to the worker")],
                          error_messages={"required": "Select whether you approve or return the request"})
    rationale = forms.CharField(
        label="Your rationale",
        help_text="Recorded in the management decisions register. If you return the request, say what the worker "
        "needs to do: they see this on the child's record.",
        widget=forms.Textarea,
        error_messages={"required": "Enter your rationale for the decision"},
    )

    def __init__(self, *args: Any, kind: str = "closure", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        what = "the closure" if kind == "closure" else "the plan"
        field.label = f"Do you approve {what}?"
        field.choices = [("approve", f"Approve {what}"), ("return", "Return it to the social worker")]
        field.error_messages["required"] = f"Select whether you approve {what} or return it"


class SignOffForm(VersionedForm):
    authorised_date = GovUKDateField(label="Date of sign-off")
    rationale = forms.CharField(
        label="Your rationale for signing off the assessment",
        help_text="Recorded in the audit trail with your decision.",
        widget=forms.Textarea,
        error_messages={"required": "Enter your rationale for signing off the assessment"},
    )
