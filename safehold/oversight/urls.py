from django.urls import path

from safehold.oversight import views
from safehold.oversight.case_audits import views as audits

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("trends/", views.trends, name="trends"),
    path("children/", views.scope_children, name="children"),
    path("no-oversight/", views.no_oversight, name="no-oversight"),
    path("scrutiny-packs/", views.packs, name="packs"),
    path("scrutiny-packs/<int:pack_pk>/", views.pack_detail, name="pack"),
    path("scrutiny-packs/<int:pack_pk>/download/", views.pack_download, name="pack-download"),
    path("supervision/", views.supervision_list, name="supervisions"),
    path("supervision/new/", views.supervision_new, name="supervision-new"),
    path("supervision/<int:supervision_pk>/", views.supervision_detail, name="supervision"),
    path("actions/", views.my_actions, name="actions"),
    path("actions/<int:action_pk>/complete/", views.action_complete, name="action-complete"),
    path("child/<int:pk>/", views.child_oversight, name="child"),
    path("child/<int:pk>/decision/", views.decision_new, name="decision-new"),
    path("audits/", audits.audit_list, name="audits"),
    path("audits/trends/", audits.trends, name="audit-trends"),
    path("audits/programmes/new/", audits.programme_new, name="audit-programme-new"),
    path("audits/programmes/<int:programme_pk>/", audits.programme_detail, name="audit-programme"),
    path("audits/months/<int:month_pk>/", audits.month_detail, name="audit-month"),
    path("audits/months/<int:month_pk>/draw/", audits.month_draw, name="audit-month-draw"),
    path("audits/child/<int:pk>/new/", audits.audit_new, name="audit-new"),
    path("audits/<int:audit_pk>/", audits.audit_detail, name="audit"),
    path("audits/<int:audit_pk>/moderate/", audits.audit_moderate, name="audit-moderate"),
    path("audits/actions/<int:action_pk>/complete/", audits.action_complete, name="audit-action-complete"),
]
