from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "heard.org"
    label = "org"
    verbose_name = "Organisation"
