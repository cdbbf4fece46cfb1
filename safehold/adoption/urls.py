from django.urls import path

from safehold.adoption import views

app_name = "adoption"
urlpatterns = [
    path("adopters/", views.adopters, name="adopters"),
    path("adopters/new/", views.enquiry, name="enquiry"),
    path("adopters/<int:adopters_pk>/", views.household, name="household"),
    path("adopters/<int:adopters_pk>/next/", views.step, name="step"),
    path("adopters/<int:adopters_pk>/leave/", views.leave, name="leave"),
]
