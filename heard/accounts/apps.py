from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heard.accounts"
    label = "accounts"
    verbose_name = "Staff accounts and sign-in"

    def ready(self) -> None:
        from heard.accounts import checks  # noqa: F401  (registers the system checks)
