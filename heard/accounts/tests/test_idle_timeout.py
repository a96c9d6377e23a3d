import pytest

from heard.accounts.services import LAST_ACTIVITY
from heard.accounts.tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def idle_for(client, minutes: float) -> None:
    """As if the last request had come ``minutes`` ago."""
    session = client.session
    session[LAST_ACTIVITY] -= minutes * 60
    session.save()


def test_a_session_left_idle_goes_back_to_sign_in_and_says_why(client, officer):
    sign_in(client, "olivia")
    idle_for(client, 31)

    response = client.get("/staff/search")

    assert response.status_code == 302
    assert response.url == "/staff/account/sign-in?next=/staff/search"
    page = client.get(response.url).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_signed_in(client, officer):
    sign_in(client, "olivia")
    for _ in range(3):
        idle_for(client, 20)
        assert client.get("/staff/").status_code == 200


def test_the_idle_limit_comes_from_settings(client, officer, settings):
    settings.HEARD_SESSION_IDLE_MINUTES = 10
    sign_in(client, "olivia")
    idle_for(client, 9)
    assert client.get("/staff/").status_code == 200
    idle_for(client, 11)

    response = client.get("/staff/", follow=True)

    assert "You were signed out after 10 minutes without activity." in response.content.decode()


def test_an_idle_session_no_longer_opens_the_api(client, officer):
    sign_in(client, "olivia")
    assert client.get("/api/v1/organisation").status_code == 200
    idle_for(client, 31)

    assert client.get("/api/v1/organisation").status_code in (401, 403)


def test_an_idle_admin_session_is_signed_out_too(client, db):
    from django.contrib.auth import get_user_model

    from heard.accounts.tests.conftest import PASSWORD

    get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    idle_for(client, 31)

    assert client.get("/admin/").url == "/admin/login/?next=/admin/"
