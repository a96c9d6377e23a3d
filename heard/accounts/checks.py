"""System checks (``heard check``, and before ``heard migrate``): single sign-on settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from heard.core.errors import InvalidInput


@register()
def single_sign_on_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from heard.accounts.services import missing_single_sign_on_settings, parse_role_map

    if not settings.HEARD_OIDC_CLIENT_ID:
        return []
    problems: list[CheckMessage] = [
        Error(
            f"Single sign-on is on (HEARD_OIDC_CLIENT_ID is set) but {variable} is not set.",
            hint=(
                "Set it from your identity provider's OpenID configuration document. "
                "Until then the sign-in page offers passwords only."
            ),
            id="accounts.E001",
        )
        for variable in missing_single_sign_on_settings()
    ]
    try:
        parse_role_map(settings.HEARD_OIDC_ROLE_MAP)
    except InvalidInput as error:
        problems.append(Error(error.message, id="accounts.E002"))
    return problems
