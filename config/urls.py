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
    path("admin/", admin.site.urls),
]
