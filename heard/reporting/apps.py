from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "heard.reporting"
    label = "reporting"
    verbose_name = "Performance against standards and reports"
