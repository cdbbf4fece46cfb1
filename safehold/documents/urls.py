from django.urls import path

from safehold.documents import views

app_name = "documents"
urlpatterns = [
    path("children/<int:pk>/", views.child_documents, name="child-documents"),
    path("<uuid:document_id>/", views.document_download, name="download"),
]
