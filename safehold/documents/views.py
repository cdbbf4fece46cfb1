"""A child's documents: list and upload (casework roles), and download through a logged, policy-checked view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.accounts.roles import CASEWORK_ROLES, RECORDING_ROLES
from safehold.audit.services import access_record
from safehold.core.exceptions import SafeholdError
from safehold.core.middleware import request_id
from safehold.documents.forms import DocumentUploadForm
from safehold.documents.models import Document
from safehold.documents.services import document_read, document_upload, max_bytes
from safehold.people.models import Person

UPLOAD_ROLES = RECORDING_ROLES | CASEWORK_ROLES



@policy("named_children")
@require_http_methods(["GET", "POST"])
def child_documents(request: HttpRequest, pk: int) -> HttpResponse:
    child = Person.objects.visible_to(request.user).children().filter(pk=pk).first()
    if child is None:
        raise Http404("No such child")
    form = DocumentUploadForm()
    if request.method == "POST":
        if getattr(request.user, "role", None) not in UPLOAD_ROLES:
            raise PermissionDenied("Your role cannot add documents")
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes() + 64 * 1024:
            form.add_error(None, f"The selected file must be smaller than {max_bytes() // (1024 * 1024)}MB")
        else:
            form = DocumentUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    data = upload.read(max_bytes() + 1)
                    document_upload(
                        actor=request.user,
                        child=child,
                        title=form.cleaned_data["title"],
                        original_name=upload.name or "",
                        data=data,
                        restricted=form.cleaned_data["restricted"],
                        request_id=request_id(request),
                    )
                except SafeholdError as exc:
                    form.add_service_error(exc)
                else:
                    return redirect("documents:child-documents", pk=child.pk)
    access_record(
        actor=request.user,
        kind="view",
        child_id=child.pk,
        path=request.path,
        detail="documents",
        request_id=request_id(request),
    )
    documents = Document.objects.visible_to(request.user).filter(child=child)
    return render(request, "documents/child_documents.html", {"child": child, "documents": documents, "form": form})


@policy("named_children")
@require_http_methods(["GET"])
def document_download(request: HttpRequest, document_id: str) -> HttpResponse:
    document = Document.objects.visible_to(request.user).filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    try:
        data = document_read(document)
    except (OSError, SafeholdError):
        raise Http404("This document cannot be opened") from None
    access_record(
        actor=request.user,
        kind="view",
        child_id=document.child_id,
        path=request.path,
        detail=f"document {document.pk}",
        request_id=request_id(request),
    )
    response = HttpResponse(data, content_type=document.content_type)
    safe_name = "".join(ch for ch in document.original_name if ch.isalnum() or ch in "._- ") or "document"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
