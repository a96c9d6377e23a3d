"""A stand-in OpenID Connect provider, at the HTTP edge only (the `responses` library).

It signs real RS256 ID tokens with its own key, publishes the public half at its JWKS
endpoint, checks the client's secret, the redirect address and the PKCE verifier at its
token endpoint, and answers its userinfo endpoint for the access token it issued.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://login.example.test/council-tenant/v2.0"
CLIENT_ID = "heard-client-id"
CLIENT_SECRET = "heard-client-secret"
CALLBACK = "http://testserver/staff/account/single-sign-on/callback"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def provider_key() -> rsa.RSAPrivateKey:
    """The provider's own signing key: made once, as making one takes a while."""
    return new_key()


class FakeIdentityProvider:
    authorization_endpoint = f"{ISSUER}/authorize"
    token_endpoint = f"{ISSUER}/token"
    userinfo_endpoint = f"{ISSUER}/userinfo"
    jwks_endpoint = f"{ISSUER}/keys"

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.key = provider_key()
        self.kid = "key-1"
        self.person: dict[str, Any] = {}
        self.userinfo: dict[str, Any] | None = None  # None: the same as the person
        self.id_token_changes: dict[str, Any] = {}
        self.signing_key: rsa.RSAPrivateKey | None = None  # None: its own key
        self._grants: dict[str, dict[str, Any]] = {}
        self._access_tokens: dict[str, dict[str, Any]] = {}
        mock.add_callback(responses.POST, self.token_endpoint, callback=self._token)
        mock.add_callback(responses.GET, self.userinfo_endpoint, callback=self._userinfo)
        mock.add_callback(responses.GET, self.jwks_endpoint, callback=self._jwks)

    def sign_in(self, authorization_url: str) -> str:
        """The person signs in at the provider, which sends them back to Heard's callback."""
        assert authorization_url.startswith(self.authorization_endpoint + "?")
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorization_url).query).items()}
        assert query["client_id"] == CLIENT_ID
        assert query["response_type"] == "code"
        assert query["redirect_uri"] == CALLBACK
        assert query["code_challenge_method"] == "S256"
        assert "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self._grants[code] = query
        return f"/staff/account/single-sign-on/callback?{urlencode({'code': code, 'state': query['state']})}"

    def _token(self, request: Any) -> tuple[int, dict[str, str], str]:
        form = {k: v[0] for k, v in parse_qs(request.body).items()}
        grant = self._grants.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
            or _challenge(form.get("code_verifier", "")) != grant["code_challenge"]
        ):
            return 400, {}, json.dumps({"error": "invalid_grant"})
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "nonce": grant["nonce"],
            **self.person,
            **self.id_token_changes,
        }
        id_token = jwt.encode(
            claims, self.signing_key or self.key, algorithm="RS256", headers={"kid": self.kid}
        )
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = dict(self.person)
        body = {"access_token": access_token, "token_type": "Bearer", "id_token": id_token}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    def _userinfo(self, request: Any) -> tuple[int, dict[str, str], str]:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self._access_tokens:
            return 401, {}, ""
        person = self._access_tokens[token]
        info = self.userinfo if self.userinfo is not None else person
        # Like Entra ID, userinfo carries no group claims; those come in the ID token.
        info = {k: v for k, v in info.items() if k not in ("groups", "roles")}
        return 200, {"Content-Type": "application/json"}, json.dumps(info)

    def _jwks(self, request: Any) -> tuple[int, dict[str, str], str]:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return 200, {"Content-Type": "application/json"}, json.dumps({"keys": [jwk]})


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
