from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "safehold.subject_access"
    label = "subject_access"
    verbose_name = "Subject access requests"

    def ready(self) -> None:
        # Registers the "subject_access" policy: subject access requests are the data protection officer's (there
        # is no separate information governance role). Whether the officer who reviewed a request may also approve
        # its release is a setting (SAFEHOLD_SAR_SEPARATE_APPROVER, default: a second officer must approve).
        from safehold.accounts import policies
        from safehold.accounts.roles import Role

        policies.POLICIES.setdefault(
            "subject_access",
            lambda user: bool(user.is_authenticated and user.is_active and user.role == Role.DATA_PROTECTION_OFFICER),
        )
