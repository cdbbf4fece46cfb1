"""Forms for supervision and management decisions (the services decide what is allowed)."""

from __future__ import annotations

from typing import Any

from django import forms

from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField
from safehold.oversight.choices import DecisionKind


def _set_choices(field: Any, choices: list[tuple[str, str]], blank: str) -> None:
    field.choices = [("", blank), *choices]


class SupervisionForm(GovUKForm):
    worker = forms.TypedChoiceField(
        label="Worker supervised", coerce=int, empty_value=None, error_messages={"required": "Select the worker"}
    )
    held_on = GovUKDateField(label="Date of the supervision", help_text="For example, 27 3 2025")
    notes = forms.CharField(
        label="Wellbeing, workload and development (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, workers: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["worker"], workers or [], "Select a worker")


class DiscussionForm(GovUKForm):
    child = forms.TypedChoiceField(
        label="Child discussed", coerce=int, empty_value=None, error_messages={"required": "Select the child"}
    )
    discussion = forms.CharField(
        label="What was discussed",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what was discussed"},
    )
    decision = forms.CharField(
        label="Decision", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter the decision"}
    )
    impact_analysis = forms.CharField(
        label="Your analysis: is the work making a difference for the child?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your analysis of the impact for the child"},
    )
    action = forms.CharField(label="Action agreed (optional)", required=False, max_length=500)
    action_owner = forms.TypedChoiceField(label="Action owner", coerce=int, empty_value=None, required=False)
    action_due = GovUKDateField(label="Action due date", required=False)

    def __init__(
        self,
        *args: Any,
        children: list[tuple[str, str]] | None = None,
        owners: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["child"], children or [], "Select a child")
        _set_choices(self.fields["action_owner"], owners or [], "Select the owner")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("action") or "").strip():
            if not data.get("action_owner"):
                self.add_error("action_owner", "Select who owns the action")
            if not data.get("action_due") and "action_due" not in self.errors:
                self.add_error("action_due", "Enter the date the action is due")
        return data


class ActionCompleteForm(GovUKForm):
    completed_on = GovUKDateField(label="Date completed")


class DecisionForm(GovUKForm):
    kind = RadioField(
        label="Kind of decision",
        choices=[(str(v), str(label)) for v, label in DecisionKind.choices],
        error_messages={"required": "Select the kind of decision"},
    )
    decided_on = GovUKDateField(label="Date of the decision")
    decision = forms.CharField(
        label="Decision", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter the decision"}
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the rationale for the decision"},
    )


class ScrutinyPackForm(GovUKForm):
    month = forms.ChoiceField(label="Month the pack reports on", error_messages={"required": "Select the month"})

    def __init__(self, *args: Any, months: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["month"], months or [], "Select a month")
