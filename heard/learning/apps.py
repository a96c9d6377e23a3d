from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "heard.learning"
    label = "learning"
    verbose_name = "Learning from complaints"
