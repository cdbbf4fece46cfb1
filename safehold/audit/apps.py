from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safehold.audit"
    label = "audit"
    verbose_name = "Audit and access log"

    def ready(self) -> None:
        from safehold.audit.history import connect_baselines

        connect_baselines()
