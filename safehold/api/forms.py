"""The partner referral form (GOV.UK)."""

from __future__ import annotations

from django import forms

from safehold.casework.choices import ReferralSource
from safehold.frontend.forms import GovUKDateField, GovUKForm

PARTNER_SOURCES = [
    ("", "Select your organisation"),
    *[(c.value, c.label) for c in ReferralSource if c.value not in {"1A", "1B", "1C", "1D", "9", "10"}],
]


class PartnerReferralForm(GovUKForm):
    given_name = forms.CharField(
        label="Child's first name", max_length=100, error_messages={"required": "Enter the child's first name"}
    )
    family_name = forms.CharField(
        label="Child's last name", max_length=100, error_messages={"required": "Enter the child's last name"}
    )
    date_of_birth = GovUKDateField(label="Child's date of birth")
    source = forms.ChoiceField(
        label="Your organisation", choices=PARTNER_SOURCES, error_messages={"required": "Select your organisation"}
    )
    referrer_name = forms.CharField(
        label="Your name and contact details",
        max_length=200,
        error_messages={"required": "Enter your name and contact details"},
    )
    summary = forms.CharField(
        label="What are you worried about?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what you are worried about"},
    )
