import time

import pytest
import responses
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.checks import Error

from heard.accounts import checks
from heard.accounts.models import SingleSignOnIdentity
from heard.accounts.services import parse_role_map
from heard.accounts.tests import identity_provider as idp
from heard.accounts.tests.conftest import sign_in
from heard.core.errors import InvalidInput
from heard.org.models import Role, RoleAssignment
from heard.testing import make_staff

pytestmark = pytest.mark.django_db

ALEX = {
    "sub": "7b2c-alex",
    "preferred_username": "alex.jones@council.example",
    "email": "alex.jones@council.example",
    "given_name": "Alex",
    "family_name": "Jones",
    "groups": ["All staff", "Heard complaints team"],
}


@pytest.fixture
def provider(settings):
    settings.HEARD_OIDC_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = idp.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = idp.CLIENT_SECRET
    settings.HEARD_OIDC_ISSUER = idp.ISSUER
    settings.HEARD_OIDC_PROVIDER_NAME = "Example Council account"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = idp.FakeIdentityProvider.authorization_endpoint
    settings.OIDC_OP_TOKEN_ENDPOINT = idp.FakeIdentityProvider.token_endpoint
    settings.OIDC_OP_USER_ENDPOINT = idp.FakeIdentityProvider.userinfo_endpoint
    settings.OIDC_OP_JWKS_ENDPOINT = idp.FakeIdentityProvider.jwks_endpoint
    settings.HEARD_OIDC_ROLE_MAP = (
        "Heard complaints team = complaints_team; Heard admins = administrator, complaints_team"
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        provider = idp.FakeIdentityProvider(mock)
        provider.person = dict(ALEX)
        yield provider


def sign_in_with_provider(client, provider, next_page="/staff/search"):
    start = client.get(f"/staff/account/single-sign-on?next={next_page}")
    assert start.status_code == 302
    return client.get(provider.sign_in(start.url))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def roles_of(user):
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def refused(client, response) -> bool:
    page = client.get(response.url).content.decode() if response.status_code == 302 else ""
    return (
        response.status_code == 302
        and response.url == "/staff/account/sign-in"
        and "Signing in with Example Council account did not work. Try again." in page
        and signed_in_user(client) is None
    )


def test_the_sign_in_page_offers_the_provider_when_it_is_set_up(client, provider):
    page = client.get("/staff/account/sign-in?next=/staff/search").content.decode()

    assert (
        'href="/staff/account/single-sign-on?next=%2Fstaff%2Fsearch"' in page
        and "Sign in with Example Council account</a>" in page
    )
    assert "Or sign in with a Heard username and password" in page


def test_without_settings_there_is_no_single_sign_on(client, db):
    assert client.get("/staff/account/single-sign-on").status_code == 404
    assert client.get("/staff/account/single-sign-on/callback?code=x&state=y").status_code == 404


def test_half_configured_single_sign_on_leaves_password_sign_in_working(client, officer, settings):
    settings.HEARD_OIDC_CLIENT_ID = "heard-client-id"

    page = client.get("/staff/account/sign-in").content.decode()

    assert "Sign in with" not in page
    assert client.get("/staff/account/single-sign-on").status_code == 404
    assert sign_in(client, "olivia").status_code == 302


def test_a_first_sign_in_makes_the_account_with_the_roles_its_groups_map_to(client, provider):
    response = sign_in_with_provider(client, provider)

    assert response.status_code == 302 and response.url == "/staff/search"
    user = signed_in_user(client)
    assert user.username == "alex.jones@council.example"
    assert (user.first_name, user.last_name, user.email) == (
        "Alex",
        "Jones",
        "alex.jones@council.example",
    )
    assert not user.has_usable_password()
    assert roles_of(user) == {Role.COMPLAINTS_TEAM}
    assert not user.is_staff
    assert SingleSignOnIdentity.objects.get(user=user).subject == "7b2c-alex"
    assert client.get("/staff/").status_code == 200
    assert client.get("/api/v1/organisation").status_code == 200


def test_each_sign_in_brings_roles_and_names_up_to_date(client, provider):
    sign_in_with_provider(client, provider)
    client.post("/staff/account/sign-out")
    provider.person.update(family_name="Jones-Smith", groups=["Heard admins"])

    sign_in_with_provider(client, provider)
    user = signed_in_user(client)
    assert user.last_name == "Jones-Smith"
    assert roles_of(user) == {Role.ADMINISTRATOR, Role.COMPLAINTS_TEAM}
    assert user.is_staff
    client.post("/staff/account/sign-out")
    provider.person.update(groups=["All staff"])

    sign_in_with_provider(client, provider)

    user = signed_in_user(client)
    assert roles_of(user) == set()
    assert not user.is_staff
    assert get_user_model().objects.filter(email="alex.jones@council.example").count() == 1


def test_a_group_with_no_mapping_gives_no_role(client, provider):
    provider.person["groups"] = ["All staff", "Finance"]

    sign_in_with_provider(client, provider)

    assert roles_of(signed_in_user(client)) == set()


def test_group_names_are_matched_ignoring_case(client, provider):
    provider.person["groups"] = ["HEARD COMPLAINTS TEAM"]

    sign_in_with_provider(client, provider)

    assert roles_of(signed_in_user(client)) == {Role.COMPLAINTS_TEAM}


def test_roles_can_come_from_another_claim(client, provider, settings):
    settings.HEARD_OIDC_GROUPS_CLAIM = "roles"
    settings.HEARD_OIDC_ROLE_MAP = "Heard.Investigator = investigating_officer"
    provider.person["roles"] = ["Heard.Investigator"]

    sign_in_with_provider(client, provider)

    assert roles_of(signed_in_user(client)) == {Role.INVESTIGATING_OFFICER}


def test_without_a_role_map_roles_are_left_to_heard(client, provider, settings):
    settings.HEARD_OIDC_ROLE_MAP = ""
    sign_in_with_provider(client, provider)
    user = signed_in_user(client)
    assert roles_of(user) == set()
    RoleAssignment.objects.create(user=user, role=Role.PANEL_MEMBER)
    client.post("/staff/account/sign-out")

    sign_in_with_provider(client, provider)

    assert roles_of(signed_in_user(client)) == {Role.PANEL_MEMBER}


def test_a_heard_account_is_linked_when_the_provider_vouches_for_its_email(client, provider):
    existing = make_staff(Role.PANEL_MEMBER, username="ajones")
    existing.email = "Alex.Jones@council.example"
    existing.save()
    provider.person["email_verified"] = True

    sign_in_with_provider(client, provider)

    assert signed_in_user(client) == existing
    assert roles_of(existing) == {Role.COMPLAINTS_TEAM}  # the provider's groups decide


def test_an_unverified_email_never_links_to_an_existing_account(client, provider):
    existing = make_staff(Role.ADMINISTRATOR, username="alex.jones@council.example")
    existing.email = "alex.jones@council.example"
    existing.save()

    sign_in_with_provider(client, provider)

    user = signed_in_user(client)
    assert user != existing
    assert user.username.startswith("alex.jones@council.example-")
    assert roles_of(existing) == {Role.ADMINISTRATOR}


def test_the_same_person_is_found_by_subject_even_if_their_email_changes(client, provider):
    sign_in_with_provider(client, provider)
    first = signed_in_user(client)
    client.post("/staff/account/sign-out")
    provider.person["email"] = "alex.smith@council.example"

    sign_in_with_provider(client, provider)

    assert signed_in_user(client) == first
    assert signed_in_user(client).email == "alex.smith@council.example"


def test_no_heard_code_is_asked_after_single_sign_on(client, provider, settings):
    settings.HEARD_REQUIRE_2FA = True

    sign_in_with_provider(client, provider, next_page="/staff/")

    assert client.get("/staff/").status_code == 200


def test_a_switched_off_account_cannot_sign_in(client, provider):
    sign_in_with_provider(client, provider)
    get_user_model().objects.filter(pk=signed_in_user(client).pk).update(is_active=False)
    client.post("/staff/account/sign-out")

    assert refused(client, sign_in_with_provider(client, provider))


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-application"},
        {"aud": ["another-application", idp.CLIENT_ID], "azp": "another-application"},
        {"iss": "https://login.example.test/another-tenant/v2.0"},
        {"exp": int(time.time()) - 60},
        {"nonce": "a-nonce-from-another-sign-in"},
    ],
    ids=["audience", "authorised party", "issuer", "expired", "nonce"],
)
def test_an_id_token_not_meant_for_this_sign_in_is_refused(client, provider, changes):
    provider.id_token_changes = changes

    assert refused(client, sign_in_with_provider(client, provider))
    assert not get_user_model().objects.filter(email=ALEX["email"]).exists()


