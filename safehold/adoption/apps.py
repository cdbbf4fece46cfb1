from django.apps import AppConfig


class AdoptionConfig(AppConfig):
    name = "safehold.adoption"
    label = "adoption"
    verbose_name = "Prospective adopters"
