from django.urls import path

from safehold.frontend import views

app_name = "frontend"
urlpatterns = [
    path("", views.home, name="home"),
    path("children/<int:pk>/", views.child_record, name="child"),
    path("team/", views.team, name="team"),
    path("team/unallocated/", views.team_unallocated, name="team-unallocated"),
    path("team/allocate/<int:pk>/", views.team_allocate, name="team-allocate"),
    path("team/sign-off/", views.team_signoff, name="team-signoff"),
    path("team/sign-off/<int:assessment_pk>/", views.team_signoff_assessment, name="team-signoff-assessment"),
    path("team/sign-off/requests/<int:request_pk>/", views.team_signoff_request, name="team-signoff-request"),
    path("team/overdue/", views.team_overdue, name="team-overdue"),
    path("team/drift/", views.team_drift, name="team-drift"),
    path("health/", views.health, name="health"),
    path("baseline/", views.baseline, name="baseline"),
]
