from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "heard.schedules"
    label = "schedules"
    verbose_name = "Schedules"
