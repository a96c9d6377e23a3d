"""API reads are limited per token: a runaway or leaked token cannot page out every case."""

import pytest

from heard.org.models import Role
from heard.org.tokens import issue_token
from heard.testing import make_case, make_staff

pytestmark = pytest.mark.django_db


def read(client, token: str, path: str = "/api/v1/cases"):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_reads_beyond_the_limit_are_refused_for_that_token_only(client, settings):
    settings.HEARD_API_READS_PER_TOKEN_PER_MINUTE = 3
    team = make_staff(Role.COMPLAINTS_TEAM, username="reader")
    case = make_case(by=team)
    first, second = issue_token(team), issue_token(team)

    codes = [read(client, first).status_code for _ in range(3)]
    refused = read(client, first, f"/api/v1/cases/{case.reference}")
    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # Another token of the same person has its own count; writes are not counted as reads.
    assert read(client, second).status_code == 200
    created = client.post(
        "/api/v1/cases",
        {
            "kind": "complaint",
            "channel": "phone",
            "subject": "Written while reads are refused",
            "description": "A write is not a read.",
            "customer": {"name": "Ann Example"},
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {first}",
    )
    assert created.status_code == 201, created.content


def test_the_staff_screens_session_is_not_counted_and_zero_switches_the_limit_off(client, settings):
    settings.HEARD_API_READS_PER_TOKEN_PER_MINUTE = 1
    team = make_staff(Role.COMPLAINTS_TEAM, username="session-reader")
    client.force_login(team)
    assert [client.get("/api/v1/cases").status_code for _ in range(3)] == [200, 200, 200]

    settings.HEARD_API_READS_PER_TOKEN_PER_MINUTE = 0
    token = issue_token(team)
    assert [read(client, token).status_code for _ in range(3)] == [200, 200, 200]
