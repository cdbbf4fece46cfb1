from django.urls import path

from safehold.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("children/", views.scope_children, name="children"),
    path("no-oversight/", views.no_oversight, name="no-oversight"),
    path("supervision/", views.supervision_list, name="supervisions"),
    path("supervision/new/", views.supervision_new, name="supervision-new"),
    path("supervision/<int:supervision_pk>/", views.supervision_detail, name="supervision"),
    path("actions/", views.my_actions, name="actions"),
    path("actions/<int:action_pk>/complete/", views.action_complete, name="action-complete"),
    path("child/<int:pk>/", views.child_oversight, name="child"),
    path("child/<int:pk>/decision/", views.decision_new, name="decision-new"),
]
