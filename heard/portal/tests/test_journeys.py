"""The public portal through HTTP: submit, acknowledge, track, escalate — with the real mail machinery."""

import pytest
from django.core import mail, signing
from django.test import Client

from heard.cases import services as case_services
from heard.cases.models import Case, CaseEvent, Customer
from heard.notify.models import Message
from heard.notify.services import deliver
from heard.org.models import Role
from heard.portal import services
from heard.testing import make_case, make_service, make_staff


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def fill_in(
    client: Client,
    kind: str = "complaint",
    email: str = "ann@example.org",
    channel: str = "",
    **overrides,
) -> None:
    pages = [
        ("kind", {"kind": kind} | ({"channel": channel} if channel else {})),
        (
            "details",
            {
                "subject": "Bins not collected",
                "what_happened": "Three weeks running.",
                "happened_on": "2026-11-02",
                "put_right": "Collect them",
            },
        ),
        (
            "contact",
            {
                "name": "Ann Smith",
                "email": email,
                "phone": "",
                "address": "",
                "contact_preference": "email",
                "access_formats": ["large_print"],
                "access_language": "",
                "adjustments": "Please call after 3pm",
            },
        ),
    ]
    for name, data in pages:
        response = client.post(f"/tell-us/{name}", data | overrides.get(name, {}))
        assert response.status_code == 302, (name, response.content[:2000])


def deliver_all() -> None:
    for message in Message.objects.filter(status="queued"):
        deliver(message.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["complaint", "compliment", "comment", "service_request"])
def test_each_kind_can_be_sent_and_is_acknowledged_with_its_dates(client, kind):
    make_service("waste", "Waste and recycling")
    fill_in(client, kind=kind)
    check = client.get("/tell-us/check")
    assert check.status_code == 200
    assert b"Bins not collected" in check.content and b"Large print" in check.content
    sent = client.post("/tell-us/check")
    assert sent.status_code == 302
    confirmation = client.get("/tell-us/done")
    case = Case.objects.get()
    assert case.reference.encode() in confirmation.content
    assert case.channel == "web" and case.kind == kind
    assert case.customer.access_formats == ["large_print"]
    assert case.customer.adjustments == "Please call after 3pm"
    deliver_all()
    assert len(mail.outbox) == 1
    acknowledgement = mail.outbox[0]
    assert case.reference in acknowledgement.subject
    assert f"{case.respond_by.day} {case.respond_by:%B %Y}" in acknowledgement.body
    assert CaseEvent.objects.filter(case=case, action="message_sent").exists()


@pytest.mark.django_db
def test_the_portal_speaks_welsh(client):
    client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    start = client.get("/")
    assert b'lang="cy"' in start.content
    assert b"Dywedwch wrthym beth rydych chi'n ei feddwl" in start.content
    fill_in(client)
    client.post("/tell-us/check")
    case = Case.objects.get()
    assert case.customer.language == "cy"
    deliver_all()
    assert mail.outbox[0].subject.startswith("Rydym wedi cael eich neges")


@pytest.mark.django_db
def test_errors_are_shown_with_a_summary_and_nothing_is_saved(client):
    client.post("/tell-us/kind", {"kind": "complaint"})
    response = client.post("/tell-us/details", {"subject": "", "what_happened": ""})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a short title" in response.content
    response = client.post(
        "/tell-us/contact", {"name": "Ann", "contact_preference": "email", "email": ""}
    )
    assert b"Enter your email address, or choose another way" in response.content
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_bot_that_fills_the_hidden_field_creates_nothing(client):
    fill_in(client, contact={"website": "http://spam.example"})
    assert (
        client.get("/tell-us/check").status_code == 302
    )  # back to the contact page: nothing was kept
    assert Case.objects.count() == 0 and Customer.objects.count() == 0


