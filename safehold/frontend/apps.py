from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "safehold.frontend"
    label = "frontend"
    verbose_name = "Pages"
