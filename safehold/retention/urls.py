from django.urls import path

from safehold.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.review, name="review"),
    path("items/<int:item_pk>/", views.item, name="item"),
    path("holds/", views.holds, name="holds"),
    path("holds/new/", views.hold_new, name="hold-new"),
    path("holds/<int:hold_pk>/release/", views.hold_release, name="hold-release"),
    path("log/", views.log, name="log"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<int:rule_pk>/edit/", views.rule_edit, name="rule-edit"),
]
