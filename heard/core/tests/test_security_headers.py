"""The security headers on every kind of answer, a strict Content-Security-Policy, and no inline
script anywhere in Heard's templates (which is what lets the policy forbid it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from heard.org.models import Role
from heard.testing import api_client, make_staff

pytestmark = pytest.mark.django_db

HEARD = Path(__file__).resolve().parents[2]


def _policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def _answers() -> dict[str, object]:
    staff = make_staff(Role.COMPLAINTS_TEAM, username="headers.team")
    signed_in = Client()
    signed_in.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    return {
        "public page": Client().get("/"),
        "staff page": signed_in.get("/staff/"),
        "API": api_client(staff).get("/api/v1/cases"),
    }


def test_every_kind_of_answer_carries_the_security_headers():
    for what, response in _answers().items():
        assert response.status_code == 200, what  # type: ignore[attr-defined]
        headers = response.headers  # type: ignore[attr-defined]
        assert headers["X-Content-Type-Options"] == "nosniff", what
        assert headers["Referrer-Policy"] == "same-origin", what
        assert headers["X-Frame-Options"] == "DENY", what
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", what
        permissions = headers["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()"):
            assert feature in permissions, what
        policy = _policy(headers["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], what
        assert policy["frame-ancestors"] == ["'none'"], what
        assert policy["base-uri"] == ["'self'"], what
        assert policy["form-action"] == ["'self'"], what
        # Scripts only from Heard itself: nothing inline, no eval, no other origin.
        assert policy["script-src"] == ["'self'"], what


def test_staff_pages_are_not_cached_by_shared_caches():
    """A signed-in page varies by the session cookie, so no shared cache serves it to another."""
    response = _answers()["staff page"]
    assert "Cookie" in response.headers.get("Vary", "")  # type: ignore[attr-defined]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
JSON_DATA = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_no_template_has_inline_script_or_event_handlers():
    """The policy forbids inline script; a template that relied on it would silently break."""
    templates = sorted(HEARD.glob("**/templates/**/*.html"))
    assert templates, "no templates found"
    found = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (EVENT_HANDLER, "on…= event handler"),
            (JAVASCRIPT_URL, "javascript: URL"),
        ):
            for match in pattern.finditer(text):
                if pattern is INLINE_SCRIPT and JSON_DATA.search(match.group(0)):
                    continue  # data for a script, never run
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(HEARD.parent)}:{line}: {what}")
    assert not found, "Templates that need inline script:\n" + "\n".join(found)
