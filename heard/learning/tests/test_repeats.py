from datetime import timedelta

import pytest
from django.utils import timezone

from heard.cases import services
from heard.cases.services import CustomerDetails
from heard.learning.models import RepeatContact
from heard.learning.panels import case_panel_context, triage_suggestions_context
from heard.learning.repeats import (
    Contact,
    customer_from,
    flag_repeat_contacts,
    repeat_of,
    same_thing,
)
from heard.org.models import Role
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db


def _contact(by, subject, *, email="ann@example.org", days_ago=1, service=None, kind="complaint"):
    return services.create_case(
        by=by,
        kind=kind,
        channel="phone",
        subject=subject,
        description="",
        customer=CustomerDetails(name="Ann Example", email=email),
        procedure="council-3-stage",
        received_at=timezone.now() - timedelta(days=days_ago),
        service=service,
    )


def test_what_makes_two_contacts_about_the_same_thing():
    bins = Contact(1, None, frozenset({"missed-bin-collection"}), "")
    assert same_thing(bins, Contact(1, None, frozenset(), "")) == ["same service"]
    assert same_thing(bins, Contact(2, None, frozenset({"missed-bin-collection"}), "")) == [
        "same theme (missed-bin-collection)"
    ]
    assert same_thing(bins, Contact(2, 7, frozenset({"delay"}), ""), similarity=0.1) == []
    assert same_thing(bins, Contact(2, None, frozenset(), ""), similarity=0.6) == [
        "similar wording (60% alike)"
    ]


def test_the_same_customer_about_the_same_service_within_the_window_is_a_repeat(complaints):
    waste = make_service("waste-repeat", "Waste")
    first = _contact(complaints, "Bin not emptied", days_ago=10, service=waste)
    again = _contact(complaints, "Still no collection", days_ago=1, service=waste)
    repeat = repeat_of(again)
    assert repeat is not None and repeat.earlier == first
    assert repeat.days_after == 9 and "same service" in repeat.why
    assert repeat_of(first) is None  # the first contact repeats nothing


def test_another_matter_another_customer_or_too_long_ago_is_not_a_repeat(complaints):
    waste, parks = make_service("waste-repeat", "Waste"), make_service("parks-repeat", "Parks")
    _contact(complaints, "Overgrown verge by the library", days_ago=5, service=parks)
    _contact(complaints, "Bin not emptied", email="bo@example.org", days_ago=3, service=waste)
    _contact(complaints, "Bin not emptied", days_ago=40, service=waste)
    _contact(complaints, "Lovely staff", days_ago=2, service=waste, kind="compliment")
    latest = _contact(complaints, "Recycling box left behind", days_ago=1, service=waste)
    assert repeat_of(latest) is None


def test_the_daily_job_records_repeats_once_and_the_case_page_shows_them(complaints):
    waste = make_service("waste-repeat", "Waste")
    first = _contact(complaints, "Bin not emptied", days_ago=6, service=waste)
    again = _contact(complaints, "Bin not emptied again", days_ago=2, service=waste)
    assert flag_repeat_contacts() == 1
    assert flag_repeat_contacts() == 0
    recorded = RepeatContact.objects.get()
    assert (recorded.case, recorded.earlier, recorded.days_after) == (again, first, 4)
    shown = case_panel_context(complaints, again)["learning_repeat"]
    assert shown is not None and shown.earlier == first


def test_an_officer_is_not_shown_an_earlier_case_they_may_not_see(complaints):
    waste, parks = make_service("waste-repeat", "Waste"), make_service("parks-repeat", "Parks")
    _contact(complaints, "Bin not emptied", days_ago=6, service=parks)
    again = _contact(complaints, "Bin not emptied again", days_ago=2, service=waste)
    officer = make_staff(Role.INVESTIGATING_OFFICER, services=[waste])
    assert case_panel_context(complaints, again)["learning_repeat"] is not None
    assert case_panel_context(officer, again)["learning_repeat"] is None


def test_at_triage_a_contact_being_recorded_is_checked_against_the_customers_recent_ones(
    complaints,
):
    first = _contact(complaints, "Streetlight outside number 4 is out", days_ago=3)
    data = {"name": "Ann", "email": "ANN@example.org", "phone": "", "address": ""}
    customer = customer_from(data)
    assert customer is not None and customer.pk is None
    context = triage_suggestions_context(
        complaints, "Streetlight outside number 4 is still out", contact=data
    )
    assert context["learning_repeat"] is not None
    assert context["learning_repeat"].earlier == first
    assert customer_from({"name": "Nobody"}) is None


def test_the_mornings_early_warning_job_records_the_repeats(complaints):
    from heard.learning.jobs import raise_early_warnings

    waste = make_service("waste-repeat", "Waste")
    _contact(complaints, "Bin not emptied", days_ago=6, service=waste)
    _contact(complaints, "Bin not emptied again", days_ago=2, service=waste)
    raise_early_warnings(timezone.now())
    assert RepeatContact.objects.count() == 1
