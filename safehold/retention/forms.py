"""Forms for the retention pages (GOV.UK markup from the govuk template tags)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField, VersionedForm
from safehold.retention.choices import BasisChoice, Decision

REASON_MAX = 2000


def _reason_field(label: str, required: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required, "max_length": f"The reason must be {REASON_MAX} characters or fewer"},
    )


NO_NAMES = "Do not write the child's or family's names here: this stays after the record is disposed of."


class DecisionForm(VersionedForm):
    decision = RadioField(
        label="Your decision",
        choices=Decision.choices,
        choice_hints={
            Decision.APPROVE: "The record's personal data is removed now. This cannot be undone.",
            Decision.DEFER: "The record stays as it is and comes back for a decision on the date you give.",
        },
        error_messages={"required": "Select whether to approve the disposal or defer it"},
    )
    defer_until = GovUKDateField(
        label="Date to review the record again",
        required=False,
        help_text="Only if you defer. For example, 1 4 2031",
    )
    reason = _reason_field("Reason for your decision", "Enter the reason for your decision", NO_NAMES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.DEFER and not data.get("defer_until") and "defer_until" not in self.errors:
            self.add_error("defer_until", ValidationError("Enter the date to review the record again"))
        return data


class HoldForm(GovUKForm):
    la_child_id = forms.CharField(
        label="LA child id",
        max_length=20,
        help_text="The child's record the legal hold is for",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the LA child id of the record to hold"},
    )
    reason = _reason_field(
        "Reason for the legal hold",
        "Enter the reason for the legal hold",
        "The matter and its reference: a claim, an inquiry, a subject access request. " + NO_NAMES,
    )


class HoldReleaseForm(VersionedForm):
    release_reason = _reason_field(
        "Reason the legal hold is released",
        "Enter the reason the legal hold is released",
        "For example, the claim has been settled. " + NO_NAMES,
    )


class RuleForm(VersionedForm):
    basis = RadioField(
        label="What the period is measured from",
        choices=BasisChoice.choices,
        error_messages={"required": "Select what the period is measured from"},
    )
    years = forms.IntegerField(
        label="Years",
        min_value=1,
        max_value=150,
        help_text="For a birthday, the age (for example 75 for the 75th birthday)",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of years",
            "invalid": "The number of years must be a whole number, like 30",
            "min_value": "The number of years must be between 1 and 150",
            "max_value": "The number of years must be between 1 and 150",
        },
    )
    death_years = forms.IntegerField(
        label="Years from the date of death (optional)",
        required=False,
        min_value=1,
        max_value=150,
        help_text="If the child died before 18, keep the record for this many years from the date of death instead",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "The number of years after death must be a whole number, like 15",
            "min_value": "The number of years after death must be between 1 and 150",
            "max_value": "The number of years after death must be between 1 and 150",
        },
    )
    source = forms.CharField(
        label="Source",
        help_text="The regulation this period comes from, or your local retention policy",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the source of this period: the regulation, or your local policy"},
    )
    reason = _reason_field("Reason for the change", "Enter the reason for the change")
