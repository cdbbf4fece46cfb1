from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safehold.returns"
    label = "returns"
    verbose_name = "DfE statutory returns"
