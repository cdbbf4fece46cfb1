"""Uploading documents: checked (size, type by content), stored outside the web root, checksummed, audited."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings

from safehold.audit.services import audit_record, snapshot
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.documents.filetypes import sniff
from safehold.documents.models import Document
from safehold.people.models import Person

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def documents_dir() -> Path:
    return Path(getattr(settings, "SAFEHOLD_DOCUMENTS_DIR", settings.BASE_DIR / "var" / "documents"))


def max_bytes() -> int:
    return int(getattr(settings, "SAFEHOLD_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def document_path(document: Document) -> Path:
    name = document.id.hex
    return documents_dir() / name[:2] / name


@service
def document_upload(
    *,
    actor: Any,
    child: Person,
    title: str,
    original_name: str,
    data: bytes,
    restricted: bool = False,
    request_id: str = "",
) -> Document:
    """Check and store a file on the child's record. Invalid input stores nothing."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Enter a title for the document"]
    if not data:
        errors["file"] = ["The selected file is empty"]
    elif len(data) > max_bytes():
        errors["file"] = [f"The selected file must be smaller than {max_bytes() // (1024 * 1024)}MB"]
    content_type = sniff(data) if data and "file" not in errors else None
    if data and "file" not in errors and content_type is None:
        errors["file"] = ["The selected file must be a PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX) file"]
    if not child.is_child_record:
        errors["__all__"] = ["This person does not have a child's record"]
    if errors:
        raise ValidationFailed(errors)
    assert content_type is not None
    document = Document(
        child=child,
        title=title.strip()[:200],
        original_name=os.path.basename(original_name)[:255] or "upload",
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        restricted=restricted,
        uploaded_by=actor,
    )
    document.save()
    audit_record(
        actor=actor,
        action="document.uploaded",
        instance=document,
        child_id=child.pk,
        after=_snapshot(document),
        request_id=request_id,
    )
    # The file is written last: if writing fails, the exception rolls the row and its audit event back.
    # (If an enclosing transaction later rolls back, an orphan file with no row is left: unreachable.)
    path = document_path(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return document


def _snapshot(document: Document) -> dict[str, Any]:
    data = snapshot(document) or {}
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in data.items()}


def document_read(document: Document) -> bytes:
    """The stored bytes, checked against the checksum taken at upload."""
    data = document_path(document).read_bytes()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValidationFailed("This document failed its integrity check and cannot be opened")
    return data
