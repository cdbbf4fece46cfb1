from django.urls import URLPattern

app_name = "proceedings"
urlpatterns: list[URLPattern] = []
