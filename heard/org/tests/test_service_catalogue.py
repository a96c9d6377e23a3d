"""The service catalogue: each category's target time sets the request's deadline."""

from datetime import UTC, date, datetime

import pytest

from heard.cases import services as case_services
from heard.org.services import define_request_category
from heard.testing import make_service

MONDAY = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_a_request_is_due_within_its_categorys_target_and_a_new_target_spares_open_requests():
    highways = make_service("highways", "Highways")
    light = define_request_category(
        service=highways, name="Street light out", slug="street-light-out", target_days=3
    )
    first = case_services.receive_from_public(
        kind="service_request",
        subject="Light out on Mill Road",
        customer=case_services.CustomerDetails(name="Ann"),
        category=light,
        received_at=MONDAY,
    )
    assert (first.service, first.category) == (highways, light)
    assert first.respond_by == date(2026, 10, 8)  # three working days after Monday 5 October
    assert first.acknowledge_by is None

    light = define_request_category(
        service=highways, name="Street light out", slug="street-light-out", target_days=5
    )
    second = case_services.receive_from_public(
        kind="service_request",
        subject="Another light out",
        customer=case_services.CustomerDetails(name="Bob"),
        category=light,
        received_at=MONDAY,
    )
    assert second.respond_by == date(2026, 10, 12)
    first.refresh_from_db()
    assert first.respond_by == date(2026, 10, 8)
    assert first.procedure_version.number == 1 and second.procedure_version.number == 2


@pytest.mark.django_db
def test_only_service_requests_have_a_category():
    from heard.core.errors import InvalidInput

    light = define_request_category(
        service=make_service("highways"),
        name="Street light out",
        slug="street-light-out",
        target_days=3,
    )
    with pytest.raises(InvalidInput, match="Only a service request"):
        case_services.receive_from_public(
            kind="complaint",
            subject="x",
            customer=case_services.CustomerDetails(name="Ann"),
            category=light,
        )


@pytest.mark.django_db
def test_the_public_choose_from_the_catalogue_and_see_its_target(client):
    from heard.cases.models import Case
    from heard.portal.tests.test_journeys import fill_in

    light = define_request_category(
        service=make_service("highways", "Highways"),
        name="Street light out",
        slug="street-light-out",
        target_days=3,
    )
    client.post("/tell-us/kind", {"kind": "service_request"})
    page = client.get("/tell-us/details")
    assert b"Highways: Street light out (within 3 working days)" in page.content
    fill_in(client, kind="service_request", details={"category": str(light.pk)})
    client.post("/tell-us/check")
    case = Case.objects.get()
    assert case.category == light and case.service == light.service


@pytest.mark.django_db
def test_the_api_takes_a_category_for_a_service_request():
    from heard.org.models import Role
    from heard.testing import api_client, make_staff

    define_request_category(
        service=make_service("highways"), name="Pothole", slug="pothole", target_days=10
    )
    api = api_client(make_staff(Role.COMPLAINTS_TEAM))
    body = {
        "kind": "service_request",
        "channel": "phone",
        "subject": "Pothole on Mill Road",
        "customer": {"name": "Ann"},
        "category": "pothole",
        "received_at": "2026-10-05T09:00:00+00:00",
    }
    made = api.post("/api/v1/cases", body, format="json").json()
    assert (made["category"], made["service"], made["respond_by"]) == (
        "pothole",
        "highways",
        "2026-10-19",
    )
    assert (
        api.post("/api/v1/cases", body | {"category": "nothing"}, format="json").status_code == 400
    )
