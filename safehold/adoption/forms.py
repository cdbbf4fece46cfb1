"""Forms for prospective adopters. They parse what was typed; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from safehold.adoption.models import LeavingReason
from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField, VersionedForm, YesNoField
from safehold.people.choices import Ethnicity, Sex


def _name(label: str, required: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=100, required=bool(required), error_messages={"required": required} if required else {}
    )


class EnquiryForm(GovUKForm):
    enquiry_on = GovUKDateField(label="Date the enquiry was received")
    given_name_1 = _name("First adopter's first name", "Enter the first adopter's first name")
    family_name_1 = _name("First adopter's last name", "Enter the first adopter's last name")
    sex_1 = RadioField(
        label="First adopter's sex",
        choices=Sex.choices,
        inline=True,
        error_messages={"required": "Select the first adopter's sex"},
    )
    ethnicity_1 = forms.ChoiceField(label="First adopter's ethnicity", choices=Ethnicity.choices, initial="NOBT")
    disabled_1 = YesNoField(
        label="Does the first adopter have a disability?",
        error_messages={"required": "Select yes if the first adopter has a disability"},
    )
    given_name_2 = _name("Second adopter's first name (if a couple)")
    family_name_2 = _name("Second adopter's last name (if a couple)")
    sex_2 = RadioField(label="Second adopter's sex (if a couple)", choices=Sex.choices, inline=True, required=False)
    ethnicity_2 = forms.ChoiceField(
        label="Second adopter's ethnicity (if a couple)", choices=Ethnicity.choices, initial="NOBT", required=False
    )
    disabled_2 = YesNoField(label="Does the second adopter have a disability? (if a couple)", required=False)
    fostering_for_adoption = YesNoField(
        label="Are they approved, or being assessed, to foster for adoption?",
        error_messages={"required": "Select yes if they will foster for adoption"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, family = (data.get("given_name_2") or "").strip(), (data.get("family_name_2") or "").strip()
        if bool(given) != bool(family):
            self.add_error(
                "given_name_2" if not given else "family_name_2", "Enter both names of the second adopter, or neither"
            )
        elif given and not data.get("sex_2"):
            self.add_error("sex_2", "Select the second adopter's sex")
        return data


class StepForm(VersionedForm):
    service_fields = {"step": "on"}

    on = GovUKDateField(label="Date")
    children_placed = forms.IntegerField(
        label="Number of children placed",
        required=False,
        min_value=1,
        max_value=9,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
    )


class LeaveForm(VersionedForm):
    left_on = GovUKDateField(label="Date they left the process")
    reason = RadioField(
        label="Reason for leaving",
        choices=LeavingReason.choices,
        error_messages={"required": "Select the reason for leaving the process"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
