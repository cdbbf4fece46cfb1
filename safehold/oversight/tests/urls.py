"""The project's URLs for these tests, leaving out any app whose URLs do not import yet (other apps are
being built concurrently). When every app imports, this is the same set of URLs as ``config.urls``."""

from importlib import import_module
from typing import Any

from django.contrib import admin
from django.urls import include, path

APPS = [
    ("", "safehold.frontend.urls"),
    ("", "safehold.casework.urls"),
    ("accounts/", "safehold.accounts.urls"),
    ("audit/", "safehold.audit.urls"),
    ("deadlines/", "safehold.timescales.urls"),
    ("returns/", "safehold.returns.urls"),
    ("inspection/", "safehold.inspection.urls"),
    ("early-help/", "safehold.early_help.urls"),
    ("proceedings/", "safehold.proceedings.urls"),
    ("exploitation/", "safehold.exploitation.urls"),
    ("adoption/", "safehold.adoption.urls"),
    ("care/", "safehold.looked_after.urls"),
    ("oversight/", "safehold.oversight.urls"),
    ("workforce/", "safehold.workforce.urls"),
    ("documents/", "safehold.documents.urls"),
    ("retention/", "safehold.retention.urls"),
    ("api/", "safehold.api.urls"),
    ("subject-access/", "safehold.subject_access.urls"),
]

urlpatterns: list[Any] = []
for prefix, module in APPS:
    try:
        import_module(module)
    except ImportError:
        continue
    urlpatterns.append(path(prefix, include(module)))
urlpatterns.append(path("admin/", admin.site.urls))
