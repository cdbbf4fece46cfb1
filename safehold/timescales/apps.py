from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "safehold.timescales"
    label = "timescales"
    verbose_name = "Timescales"
