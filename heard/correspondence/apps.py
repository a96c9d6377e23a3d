from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "heard.correspondence"
    label = "correspondence"
    verbose_name = "Correspondence: letters, emails and their quality check"
