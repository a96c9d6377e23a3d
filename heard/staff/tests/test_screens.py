"""The staff screens through Django's test client: queues, the case page and its steps,
triage, search, customers and restrictions, files, and who may see what."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from heard.cases import services
from heard.cases.models import Case, CaseEvent, Customer, CustomerRestriction, RoutingRule, Status
from heard.org.calendars import organisation_calendar
from heard.org.models import Role
from heard.procedures.models import Procedure
from heard.testing import make_case, make_service, make_staff

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def waste():
    return make_service("waste", "Waste and recycling")


@pytest.fixture
def housing():
    return make_service("housing", "Housing")


@pytest.fixture
def team():
    return make_staff(Role.COMPLAINTS_TEAM, username="team")


# -- sign-in is required --------------------------------------------------------------------


def test_every_staff_page_needs_sign_in(waste):
    case = make_case(service=waste)
    for url in ["/staff/", "/staff/queues/mine", f"/staff/cases/{case.reference}", "/staff/search"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/account/sign-in")


# -- queues ---------------------------------------------------------------------------------


def test_queues_count_and_show_working_days_left(team, waste):
    officer = make_staff(Role.INVESTIGATING_OFFICER, services=[waste], username="inv")
    old = make_case(
        service=waste, received_at=timezone.now() - timedelta(days=40), subject="Old one"
    )
    fresh = make_case(service=waste, subject="Fresh one")
    services.allocate(fresh, by=team, officer=officer)

    client = signed_in(officer)
    home = client.get("/staff/")
    assert home.status_code == 200
    text = home.content.decode()
    assert "My cases" in text and "Overdue" in text

    mine = client.get("/staff/queues/mine").content.decode()
    assert fresh.reference in mine and old.reference not in mine
    assert "working days left" in mine

    overdue = client.get("/staff/queues/overdue").content.decode()
    assert old.reference in overdue and fresh.reference not in overdue
    assert "Overdue by" in overdue

    unallocated = signed_in(team).get("/staff/queues/unallocated").content.decode()
    assert old.reference in unallocated and fresh.reference not in unallocated


def test_the_counts_in_one_pass_are_each_queues_own_count(team, waste, housing):
    from heard.cases import queues

    officer = make_staff(Role.INVESTIGATING_OFFICER, services=[waste], username="inv")
    old = make_case(service=waste, received_at=timezone.now() - timedelta(days=40))
    make_case(service=housing, received_at=timezone.now() - timedelta(days=3))
    mine = make_case(service=waste)
    services.allocate(mine, by=team, officer=officer)
    answered = services.respond(
        make_case(service=waste), by=team, outcome="not_upheld", summary="We found no fault."
    )
    services.close(answered, by=team)
    services.acknowledge(old, by=team)
    for user in (team, officer):
        alone = {q.slug: queues.queue_cases(user, q.slug).count() for q in queues.queues_for(user)}
        assert queues.counts(user) == alone
        assert sum(alone.values()) > 0
    page = signed_in(officer).get("/staff/queues/my-services").content.decode()
    assert old.reference in page


def test_queue_filters_and_sorting(team, waste, housing):
    a = make_case(service=waste, subject="Alpha")
    b = make_case(service=housing, subject="Bravo")
    client = signed_in(team)
    filtered = client.get(f"/staff/queues/unallocated?service={housing.pk}").content.decode()
    assert b.reference in filtered and a.reference not in filtered
    by_subject = client.get("/staff/queues/unallocated?sort=subject&order=desc").content.decode()
    assert by_subject.index("Bravo") < by_subject.index("Alpha")
    assert 'aria-sort="descending"' in by_subject
    bad = client.get("/staff/queues/unallocated?sort=nonsense", follow=True)
    assert "Sort by one of" in bad.content.decode()
    assert client.get("/staff/queues/no-such-queue").status_code == 404


def test_member_enquiries_have_their_own_queue(team, waste):
    from heard.cases import triage

    case = triage.record(
        triage.Contact(
            kind="member_enquiry",
            channel="email",
            subject="Fly-tipping on Mill Lane",
            description="A resident asked me to raise this.",
            customer=services.CustomerDetails(name="Resident", email="r@example.org"),
            service=waste,
            representative=services.CustomerDetails(name="Cllr Jones"),
        ),
        by=team,
    )
    page = signed_in(team).get("/staff/queues/members").content.decode()
    assert case.reference in page


# -- who may see a case: 403 for every role that may not ------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.FRONT_LINE_OFFICER, 403),
        (Role.INVESTIGATING_OFFICER, 403),
        (Role.HEAD_OF_SERVICE, 403),
        (Role.PANEL_MEMBER, 403),
        (Role.EQUALITY_OFFICER, 403),
        (Role.COMPLAINTS_TEAM, 200),
        (Role.PERFORMANCE_OFFICER, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_a_case_of_another_service(role, status, waste, housing):
    case = make_case(service=housing)
    user = make_staff(role, services=[waste])
    client = signed_in(user)
    response = client.get(f"/staff/cases/{case.reference}")
    assert response.status_code == status
    for path in ("timeline", "acknowledge"):
        assert client.get(f"/staff/cases/{case.reference}/{path}").status_code in (status, 403)
    if status == 403:
        assert "belongs to a service you do not work in" in response.content.decode()
        # Nothing of the case leaks in search either.
        assert case.reference not in client.get("/staff/search?q=bins").content.decode()


def test_no_such_case_is_404(team):
    assert signed_in(team).get("/staff/cases/CMP-2026-999999").status_code == 404


# -- the case page and its steps --------------------------------------------------------------


def test_a_complaint_through_every_step(team, waste):
    officer = make_staff(Role.INVESTIGATING_OFFICER, services=[waste], username="inv")
    head = make_staff(Role.HEAD_OF_SERVICE, services=[waste], username="head")
    case = make_case(service=waste)
    client = signed_in(team)
    page = client.get(f"/staff/cases/{case.reference}").content.decode()
    assert "Bins not collected" in page and "Acknowledge" in page and "Ann Example" in page

    assert client.post(f"/staff/cases/{case.reference}/acknowledge").status_code == 302
    response = client.post(
        f"/staff/cases/{case.reference}/allocate", {"service": waste.pk, "officer": officer.pk}
    )
    assert response.status_code == 302

    officer_client = signed_in(officer)
    case.refresh_from_db()
    # An extension beyond the stage's limit is refused with the limit, and nothing changes.
    far = organisation_calendar().add_working_days(case.respond_by, 30)
    refused = officer_client.post(
        f"/staff/cases/{case.reference}/extend",
        {
            "new_date_0": far.day,
            "new_date_1": far.month,
            "new_date_2": far.year,
            "reason": "Waiting for the contractor's records.",
            "customer_told_how": "email",
        },
    )
    assert refused.status_code == 200
    assert "at most 10 working days" in refused.content.decode()
    assert "govuk-error-summary" in refused.content.decode()
    # A date that is not a date.
    nonsense = officer_client.post(
        f"/staff/cases/{case.reference}/extend",
        {"new_date_0": "31", "new_date_1": "2", "new_date_2": "2027", "reason": "x"},
    )
    assert "Enter a real date" in nonsense.content.decode()

    new_date = organisation_calendar().add_working_days(case.respond_by, 5)
    ok = officer_client.post(
        f"/staff/cases/{case.reference}/extend",
        {
            "new_date_0": new_date.day,
            "new_date_1": new_date.month,
            "new_date_2": new_date.year,
            "reason": "Waiting for the contractor's records.",
            "customer_told_how": "email",
        },
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.respond_by == new_date

    missing_outcome = officer_client.post(f"/staff/cases/{case.reference}/respond", {})
    assert "Choose the outcome" in missing_outcome.content.decode()
    answered = officer_client.post(
        f"/staff/cases/{case.reference}/respond",
        {
            "outcome": "partly_upheld",
            "summary": "We missed two collections and have apologised.",
            "apology": "on",
            "amount": "25.00",
            "lessons_learned": "Check the crew's round sheets weekly.",
        },
    )
    assert answered.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESPONDED
    record = case.stage_records.get(number=1)
    assert {r.kind for r in record.remedies.all()} == {"apology", "financial"}

    escalated = signed_in(head).post(
        f"/staff/cases/{case.reference}/escalate",
        {"unresolved": "The missed collections happened again."},
    )
    assert escalated.status_code == 302
    case.refresh_from_db()
    assert case.stage_number == 2

    timeline = client.get(f"/staff/cases/{case.reference}/timeline").content.decode()
    for words in ("acknowledged", "Allocated", "Response date moved", "answered", "Escalated"):
        assert words in timeline


def test_steps_a_role_may_not_take_are_not_offered_and_refused(waste):
    front = make_staff(Role.FRONT_LINE_OFFICER, services=[waste])
    case = make_case(service=waste)
    client = signed_in(front)
    page = client.get(f"/staff/cases/{case.reference}").content.decode()
    assert f"/staff/cases/{case.reference}/allocate" not in page
    assert client.get(f"/staff/cases/{case.reference}/allocate").status_code == 403
    assert client.get(f"/staff/cases/{case.reference}/nonsense").status_code == 404


def test_notes_and_links(team, waste):
    case = make_case(service=waste)
    other = make_case(service=waste, subject="Same street")
    client = signed_in(team)
    client.post(f"/staff/cases/{case.reference}/notes", {"text": "Crew says the lane was blocked."})
    client.post(
        f"/staff/cases/{case.reference}/links",
        {"reference": other.reference, "reason": "Same street, same week"},
    )
    page = client.get(f"/staff/cases/{case.reference}").content.decode()
    assert "Crew says the lane was blocked." in page
    assert other.reference in page and "Same street, same week" in page
    assert CaseEvent.objects.filter(case=other, action="linked").exists()
    again = client.post(
        f"/staff/cases/{case.reference}/links",
        {"reference": other.reference, "reason": "again"},
        follow=True,
    )
    assert "already linked" in again.content.decode()


def test_files_are_checked_and_only_served_to_who_may_see_the_case(team, waste, housing):
    case = make_case(service=waste)
    client = signed_in(team)
    client.post(
        f"/staff/cases/{case.reference}/files",
        {"file": io.BytesIO(PNG) | _named("photo.png")},
    )
    attachment = case.attachments.get()
    assert attachment.content_type == "image/png"
    download = client.get(f"/staff/cases/{case.reference}/files/{attachment.pk}")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]

    refused = client.post(
        f"/staff/cases/{case.reference}/files",
        {"file": io.BytesIO(b"#!/bin/sh\necho hi\n") | _named("run.png")},
        follow=True,
    )
    assert "not a file we can accept" in refused.content.decode()
    assert case.attachments.count() == 1

    outsider = signed_in(make_staff(Role.INVESTIGATING_OFFICER, services=[housing]))
    assert outsider.get(f"/staff/cases/{case.reference}/files/{attachment.pk}").status_code == 403


class _named:
    """``BytesIO | _named("x.png")``: give an in-memory file the name a browser would send."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __ror__(self, other: io.BytesIO) -> io.BytesIO:
        other.name = self.name
        return other


