from django.apps import AppConfig


class EqualityConfig(AppConfig):
    name = "heard.equality"
    label = "equality"
    verbose_name = "Equality monitoring"
