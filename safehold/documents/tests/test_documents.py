from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safehold.audit.models import AccessEvent, AuditEvent
from safehold.core import clock
from safehold.core.services import service
from safehold.core.testing import allocate, make_child
from safehold.documents.filetypes import DOCX, JPEG, PDF, PNG, XLSX, sniff
from safehold.documents.models import Document
from safehold.documents.services import document_path
from safehold.people.models import AccessGrant

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _office(main: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        # A fixed timestamp: the same bytes at every collection (parallel test workers compare their test ids).
        for name, text in (("[Content_Types].xml", "<Types/>"), (main, "<x/>")):
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def docs_dir(settings: Any, tmp_path: Path) -> Path:
    settings.SAFEHOLD_DOCUMENTS_DIR = tmp_path / "documents"
    settings.SAFEHOLD_DOCUMENT_MAX_BYTES = 1024
    return tmp_path / "documents"


@pytest.fixture
def child(personas: Any) -> Any:
    c = make_child()
    allocate(c, personas.social_worker)
    return c


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _upload(c: Client, child: Any, name: str, data: bytes, **extra: Any) -> Any:
    return c.post(
        f"/documents/children/{child.pk}/", {"title": "Report", "file": SimpleUploadedFile(name, data), **extra}
    )


def test_sniff() -> None:
    assert sniff(PDF_BYTES) == PDF
    assert sniff(PNG_BYTES) == PNG
    assert sniff(b"\xff\xd8\xff\xe0" + b"\x00" * 10) == JPEG
    assert sniff(_office("word/document.xml")) == DOCX
    assert sniff(_office("xl/workbook.xml")) == XLSX
    assert sniff(b"PK\x03\x04broken") is None
    assert sniff(b"MZ\x90\x00") is None
    assert sniff(b"<html>") is None


def test_upload_and_download(personas: Any, child: Any, docs_dir: Path) -> None:
    c = _client(personas.social_worker)
    r = _upload(c, child, "report.pdf", PDF_BYTES)
    assert r.status_code == 302
    doc = Document.objects.get()
    assert doc.sha256 == hashlib.sha256(PDF_BYTES).hexdigest() and doc.content_type == PDF
    assert document_path(doc).read_bytes() == PDF_BYTES
    assert str(document_path(doc)).startswith(str(docs_dir))
    assert AuditEvent.objects.filter(action="document.uploaded", child_id=child.pk).exists()
    r = c.get(f"/documents/{doc.pk}/")
    assert r.status_code == 200 and r.content == PDF_BYTES
    assert r["Content-Type"] == PDF and "attachment" in r["Content-Disposition"]
    assert AccessEvent.objects.filter(child_id=child.pk, path=f"/documents/{doc.pk}/").count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.pdf", b"MZ\x90\x00 this is an exe"),
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("letter.docx", b"PK\x03\x04 not really a zip"),
        ("archive.docx", _office("other/thing.xml")),
        ("big.pdf", b"%PDF-" + b"x" * 2000),
        ("empty.pdf", b""),
    ],
    ids=["exe-as-pdf", "html-as-png", "not-a-zip", "zip-without-word-part", "too-big", "empty"],
)
def test_bad_uploads_store_nothing(personas: Any, child: Any, docs_dir: Path, name: str, data: bytes) -> None:
    r = _upload(_client(personas.social_worker), child, name, data)
    assert r.status_code == 200
    assert "govuk-error-summary" in r.content.decode()
    assert Document.objects.count() == 0
    assert not docs_dir.exists() or not any(p.is_file() for p in docs_dir.rglob("*"))


def test_other_team_cannot_list_upload_or_download(personas: Any, child: Any) -> None:
    _upload(_client(personas.social_worker), child, "r.png", PNG_BYTES)
    doc = Document.objects.get()
    other = _client(personas.other_worker)
    assert other.get(f"/documents/children/{child.pk}/").status_code == 404
    assert other.get(f"/documents/{doc.pk}/").status_code == 404
    assert _upload(other, child, "x.png", PNG_BYTES).status_code == 404
    assert _client(personas.partner).get(f"/documents/{doc.pk}/").status_code == 404
    assert Document.objects.count() == 1


@service
def _grant(child: Any, user: Any) -> None:
    AccessGrant(
        child=child,
        user=user,
        reason="named list",
        granted_by_label="DPO",
        expires_at=clock.now() + dt.timedelta(days=1),
    ).save()


def test_restricted_document_needs_a_grant(personas: Any, child: Any) -> None:
    _upload(_client(personas.social_worker), child, "r.png", PNG_BYTES, restricted="on")
    doc = Document.objects.get()
    assert doc.restricted
    colleague = _client(personas.colleague)
    assert colleague.get(f"/documents/{doc.pk}/").status_code == 404
    assert "r.png" not in colleague.get(f"/documents/children/{child.pk}/").content.decode()
    _grant(child, personas.colleague)
    assert colleague.get(f"/documents/{doc.pk}/").status_code == 200


def test_tampered_file_is_refused(personas: Any, child: Any) -> None:
    c = _client(personas.social_worker)
    _upload(c, child, "r.png", PNG_BYTES)
    doc = Document.objects.get()
    document_path(doc).write_bytes(PNG_BYTES + b"tampered")
    assert c.get(f"/documents/{doc.pk}/").status_code == 404
