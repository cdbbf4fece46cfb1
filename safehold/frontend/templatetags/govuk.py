"""GOV.UK Design System markup for Django forms.

    {% load govuk %}
    {% govuk_error_summary form %}
    {% govuk_fields form %}                      every field in order (hidden ones too)
    {% govuk_field form.received_on label_size="m" %}

The first input of every field has the id ``field.auto_id``, so the error summary links straight to it
(for a date, the day box; for radios and checkboxes, the first option). Widgets are rendered by the
templates in ``frontend/fields/``; no inline script or style.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from safehold.frontend.forms import GovUKDateInput

register = template.Library()

_SKIP_ATTRS = {"class", "id", "name", "type", "value", "required", "maxlength", "minlength", "aria-describedby", "rows"}
_BASE_CLASS = {"input": "govuk-input", "textarea": "govuk-textarea", "select": "govuk-select"}


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, GovUKDateInput):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # (a subclass of RadioSelect: test it first)
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def _flat_choices(field: forms.BoundField) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for value, label in getattr(field.field, "choices", []):
        if isinstance(label, list | tuple):
            out.extend((str(v), str(lbl)) for v, lbl in label)
        else:
            out.append(("" if value is None else str(value), str(label)))
    return out


def _selected(field: forms.BoundField) -> set[str]:
    value = field.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    if value is True:
        return {"yes", "true"}
    if value is False:
        return {"no"}
    return {str(value)}


def field_context(field: forms.BoundField, **options: Any) -> dict[str, Any]:
    kind = _kind(field)
    widget = field.field.widget
    attrs = dict(widget.attrs)
    base = _BASE_CLASS.get(kind)
    extra_class = " ".join(c for c in str(attrs.get("class", "")).split() if c != base)
    id_ = field.auto_id or f"id_{field.html_name}"
    errors = [str(e) for e in field.errors]
    hint = str(field.help_text) if field.help_text else ""
    described = " ".join(
        part for part, present in ((f"{id_}-hint", bool(hint)), (f"{id_}-error", bool(errors))) if present
    )
    context: dict[str, Any] = {
        "field": field,
        "kind": kind,
        "id": id_,
        "name": field.html_name,
        "label": str(field.label or ""),
        "hint": hint,
        "errors": errors,
        "describedby": described,
        "classes": options.get("classes", extra_class),
        "label_size": options.get("label_size", "s"),
        "required": field.field.required,
        "extra_attrs": {k: v for k, v in attrs.items() if k not in _SKIP_ATTRS and v not in (None, False)},
    }
    value = field.value()
    if kind == "input":
        input_type = str(attrs.get("type") or getattr(widget, "input_type", "text"))
        context["input_type"] = input_type
        context["value"] = "" if input_type == "password" or value is None else value
    elif kind == "textarea":
        context["value"] = "" if value is None else value
        context["rows"] = attrs.get("rows", 5)
    elif kind == "date":
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        parts = [("" if p is None else str(p)) for p in (list(parts) + [None, None, None])[:3]]
        context["parts"] = [
            {"id": id_, "name": f"{field.html_name}_day", "label": "Day", "value": parts[0], "width": 2},
            {"id": f"{id_}_month", "name": f"{field.html_name}_month", "label": "Month", "value": parts[1], "width": 2},
            {"id": f"{id_}_year", "name": f"{field.html_name}_year", "label": "Year", "value": parts[2], "width": 4},
        ]
        context["hint"] = hint or "For example, 27 3 2025"
        context["describedby"] = " ".join(
            part for part, present in ((f"{id_}-hint", True), (f"{id_}-error", bool(errors))) if present
        )
    elif kind in {"radios", "checkboxes", "select"}:
        selected = _selected(field)
        hints = getattr(field.field, "choice_hints", {}) or {}
        items = []
        for n, (choice_value, choice_label) in enumerate(_flat_choices(field)):
            items.append(
                {
                    "id": id_ if n == 0 else f"{id_}-{n + 1}",
                    "value": choice_value,
                    "label": choice_label,
                    "checked": choice_value in selected,
                    "hint": hints.get(choice_value, ""),
                }
            )
        if kind != "select" and items and not items[0]["value"]:
            items = items[1:]  # a blank "choose" option makes no sense as a radio
            if items:
                items[0]["id"] = id_
        context["items"] = items
        context["inline"] = bool(getattr(field.field, "inline", False)) or options.get("inline", False)
    elif kind == "checkbox":
        context["checked"] = bool(value) and str(value).lower() not in {"false", "0", "off"}
    elif kind == "hidden":
        context["value"] = "" if value is None else value
    return context


@register.simple_tag
def govuk_field(field: forms.BoundField, **options: Any) -> SafeString:
    context = field_context(field, **options)
    return SafeString(render_to_string(f"frontend/fields/{context['kind']}.html", context))


@register.simple_tag
def govuk_fields(form: forms.BaseForm, **options: Any) -> SafeString:
    return SafeString("".join(govuk_field(field, **options) for field in form))


def error_items(form: forms.BaseForm | None) -> list[dict[str, str]]:
    """(href, message) for every error, in field order; general errors first, linked to the first field."""
    if form is None or not form.is_bound or not form.errors:
        return []
    fields = list(form)
    visible = [f for f in fields if not f.is_hidden]
    first = f"#{visible[0].auto_id}" if visible else "#main-content"
    items = [{"href": first, "message": str(e)} for e in form.non_field_errors()]
    for field in fields:
        for error in field.errors:
            href = first if field.is_hidden else f"#{field.auto_id}"
            message = str(error)
            if field.is_hidden and field.name == "version":
                message = "The form was missing the version of the record you opened. Reload the page and try again."
            items.append({"href": href, "message": message})
    return items


@register.inclusion_tag("frontend/error_summary.html")
def govuk_error_summary(form: forms.BaseForm | None) -> dict[str, Any]:
    return {"items": error_items(form)}


@register.filter
def has_errors(form: Any) -> bool:
    return bool(getattr(form, "is_bound", False) and getattr(form, "errors", None))
