from django.urls import path

from safehold.audit import views

app_name = "audit"
urlpatterns = [
    path("children/<int:pk>/access/", views.child_access, name="child-access"),
    path("children/<int:pk>/as-at/", views.child_as_at, name="child-as-at"),
]
