"""Forms for the establishment, leavers' reasons and training records (the services decide what is allowed)."""

from __future__ import annotations

from typing import Any

from django import forms

from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField
from safehold.workforce.choices import LeaveReason, StaffRole


def _choices(field: Any, choices: list[tuple[str, str]], blank: str) -> None:
    field.choices = [("", blank), *choices]


class PostForm(GovUKForm):
    team = forms.TypedChoiceField(
        label="Team", coerce=int, empty_value=None, error_messages={"required": "Select the team"}
    )
    role = forms.ChoiceField(label="Role", error_messages={"required": "Select the role of the post"})
    fte = forms.CharField(
        label="Full-time equivalent (FTE)",
        help_text="1 for a full-time post, 0.5 for half time",
        max_length=5,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
        error_messages={"required": "Enter the full-time equivalent"},
    )
    opened_on = GovUKDateField(label="Date the post was added to the establishment")
    holder = forms.TypedChoiceField(
        label="Held by (leave blank if vacant)", coerce=int, empty_value=None, required=False
    )

    def __init__(
        self,
        *args: Any,
        teams: list[tuple[str, str]] | None = None,
        staff: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["team"], teams or [], "Select a team")
        _choices(self.fields["role"], [(str(v), str(label)) for v, label in StaffRole.choices], "Select a role")
        _choices(self.fields["holder"], staff or [], "Vacant")


class HolderForm(GovUKForm):
    holder = forms.TypedChoiceField(label="Held by", coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, staff: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["holder"], staff or [], "Vacant: nobody holds this post")


class LeaveReasonForm(GovUKForm):
    reason = RadioField(
        label="Why did they leave?",
        choices=[(str(v), str(label)) for v, label in LeaveReason.choices],
        error_messages={"required": "Select why they left"},
    )


class TrainingForm(GovUKForm):
    staff = forms.TypedChoiceField(
        label="Member of staff", coerce=int, empty_value=None, error_messages={"required": "Select the member of staff"}
    )
    course = forms.CharField(
        label="Course", max_length=200, error_messages={"required": "Enter the name of the course"}
    )
    provider = forms.CharField(label="Provider (optional)", max_length=200, required=False)
    completed_on = GovUKDateField(label="Date completed")
    expires_on = GovUKDateField(
        label="Expiry date (optional)", required=False, help_text="When the training must be renewed, if it must"
    )

    def __init__(self, *args: Any, staff: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["staff"], staff or [], "Select a member of staff")
