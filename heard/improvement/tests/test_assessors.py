"""External assessors: one assessment, read only, until the last day of access; refused
everywhere else (other assessments, cases, staff screens, the admin, the API); every request
recorded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heard.cases.selectors import local_today
from heard.core.errors import InvalidInput, NotPermitted
from heard.improvement import assessors, services
from heard.improvement.models import AssessorAccess, AssessorView
from heard.org.models import Role
from heard.testing import api_client, make_case, make_staff

pytestmark = pytest.mark.django_db

BASE = "/staff/improvement/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_assessments(framework, performance_officer):
    def start(title):
        return services.start_assessment(
            by=performance_officer, title=title, cycle="annual_review", assessment_on=date.today()
        )

    return start("CSE annual review 2026"), start("CSE annual review 2025")


@pytest.fixture
def assessor(two_assessments, performance_officer):
    granted, _ = two_assessments
    grant, _password = assessors.create_assessor(
        granted,
        by=performance_officer,
        username="assessor.one",
        full_name="Alex Assessor",
        email="alex@certifier.example",
        expires_on=local_today() + timedelta(days=30),
        today=local_today(),
    )
    return grant.user


def test_the_assessor_sees_one_assessment_and_nothing_else(
    two_assessments, assessor, performance_officer
):
    granted, other = two_assessments
    item = services.element_assessment(granted.pk, "4.3.4")
    document = SimpleUploadedFile("policy.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    piece = services.add_document(item, by=performance_officer, title="Policy", upload=document)
    case = make_case()
    client = signed_in(assessor)

    shown = [
        f"{BASE}assessments/{granted.pk}/",
        f"{BASE}assessments/{granted.pk}/elements/4.3.4/",
        f"{BASE}assessments/{granted.pk}/export",
        f"{BASE}assessments/{granted.pk}/export.csv",
        f"{BASE}assessments/{granted.pk}/evidence/{piece.pk}/file",
        "/staff/account/",
    ]
    for url in shown:
        assert client.get(url).status_code == 200, url
    page = client.get(f"{BASE}assessments/{granted.pk}/").content.decode()
    assert "The assessment" in page  # the only navigation an assessor is given
    assert "Work queues" not in page and 'id="header-search"' not in page

    refused = [
        f"{BASE}assessments/{other.pk}/",
        f"{BASE}assessments/{other.pk}/elements/4.3.4/",
        f"{BASE}assessments/{other.pk}/export",
        f"{BASE}assessments/{granted.pk}/assessors",
        f"{BASE}standard/",
        f"{BASE}plans/new",
        f"{BASE}ideas/",
        f"{BASE}ideas/new",
        "/staff/search?q=bins",
        f"/staff/cases/{case.reference}",
        "/staff/reports/",
        "/staff/learning/",
        "/admin/",
        "/api/v1/organisation",
        f"/api/v1/cases/{case.reference}",
    ]
    for url in refused:
        assert client.get(url).status_code == 403, url
    # read only: a rating cannot be changed, even on the granted assessment
    response = client.post(
        f"{BASE}assessments/{granted.pk}/elements/4.3.4/",
        {"form": "rating", "rating-rating": "compliance", "rating-commentary": "Fine."},
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.rating == ""
    # the work queues send the assessor to their assessment instead
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}assessments/{granted.pk}/"

    # a token for the API is refused too
    assert api_client(assessor).get("/api/v1/organisation").status_code == 403

    recorded = AssessorView.objects.filter(user=assessor)
    assert recorded.count() == len(shown) + 1 + len(refused) + 3
    assert set(recorded.filter(status_code=403).values_list("path", flat=True)) >= {
        f"{BASE}assessments/{other.pk}/",
        "/api/v1/organisation",
    }
    assert recorded.filter(path=f"{BASE}assessments/{granted.pk}/", status_code=200).exists()


def test_access_ends_after_the_last_day(two_assessments, assessor):
    granted, _ = two_assessments
    grant = AssessorAccess.objects.get(user=assessor)
    url = f"{BASE}assessments/{granted.pk}/"
    client = signed_in(assessor)
    grant.expires_on = local_today()
    grant.save()
    assert client.get(url).status_code == 200  # the last day itself is included
    grant.expires_on = local_today() - timedelta(days=1)
    grant.save()
    assert client.get(url).status_code == 403
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/account/").status_code == 200  # to sign out, or see why
    assert AssessorView.objects.filter(user=assessor, path=url, status_code=403).count() == 1


def test_ending_access_closes_the_assessment_at_once(
    two_assessments, assessor, performance_officer
):
    granted, _ = two_assessments
    client = signed_in(assessor)
    grant = AssessorAccess.objects.get(user=assessor)
    response = signed_in(performance_officer).post(
        f"{BASE}assessments/{granted.pk}/assessors/{grant.pk}/end"
    )
    assert response.status_code == 302
    assert client.get(f"{BASE}assessments/{granted.pk}/").status_code == 403


def test_an_assessor_sees_one_assessment_at_a_time(two_assessments, assessor, performance_officer):
    _, other = two_assessments
    with pytest.raises(InvalidInput, match="An assessor sees one assessment"):
        assessors.grant_access(
            other,
            by=performance_officer,
            username="assessor.one",
            expires_on=local_today() + timedelta(days=5),
            today=local_today(),
        )


def test_access_is_for_a_named_account_without_a_role_and_at_most_a_year(
    two_assessments, performance_officer
):
    granted, _ = two_assessments
    today = local_today()
    make_staff(Role.FRONT_LINE_OFFICER, username="insider")
    get_user_model().objects.create_user("visitor", password="x" * 16)
    cases = [
        ("insider", today + timedelta(days=5), "member of staff"),
        ("nobody-here", today + timedelta(days=5), "no active account called nobody-here"),
        ("visitor", today - timedelta(days=1), "today or later"),
        ("visitor", today + timedelta(days=400), "at most a year"),
        ("visitor", None, "Enter the last day of access"),
    ]
    for username, expires_on, message in cases:
        with pytest.raises(InvalidInput, match=message):
            assessors.grant_access(
                granted,
                by=performance_officer,
                username=username,
                expires_on=expires_on,
                today=today,
            )
    with pytest.raises(NotPermitted):
        assessors.grant_access(
            granted,
            by=make_staff(Role.HEAD_OF_SERVICE),
            username="visitor",
            expires_on=today + timedelta(days=5),
            today=today,
        )
    grant = assessors.grant_access(
        granted,
        by=performance_officer,
        username="VISITOR",
        expires_on=today + timedelta(days=5),
        today=today,
    )
    assert grant.user.username == "visitor"


def test_an_editor_grants_access_on_the_page_and_sees_the_password_once(
    two_assessments, performance_officer
):
    granted, _ = two_assessments
    client = signed_in(performance_officer)
    url = f"{BASE}assessments/{granted.pk}/assessors"
    last_day = local_today() + timedelta(days=14)
    response = client.post(
        url,
        {
            "form": "create",
            "create-full_name": "Sam Certifier",
            "create-email": "sam@certifier.example",
            "create-username": "sam.certifier",
            "create-expires_on_0": str(last_day.day),
            "create-expires_on_1": str(last_day.month),
            "create-expires_on_2": str(last_day.year),
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    assert response["Cache-Control"] == "no-store"
    assert password and password in response.content.decode()
    assessor = get_user_model().objects.get(username="sam.certifier")
    assert assessor.check_password(password)
    assert AssessorAccess.objects.get(user=assessor).expires_on == last_day

    response = client.post(url, {"form": "grant", "grant-username": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the assessor&#x27;s username." in page
    assert "Enter the last day of access" in page

    client.get(url)  # the editor's own visits are not an assessor's
    signed_in(assessor).get(f"{BASE}assessments/{granted.pk}/")
    page = client.get(url).content.decode()
    assert "sam.certifier" in page and f"GET {BASE}assessments/{granted.pk}/" in page


def test_an_assessor_cannot_make_a_suggestion(assessor):
    from heard.improvement.access import may_suggest

    assert not may_suggest(assessor)
    assert may_suggest(make_staff(Role.FRONT_LINE_OFFICER))


def test_a_new_assessor_account_needs_a_name_an_email_and_a_plain_username(
    two_assessments, performance_officer
):
    granted, _ = two_assessments
    today = local_today()
    good: dict[str, Any] = {
        "username": "sam.certifier",
        "full_name": "Sam Certifier",
        "email": "sam@certifier.example",
        "expires_on": today + timedelta(days=5),
    }
    for change, message in [
        ({"full_name": "  "}, "Enter the assessor's full name."),
        ({"email": "sam"}, "Enter the assessor's email address"),
        ({"username": "sam certifier"}, "Enter a username of letters, numbers"),
        ({"username": "Performance"}, "There is already an account called Performance"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            assessors.create_assessor(
                granted, by=performance_officer, today=today, **{**good, **change}
            )
    assert not get_user_model().objects.filter(username="sam.certifier").exists()
