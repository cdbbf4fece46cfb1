from django.urls import path

from safehold.subject_access import views

app_name = "subject_access"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:sar_pk>/", views.request_detail, name="detail"),
    path("<int:sar_pk>/items/<int:item_pk>/", views.item_review, name="item"),
    path("<int:sar_pk>/redactions/<int:redaction_pk>/remove/", views.redaction_remove, name="redaction-remove"),
    path("<int:sar_pk>/submit/", views.submit, name="submit"),
    path("<int:sar_pk>/approve/", views.approve, name="approve"),
    path("<int:sar_pk>/export.json", views.export_json, name="export"),
    path("<int:sar_pk>/print/", views.print_copy, name="print"),
]