@pytest.mark.django_db
def test_too_many_submissions_from_one_address_are_refused(client, settings):
    settings.HEARD_PUBLIC_RATE_PER_ADDRESS = 2
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        fill_in(client)
        assert client.post("/tell-us/check").status_code == 302
    fill_in(client)
    assert client.post("/tell-us/check").status_code == 429
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_following_a_case_by_an_emailed_link_and_escalating_it(client):
    central = make_staff(Role.COMPLAINTS_TEAM)
    fill_in(client)
    client.post("/tell-us/check")
    case = Case.objects.get()
    # A wrong email address gets the same answer and no email.
    client.post("/track", {"reference": case.reference, "email": "someone@example.org"})
    deliver_all()
    assert [m.subject for m in mail.outbox if "Follow your case" in m.subject] == []
    response = client.post(
        "/track", {"reference": case.reference.lower(), "email": "ANN@example.org"}
    )
    assert b"Check your email" in response.content
    deliver_all()
    link = (
        next(m for m in mail.outbox if "Follow your case" in m.subject)
        .body.split("http://127.0.0.1:8000")[1]
        .split()[0]
    )
    status = client.get(link)
    assert status.status_code == 200
    assert case.reference.encode() in status.content
    assert b"Still unhappy?" not in status.content  # not answered yet

    case_services.respond(
        case, by=central, outcome="not_upheld", summary="We collected on the right days."
    )
    status = client.get(link)
    assert (
        b"We collected on the right days." in status.content and b"Still unhappy?" in status.content
    )
    escalated = client.post(link, {"unresolved": "The bins are still not emptied."})
    assert escalated.status_code == 200
    case.refresh_from_db()
    assert case.stage_number == 2
    assert case.stage_records.get(number=2).unresolved == "The bins are still not emptied."
    assert CaseEvent.objects.filter(case=case, action="escalated", actor__isnull=True).exists()


@pytest.mark.django_db
def test_tampered_expired_and_other_cases_links_are_refused(client, settings):
    mine = make_case()
    other = make_case(customer_name="Bob")
    token = services.tracking_token(mine)
    assert client.get(f"/track/{token}").status_code == 200
    assert client.get(f"/track/{token[:-2]}xx").status_code == 403
    forged = signing.dumps({"c": other.pk, "e": "0" * 20}, salt=services.TRACKING_SALT)
    refused = client.get(f"/track/{forged}")
    assert refused.status_code == 403 and b"This link does not work" in refused.content
    # The customer's own link opens their case and nobody else's.
    page = client.get(f"/track/{token}")
    assert mine.reference.encode() in page.content and other.reference.encode() not in page.content


@pytest.mark.django_db
def test_a_link_older_than_its_lifetime_is_refused(client, settings, monkeypatch):
    import time

    case = make_case()
    now = time.time()
    # A link issued eight days ago (signed with the clock moved back), seven days allowed.
    monkeypatch.setattr("django.core.signing.time.time", lambda: now - 8 * 86400)
    old = services.tracking_token(case)
    monkeypatch.setattr("django.core.signing.time.time", lambda: now)
    settings.HEARD_TRACKING_LINK_DAYS = 7
    assert client.get(f"/track/{old}").status_code == 403
    assert client.get(f"/track/{services.tracking_token(case)}").status_code == 200


@pytest.mark.django_db
def test_pages_carry_security_headers_and_csrf(client):
    response = client.get("/tell-us/kind")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/tell-us/kind", {"kind": "complaint"}).status_code == 403


@pytest.mark.django_db
def test_equality_answers_are_optional_and_kept_apart_from_the_case(client):
    from heard.equality.models import EqualityResponse
    from heard.equality.services import summary

    fill_in(client)
    client.post("/tell-us/check")
    page = client.get("/tell-us/equality")
    assert b"Prefer not to say" in page.content
    client.post("/tell-us/equality", {"age_band": "45_64", "disabled": "prefer_not_to_say"})
    client.post("/tell-us/equality", {"age_band": "45_64"})  # a second post keeps nothing more
    response = EqualityResponse.objects.get()
    assert (response.age_band, response.disabled, response.ethnicity) == (
        "45_64",
        "prefer_not_to_say",
        "",
    )
    assert response.contact_kind == "complaint"
    assert not [f for f in EqualityResponse._meta.get_fields() if f.is_relation]
    assert summary(since=response.month, until=response.month)["age_band"] == {
        "45_64": "fewer than 5"
    }


@pytest.mark.django_db
def test_the_survey_is_answered_once_per_closed_case(client):
    from heard.portal.models import SurveyResponse

    central = make_staff(Role.COMPLAINTS_TEAM)
    case = make_case()
    link = services.survey_link(case).split("8000")[1]
    assert client.get(link).status_code == 403  # not closed yet
    case_services.respond(case, by=central, outcome="upheld", summary="Sorry.")
    case_services.close(case, by=central)
    assert client.post(link, {"handling": "4"}).status_code == 200
    assert SurveyResponse.objects.count() == 0  # incomplete: errors shown
    answers = {
        "handling": "4",
        "timeliness": "2",
        "outcome": "5",
        "ease_of_contact": "3",
        "comments": "Slow.",
    }
    assert b"Thank you" in client.post(link, answers).content
    assert b"already have your answers" in client.get(link).content
    saved = SurveyResponse.objects.get(case=case)
    assert (saved.handling, saved.timeliness, saved.comments) == (4, 2, "Slow.")


