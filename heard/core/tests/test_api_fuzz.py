"""A property-based fuzz of the whole API from its OpenAPI document, with schemathesis.

Every operation in ``/api/v1/schema`` is called with generated input — valid and invalid —
through the WSGI application, with a complaints-team member's bearer token, against a
database holding a case. Two things must hold for every answer:

* no 5xx;
* every error (4xx) is JSON in the shape ``heard.core.api.exception_handler`` documents: an
  object with a ``detail`` sentence and a ``code``.

Bounded (a few examples per operation, no deadline) so that it runs in well under two minutes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from heard.org.models import Role
from heard.org.tokens import issue_token
from heard.testing import make_case, make_service, make_staff

MAX_EXAMPLES = 12


@pytest.fixture
def same_connection():
    """Keep the test's database connection across requests, as Django's test client does.

    The WSGI handler closes old connections when a request starts and finishes; that would
    close the test's transaction under it.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, same_connection) -> str:
    service = make_service("fuzz", "Waste")
    team = make_staff(Role.COMPLAINTS_TEAM, services=[service], username="fuzz.team")
    make_case(by=team, service=service)
    return issue_token(team)


def _document() -> dict[str, Any]:
    """The document /api/v1/schema serves (generated without a request or a database)."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(document, default=str))


schema = schemathesis.openapi.from_dict(_document())
schema.app = get_wsgi_application()


def test_the_fuzzed_document_is_the_one_served(client, db):
    served = client.get("/api/v1/schema", HTTP_ACCEPT="application/json")
    assert served.status_code == 200
    assert json.loads(served.content)["paths"].keys() == _document()["paths"].keys()


def error_in_the_documented_shape(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code < 400:
        return
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/json"), (
        f"{response.status_code} answered as {content_type!r}, not JSON: {response.content[:200]!r}"
    )
    body = json.loads(response.content)
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    assert isinstance(body.get("detail"), str) and body["detail"], f"no detail: {body!r}"
    assert isinstance(body.get("code"), str) and body["code"], f"no code: {body!r}"


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_never_fails_and_always_explains(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error, error_in_the_documented_shape])
