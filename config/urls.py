from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("safehold.frontend.urls")),
    path("", include("safehold.casework.urls")),
    path("accounts/", include("safehold.accounts.urls")),
    path("audit/", include("safehold.audit.urls")),
    path("deadlines/", include("safehold.timescales.urls")),
    path("returns/", include("safehold.returns.urls")),
    path("inspection/", include("safehold.inspection.urls")),
    path("early-help/", include("safehold.early_help.urls")),
    path("proceedings/", include("safehold.proceedings.urls")),
    path("exploitation/", include("safehold.exploitation.urls")),
    path("adoption/", include("safehold.adoption.urls")),
    path("care/", include("safehold.looked_after.urls")),
    path("oversight/", include("safehold.oversight.urls")),
    path("workforce/", include("safehold.workforce.urls")),
    path("documents/", include("safehold.documents.urls")),
    path("retention/", include("safehold.retention.urls")),
    path("api/", include("safehold.api.urls")),
    path("subject-access/", include("safehold.subject_access.urls")),
    path("admin/", admin.site.urls),
]
