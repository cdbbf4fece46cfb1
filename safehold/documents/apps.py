from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "safehold.documents"
    label = "documents"
    verbose_name = "Documents and subject access"
