from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safehold.api"
    label = "api"
    verbose_name = "Partner referrals and JSON API"

    def ready(self) -> None:
        # Registers the "partner" policy: partner agency accounts (police, schools, health...) making referrals.
        # They see their own referrals' acknowledgement and decision only, never a child's record.
        from safehold.accounts import policies
        from safehold.accounts.roles import Role

        policies.POLICIES.setdefault(
            "partner",
            lambda user: bool(user.is_authenticated and user.is_active and user.role == Role.PARTNER),
        )
