from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safehold.core"
    label = "core"
    verbose_name = "Shared kernel"

    def ready(self) -> None:
        from safehold.core import checks  # noqa: F401  (registers the system checks)
