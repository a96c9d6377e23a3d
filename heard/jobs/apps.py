from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "heard.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from heard.jobs import request_ids

        request_ids.connect()
