"""Forms for case audits (the services decide what is allowed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField
from safehold.inspection.annex_a.domain import months_before
from safehold.inspection.models import SampleTheme
from safehold.oversight.case_audits.domains import domains
from safehold.oversight.choices import Grade, Moderation

GRADES = [(str(v), str(label)) for v, label in Grade.choices]
_NUMBER = {"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false"}


class ProgrammeForm(GovUKForm):
    title = forms.CharField(
        label="Name of the programme",
        max_length=200,
        help_text="For example, Case audit programme 2025 to 2026",
        error_messages={"required": "Enter a name for the programme"},
    )


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    """The 6 months before this one, this one and the 12 after, as ``YYYY-MM``."""
    first = today.replace(day=1)
    months = [months_before(first, n) for n in range(6, -13, -1)]
    return [(m.strftime("%Y-%m"), m.strftime("%B %Y")) for m in months]


class MonthForm(GovUKForm):
    month = forms.ChoiceField(label="Month", error_messages={"required": "Select the month"})
    theme = RadioField(
        label="Theme of the month's audits",
        choices=[(str(v), str(label)) for v, label in SampleTheme.choices],
        error_messages={"required": "Select the theme of the month's audits"},
    )
    sample_size = forms.IntegerField(
        label="How many children to sample",
        min_value=1,
        max_value=50,
        widget=forms.TextInput(attrs=_NUMBER),
        error_messages={
            "required": "Enter how many children to sample",
            "invalid": "The sample size must be a whole number, like 8",
            "min_value": "The sample size must be between 1 and 50",
            "max_value": "The sample size must be between 1 and 50",
        },
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs=_NUMBER),
        help_text="Leave blank to choose one at random. The same seed, theme and date draw the same children.",
        error_messages={
            "invalid": "The seed must be a whole number, like 20250401",
            "min_value": "The seed must be a whole number from 0 upwards",
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month: Any = self.fields["month"]
        month.choices = [("", "Select a month"), *month_choices(today)]

    def clean_month(self) -> dt.date:
        year, month = str(self.cleaned_data["month"]).split("-")
        return dt.date(int(year), int(month), 1)


class AuditForm(GovUKForm):
    """Every domain of ``data/audit_domains.csv`` graded (with an optional comment), findings and an overall
    grade, and an optional action back to the worker or manager."""

    audited_on = GovUKDateField(label="Date of the audit")

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for d in domains():
            self.fields[f"grade_{d.code}"] = RadioField(
                label=d.title,
                choices=GRADES,
                help_text=d.prompt,
                error_messages={"required": f"Select a grade for {d.title[:1].lower()}{d.title[1:]}"},
            )
            self.fields[f"comment_{d.code}"] = forms.CharField(
                label=f"{d.title}: evidence (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.fields["findings"] = forms.CharField(
            label="Findings",
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text="What is working well, what needs to change, and the difference made for the child",
            error_messages={"required": "Enter the audit's findings"},
        )
        self.fields["grade"] = RadioField(
            label="Overall grade", choices=GRADES, error_messages={"required": "Select the overall grade"}
        )
        self.fields["action"] = forms.CharField(label="Action (optional)", required=False, max_length=500)
        self.fields["action_owner"] = forms.TypedChoiceField(
            label="Action for",
            coerce=int,
            empty_value=None,
            required=False,
            choices=[("", "Select who the action is for"), *(owners or [])],
        )
        self.fields["action_due"] = GovUKDateField(label="Action due date", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("action") or "").strip():
            if not data.get("action_owner"):
                self.add_error("action_owner", "Select who the action is for")
            if not data.get("action_due") and "action_due" not in self.errors:
                self.add_error("action_due", "Enter the date the action is due")
        return data

    def grades(self) -> dict[str, str]:
        return {d.code: self.cleaned_data[f"grade_{d.code}"] for d in domains()}

    def comments(self) -> dict[str, str]:
        return {d.code: self.cleaned_data.get(f"comment_{d.code}", "") for d in domains()}


class ModerationForm(GovUKForm):
    outcome = RadioField(
        label="Do you agree with the auditor's overall grade?",
        choices=[(str(Moderation.AGREED), "Yes, I agree"), (str(Moderation.REGRADED), "No, I regrade it")],
        error_messages={"required": "Select whether you agree with the grade or regrade it"},
    )
    grade = RadioField(label="Moderated grade (if you regrade)", choices=GRADES, required=False)
    reason = forms.CharField(
        label="Reason for the regrade, or moderation comments", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    moderated_on = GovUKDateField(label="Date of the moderation")
    service_fields = {"moderator": "outcome"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Moderation.REGRADED:
            if not data.get("grade"):
                self.add_error("grade", "Select the moderated grade")
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Enter why you regraded the audit")
        return data


class ActionForm(GovUKForm):
    action = forms.CharField(label="Action", max_length=500, error_messages={"required": "Enter the action"})
    action_owner = forms.TypedChoiceField(
        label="Action for", coerce=int, empty_value=None, error_messages={"required": "Select who owns the action"}
    )
    action_due = GovUKDateField(label="Due date", error_messages={"required": "Enter the date the action is due"})

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["action_owner"]
        owner.choices = [("", "Select who the action is for"), *(owners or [])]
