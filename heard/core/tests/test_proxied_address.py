"""Behind the deployment's proxy, per-address limits count each member of the public, not the
proxy — and without a configured proxy the forwarded header cannot be used to dodge them."""

import pytest

from heard.cases.models import Case
from heard.core.tests.test_request_ids import send_the_public_form


def send_from(client, address_chain: str, n: int) -> int:
    return send_the_public_form(
        client,
        email=f"person{n}@example.org",
        request_id=f"r{n}",
        HTTP_X_FORWARDED_FOR=address_chain,
    )


@pytest.mark.django_db
def test_behind_one_proxy_each_member_of_the_public_has_their_own_limit(client, settings):
    settings.HEARD_PROXY_COUNT = 1
    settings.HEARD_PUBLIC_RATE_PER_ADDRESS = 2
    # The proxy appends the address it saw; what is left of it is whatever the client claimed.
    assert send_from(client, "198.51.100.1", 1) == 302
    assert send_from(client, "10.9.9.9, 198.51.100.1", 2) == 302
    assert send_from(client, "10.9.9.8, 198.51.100.1", 3) == 429
    assert send_from(client, "198.51.100.2", 4) == 302
    assert Case.objects.count() == 3


@pytest.mark.django_db
def test_without_a_configured_proxy_the_forwarded_header_is_ignored(client, settings):
    settings.HEARD_PROXY_COUNT = 0
    settings.HEARD_PUBLIC_RATE_PER_ADDRESS = 2
    assert send_from(client, "198.51.100.1", 1) == 302
    assert send_from(client, "198.51.100.2", 2) == 302
    assert send_from(client, "198.51.100.3", 3) == 429
    assert Case.objects.count() == 2
