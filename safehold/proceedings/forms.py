"""Forms for pre-proceedings and care proceedings. They parse what was typed; the services decide what is allowed
(their refusals come back through ``add_service_error``)."""

from __future__ import annotations

from typing import Any

from django import forms

from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField, VersionedForm
from safehold.proceedings.choices import (
    ApplicationType,
    FGDMResponse,
    HearingKind,
    MeetingKind,
    PreProceedingsDecision,
    ProceedingsOutcome,
)


def _radios(label: str, choices: Any, required: str, **kwargs: Any) -> RadioField:
    return RadioField(label=label, choices=choices, error_messages={"required": required}, **kwargs)


class PreProceedingsStartForm(GovUKForm):
    started_on = GovUKDateField(
        label="Date of the decision to start pre-proceedings", help_text="The legal gateway or legal planning meeting"
    )


class LetterForm(VersionedForm):
    sent_on = GovUKDateField(label="Date the letter before proceedings was sent")


class FGDMOfferForm(VersionedForm):
    offered_on = GovUKDateField(label="Date the family group decision-making meeting was offered")
    response = _radios("What did the family say?", FGDMResponse.choices, "Select the family's answer to the offer")
    held_on = GovUKDateField(label="Date the meeting was held (if it has been)", required=False)
    not_held_reason = forms.CharField(
        label="If the family accepted but the meeting will not be held before an application: why that is in the "
        "child's best interests (optional)",
        required=False,
        widget=forms.Textarea,
    )


class MeetingForm(GovUKForm):
    kind = _radios("Which meeting?", MeetingKind.choices, "Select the kind of meeting", inline=True)
    held_on = GovUKDateField(label="Date of the meeting")
    next_review_on = GovUKDateField(label="Date of the next review (optional)", required=False)
    notes = forms.CharField(label="What was agreed with the family (optional)", required=False, widget=forms.Textarea)


class DecisionForm(VersionedForm):
    decision = _radios("Decision", PreProceedingsDecision.choices, "Select the decision")
    decided_on = GovUKDateField(label="Date of the decision")


class ApplicationForm(GovUKForm):
    application_type = _radios("Order applied for", ApplicationType.choices, "Select the order applied for")
    issued_on = GovUKDateField(label="Date the application was issued")
    court = forms.CharField(
        label="Court",
        max_length=200,
        help_text="For example, the Family Court at Leeds",
        error_messages={"required": "Enter the court"},
    )
    case_number = forms.CharField(
        label="Court case number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )


class HearingForm(GovUKForm):
    kind = _radios("Which hearing?", HearingKind.choices, "Select the kind of hearing")
    heard_on = GovUKDateField(
        label="Date of the hearing", help_text="A hearing listed for a later date may be recorded now"
    )
    notes = forms.CharField(label="Directions and orders made (optional)", required=False, widget=forms.Textarea)


class ExtensionForm(GovUKForm):
    granted_on = GovUKDateField(label="Date the court granted the extension")
    extended_to = GovUKDateField(
        label="Date the timetable is extended to",
        help_text="No more than 8 weeks after the current end of the timetable",
    )
    reason = forms.CharField(
        label="Why the court found the extension necessary",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the court found the extension necessary"},
    )


class ConcludeForm(VersionedForm):
    concluded_on = GovUKDateField(label="Date the proceedings concluded")
    outcome = _radios("Outcome", ProceedingsOutcome.choices, "Select the outcome")
