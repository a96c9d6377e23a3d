from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from heard.accounts.tests.conftest import PASSWORD, sign_in
from heard.testing import api_client

pytestmark = pytest.mark.django_db


def fail_to_sign_in(client, username="olivia", times=5):
    for _ in range(times):
        response = sign_in(client, username, "a-wrong-password")
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_pause_signing_in_even_with_the_right_password(client, officer):
    fourth = fail_to_sign_in(client, times=4)
    assert fourth.status_code == 200
    assert "After 1 more wrong try, signing in will be paused for 30 minutes." in (
        fourth.content.decode()
    )

    fifth = sign_in(client, "olivia", "a-wrong-password")
    assert fifth.status_code == 429

    response = sign_in(client, "olivia", PASSWORD)

    page = response.content.decode()
    assert response.status_code == 429
    assert not signed_in(client)
    assert '<h1 class="govuk-heading-l">You cannot sign in at the moment</h1>' in page
    assert "wrong 5 times" in page
    assert "Wait 30 minutes, then" in page
    assert "ask a Heard administrator in your organisation" in page
    assert 'class="govuk-template__body"' in page  # the GOV.UK layout, not a bare message


def test_the_pause_is_for_one_username_from_one_address(client, officer):
    other = get_user_model().objects.create_user("priya", password=PASSWORD)
    fail_to_sign_in(client)

    assert sign_in(client, "priya").status_code == 302
    assert signed_in(client) and client.session["_auth_user_id"] == str(other.pk)

    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert sign_in(elsewhere, "olivia").status_code == 302


def test_an_administrator_can_end_the_pause_with_axes_reset(client, officer):
    fail_to_sign_in(client)

    call_command("axes_reset_username", "olivia")

    assert sign_in(client, "olivia").status_code == 302
    assert signed_in(client)


def test_the_pause_ends_by_itself_after_the_cool_off(client, officer):
    fail_to_sign_in(client)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=29)
    )
    assert sign_in(client, "olivia").status_code == 429

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=2)
    )

    assert sign_in(client, "olivia").status_code == 302
    assert signed_in(client)


def test_trying_during_the_pause_does_not_make_it_longer(client, officer):
    fail_to_sign_in(client)
    locked_at = AccessAttempt.objects.get().attempt_time

    fail_to_sign_in(client, times=3)

    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_signing_in_clears_earlier_wrong_passwords(client, officer):
    fail_to_sign_in(client, times=4)
    assert sign_in(client, "olivia").status_code == 302
    client.post("/staff/account/sign-out")

    assert fail_to_sign_in(client, times=4).status_code == 200


def test_the_limit_and_the_pause_come_from_settings(client, officer, settings):
    settings.HEARD_SIGNIN_FAILURE_LIMIT = 3
    settings.HEARD_SIGNIN_COOLOFF_MINUTES = 10

    response = fail_to_sign_in(client, times=3)

    assert response.status_code == 429
    assert "wrong 3 times" in response.content.decode()
    assert "paused for 10 minutes" in response.content.decode()


def test_the_admin_login_is_paused_too(client, db):
    get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": "a-wrong-password"})

    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})

    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_api_tokens_keep_working_while_signing_in_is_paused(client, officer):
    fail_to_sign_in(client)

    assert api_client(officer).get("/api/v1/organisation").status_code == 200


def test_behind_a_proxy_the_forwarded_address_is_the_one_paused(settings, officer):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")

    fail_to_sign_in(attacker)

    assert sign_in(attacker, "olivia").status_code == 429
    assert sign_in(colleague, "olivia").status_code == 302
