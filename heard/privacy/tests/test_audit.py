"""Every read of personal data is recorded, and only information governance sees the record."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from heard.org.models import Role
from heard.privacy.audit import ReadFilters, reads, record_read
from heard.privacy.models import PersonalDataRead
from heard.testing import api_client, make_case, make_staff

MIDDLEWARE = "heard.privacy.middleware.ApiReadAuditMiddleware"


@pytest.fixture
def audited_api(settings):
    """The audit middleware is in the shipped settings; these tests depend on it being there."""
    assert MIDDLEWARE in settings.MIDDLEWARE


def a_request(user, path="/staff/cases/CMP-1", **meta):
    request = RequestFactory().get(path, HTTP_USER_AGENT="Firefox/140", **meta)
    request.user = user
    return request


@pytest.mark.django_db
def test_a_read_records_who_when_what_and_from_where(complaints):
    case = make_case(by=complaints)
    read = record_read(
        a_request(complaints, REMOTE_ADDR="10.1.2.3"), case=case, what="case page: customer"
    )
    read.refresh_from_db()
    assert read.username == complaints.username
    assert read.case_reference == case.reference
    assert read.customer_number == case.customer_id
    assert read.what == "case page: customer"
    assert read.ip_address == "10.1.2.3"
    assert read.user_agent == "Firefox/140"
    assert abs(read.at - timezone.now()) < timedelta(minutes=1)


@pytest.mark.django_db
def test_the_address_behind_a_trusted_proxy_is_the_clients(complaints, settings):
    settings.HEARD_SIGNIN_PROXY_COUNT = 1
    request = a_request(complaints, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert record_read(request, what="customer page").ip_address == "203.0.113.9"


@pytest.mark.django_db
def test_the_record_of_reads_cannot_be_changed_or_deleted(complaints):
    read = record_read(a_request(complaints), what="customer page")
    with pytest.raises(TypeError):
        read.save()
    with pytest.raises(TypeError):
        read.delete()
    with pytest.raises(TypeError):
        PersonalDataRead.objects.update(what="nothing")
    with pytest.raises(TypeError):
        PersonalDataRead.objects.all().delete()


@pytest.mark.django_db
def test_reading_a_case_through_the_api_is_recorded(complaints, audited_api):
    case = make_case(by=complaints)
    client = api_client(complaints)
    assert (
        client.get(f"/api/v1/cases/{case.reference}", HTTP_USER_AGENT="curl/8").status_code == 200
    )
    read = PersonalDataRead.objects.get()
    assert (read.username, read.case_reference, read.customer_number) == (
        complaints.username,
        case.reference,
        case.customer_id,
    )
    assert read.route == "case-detail"
    assert read.user_agent == "curl/8"


@pytest.mark.django_db
def test_listing_cases_through_the_api_records_a_read_of_each(complaints, audited_api):
    cases = [make_case(by=complaints) for _ in range(3)]
    assert api_client(complaints).get("/api/v1/cases").status_code == 200
    assert set(PersonalDataRead.objects.values_list("case_reference", flat=True)) == {
        c.reference for c in cases
    }


@pytest.mark.django_db
def test_refused_and_missing_cases_and_writes_record_nothing(complaints, service, audited_api):
    case = make_case(by=complaints)
    outsider = make_staff(Role.FRONT_LINE_OFFICER, services=[service])
    assert api_client(outsider).get(f"/api/v1/cases/{case.reference}").status_code == 404
    assert api_client(complaints).get("/api/v1/cases/CMP-1999-99999").status_code == 404
    api_client(complaints).post(f"/api/v1/cases/{case.reference}/acknowledge", {}, format="json")
    assert not PersonalDataRead.objects.exists()


@pytest.mark.django_db
def test_reads_can_be_found_by_person_case_and_date(complaints):
    first, second = make_case(by=complaints), make_case(by=complaints)
    other = make_staff(Role.COMPLAINTS_TEAM, username="someone.else")
    record_read(a_request(complaints), case=first, what="case page")
    record_read(a_request(other), case=second, what="case page")
    assert reads(ReadFilters(person=other.username)).get().case_reference == second.reference
    assert reads(ReadFilters(case_reference=first.reference.lower())).get().username == (
        complaints.username
    )
    today = timezone.localdate()
    assert reads(ReadFilters(from_date=today, to_date=today)).count() == 2
    assert not reads(ReadFilters(to_date=today - timedelta(days=1))).exists()


@pytest.mark.django_db
def test_only_information_governance_and_administrators_see_who_read_what(
    client, complaints, governance
):
    case = make_case(by=complaints)
    record_read(a_request(complaints), case=case, what="case page")
    client.force_login(complaints)
    assert client.get("/staff/privacy/reads/").status_code == 403
    client.force_login(governance)
    page = client.get("/staff/privacy/reads/", {"case": case.reference})
    assert page.status_code == 200
    assert case.reference in page.content.decode()
    client.force_login(make_staff(Role.ADMINISTRATOR))
    assert client.get("/staff/privacy/reads/").status_code == 200


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/staff/privacy/reads/")
    assert response.status_code == 302
    assert "sign" in response["Location"]


@pytest.mark.django_db
def test_a_bad_date_filter_says_how_to_write_it(client, governance):
    client.force_login(governance)
    page = client.get("/staff/privacy/reads/", {"from_date": "31/13/2026"})
    assert "Enter the from date as year-month-day" in page.content.decode()


@pytest.mark.django_db
def test_the_personal_data_pages_open_for_information_governance(client, governance):
    client.force_login(governance)
    for path in ("", "reads/", "subject-access/", "erase/", "retention/"):
        assert client.get(f"/staff/privacy/{path}").status_code == 200, path


@pytest.mark.django_db
def test_the_browsable_api_is_audited_too(client, complaints, audited_api):
    case = make_case(by=complaints)
    client.force_login(complaints)
    page = client.get("/api/v1/cases", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert PersonalDataRead.objects.get().case_reference == case.reference
