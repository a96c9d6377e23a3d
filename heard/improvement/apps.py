from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "heard.improvement"
    label = "improvement"
    verbose_name = "Customer Service Excellence, action plans and Bright Ideas"
