"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when HEARD_OIDC_CLIENT_ID is set.

mozilla-django-oidc runs the authorisation code flow (with PKCE, state and nonce) and checks
the ID token's signature against the provider's keys. This backend adds what it leaves out
(the token's issuer and audience), reads the person's claims from the ID token and, if
configured, the userinfo endpoint, and hands them to
:func:`heard.accounts.services.sign_in_from_identity_provider`.
"""

from __future__ import annotations

from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from heard.accounts import services
from heard.core.errors import InvalidInput


class SingleSignOnBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if services.single_sign_on_enabled():
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not services.single_sign_on_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as error:  # expired, not yet valid, malformed...
            raise SuspiciousOperation(f"The ID token is not valid: {error}") from error
        try:
            services.check_id_token(
                payload, issuer=settings.HEARD_OIDC_ISSUER, client_id=self.OIDC_RP_CLIENT_ID
            )
        except InvalidInput as error:
            raise SuspiciousOperation(error.message) from error
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: Any) -> dict[str, Any]:
        """The ID token's claims, with the userinfo endpoint's on top when there is one.

        Group and role claims usually come only in the ID token (Entra ID's do).
        """
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo endpoint answered about someone else.")
            claims.update(userinfo)
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return services.sign_in_from_identity_provider(
                claims, issuer=settings.HEARD_OIDC_ISSUER
            )
        except InvalidInput as error:
            raise SuspiciousOperation(error.message) from error
