from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    name = "safehold.early_help"
    label = "early_help"
    verbose_name = "Early help and Family Help"
