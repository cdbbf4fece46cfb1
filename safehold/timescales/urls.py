from django.urls import path

from safehold.timescales import views

app_name = "timescales"
urlpatterns = [
    path("", views.worklist, name="worklist"),
]
