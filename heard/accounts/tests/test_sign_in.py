import pytest
from django.test import Client

from heard.accounts.tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_a_gov_uk_form_that_works_without_javascript(client):
    page = client.get("/staff/account/sign-in").content.decode()

    assert '<h1 class="govuk-heading-l">Sign in to Heard casework</h1>' in page
    assert 'autocomplete="username"' in page
    assert 'type="password"' in page and 'autocomplete="current-password"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Sign in with" not in page  # no single sign-on unless it is set up


def test_a_staff_page_sends_someone_signed_out_to_sign_in_and_back(client, officer):
    assert client.get("/staff/search").url == "/staff/account/sign-in?next=/staff/search"

    response = sign_in(client, "olivia", next="/staff/search")

    assert response.status_code == 302 and response.url == "/staff/search"
    assert client.get("/staff/search").status_code == 200


def test_signing_in_without_a_next_page_goes_to_the_work_queues(client, officer):
    assert sign_in(client, "olivia").url == "/staff/"


def test_a_next_page_on_another_site_is_ignored(client, officer):
    assert sign_in(client, "olivia", next="https://evil.example/").url == "/staff/"


def test_empty_fields_each_say_what_to_enter(client):
    response = client.post("/staff/account/sign-in", {"username": "", "password": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page
    assert "There is a problem" in page
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page


def test_a_wrong_password_is_refused_with_the_tries_left_and_is_never_shown_again(client, officer):
    response = sign_in(client, "olivia", "not-her-password")

    page = response.content.decode()
    assert "The username or password is not right. Check them and try again." in page
    assert "After 4 more wrong tries, signing in will be paused for 30 minutes." in page
    assert "not-her-password" not in page
    assert 'value="olivia"' in page
    assert "_auth_user_id" not in client.session


def test_a_switched_off_account_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save()

    response = sign_in(client, "olivia")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post_with_the_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    assert client.get("/staff/account/sign-out").status_code == 405
    assert client.post("/staff/account/sign-out").status_code == 403
    assert client.get("/staff/").status_code == 200

    page = client.get("/staff/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post("/staff/account/sign-out", {"csrfmiddlewaretoken": token})

    assert response["Location"] == "/staff/account/sign-in"
    assert "You have signed out." in client.get(response["Location"]).content.decode()
    assert client.get("/staff/").status_code == 302


def test_the_admin_login_still_works(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)

    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})

    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_api_takes_a_signed_in_session_and_a_bearer_token(client, officer):
    from heard.testing import api_client

    assert client.get("/api/v1/organisation").status_code in (401, 403)
    sign_in(client, "olivia")

    assert client.get("/api/v1/organisation").status_code == 200
    assert api_client(officer).get("/api/v1/organisation").status_code == 200


def test_your_account_page_shows_two_step_verification_is_off(client, officer):
    client.force_login(officer)

    page = client.get("/staff/account/").content.decode()

    assert "Olivia Officer" in page and "olivia" in page
    assert "Two-step verification" in page and "Off" in page
    assert 'href="/staff/account/two-step-verification/set-up"' in page
