from django.urls import path

from safehold.frontend import views

app_name = "frontend"
urlpatterns = [
    path("", views.home, name="home"),
    path("children/<int:pk>/", views.child_record, name="child"),
    path("health/", views.health, name="health"),
]
