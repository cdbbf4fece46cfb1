from django.apps import AppConfig


class LookedAfterConfig(AppConfig):
    name = "safehold.looked_after"
    label = "looked_after"
    verbose_name = "Children in care, care leavers and private fostering"
