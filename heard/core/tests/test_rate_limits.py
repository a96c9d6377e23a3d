"""Brute force and floods: what stops them, asserted.

Elsewhere, and not repeated here:

* signing in: five wrong passwords pause a username from one address for 30 minutes, the
  admin's login too, and an API token keeps working meanwhile —
  ``heard/accounts/tests/test_lockout.py``;
* the public form: submissions per address and per email address —
  ``heard/portal/tests/test_journeys.py::test_too_many_submissions_from_one_address_are_refused``;
* Open311: requests per client key and per address — ``heard/channels/tests/test_open311.py``.

Here: the rolling counter itself, and the tracking-link form (which sends email, so it must
not become a way to mail someone over and over or to guess references).
"""

from __future__ import annotations

import pytest
from django.test import Client

from heard.core import ratelimit
from heard.testing import make_case

pytestmark = pytest.mark.django_db


def test_the_counter_allows_the_limit_then_refuses():
    results = [ratelimit.allow("test", "203.0.113.9", limit=3) for _ in range(5)]
    assert results == [True, True, True, False, False]


def test_keys_are_counted_apart_and_case_insensitively():
    for _ in range(3):
        assert ratelimit.allow("test", "Ann@Example.org", limit=3)
    assert not ratelimit.allow("test", "ann@example.org ", limit=3)
    assert ratelimit.allow("test", "bob@example.org", limit=3)
    assert ratelimit.allow("other-scope", "ann@example.org", limit=3)


def test_tracking_links_are_limited_per_email_address(settings):
    settings.HEARD_PUBLIC_RATE_PER_EMAIL = 2
    case = make_case()
    client = Client()
    codes = [
        client.post("/track", {"reference": case.reference, "email": "ann@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_tracking_links_are_limited_per_address_whatever_the_email(settings):
    settings.HEARD_PUBLIC_RATE_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        client.post(
            "/track", {"reference": "C-2026-000001", "email": f"p{n}@example.org"}
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    # Another address is not held back by this one.
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert other.post("/track", {"reference": "X", "email": "q@example.org"}).status_code == 200
