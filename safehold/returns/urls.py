from django.urls import path

from safehold.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/download", views.download, name="download"),
    path("jobs/<int:job_id>/failures/", views.failures, name="failures"),
]
