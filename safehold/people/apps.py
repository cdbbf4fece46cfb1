from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safehold.people"
    label = "people"
    verbose_name = "Person index"
