"""``Authorization: Bearer TOKEN`` for the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from heard.org.tokens import user_for_request


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, str] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = token.strip()
        if not token or " " in token:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer TOKEN', with nothing after the token."
            )
        user = user_for_request(request._request, token)
        if user is None:
            raise exceptions.AuthenticationFailed(
                "This token is not valid, has been revoked, or belongs to a disabled account. "
                "Ask an administrator for a new one (heard apitoken USERNAME)."
            )
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="heard"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "heard.org.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
