"""Early help forms: they parse what was typed; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from safehold.early_help.choices import ClosureOutcome, ConsentScope
from safehold.frontend.forms import CheckboxesField, GovUKDateField, GovUKForm, RadioField, VersionedForm


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class LeadForm(GovUKForm):
    """Open early help: the start date and the lead practitioner (a council worker or a partner)."""

    opened_on = GovUKDateField(label="Date early help started")
    lead = RadioField(label="Lead practitioner", error_messages={"required": "Select the lead practitioner"})

    def __init__(self, *args: Any, leads: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "lead", [("none", "Not yet agreed"), *(leads or [])])


class StepDownForm(LeadForm):
    summary = forms.CharField(
        label="Step-down summary for the lead practitioner", widget=forms.Textarea,
        help_text="This is the only part of the social-care record a partner lead practitioner will see.",
        error_messages={"required": "Enter the step-down summary for the lead practitioner"},
    )
    service_fields = {"summary": "summary"}


class ConsentForm(GovUKForm):
    given_by = forms.CharField(label="Who gave consent", max_length=200, help_text="Name and relationship",
                               error_messages={"required": "Enter who gave consent"})
    given_on = GovUKDateField(label="Date consent was given")
    scopes = CheckboxesField(label="What the family agreed may be shared", choices=ConsentScope.choices,
                             error_messages={"required": "Select what the family agreed may be shared"})


class ConsentWithdrawForm(GovUKForm):
    withdrawn_by = forms.CharField(label="Who withdrew consent", max_length=200, help_text="Name and relationship",
                                   error_messages={"required": "Enter who withdrew consent"})
    withdrawn_on = GovUKDateField(label="Date consent was withdrawn")
    scopes = CheckboxesField(label="What the family no longer agrees may be shared", choices=ConsentScope.choices,
                             error_messages={"required": "Select what the family no longer agrees may be shared"})

    def __init__(self, *args: Any, scopes: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scopes is not None:
            _set_choices(self, "scopes", scopes)


class AssessmentStartForm(GovUKForm):
    start_date = GovUKDateField(label="Date the early help assessment started")
    organisation = forms.TypedChoiceField(label="Organisation completing the assessment", coerce=int,
                                          empty_value=None,
                                          error_messages={"required": "Select the organisation"})

    def __init__(self, *args: Any, organisations: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "organisation",
                     [("", "Select an organisation"), *((str(pk), n) for pk, n in organisations or [])])


class AssessmentCompleteForm(VersionedForm):
    completed_date = GovUKDateField(label="Date the assessment was completed")
    needs = forms.CharField(label="Needs identified", widget=forms.Textarea,
                            error_messages={"required": "Enter the needs the assessment identified"})


class GoalForm(GovUKForm):
    text = forms.CharField(label="The family's goal, in their words", max_length=300,
                           error_messages={"required": "Enter the family's goal"})


class TAFMemberForm(GovUKForm):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the member's name"})
    agency = forms.CharField(label="Agency", max_length=200, help_text="For example, Oak Primary School",
                             error_messages={"required": "Enter the member's agency"})
    role = forms.CharField(label="What they will do (optional)", max_length=200, required=False)


SCORES = [(str(n), str(n)) for n in range(11)]


class ReviewForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the review")
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, goals: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goal_ids = [pk for pk, _ in goals or []]
        for pk, text in goals or []:
            self.fields[f"goal_{pk}"] = forms.TypedChoiceField(
                label=f"Progress on: {text}", coerce=int, choices=[("", "Select a score"), *SCORES],
                help_text="0 means no progress, 10 means the goal is achieved",
                error_messages={"required": f"Select a progress score for '{text}'"},
            )

    def scores(self) -> dict[int, int]:
        return {pk: int(self.cleaned_data[f"goal_{pk}"]) for pk in self.goal_ids}


class CloseForm(VersionedForm):
    closed_on = GovUKDateField(label="Date early help closed")
    outcome = RadioField(label="Outcome", error_messages={"required": "Select the outcome"},
                         choices=[(v, lbl) for v, lbl in ClosureOutcome.choices if v != ClosureOutcome.STEPPED_UP])


class StepUpForm(GovUKForm):
    child = forms.TypedChoiceField(label="Child to refer", coerce=int, empty_value=None,
                                   error_messages={"required": "Select the child to refer"})
    reason = forms.CharField(label="Why the family now needs children's social care", widget=forms.Textarea,
                             error_messages={"required": "Enter why the family needs children's social care"})

    def __init__(self, *args: Any, children: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "child", [("", "Select a child"), *((str(pk), n) for pk, n in children or [])])