def test_an_id_token_signed_with_another_key_is_refused(client, provider):
    provider.signing_key = idp.new_key()

    assert refused(client, sign_in_with_provider(client, provider))


def test_userinfo_about_someone_else_is_refused(client, provider):
    provider.userinfo = {**ALEX, "sub": "someone-else"}

    assert refused(client, sign_in_with_provider(client, provider))


def test_a_callback_with_a_state_heard_did_not_issue_is_refused(client, provider):
    start = client.get("/staff/account/single-sign-on")
    callback = provider.sign_in(start.url).replace("state=", "state=forged")

    assert refused(client, client.get(callback))


def test_a_refusal_at_the_provider_comes_back_as_a_message(client, provider):
    client.get("/staff/account/single-sign-on")

    response = client.get("/staff/account/single-sign-on/callback?error=access_denied&state=x")

    assert refused(client, response)


def test_failed_single_sign_on_is_left_to_the_provider_to_count(client, provider, officer):
    provider.userinfo = {**ALEX, "sub": "someone-else"}
    for _ in range(6):
        assert refused(client, sign_in_with_provider(client, provider))
    provider.userinfo = None

    assert sign_in_with_provider(client, provider).url == "/staff/search"
    assert not AccessAttempt.objects.exists()
    client.post("/staff/account/sign-out")
    assert sign_in(client, "olivia").status_code == 302


