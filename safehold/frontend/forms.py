"""GOV.UK form building blocks: the three-input date, yes/no radios, and a base form that takes the
errors a service raises (``ValidationFailed``, ``ConcurrentEditError``) and shows them beside the fields.

The markup itself comes from :mod:`safehold.frontend.templatetags.govuk`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safehold.core.exceptions import ConcurrentEditError, SafeholdError, ValidationFailed


class GovUKDateInput(forms.MultiWidget):
    """Day, month and year as three text inputs (GOV.UK date input pattern). Names: ``<name>_day`` etc."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovUKDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages:

    * "Enter <the thing>" when it is required and empty
    * "<Label> must include a month" when a part is missing
    * "<Label> must be a real date" when the parts do not make a date
    """

    widget = GovUKDateInput

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        self.required_message = (kwargs.get("error_messages") or {}).get("required")
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=parts, require_all_fields=False, required=required, **kwargs)

    def _label(self) -> str:
        return str(self.label or "The date")

    def compress(self, data_list: list[Any]) -> dt.date | None:  # pragma: no cover - clean() does the work
        return None

    def clean(self, value: Any) -> dt.date | None:
        if not isinstance(value, list | tuple):
            value = GovUKDateInput().decompress(value)
        day, month, year = ((str(v).strip() if v is not None else "") for v in (list(value) + ["", "", ""])[:3])
        label = self._label()
        if not (day or month or year):
            if self.required:
                message = self.required_message or f"Enter the {label[:1].lower()}{label[1:]}"
                raise ValidationError(message, code="required")
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{label} must be a real date", code="invalid") from exc


YES_NO = [("yes", "Yes"), ("no", "No")]


class YesNoField(forms.ChoiceField):
    """A yes/no question as inline GOV.UK radios; cleans to ``True`` or ``False``."""

    inline = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(choices=YES_NO, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        if cleaned in ("", None):
            return None
        return cleaned == "yes"


class RadioField(forms.ChoiceField):
    """Choices as GOV.UK radios, optionally with a hint per choice (``choice_hints``)."""

    def __init__(self, *, choice_hints: dict[str, str] | None = None, inline: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(**kwargs)
        self.choice_hints = choice_hints or {}
        self.inline = inline


class CheckboxesField(forms.MultipleChoiceField):
    """Choices as GOV.UK checkboxes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


class GovUKForm(forms.Form):
    """A form whose errors can also come from a service.

    ``service_fields`` maps a service's error key (its argument name, or a model field) to the form field
    that should carry the message; keys that match no field become errors at the top of the form.
    """

    service_fields: dict[str, str] = {}

    def add_service_error(self, exc: SafeholdError) -> None:
        if isinstance(exc, ValidationFailed):
            for key, messages in exc.errors.items():
                name = self.service_fields.get(key, key)
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        elif isinstance(exc, ConcurrentEditError):
            self.add_error(None, str(exc))
        else:
            self.add_error(None, str(exc))


class VersionedForm(GovUKForm):
    """A form that edits a versioned record: the version read is posted back so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SearchForm(GovUKForm):
    """Search for a child. Posted, so the terms never appear in a URL, a log line or the browser history."""

    name = forms.CharField(label="Name", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    date_of_birth = GovUKDateField(label="Date of birth", required=False, help_text="For example, 14 3 2015")
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=12,
                                 widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                               "inputmode": "numeric", "autocomplete": "off"}))
    la_child_id = forms.CharField(label="LA child id", required=False, max_length=20,
                                  widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                                "autocomplete": "off"}))

    def clean_nhs_number(self) -> str:
        value = str(self.cleaned_data.get("nhs_number", "")).replace(" ", "")
        if value and (not value.isdigit() or len(value) != 10):
            raise ValidationError("Enter an NHS number in the correct format, like 485 777 3456")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(
            data.get(k) for k in ("name", "date_of_birth", "nhs_number", "la_child_id")
        ):
            raise ValidationError("Enter a name, date of birth, NHS number or LA child id")
        return data


class AllocationForm(GovUKForm):
    """Allocate (or reallocate) a child to a named worker in the team, with the SSDA903 reason for the change."""

    worker = forms.TypedChoiceField(label="Social worker", coerce=int, empty_value=None,
                                    error_messages={"required": "Select the social worker"})
    start_date = GovUKDateField(label="Date the allocation starts")
    reason = RadioField(label="Reason for the change", error_messages={"required": "Select the reason for the change"})

    def __init__(self, *args: Any, workers: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        from safehold.workforce.choices import ChangeReason

        super().__init__(*args, **kwargs)
        worker_field = self.fields["worker"]
        assert isinstance(worker_field, forms.TypedChoiceField)
        worker_field.choices = [("", "Select a social worker")] + [(str(pk), label) for pk, label in workers or []]
        reason_field = self.fields["reason"]
        assert isinstance(reason_field, forms.ChoiceField)
        reason_field.choices = [(str(v), str(label)) for v, label in ChangeReason.choices]