@pytest.mark.django_db
def test_staff_fill_in_the_same_forms_for_a_customer_and_record_the_channel(client):
    officer = make_staff(Role.FRONT_LINE_OFFICER, username="frontline")
    client.force_login(officer)
    assert b"How did the customer contact us?" in client.get("/tell-us/kind").content
    fill_in(client, channel="letter")
    assert client.post("/tell-us/check").status_code == 302
    case = Case.objects.get()
    assert case.channel == "letter"
    assert case.created_by == officer
    assert case.events.get(action="received").actor == officer


@pytest.mark.django_db
def test_the_public_are_not_asked_for_a_channel_and_are_recorded_as_web(client):
    assert b"How did the customer contact us?" not in client.get("/tell-us/kind").content
    fill_in(client)
    client.post("/tell-us/check")
    assert Case.objects.get().channel == "web"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["complaint", "service_request"])
def test_a_link_that_says_what_the_person_wants_skips_the_first_question(client, kind):
    start = client.get("/").content.decode()
    assert f'href="/tell-us/details?kind={kind}"' in start

    details = client.get(f"/tell-us/details?kind={kind}")

    assert details.status_code == 200
    assert b'name="what_happened"' in details.content
    for name, data in [
        ("details", {"subject": "Bins not collected", "what_happened": "Three weeks running."}),
        (
            "contact",
            {"name": "Ann Smith", "email": "ann@example.org", "contact_preference": "email"},
        ),
    ]:
        assert client.post(f"/tell-us/{name}", data).status_code == 302, name
    assert client.post("/tell-us/check").status_code == 302
    assert Case.objects.get().kind == kind


@pytest.mark.django_db
def test_a_link_changes_the_kind_of_a_draft_and_an_unknown_kind_asks_the_question(client):
    client.post("/tell-us/kind", {"kind": "compliment"})
    client.get("/tell-us/details?kind=complaint")
    assert b'value="complaint" checked' in client.get("/tell-us/kind").content
    assert client.session["portal_answers"]["kind"] == "complaint"

    other = Client()
    response = other.get("/tell-us/details?kind=praise")
    assert response.status_code == 302 and response["Location"] == "/tell-us/kind"


@pytest.mark.django_db
def test_staff_following_such_a_link_are_still_asked_how_the_customer_got_in_touch(client):
    client.force_login(make_staff(Role.FRONT_LINE_OFFICER, username="frontline"))

    response = client.get("/tell-us/details?kind=complaint")

    assert response.status_code == 302 and response["Location"] == "/tell-us/kind"


@pytest.mark.django_db
def test_access_needs_are_asked_with_the_contact_details_and_the_old_page_leads_there(client):
    client.post("/tell-us/kind", {"kind": "complaint"})
    page = client.get("/tell-us/contact").content.decode()
    assert "Help we can give you" in page and 'name="access_formats"' in page
    # A bookmark or a journey begun when access needs had a page of their own.
    assert client.get("/tell-us/access").url == "/tell-us/contact"
    assert client.get("/tell-us/access?check").url == "/tell-us/contact?check"
    fill_in(client)
    check = client.get("/tell-us/check").content.decode()
    assert 'href="/tell-us/contact?check#help"' in check


@pytest.mark.django_db
def test_a_draft_without_the_access_question_answered_goes_back_to_the_contact_page(client):
    fill_in(client)
    session = client.session
    answers = session["portal_answers"]
    del answers["access_formats"]  # as a draft saved before the two pages became one
    session["portal_answers"] = answers
    session.save()
    assert client.get("/tell-us/check").url == "/tell-us/contact"
    assert client.post("/tell-us/check").url == "/tell-us/contact"
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_the_old_access_page_sent_across_the_change_keeps_its_answers(client):
    fill_in(client, contact={"access_formats": []})
    response = client.post(
        "/tell-us/access",
        {"access_formats": ["braille"], "access_language": "Polish", "adjustments": ""},
    )
    assert response.url == "/tell-us/check"
    assert b"Braille" in client.get("/tell-us/check").content
    client.post("/tell-us/check")
    customer = Case.objects.get().customer
    assert customer.access_formats == ["braille"] and customer.access_language == "Polish"
