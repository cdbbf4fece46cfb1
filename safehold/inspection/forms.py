"""Forms for the inspection-readiness pages (GOV.UK markup from safehold.frontend)."""

from __future__ import annotations

from typing import Any

from django import forms

from safehold.accounts.models import User
from safehold.accounts.roles import Role
from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField, VersionedForm
from safehold.inspection.indicators import indicator_choices
from safehold.inspection.models import (
    ActionStatus,
    FindingKind,
    InspectionFinding,
    InspectionKind,
    Judgement,
    Rag,
    SampleTheme,
)
from safehold.inspection.services import MAX_SAMPLE, MAX_SHARE_DAYS
from safehold.workforce.models import StaffMember

NOT_GIVEN = [("", "Not given")]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class AnnexAForm(GovUKForm):
    as_of = GovUKDateField(label="Inspection date", help_text="The lists look back 6 or 12 months from this date")


class SampleForm(GovUKForm):
    theme = RadioField(label="What should the sample be drawn from?", choices=SampleTheme.choices)
    size = forms.IntegerField(label="How many children", min_value=1, max_value=MAX_SAMPLE, initial=10)
    reason = forms.CharField(
        label="Why is the sample being drawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, 'ILACS inspection case tracking' or 'Quarterly audit of CP plans'",
    )
    title = forms.CharField(label="Name (optional)", required=False, max_length=200)
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="Leave blank for a new random draw. Enter an earlier sample's seed to draw the same children again.",
    )


class ShareForm(GovUKForm):
    inspector = forms.ChoiceField(label="Inspector")
    days = forms.IntegerField(
        label="For how many days", min_value=1, max_value=MAX_SHARE_DAYS, initial=14,
        help_text=f"Access ends automatically; at most {MAX_SHARE_DAYS} days",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inspectors = User.objects.filter(role=Role.INSPECTOR, is_active=True).order_by("last_name", "first_name")
        _set_choices(
            self,
            "inspector",
            [("", "Choose an inspector")]
            + [(str(u.pk), f"{u.get_full_name() or u.username} ({u.username})") for u in inspectors],
        )


class InspectionForm(GovUKForm):
    kind = RadioField(label="Type", choices=InspectionKind.choices)
    start_date = GovUKDateField(label="First day on site")
    end_date = GovUKDateField(label="Last day on site", required=False)
    published_on = GovUKDateField(label="Report published", required=False)
    overall_effectiveness = forms.ChoiceField(
        label="Overall effectiveness", choices=NOT_GIVEN + Judgement.choices, required=False,
        help_text="Not given for inspections from April 2026, nor for visits",
    )  # fmt: skip
    help_and_protection = forms.ChoiceField(
        label="Experiences and progress of children who need help and protection",
        choices=NOT_GIVEN + Judgement.choices,
        required=False,
    )
    children_in_care = forms.ChoiceField(
        label="Experiences and progress of children in care", choices=NOT_GIVEN + Judgement.choices, required=False
    )
    care_leavers = forms.ChoiceField(
        label="Experiences and progress of care leavers", choices=NOT_GIVEN + Judgement.choices, required=False
    )
    leaders = forms.ChoiceField(
        label="Impact of leaders on social work practice with children and families",
        choices=NOT_GIVEN + Judgement.choices,
        required=False,
    )
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    report_url = forms.URLField(label="Link to the published report", required=False, assume_scheme="https")


class FindingForm(GovUKForm):
    kind = RadioField(label="Kind of finding", choices=FindingKind.choices, inline=False)
    text = forms.CharField(label="Finding", widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(GovUKForm):
    title = forms.CharField(label="Action", max_length=200)
    description = forms.CharField(label="Detail", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.ChoiceField(label="Owner")
    due_date = GovUKDateField(label="Due by")
    finding = forms.ChoiceField(label="Responds to finding (optional)", required=False)
    indicator = forms.ChoiceField(label="Measured by (optional)", required=False)
    target = forms.DecimalField(
        label="Target (%)", required=False, min_value=0, max_value=100, decimal_places=1,
        help_text="Leave blank to use the indicator's usual target",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = StaffMember.objects.filter(leave_date__isnull=True).order_by("family_name", "given_name")
        _set_choices(self, "owner", [("", "Choose an owner")] + [(str(s.pk), s.full_name) for s in staff[:500]])
        findings = InspectionFinding.objects.exclude(kind=FindingKind.STRENGTH).select_related("inspection")
        _set_choices(
            self, "finding", [("", "None")] + [(str(f.pk), f"{f.inspection}: {f.text[:70]}") for f in findings[:200]]
        )
        _set_choices(self, "indicator", [("", "None")] + indicator_choices())


class ActionUpdateForm(VersionedForm):
    status = RadioField(label="Status", choices=ActionStatus.choices, inline=True)
    rag = RadioField(label="RAG rating", choices=Rag.choices, inline=True)


class EvidenceForm(GovUKForm):
    label = forms.CharField(label="Evidence", max_length=200, help_text="For example, 'Audit report, May 2026'")
    url = forms.URLField(label="Link", assume_scheme="https")
