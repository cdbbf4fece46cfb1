"""Applying redactions: pure functions from the assembled items and the marked redactions to what is released.

Withheld text never reaches the output: a redacted field's value, a redacted item's title and fields, and every
occurrence of a redacted word or phrase (in titles and values, any letter case) are replaced by the marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from safehold.subject_access.choices import EXEMPTION_BY_CODE, REDACTED


@dataclass(frozen=True)
class Mark:
    item_id: int | None
    field: str
    text: str
    reason: str


def _strip(value: str, phrases: list[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        if phrase.strip():
            value = re.sub(re.escape(phrase.strip()), REDACTED, value, flags=re.IGNORECASE)
    return value


def reason_label(code: str) -> str:
    exemption = EXEMPTION_BY_CODE.get(code)
    return exemption.label if exemption else code


def released_item(item: dict[str, Any], marks: list[Mark]) -> dict[str, Any]:
    """One item as released. ``item`` has ``id``, ``section``, ``title``, ``occurred_on``, ``fields``."""
    mine = [m for m in marks if m.item_id == item["id"] or m.item_id is None]
    whole = next((m for m in mine if m.item_id is not None and not m.field and not m.text), None)
    if whole is not None:
        return {
            "section": item["section"],
            "title": "Item withheld",
            "occurred_on": None,
            "withheld": reason_label(whole.reason),
            "fields": [],
        }
    item_phrases = [m.text for m in mine if m.text and not m.field]
    fields_out = []
    for f in item["fields"]:
        field_marks = [m for m in mine if m.item_id is not None and m.field == f["name"]]
        whole_field = next((m for m in field_marks if not m.text), None)
        if whole_field is not None:
            fields_out.append({"label": f["label"], "value": REDACTED, "redacted": reason_label(whole_field.reason)})
            continue
        phrases = item_phrases + [m.text for m in field_marks if m.text]
        value = _strip(f["value"], phrases)
        hit = next((m for m in mine if m.text and m.text.strip() and (not m.field or m.field == f["name"])
                    and value != f["value"]), None)  # fmt: skip
        fields_out.append({"label": f["label"], "value": value, "redacted": reason_label(hit.reason) if hit else None})
    return {
        "section": item["section"],
        "title": _strip(item["title"], item_phrases),
        "occurred_on": item["occurred_on"],
        "withheld": None,
        "fields": fields_out,
    }


def released_sections(items: list[dict[str, Any]], marks: list[Mark]) -> list[dict[str, Any]]:
    """The released items grouped by section, in the items' order."""
    sections: list[dict[str, Any]] = []
    for item in items:
        out = released_item(item, marks)
        if not sections or sections[-1]["title"] != out["section"]:
            sections.append({"title": out["section"], "items": []})
        sections[-1]["items"].append(out)
    return sections
