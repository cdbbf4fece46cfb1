from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "safehold.oversight"
    label = "oversight"
    verbose_name = "Management oversight and leadership scrutiny"
