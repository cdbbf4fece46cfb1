from __future__ import annotations

from django import forms

from safehold.frontend.forms import GovUKForm


class DocumentUploadForm(GovUKForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the document"}
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, PNG, JPEG, Word (DOCX) or Excel (XLSX)",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    restricted = forms.BooleanField(
        label="Restricted: only people on the child's access list may open it", required=False
    )
