"""Forms for the returns pages (GOV.UK markup from safehold.frontend)."""

from __future__ import annotations

from typing import Any

from safehold.frontend.forms import GovUKForm, RadioField
from safehold.returns.models import ReturnKind
from safehold.returns.services import supported_years, year_label

KIND_HINTS = {
    ReturnKind.CIN.value: "The census XML for the DfE, checked against the CIN census validation rules",
    ReturnKind.SSDA903.value: "The CSV tables (in a zip file), checked against the SSDA903 validation rules",
}


def year_choices() -> list[tuple[str, str]]:
    years = sorted(set(supported_years(ReturnKind.CIN)) | set(supported_years(ReturnKind.SSDA903)), reverse=True)
    return [(str(y), f"{year_label(y)} (1 April {y - 1} to 31 March {y})") for y in years]


def year_hints() -> dict[str, str]:
    """For a year only one return can be produced for, say which."""
    cin, ssda903 = set(supported_years(ReturnKind.CIN)), set(supported_years(ReturnKind.SSDA903))
    hints = {}
    for year in cin ^ ssda903:
        kind = ReturnKind.CIN if year in cin else ReturnKind.SSDA903
        hints[str(year)] = f"{kind.label} only"
    return hints


class ReturnJobForm(GovUKForm):
    kind = RadioField(
        label="Which return?",
        choices=ReturnKind.choices,
        choice_hints=KIND_HINTS,
        error_messages={"required": "Select the return", "invalid_choice": "Select the return"},
    )
    year = RadioField(
        label="Collection year",
        help_text="The year ending 31 March in which the return is collected",
        error_messages={"required": "Select the collection year", "invalid_choice": "Select the collection year"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, RadioField)
        field.choices = year_choices()
        field.choice_hints = year_hints()

    def clean_year(self) -> int:
        return int(self.cleaned_data["year"])
