"""Forms for subject access requests (GOV.UK markup from the govuk template tags)."""

from __future__ import annotations

from typing import Any

from django import forms

from safehold.frontend.forms import CheckboxesField, GovUKDateField, GovUKForm, RadioField, VersionedForm
from safehold.subject_access.choices import EXEMPTION_CHOICES, ApprovalDecision
from safehold.subject_access.services import NOTE_MAX

WHOLE_ITEM = "__item__"


def _note(label: str, hint: str = "", required: bool = False, required_message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required_message, "max_length": f"The note must be {NOTE_MAX} characters or fewer"},
    )


class OpenForm(GovUKForm):
    la_child_id = forms.CharField(
        label="LA child id or NHS number",
        max_length=20,
        help_text="Of the person the request is about, for example T0001234 or 943 476 5919",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the LA child id or NHS number of the person the request is about"},
    )
    requester = forms.CharField(
        label="Who made the request",
        max_length=200,
        help_text="For example, the person themselves, or a parent with parental responsibility acting for the child",
        error_messages={
            "required": "Enter who made the request",
            "max_length": "Who made the request must be 200 characters or fewer",
        },
    )
    received_on = GovUKDateField(label="Date the request was received", help_text="For example, 27 3 2026")


class RedactForm(GovUKForm):
    fields_to_redact = CheckboxesField(
        label="What to redact",
        help_text="Select the information to withhold. Choose the whole item to withhold everything in it.",
        error_messages={"required": "Select what to redact"},
    )
    text = forms.CharField(
        label="Only this word or phrase (optional)",
        required=False,
        max_length=300,
        help_text="For example, another person's name. Leave empty to withhold all of what you selected.",
        error_messages={"max_length": "The word or phrase must be 300 characters or fewer"},
    )
    reason = RadioField(
        label="Why it is withheld", choices=EXEMPTION_CHOICES, error_messages={"required": "Select why it is withheld"}
    )
    note = _note("Note for the approver (optional)")

    service_fields = {"fields": "fields_to_redact"}

    def __init__(self, *args: Any, item_fields: list[dict[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f["name"], f["label"]) for f in item_fields or []]
        field = self.fields["fields_to_redact"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*choices, (WHOLE_ITEM, "The whole item")]


class PhraseForm(GovUKForm):
    phrase = forms.CharField(
        label="Word or phrase to redact everywhere",
        max_length=300,
        help_text="For example, another person's name: it is withheld wherever it appears in the release.",
        error_messages={
            "required": "Enter the word or phrase to redact",
            "max_length": "The word or phrase must be 300 characters or fewer",
        },
    )
    phrase_reason = RadioField(
        label="Why it is withheld", choices=EXEMPTION_CHOICES, error_messages={"required": "Select why it is withheld"}
    )

    service_fields = {"text": "phrase", "reason": "phrase_reason"}


class SubmitForm(VersionedForm):
    pass


class DecisionForm(VersionedForm):
    decision = RadioField(
        label="Your decision",
        choices=ApprovalDecision.choices,
        choice_hints={
            ApprovalDecision.APPROVE: "The export is released with the redactions applied. This cannot be undone.",
            ApprovalDecision.RETURN: "The reviewer can change the redactions and send it again.",
        },
        error_messages={"required": "Select whether to approve the release or return it"},
    )
    note = _note("Note", hint="Required if you return the request: say what needs to change.")
