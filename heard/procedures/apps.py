from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "heard.procedures"
    label = "procedures"
    verbose_name = "Procedures"
