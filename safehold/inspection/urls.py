from django.urls import path

from safehold.inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.readiness, name="readiness"),
    path("annex-a/", views.annex_a, name="annex-a"),
    path("annex-a/<int:export_id>/", views.annex_a_export, name="annex-a-export"),
    path("annex-a/<int:export_id>/download.<str:fmt>", views.annex_a_download, name="annex-a-download"),
    path("samples/", views.samples, name="samples"),
    path("samples/<int:sample_id>/", views.sample, name="sample"),
    path("samples/<int:sample_id>/share/", views.sample_share, name="sample-share"),
    path("samples/<int:sample_id>/shares/<int:share_id>/revoke/", views.sample_revoke, name="sample-revoke"),
    path("history/", views.history, name="history"),
    path("history/new/", views.inspection_new, name="inspection-new"),
    path("history/<int:inspection_id>/", views.inspection_detail, name="inspection"),
    path("improvement-plan/", views.plan, name="plan"),
    path("improvement-plan/new/", views.action_new, name="action-new"),
    path("improvement-plan/<int:action_id>/", views.action_detail, name="action"),
]