def test_equality_answers_never_appear_on_a_case(team, waste):
    from heard.equality.services import record

    case = make_case(service=waste)
    record(
        contact_kind="complaint",
        answers={"age": "65_74", "disability": "yes", "ethnicity": "prefer_not_to_say"},
        today=date.today(),
    )
    page = signed_in(team).get(f"/staff/cases/{case.reference}").content.decode()
    assert "65_74" not in page and "65 to 74" not in page and "Disability" not in page


# -- triage -----------------------------------------------------------------------------------


def test_triage_a_phone_call_resolved_at_first_contact(waste):
    front = make_staff(Role.FRONT_LINE_OFFICER, services=[waste])
    client = signed_in(front)
    response = client.post(
        "/staff/triage",
        {
            "channel": "phone",
            "kind": "dissatisfaction",
            "service": waste.pk,
            "subject": "Bin left on the pavement",
            "description": "Caller says the crew left the bin in the road.",
            "name": "Raj Patel",
            "phone": "07700 900123",
            "contact_preference": "phone",
            "then": "resolve",
            "resolution": "Crew asked to return bins to the property line; caller satisfied.",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(subject="Bin left on the pavement")
    assert case.channel == "phone" and case.service == waste
    assert case.stage_records.get().outcome == "resolved_at_first_contact"
    assert case.created_by == front


def test_triage_refuses_with_a_message_and_keeps_what_was_typed(waste):
    team = make_staff(Role.COMPLAINTS_TEAM)
    client = signed_in(team)
    response = client.post(
        "/staff/triage",
        {
            "channel": "phone",
            "kind": "complaint",
            "subject": "Rude officer",
            "description": "The caller was spoken to rudely.",
            "name": "Sam Lee",
            "phone": "01632 960001",
            "contact_preference": "phone",
            "then": "resolve",
            "resolution": "",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Say how the contact was resolved" in text
    assert "Rude officer" in text
    assert not Case.objects.filter(subject="Rude officer").exists()


def test_routing_rule_sends_social_care_to_its_own_procedure(team, waste):
    statutory = Procedure.objects.get(slug="lgsco-code")
    rule = RoutingRule.objects.create(
        name="Housing adaptations", procedure=statutory, service=waste
    )
    response = signed_in(team).post(
        "/staff/triage",
        {
            "channel": "letter",
            "kind": "complaint",
            "routing_rule": rule.pk,
            "subject": "Care package cut",
            "description": "My mother's care hours were cut without assessment.",
            "name": "Joan Carter",
            "address": "4 High Street\nTownsville\nAB1 2CD",
            "contact_preference": "letter",
            "then": "triage",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(subject="Care package cut")
    assert case.procedure_version.procedure == statutory
    assert case.service == waste


# -- search -----------------------------------------------------------------------------------


def test_search_by_each_kind_of_thing(team, waste):
    case = services.create_case(
        by=team,
        kind="complaint",
        channel="phone",
        subject="Streetlight out",
        description="The streetlight outside number 12 has flickered for a month.",
        customer=services.CustomerDetails(
            name="Priya Shah",
            email="priya@example.org",
            phone="+44 7700 900456",
            address="12 Mill Lane\nTownsville\nab1 2cd",
        ),
        service=waste,
    )
    services.add_note(case, by=team, text="Contractor booked for Thursday.")
    make_case(service=waste, subject="Something else")
    client = signed_in(team)

    by_reference = client.get(f"/staff/search?q={case.reference.lower()}")
    assert by_reference.status_code == 302 and case.reference in by_reference["Location"]
    for query in (
        "AB1 2CD",
        "ab12cd",
        "AB1",
        "priya@example.org",
        "07700 900456",
        "Priya Shah",
        "flickered",
        "flickering",  # stemmed
        "contractor",  # in a note
    ):
        page = client.get("/staff/search", {"q": query}).content.decode()
        assert case.reference in page, query
        assert "Something else" not in page, query
    empty = client.get("/staff/search", {"q": "   "}).content.decode()
    assert "Enter a reference" not in empty  # nothing asked yet, no error shown
    too_long = client.get("/staff/search", {"q": "x" * 300}).content.decode()
    assert "200 characters or fewer" in too_long
    assert "No cases you can see match" in client.get("/staff/search?q=zebra").content.decode()


def test_words_matching_many_cases_show_the_newest_and_say_to_narrow(team, waste, monkeypatch):
    from heard.cases import search

    monkeypatch.setattr(search, "WORDS_LIMIT", 2)
    base = timezone.now() - timedelta(days=10)
    made = [
        make_case(
            by=team,
            service=waste,
            subject=f"Overflowing bin {n}",
            received_at=base + timedelta(days=n),
        )
        for n in range(3)
    ]
    page = signed_in(team).get("/staff/search", {"q": "overflowing"}).content.decode()
    assert made[2].reference in page and made[1].reference in page
    assert made[0].reference not in page  # the oldest match is left out
    assert "match more than 2 cases: these are the newest 2" in page
    one = signed_in(team).get("/staff/search", {"q": "bin 0"}).content.decode()
    assert "these are the newest" not in one


# -- customers, duplicates and restrictions ------------------------------------------------------


def test_restrict_a_customer_shows_a_banner_on_every_case(team, waste):
    first = make_case(service=waste, customer_name="Vic Tor")
    client = signed_in(team)
    customer = first.customer
    review = date.today() + timedelta(days=90)
    response = client.post(
        f"/staff/customers/{customer.pk}/restrict",
        {
            "kind": "single_point_of_contact",
            "details": "Contact by email only, to the complaints manager.",
            "reason": "Over 40 calls in two weeks, abusive to staff on 3 and 5 November.",
            "review_on_0": review.day,
            "review_on_1": review.month,
            "review_on_2": review.year,
        },
    )
    assert response.status_code == 302
    restriction = CustomerRestriction.objects.get(customer=customer)
    assert restriction.set_by == team
    page = client.get(f"/staff/cases/{first.reference}").content.decode()
    assert "Contact from Vic Tor is restricted" in page
    assert CaseEvent.objects.filter(case=first, action="customer_restricted").exists()

    past = client.post(
        f"/staff/customers/{customer.pk}/restrict",
        {
            "kind": "other",
            "details": "x",
            "reason": "y",
            "review_on_0": "1",
            "review_on_1": "1",
            "review_on_2": "2020",
        },
    )
    assert "must be in the future" in past.content.decode()


def test_restriction_reviews_come_up_on_the_review_day(team, waste):
    case = make_case(service=waste, customer_name="Vic Tor")
    restriction = CustomerRestriction.objects.create(
        customer=case.customer,
        kind="channel_limit",
        details="Letters only",
        reason="Repeated abusive calls",
        review_on=date.today(),
        set_by=team,
    )
    client = signed_in(team)
    home = client.get("/staff/").content.decode()
    assert "Restrictions to review" in home and "Vic Tor" in home
    response = client.post(
        f"/staff/customers/{case.customer_id}/restrictions/{restriction.pk}/review",
        {"decision": "end", "note": "No contact of concern for three months."},
    )
    assert response.status_code == 302
    restriction.refresh_from_db()
    assert restriction.ended_at is not None
    assert "Restrictions to review" not in client.get("/staff/").content.decode()


def test_only_some_roles_may_restrict(waste):
    case = make_case(service=waste)
    officer = make_staff(Role.INVESTIGATING_OFFICER, services=[waste])
    client = signed_in(officer)
    assert client.get(f"/staff/customers/{case.customer_id}").status_code == 200
    assert client.get(f"/staff/customers/{case.customer_id}/restrict").status_code == 403


def test_duplicate_customers_are_found_and_merged(team, waste):
    a = make_case(service=waste, customer_name="Ann Example")
    b = make_case(service=waste, customer_name="Ann Example")
    client = signed_in(team)
    page = client.get(f"/staff/customers/{a.customer_id}").content.decode()
    assert "Possible duplicate records" in page and "same email address" in page
    duplicate_id = b.customer_id
    unconfirmed = client.post(f"/staff/customers/{a.customer_id}/merge/{b.customer_id}", {})
    assert unconfirmed.status_code == 200
    merged = client.post(
        f"/staff/customers/{a.customer_id}/merge/{b.customer_id}", {"confirm": "on"}
    )
    assert merged.status_code == 302
    b.refresh_from_db()
    assert b.customer_id == a.customer_id
    assert Customer.objects.get(pk=duplicate_id).merged_into_id == a.customer_id
    assert CaseEvent.objects.filter(case=b, action="customer_merged").exists()
    front = signed_in(make_staff(Role.FRONT_LINE_OFFICER, services=[waste]))
    assert front.get(f"/staff/customers/{a.customer_id}/merge/{b.customer_id}").status_code == 403


def test_reading_personal_data_on_the_screens_is_recorded(team, waste):
    from heard.privacy.models import PersonalDataRead

    case = make_case(service=waste)
    client = signed_in(team)
    client.get(f"/staff/cases/{case.reference}", REMOTE_ADDR="10.1.2.3")
    client.get(f"/staff/customers/{case.customer_id}")
    client.get("/staff/search?q=bins")
    reads = PersonalDataRead.objects.filter(case=case)
    assert reads.filter(what__startswith="case page").get().ip_address == "10.1.2.3"
    assert reads.filter(what__startswith="search results").exists()
    assert PersonalDataRead.objects.filter(customer=case.customer).exists()
    assert set(reads.values_list("user_id", flat=True)) == {team.pk}


def test_themes_are_recorded_with_the_response_and_related_cases_shown_at_triage(team, waste):
    from heard.learning.classification import classification_of
    from heard.learning.defaults import load_taxonomy
    from heard.learning.models import RootCause, Theme

    load_taxonomy(Theme, RootCause)
    earlier = services.create_case(
        by=team,
        kind="complaint",
        channel="email",
        subject="Bins missed again",
        customer=services.CustomerDetails(name="Raj Patel", phone="07700 900123"),
        service=waste,
    )
    client = signed_in(team)
    preview = client.post(
        "/staff/triage",
        {
            "preview": "1",
            "channel": "phone",
            "kind": "complaint",
            "subject": "Bins missed",
            "description": "Raj says the bins were missed again.",
            "name": "Raj Patel",
            "phone": "07700 900123",
            "contact_preference": "phone",
            "then": "triage",
        },
    ).content.decode()
    assert earlier.reference in preview  # same customer's phone, and similar wording
    assert not Case.objects.filter(subject="Bins missed").exists()  # nothing recorded yet

    theme = Theme.objects.order_by("position").first()
    assert theme is not None
    response = client.post(
        f"/staff/cases/{earlier.reference}/respond",
        {
            "outcome": "upheld",
            "summary": "Sorry: the round was missed twice.",
            "learning-themes": [theme.slug],
        },
    )
    assert response.status_code == 302
    classification = classification_of(earlier)
    assert classification is not None
    assert list(classification.themes.all()) == [theme]
    page = client.get(f"/staff/cases/{earlier.reference}").content.decode()
    assert "Themes and related cases" in page and theme.name in page
