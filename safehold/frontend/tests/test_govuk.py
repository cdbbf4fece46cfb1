"""The GOV.UK form renderer: field markup, the three-input date, error messages and the error summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template

from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.frontend.forms import CheckboxesField, GovUKDateField, GovUKForm, RadioField, VersionedForm, YesNoField


class ExampleForm(GovUKForm):
    name = forms.CharField(label="Full name", help_text="As on their birth certificate")
    born = GovUKDateField(label="Date of birth")
    colour = RadioField(label="Colour", choices=[("r", "Red"), ("g", "Green")], choice_hints={"g": "Like grass"})
    tags = CheckboxesField(label="Tags", choices=[("a", "A"), ("b", "B")], required=False)
    team = forms.ChoiceField(label="Team", choices=[("", "Choose"), ("1", "One")], required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    urgent = forms.BooleanField(label="Urgent", required=False)
    seen = YesNoField(label="Seen?", required=False)
    service_fields = {"date_of_birth": "born"}


def render(form: forms.Form) -> str:
    return Template("{% load govuk %}{% govuk_error_summary form %}{% govuk_fields form %}").render(
        Context({"form": form})
    )


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date of birth"),
        (("1", "", "2020"), "Date of birth must include a month"),
        (("1", "", ""), "Date of birth must include a month and year"),
        (("31", "2", "2020"), "Date of birth must be a real date"),
        (("a", "2", "2020"), "Date of birth must be a real date"),
        (("1", "2", "20"), "Year must include 4 numbers"),
    ],
)
def test_date_field_gives_govuk_messages(parts, message) -> None:
    form = ExampleForm({"name": "x", "colour": "r", "born_day": parts[0], "born_month": parts[1],
                        "born_year": parts[2]})
    assert not form.is_valid()
    assert form.errors["born"] == [message]


def test_date_field_cleans_to_a_date_and_keeps_what_was_typed() -> None:
    form = ExampleForm({"name": "x", "colour": "r", "born_day": " 4", "born_month": "5", "born_year": "2016"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == dt.date(2016, 5, 4)
    html = render(form)
    assert 'name="born_day" type="text" inputmode="numeric" value="4"' in html.replace(" 4", "4")


def test_unbound_date_shows_the_initial_value() -> None:
    html = render(ExampleForm(initial={"born": dt.date(2020, 3, 27)}))
    assert 'id="id_born" name="born_day" type="text" inputmode="numeric" value="27"' in html
    assert 'id="id_born_year" name="born_year" type="text" inputmode="numeric" value="2020"' in html


def test_every_kind_of_field_renders_govuk_markup() -> None:
    html = render(ExampleForm())
    assert '<label class="govuk-label govuk-label--s" for="id_name">Full name</label>' in html
    assert 'aria-describedby="id_name-hint"' in html and 'id="id_name-hint" class="govuk-hint"' in html
    assert 'class="govuk-date-input"' in html and 'role="group"' in html
    assert 'class="govuk-radios" data-module="govuk-radios"' in html
    assert 'id="id_colour" name="colour" type="radio" value="r"' in html
    assert 'id="id_colour-2" name="colour" type="radio" value="g"' in html and "Like grass" in html
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in html
    assert '<select class="govuk-select" id="id_team" name="team">' in html
    assert '<textarea class="govuk-textarea" id="id_notes" name="notes"' in html
    assert 'id="id_urgent" name="urgent" type="checkbox" value="true"' in html
    assert "govuk-radios--inline" in html  # yes/no
    assert "govuk-error-summary" not in html
    assert "style=" not in html and "<script" not in html


def test_errors_link_from_the_summary_to_the_first_input_of_each_field() -> None:
    form = ExampleForm({"born_day": "1"})
    html = render(form)
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    for anchor in ("#id_name", "#id_born", "#id_colour"):
        assert f'href="{anchor}"' in html
    # each anchor exists as an element id
    for element in ('id="id_name"', 'id="id_born"', 'id="id_colour"'):
        assert element in html
    assert "govuk-form-group--error" in html and "govuk-input--error" in html
    assert '<span class="govuk-visually-hidden">Error:</span> Enter the date of birth' not in html  # typed a day
    assert 'id="id_born-error" class="govuk-error-message"' in html


def test_service_errors_land_on_the_right_field_or_the_top() -> None:
    form = ExampleForm({"name": "x", "colour": "r", "born_day": "1", "born_month": "1", "born_year": "2020"})
    assert form.is_valid()
    form.add_service_error(ValidationFailed({"date_of_birth": ["Too early"], "__all__": ["Refused"], "x": ["?"]}))
    assert form.errors["born"] == ["Too early"]
    assert form.non_field_errors() == ["Refused", "?"]
    html = render(form)
    assert 'href="#id_name">Refused</a>' in html


def test_a_stale_edit_is_a_general_error() -> None:
    form = VersionedForm({"version": "3"})
    assert form.is_valid()
    form.add_service_error(ConcurrentEditError("assessment"))
    assert "changed by someone else" in form.non_field_errors()[0]


def test_a_missing_version_is_explained() -> None:
    class Edit(VersionedForm):
        note = forms.CharField(label="Note")

    html = render(Edit({"note": "x"}))
    assert "Reload the page and try again" in html and 'href="#id_note"' in html


@pytest.mark.django_db
def test_page_title_is_prefixed_with_error(client, personas) -> None:
    from safehold.accounts.testing import sign_in

    sign_in(client, personas.social_worker)
    body = client.post("/children/search/", {}).content.decode()
    assert "<title>Error: Search for a child" in body
    body = client.get("/children/search/").content.decode()
    assert "<title>Search for a child" in body
