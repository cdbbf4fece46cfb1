from django.apps import AppConfig


class ProceedingsConfig(AppConfig):
    name = "safehold.proceedings"
    label = "proceedings"
    verbose_name = "Pre-proceedings and care proceedings"
