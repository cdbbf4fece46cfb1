from django.urls import URLPattern

app_name = "early_help"
urlpatterns: list[URLPattern] = []
