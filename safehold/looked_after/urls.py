from django.urls import path

from safehold.looked_after import views

app_name = "looked_after"
C = "children/<int:pk>/"
urlpatterns = [
    path(C, views.overview, name="overview"),
    path(C + "start/", views.care_start, name="start"),
    path(C + "placement/", views.placement_change, name="placement"),
    path(C + "legal-status/", views.legal_status_change, name="legal-status"),
    path(C + "end/", views.care_end, name="end"),
    path(C + "care-plan/", views.care_plan, name="care-plan"),
    path(C + "pep/", views.pep, name="pep"),
    path(C + "reviews/new/", views.review_new, name="review-new"),
    path(C + "visits/new/", views.visit_new, name="visit-new"),
    path(C + "health/new/", views.health_new, name="health-new"),
    path(C + "private-fostering/new/", views.pf_notify, name="pf-notify"),
    path(C + "private-fostering/<int:pf_pk>/visits/new/", views.pf_visit, name="pf-visit"),
    path(C + "private-fostering/<int:pf_pk>/questions/", views.pf_answers, name="pf-answers"),
    path(C + "private-fostering/<int:pf_pk>/assessment/", views.pf_assessment, name="pf-assessment"),
    path(C + "private-fostering/<int:pf_pk>/end/", views.pf_end, name="pf-end"),
    path(C + "missing/new/", views.missing_new, name="missing-new"),
    path(C + "missing/<int:episode_pk>/return/", views.missing_return, name="missing-return"),
    path(C + "missing/<int:episode_pk>/interview/", views.return_interview, name="return-interview"),
    path(C + "leaving-care/", views.care_leaver, name="care-leaver"),
    path(C + "leaving-care/pathway-plan/", views.pathway_plan, name="pathway-plan"),
    path(C + "leaving-care/contacts/new/", views.care_leaver_contact, name="leaver-contact"),
    path(C + "leaving-care/accommodation/new/", views.accommodation_start, name="accommodation-new"),
    path(C + "leaving-care/accommodation/<int:acc_pk>/end/", views.accommodation_end, name="accommodation-end"),
    path(C + "leaving-care/visits/new/", views.pa_visit, name="pa-visit"),
    path(C + "adoption/", views.adoption, name="adoption"),
    path(C + "sdq/new/", views.sdq_new, name="sdq-new"),
    path(C + "uasc/", views.uasc, name="uasc"),
    path("missing/repeated/", views.repeat_missing, name="repeat-missing"),
]
