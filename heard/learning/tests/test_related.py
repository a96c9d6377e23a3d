from datetime import timedelta

import pytest
from django.utils import timezone

from heard.cases import services
from heard.cases.services import CustomerDetails
from heard.learning.related import related_cases
from heard.org.models import Role
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db


def _contact(
    by,
    subject,
    *,
    name="Ann Example",
    email="",
    phone="",
    address="",
    days_ago=1,
    channel="email",
    service=None,
    description="",
):
    return services.create_case(
        by=by,
        kind="complaint",
        channel=channel,
        subject=subject,
        description=description,
        customer=CustomerDetails(name=name, email=email, phone=phone, address=address),
        procedure="council-3-stage",
        received_at=timezone.now() - timedelta(days=days_ago),
        service=service,
    )


def test_the_same_customer_on_another_channel_is_related_and_says_why(complaints):
    first = _contact(complaints, "Bins", email="ann@example.org", channel="phone", days_ago=3)
    second = _contact(complaints, "Streetlight out", email="ANN@example.org")
    found = {r.case.pk: r for r in related_cases(complaints, second)}
    assert first.pk in found
    assert "same email address (ann@example.org)" in found[first.pk].why.lower()
    assert "another channel (phone)" in found[first.pk].why


def test_the_same_postcode_and_the_same_phone_number_are_reasons(complaints):
    first = _contact(
        complaints, "Noise", name="Bo", phone="+44 7700 900123", address="1 High St, TN2 3AB"
    )
    second = _contact(
        complaints, "Parking", name="Cy", phone="07700 900123", address="9 High St, TN2 3AB"
    )
    why = {r.case.pk: r.why for r in related_cases(complaints, second)}[first.pk]
    assert "Same phone number" in why and "Same postcode (TN2 3AB)" in why


def test_near_duplicate_wording_from_different_people_is_found_within_the_window(complaints):
    text = "Large pothole outside the school gates on Mill Lane is dangerous for cyclists"
    near = _contact(
        complaints, "Pothole", name="Di", email="di@example.org", description=text, days_ago=2
    )
    old = _contact(
        complaints, "Pothole", name="Ed", email="ed@example.org", description=text, days_ago=40
    )
    other = _contact(
        complaints,
        "Library hours",
        name="Fi",
        email="fi@example.org",
        description="The library shuts too early",
    )
    found = {
        r.case.pk: r
        for r in related_cases(
            complaints,
            text="Dangerous pothole outside the school gates on Mill Lane",
            window_days=14,
            duplicate_days=14,
        )
    }
    assert near.pk in found and "Similar wording" in found[near.pk].why
    assert old.pk not in found
    assert other.pk not in found


def test_only_cases_the_officer_may_see_are_offered(complaints):
    waste, parks = make_service("waste"), make_service("parks")
    officer = make_staff(Role.INVESTIGATING_OFFICER, services=[waste])
    hidden = _contact(complaints, "Bins", email="gi@example.org", service=parks, days_ago=2)
    mine = _contact(complaints, "Bins", email="gi@example.org", service=waste)
    assert hidden.pk not in {r.case.pk for r in related_cases(officer, mine)}


def test_the_case_page_offers_to_link_a_related_case_or_merge_the_customers_records(
    client, complaints
):
    from django.urls import reverse

    first = _contact(complaints, "Bins", email="hal@example.org", channel="phone", days_ago=3)
    second = _contact(complaints, "Streetlight out", email="HAL@example.org")
    assert first.customer_id != second.customer_id
    client.force_login(complaints)
    page = client.get(reverse("staff:case", args=[second.reference])).content.decode()
    assert reverse("staff:case-link", args=[second.reference]) in page
    merge = reverse("staff:customer-merge", args=[second.customer_id, first.customer_id])
    assert f'href="{merge}"' in page and "Merge the customer records" in page
    front_line = make_staff(Role.FRONT_LINE_OFFICER)
    client.force_login(front_line)
    page = client.get(reverse("staff:case", args=[second.reference]))
    assert "Merge the customer records" not in page.content.decode()
