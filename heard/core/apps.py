from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "heard.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from heard.core import checks  # noqa: F401 (registers the system checks)
