from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "safehold.inspection"
    label = "inspection"
    verbose_name = "Inspection readiness"
