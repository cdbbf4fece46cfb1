"""Forms for children in care, private fostering, missing episodes and care leavers. They parse what was
typed; the services decide what is allowed (their refusals come back through ``add_service_error``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safehold.frontend.forms import GovUKDateField, GovUKForm, RadioField, VersionedForm, YesNoField
from safehold.looked_after.choices import (
    ACCOMMODATION_CHOICES,
    AccommodationBasis,
    Activity,
    CategoryOfNeed,
    HealthCheckKind,
    InTouch,
    LegalStatus,
    MissingKind,
    PFAnswer,
    PFDecision,
    PlacementProvider,
    PlacementType,
    PreviousPermanenceKind,
    ReasonEpisodeCeased,
    ReasonPlaceChange,
    ReasonPlacedCeased,
    ReviewParticipation,
    SDQReason,
)

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _choices(choices: Any, blank: str | None = None) -> list[tuple[str, str]]:
    out = [(str(v), f"{label} ({v})" if len(str(v)) <= 3 and str(v).isupper() else str(label)) for v, label in choices]
    return ([("", blank)] + out) if blank is not None else out


def _select(label: str, choices: Any, blank: str, required_message: str, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=_choices(choices, blank), required=required,
        error_messages={"required": required_message},
    )


def _time_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": f"Enter the {label[:1].lower()}{label[1:]}"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
    )


def _parse_time(value: str) -> dt.time:
    match = _TIME.match(value or "")
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValidationError("Enter the time as hours and minutes, for example 14:30")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class PlacementFields(GovUKForm):
    placement_type = _select("Placement type", PlacementType.choices, "Select the placement type",
                             "Select the placement type")
    placement_provider = _select(
        "Placement provider", PlacementProvider.choices, "Select the provider (not for temporary placements)",
        "Select the placement provider", required=False,
    )
    placement_postcode = forms.CharField(label="Placement postcode (optional)", required=False, max_length=8,
                                         widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    urn = forms.CharField(label="Ofsted URN (optional)", required=False, max_length=8,
                          help_text="The provider's unique reference number, or XXXXXXX if it has none",
                          widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))


class CareStartForm(PlacementFields):
    start_date = GovUKDateField(label="Date the child started to be looked after")
    legal_status = _select("Legal status", LegalStatus.choices, "Select the legal status", "Select the legal status")
    category_of_need = _select("Category of need", CategoryOfNeed.choices, "Select the category of need",
                               "Select the category of need")
    home_postcode = forms.CharField(label="Postcode of the child's home before care (optional)", required=False,
                                    max_length=8, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    previous_permanence = _select(
        "Previous permanence order (optional)", PreviousPermanenceKind.choices, "Not recorded yet",
        "Select the previous permanence order", required=False,
    )
    previous_permanence_la = forms.CharField(
        label="Local authority that made the previous permanence arrangement (optional)", required=False,
        max_length=3, help_text="Its 3-digit LA code, or NIR, SCO, WAL, NUK, or 999 if not known",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
    )
    previous_permanence_date = GovUKDateField(label="Date of the previous permanence order (optional)",
                                              required=False)
    field_order = ["start_date", "legal_status", "category_of_need", "home_postcode", "placement_type",
                   "placement_provider", "placement_postcode", "urn", "previous_permanence", "previous_permanence_la",
                   "previous_permanence_date"]


class PlacementChangeForm(PlacementFields):
    change_date = GovUKDateField(label="Date of the move")
    reason_place_change = RadioField(
        label="Reason for the change of placement", choices=_choices(ReasonPlaceChange.choices),
        error_messages={"required": "Select the reason for the change of placement"},
    )
    same_carer = YesNoField(label="Is the child staying with the same carer?",
                            error_messages={"required": "Select yes if the child stays with the same carer"})
    legal_status = _select("New legal status (only if it changes on the same day)", LegalStatus.choices,
                           "No change", "", required=False)
    field_order = ["change_date", "placement_type", "placement_provider", "reason_place_change", "same_carer",
                   "legal_status", "placement_postcode", "urn"]


class LegalStatusChangeForm(GovUKForm):
    change_date = GovUKDateField(label="Date the legal status changed")
    legal_status = _select("New legal status", LegalStatus.choices, "Select the legal status",
                           "Select the new legal status")


class CareEndForm(GovUKForm):
    end_date = GovUKDateField(label="Date the child ceased to be looked after")
    reason_ceased = _select(
        "Reason the child ceased to be looked after",
        [c for c in ReasonEpisodeCeased.choices if c[0] != ReasonEpisodeCeased.X1],
        "Select the reason", "Select the reason the child ceased to be looked after",
    )


class CarePlanForm(GovUKForm):
    plan_date = GovUKDateField(label="Date the care plan was agreed")


class PEPForm(GovUKForm):
    pep_date = GovUKDateField(label="Date the personal education plan was in place")


class ReviewForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the review")
    participation = RadioField(
        label="How did the child take part?", choices=_choices(ReviewParticipation.choices),
        error_messages={"required": "Select how the child took part in the review"},
    )
    decisions = forms.CharField(label="Decisions and recommendations (optional)", required=False,
                                widget=forms.Textarea)


class CLAVisitForm(GovUKForm):
    visited_on = GovUKDateField(label="Date of the visit")
    seen = YesNoField(label="Was the child seen?", error_messages={"required": "Select yes if the child was seen"})
    seen_alone = YesNoField(label="Was the child seen alone?", required=False)
    placement_stable = YesNoField(label="Is the placement stable?", required=False,
                                  help_text="Any risk of disruption should be recorded in the notes")
    notes = forms.CharField(label="What the child said and what you saw", required=False, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["seen_alone"] = bool(data.get("seen_alone"))
        return data

    def visit_notes(self) -> str:
        d = self.cleaned_data
        stable = {None: "", True: "Placement stable: yes.", False: "Placement stable: NO - risk of disruption."}[
            d.get("placement_stable")
        ]
        return "\n".join(part for part in (stable, d.get("notes", "")) if part)


class HealthCheckForm(GovUKForm):
    kind = RadioField(label="Which check?", choices=_choices(HealthCheckKind.choices),
                      error_messages={"required": "Select the kind of health check"})
    done_on = GovUKDateField(label="Date of the check")


# --- private fostering --------------------------------------------------------------------------------------


class PFNotifyForm(GovUKForm):
    notified_on = GovUKDateField(label="Date the council became aware of the arrangement")
    arrangement_start = GovUKDateField(label="Date the child went to live with the carer (optional)", required=False)
    carer_given_name = forms.CharField(label="Private foster carer's first name", max_length=100,
                                       error_messages={"required": "Enter the private foster carer's first name"})
    carer_family_name = forms.CharField(label="Private foster carer's last name", max_length=100,
                                        error_messages={"required": "Enter the private foster carer's last name"})
    carer_date_of_birth = GovUKDateField(label="Carer's date of birth (optional)", required=False)


def _answer(label: str, hint: str = "") -> RadioField:
    return RadioField(label=label, choices=_choices(PFAnswer.choices), required=False, inline=True, help_text=hint)


class PFAnswersForm(VersionedForm):
    trafficking_considered = _answer("Has the possibility that the child has been trafficked been considered?")
    trafficking_concern = _answer("Are there concerns that the child has been trafficked?")
    abandonment_concern = _answer("Are there concerns that the child has been abandoned?")
    parents_contacted = _answer("Have the child's parents been contacted?")
    parental_contact_arrangements = forms.CharField(label="Arrangements for contact with the parents", required=False,
                                                    widget=forms.Textarea)
    household_checks_done = _answer(
        "Have the checks on the carer and their household been done?",
        "Everyone in the household aged 16 or over (PFR Sch 2)",
    )
    child_views = forms.CharField(label="The child's own views about the arrangement", required=False,
                                  help_text="Seen alone unless that is inappropriate", widget=forms.Textarea)


class PFAssessmentForm(VersionedForm):
    completed_on = GovUKDateField(label="Date the assessment was completed")
    decision = RadioField(label="Decision on the arrangement", choices=_choices(PFDecision.choices),
                          error_messages={"required": "Select the decision on the arrangement"})


class PFEndForm(VersionedForm):
    end_date = GovUKDateField(label="Date the arrangement ended")


class PFVisitForm(CLAVisitForm):
    pass


# --- missing ------------------------------------------------------------------------------------------------


class MissingForm(GovUKForm):
    kind = RadioField(label="Was the child missing or away?", choices=_choices(MissingKind.choices),
                      error_messages={"required": "Select missing or away"})
    started_on = GovUKDateField(label="Date the child went missing")
    started_time = _time_field("Time the child went missing")
    service_fields = {"started_at": "started_on"}

    def clean_started_time(self) -> dt.time:
        return _parse_time(self.cleaned_data.get("started_time", ""))

    def started_at(self) -> dt.datetime:
        return _moment(self.cleaned_data["started_on"], self.cleaned_data["started_time"])


class ReturnForm(GovUKForm):
    returned_on = GovUKDateField(label="Date the child returned")
    returned_time = _time_field("Time the child returned")
    service_fields = {"returned_at": "returned_on"}

    def clean_returned_time(self) -> dt.time:
        return _parse_time(self.cleaned_data.get("returned_time", ""))

    def returned_at(self) -> dt.datetime:
        return _moment(self.cleaned_data["returned_on"], self.cleaned_data["returned_time"])


class ReturnInterviewForm(GovUKForm):
    offered_on = GovUKDateField(label="Date the return home interview was offered")
    offered_time = _time_field("Time it was offered")
    accepted = YesNoField(label="Did the child accept the interview?",
                          error_messages={"required": "Select yes if the child accepted the interview"})
    outcome = forms.CharField(label="Outcome: what the child said, risks and actions", required=False,
                              widget=forms.Textarea)
    service_fields = {"offered_at": "offered_on"}

    def clean_offered_time(self) -> dt.time:
        return _parse_time(self.cleaned_data.get("offered_time", ""))

    def offered_at(self) -> dt.datetime:
        return _moment(self.cleaned_data["offered_on"], self.cleaned_data["offered_time"])


# --- care leavers -------------------------------------------------------------------------------------------


class CareLeaverForm(GovUKForm):
    personal_adviser = forms.TypedChoiceField(label="Personal adviser", coerce=int, empty_value=None,
                                              required=False)
    staying_put = YesNoField(label="Is the young person Staying Put with their former foster carer?",
                             error_messages={"required": "Select yes if the young person is Staying Put"})

    def __init__(self, *args: Any, advisers: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["personal_adviser"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Not allocated yet")] + [(str(pk), label) for pk, label in advisers or []]


class PathwayPlanForm(GovUKForm):
    held_on = GovUKDateField(label="Date of the pathway plan or its review")


class CareLeaverContactForm(GovUKForm):
    contacted_on = GovUKDateField(label="Date of the contact")
    in_touch = RadioField(label="Is the council in touch with the young person?", choices=_choices(InTouch.choices),
                          error_messages={"required": "Select whether the council is in touch"})
    activity = _select("Main activity", Activity.choices, "Select the activity", "Select the main activity")
    accommodation = _select("Accommodation and whether it is suitable", ACCOMMODATION_CHOICES,
                            "Select the accommodation", "Select the accommodation")


class AccommodationStartForm(GovUKForm):
    provided_from = GovUKDateField(label="Date the council first provided the accommodation")
    basis = RadioField(label="Why does the council provide it?", choices=_choices(AccommodationBasis.choices),
                       error_messages={"required": "Select why the council provides the accommodation"})
    description = forms.CharField(label="Kind of accommodation", max_length=200,
                                  help_text="For example, supported lodgings or a semi-independent flat",
                                  error_messages={"required": "Enter the kind of accommodation"})


class AccommodationEndForm(VersionedForm):
    provided_until = GovUKDateField(label="Date the council stopped providing the accommodation")


class PAVisitForm(GovUKForm):
    visited_on = GovUKDateField(label="Date of the visit")
    seen = YesNoField(label="Did you see the young person?",
                      error_messages={"required": "Select yes if you saw the young person"})
    notes = forms.CharField(label="What the young person said and what you saw", required=False,
                            widget=forms.Textarea)


# --- adoption and permanence --------------------------------------------------------------------------------


class AdoptionForm(GovUKForm):
    """The adoption journey's milestones; each later one optional until it happens."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision_date = GovUKDateField(label="Date of the decision that the child should be placed for adoption",
                                   help_text="The agency decision maker's best-interest decision")
    placement_order_date = GovUKDateField(label="Date of the placement order (optional)", required=False,
                                          help_text="Leave blank if the child is placed with parental consent")
    matched_date = GovUKDateField(label="Date the child was matched with adopters (optional)", required=False)
    placed_date = GovUKDateField(label="Date the child was placed for adoption (optional)", required=False)
    adoption_order_date = GovUKDateField(label="Date of the adoption order (optional)", required=False)
    adopted_by_foster_carer = forms.TypedChoiceField(
        label="Are the adopters the child's foster carers? (optional)",
        choices=[("", "Not known yet"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes", empty_value=None, required=False,
    )
    ceased_date = GovUKDateField(label="Date of the decision that the child should no longer be placed (optional)",
                                 required=False, help_text="Only if the plan for adoption has been reversed")
    ceased_reason = _select("Reason the child should no longer be placed (optional)", ReasonPlacedCeased.choices,
                            "Not reversed", "", required=False)


# --- SDQ and UASC -------------------------------------------------------------------------------------------


class SDQForm(GovUKForm):
    done_on = GovUKDateField(label="Date of the Strengths and Difficulties Questionnaire")
    score = forms.IntegerField(
        label="Total difficulties score (optional)", required=False, min_value=0, max_value=40,
        help_text="A whole number from 0 to 40. Leave blank if there is no score and select why below",
        error_messages={"invalid": "Enter the score as a whole number from 0 to 40",
                        "min_value": "The total score must be between 0 and 40",
                        "max_value": "The total score must be between 0 and 40"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    reason = _select("Reason there is no score (optional)", SDQReason.choices, "There is a score", "", required=False)


class UASCForm(VersionedForm):
    uasc = YesNoField(label="Is the child an unaccompanied asylum-seeking child?",
                      error_messages={"required": "Select yes if the child is an unaccompanied asylum-seeking child"})
    ceased_on = GovUKDateField(label="Date UASC status ceased (optional)", required=False,
                               help_text="For example, the date they were granted leave to remain or turned 18")
