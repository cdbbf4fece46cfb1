from django.urls import path

from safehold.early_help import views

app_name = "early_help"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("contacts/<int:contact_pk>/open/", views.open_from_contact, name="open-from-contact"),
    path("children/<int:pk>/step-down/", views.step_down, name="step-down"),
    path("families/<int:household_pk>/", views.family, name="family"),
    path("episodes/<int:episode_pk>/", views.episode, name="episode"),
    path("episodes/<int:episode_pk>/consent/", views.consent_new, name="consent"),
    path(
        "episodes/<int:episode_pk>/consent/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent-withdraw"
    ),
    path("episodes/<int:episode_pk>/assessment/", views.assessment_start, name="assessment-start"),
    path(
        "episodes/<int:episode_pk>/assessment/<int:assessment_pk>/complete/",
        views.assessment_complete,
        name="assessment-complete",
    ),
    path("episodes/<int:episode_pk>/goals/new/", views.goal_new, name="goal"),
    path("episodes/<int:episode_pk>/team/new/", views.taf_new, name="taf"),
    path("episodes/<int:episode_pk>/reviews/new/", views.review_new, name="review"),
    path("episodes/<int:episode_pk>/close/", views.close, name="close"),
    path("episodes/<int:episode_pk>/step-up/", views.step_up, name="step-up"),
]