def test_role_map_entries_are_group_equals_roles():
    mapping = parse_role_map(
        "Heard admins = administrator, complaints_team\n Panel=panel_member; a=b = head_of_service"
    )

    assert mapping == {
        "heard admins": frozenset({Role.ADMINISTRATOR, Role.COMPLAINTS_TEAM}),
        "panel": frozenset({Role.PANEL_MEMBER}),
        "a=b": frozenset({Role.HEAD_OF_SERVICE}),
    }
    assert parse_role_map("") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Heard admins", "'Heard admins' in HEARD_OIDC_ROLE_MAP is not 'group = role'"),
        ("Heard admins = superuser", "HEARD_OIDC_ROLE_MAP: 'superuser' is not a role."),
    ],
)
def test_a_role_map_that_cannot_be_read_says_why(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_role_map(text)


def test_the_system_check_names_missing_settings_and_a_bad_role_map(settings):
    settings.HEARD_OIDC_CLIENT_ID = "heard"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.HEARD_OIDC_ISSUER = idp.ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = idp.FakeIdentityProvider.authorization_endpoint
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = None
    settings.HEARD_OIDC_ROLE_MAP = "Heard admins = boss"

    problems = checks.single_sign_on_settings()

    assert all(isinstance(problem, Error) for problem in problems)
    assert [problem.msg for problem in problems] == [
        "Single sign-on is on (HEARD_OIDC_CLIENT_ID is set) but HEARD_OIDC_TOKEN_ENDPOINT is not set.",
        "Single sign-on is on (HEARD_OIDC_CLIENT_ID is set) but HEARD_OIDC_JWKS_ENDPOINT is not set.",
        "HEARD_OIDC_ROLE_MAP: 'boss' is not a role. Choose one of: " + ", ".join(Role.values) + ".",
    ]
    settings.HEARD_OIDC_CLIENT_ID = ""
    assert checks.single_sign_on_settings() == []
