from django.urls import path

from safehold.casework import views

app_name = "casework"
urlpatterns = [
    path("children/search/", views.search, name="search"),
    path("children/<int:pk>/contacts/new/", views.contact_new, name="contact-new"),
    path("children/<int:pk>/contacts/<int:contact_pk>/decision/", views.contact_decide, name="contact-decide"),
    path("children/<int:pk>/referrals/new/", views.referral_new, name="referral-new"),
    path("children/<int:pk>/close/", views.episode_close, name="episode-close"),
    path("children/<int:pk>/assessments/new/", views.assessment_start, name="assessment-start"),
    path(
        "children/<int:pk>/assessments/<int:assessment_pk>/complete/",
        views.assessment_complete,
        name="assessment-complete",
    ),
    path("children/<int:pk>/strategy-discussions/new/", views.strategy_discussion_new, name="strategy-new"),
    path("children/<int:pk>/strategy-discussions/decision/", views.strategy_decision_new, name="strategy-decision"),
    path("children/<int:pk>/section47/<int:s47_pk>/complete/", views.section47_complete, name="s47-complete"),
    path("children/<int:pk>/section47/<int:s47_pk>/icpc/", views.icpc_new, name="icpc-new"),
    path("children/<int:pk>/cp-plans/<int:plan_pk>/reviews/new/", views.cp_review_new, name="cp-review-new"),
    path("children/<int:pk>/cp-plans/<int:plan_pk>/core-groups/new/", views.core_group_new, name="core-group-new"),
    path("children/<int:pk>/cin-plans/new/", views.cin_plan_start, name="cin-plan-start"),
    path("children/<int:pk>/cin-plans/<int:plan_pk>/reviews/new/", views.cin_plan_review, name="cin-plan-review"),
    path("children/<int:pk>/cin-plans/<int:plan_pk>/end/", views.cin_plan_end, name="cin-plan-end"),
    path("children/<int:pk>/cin-plans/<int:plan_pk>/approval/", views.cin_plan_approval, name="cin-plan-approval"),
    path("children/<int:pk>/visits/new/", views.visit_new, name="visit-new"),
    path("children/<int:pk>/notes/new/", views.case_note_new, name="note-new"),
]
