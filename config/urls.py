from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("safehold.frontend.urls")),
    path("accounts/", include("safehold.accounts.urls")),
    path("deadlines/", include("safehold.timescales.urls")),
    path("admin/", admin.site.urls),
]
