import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts.tests.conftest import (
    PASSWORD,
    code_for,
    sign_in,
    wait_out_the_throttle,
    wrong_code,
)
from heard.testing import api_client

pytestmark = pytest.mark.django_db

CODE_PAGE = "/staff/account/two-step-verification/code"
SET_UP_PAGE = "/staff/account/two-step-verification/set-up"
TURN_OFF_PAGE = "/staff/account/two-step-verification/turn-off"


def test_setting_up_shows_a_qr_code_and_the_key_then_a_code_turns_it_on(client, officer):
    client.force_login(officer)

    page = client.get(SET_UP_PAGE).content.decode()

    assert '<img src="data:image/svg+xml' in page
    assert 'alt="QR code for adding Heard to your authenticator app"' in page
    shown = re.search(r'id="authenticator-key">([A-Z2-7 ]+)<', page)
    assert shown is not None
    key = shown.group(1)
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert key.replace(" ", "") in device.config_url
    assert client.get(SET_UP_PAGE).content.decode().count(key) == 1  # the same key until confirmed

    response = client.post(SET_UP_PAGE, {"code": code_for(device)})

    assert response.url == "/staff/"
    device.refresh_from_db()
    assert device.confirmed
    home = client.get("/staff/")
    assert home.status_code == 200  # this session is verified already
    assert "Two-step verification is on." in home.content.decode()


def test_a_wrong_code_when_setting_up_says_what_to_do(client, officer):
    client.force_login(officer)
    client.get(SET_UP_PAGE)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(SET_UP_PAGE, {"code": wrong_code(device)})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_code">The code is not right, or it has been used already.' in page
    assert 'aria-describedby="id_code-hint id_code-error"' in page
    assert not TOTPDevice.objects.get(user=officer).confirmed


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 digits, like 123456"),
        ("abcdef", "The code must be 6 digits, like 123456"),
    ],
)
def test_a_code_that_is_not_six_digits_is_refused(client, officer, typed, message):
    client.force_login(officer)

    response = client.post(SET_UP_PAGE, {"code": typed})

    assert message in response.content.decode()


def test_after_the_password_staff_pages_wait_for_the_code(client, officer, authenticator):
    response = sign_in(client, "olivia", next="/staff/search")

    assert response.url == f"{CODE_PAGE}?next=/staff/search"
    assert client.get("/staff/").url == f"{CODE_PAGE}?next=/staff/"
    assert client.get("/staff/account/").url.startswith(CODE_PAGE)

    refused = client.post(CODE_PAGE, {"code": wrong_code(authenticator), "next": "/staff/search"})
    assert "The code is not right" in refused.content.decode()
    assert client.get("/staff/").status_code == 302
    wait_out_the_throttle(authenticator)

    # The app's clock may be a step behind or ahead; a code within one step is accepted.
    accepted = client.post(
        CODE_PAGE, {"code": code_for(authenticator, steps_ahead=1), "next": "/staff/search"}
    )

    assert accepted.url == "/staff/search"
    assert client.get("/staff/").status_code == 200


def test_a_code_cannot_be_used_twice(client, officer, authenticator):
    code = code_for(authenticator)
    sign_in(client, "olivia")
    assert client.post(CODE_PAGE, {"code": code}).status_code == 302
    client.post("/staff/account/sign-out")

    sign_in(client, "olivia")
    response = client.post(CODE_PAGE, {"code": code})

    assert "it has been used already" in response.content.decode()


def test_repeated_wrong_codes_make_the_person_wait(client, officer, authenticator):
    sign_in(client, "olivia")
    client.post(CODE_PAGE, {"code": wrong_code(authenticator)})

    response = client.post(CODE_PAGE, {"code": code_for(authenticator)})

    assert "You entered wrong codes too many times. Wait 1 second" in response.content.decode()


def test_the_password_alone_cannot_add_another_authenticator(client, officer, authenticator):
    sign_in(client, "olivia")

    response = client.get(SET_UP_PAGE)

    assert response.status_code == 302 and response.url.startswith(CODE_PAGE)
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_the_password_alone_does_not_open_the_api_or_the_admin(client, officer, authenticator):
    officer.is_staff = officer.is_superuser = True
    officer.save()
    sign_in(client, "olivia")

    assert client.get("/api/v1/organisation").status_code in (401, 403)
    assert client.get("/admin/").url == f"{CODE_PAGE}?next=/admin/"
    assert api_client(officer).get("/api/v1/organisation").status_code == 200

    client.post(CODE_PAGE, {"code": code_for(authenticator)})

    assert client.get("/api/v1/organisation").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_asks_for_the_code_too(client, authenticator):
    get_user_model().objects.filter(pk=authenticator.user_id).update(
        is_staff=True, is_superuser=True
    )

    client.post("/admin/login/", {"username": "olivia", "password": PASSWORD})

    assert client.get("/admin/").url == f"{CODE_PAGE}?next=/admin/"


def test_a_new_app_replaces_the_old_one(client, officer, authenticator):
    sign_in(client, "olivia")
    client.post(CODE_PAGE, {"code": code_for(authenticator)})
    assert (
        "This replaces the authenticator app you use now"
        in client.get(SET_UP_PAGE).content.decode()
    )
    new = TOTPDevice.objects.get(user=officer, confirmed=False)

    client.post(SET_UP_PAGE, {"code": code_for(new)})

    assert list(TOTPDevice.objects.filter(user=officer)) == [new]


def test_turning_it_off_needs_a_code(client, officer, authenticator):
    sign_in(client, "olivia")
    client.post(CODE_PAGE, {"code": code_for(authenticator)})
    assert "Turn off" in client.get("/staff/account/").content.decode()

    refused = client.post(TURN_OFF_PAGE, {"code": wrong_code(authenticator)})
    assert "The code is not right" in refused.content.decode()
    wait_out_the_throttle(authenticator)

    response = client.post(TURN_OFF_PAGE, {"code": code_for(authenticator, steps_ahead=1)})

    assert response.url == "/staff/account/"
    assert not TOTPDevice.objects.filter(user=officer).exists()
    client.post("/staff/account/sign-out")
    assert sign_in(client, "olivia").url == "/staff/"


def test_when_required_everyone_signing_in_with_a_password_must_set_up_an_app(
    client, officer, settings
):
    settings.HEARD_REQUIRE_2FA = True

    response = sign_in(client, "olivia", next="/staff/search")

    assert response.url == f"{SET_UP_PAGE}?next=/staff/search"
    assert client.get("/staff/").url == f"{SET_UP_PAGE}?next=/staff/"
    assert client.get("/api/v1/organisation").status_code in (401, 403)
    client.get(SET_UP_PAGE)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(SET_UP_PAGE, {"code": code_for(device), "next": "/staff/search"})

    assert response.url == "/staff/search"
    assert client.get("/staff/").status_code == 200


def test_when_required_it_cannot_be_turned_off(client, officer, authenticator, settings):
    settings.HEARD_REQUIRE_2FA = True
    sign_in(client, "olivia")
    client.post(CODE_PAGE, {"code": code_for(authenticator)})

    page = client.get(TURN_OFF_PAGE).content.decode()
    response = client.post(TURN_OFF_PAGE, {"code": code_for(authenticator, steps_ahead=1)})

    assert "Your organisation requires two-step verification" in page
    assert "Your organisation requires two-step verification" in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_someone_without_an_app_is_not_asked_for_a_code(client, officer):
    sign_in(client, "olivia")

    assert client.get(CODE_PAGE).url == "/staff/"
    assert client.get("/staff/").status_code == 200
