"""Letters and calls at triage: the date received drives the deadline, the scan is kept, and a
phone contact is logged as a call on its line."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heard.cases.models import Case, CaseEvent
from heard.channels.models import CallRecord
from heard.channels.phone import call_back_due
from heard.channels.tests import mail
from heard.org.models import Role
from heard.testing import make_service, make_staff

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def contact(**changes):
    form = {
        "channel": "letter",
        "kind": "complaint",
        "subject": "Missed bins, by letter",
        "description": "Mrs Jones writes that her bins were missed three times.",
        "name": "Edna Jones",
        "address": "3 Elm Road, Town, SW1A 1AA",
        "contact_preference": "letter",
        "then": "triage",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_a_scanned_letter_is_attached_and_its_date_received_drives_the_deadline():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    scan = SimpleUploadedFile("letter.png", mail.png(), content_type="image/png")

    response = signed_in(officer).post(
        "/staff/triage",
        contact(received_on_0="2", received_on_1="3", received_on_2="2026", letter=scan),
    )

    assert response.status_code == 302
    case = Case.objects.get(subject="Missed bins, by letter")
    assert case.received_at.astimezone(LONDON).date() == date(2026, 3, 2)
    assert case.deemed_received == date(2026, 3, 2)
    assert case.acknowledge_by == date(2026, 3, 9)  # 5 working days from Monday 2 March
    assert case.respond_by == date(2026, 3, 16)  # 10 working days
    record = case.stage_records.get()
    assert (record.deemed_received, record.respond_by) == (date(2026, 3, 2), date(2026, 3, 16))
    attachment = case.attachments.get()
    assert attachment.content_type == "image/png"
    assert CaseEvent.objects.filter(case=case, action="letter_scanned").exists()
    # recorded as received that day from the start: nothing had to be moved afterwards
    received = CaseEvent.objects.get(case=case, action="received")
    assert received.at == case.received_at
    assert not CaseEvent.objects.filter(case=case, action="received_date_set").exists()
    assert CallRecord.objects.count() == 0


def test_a_scan_that_is_not_a_document_is_refused_and_nothing_is_recorded():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    scan = SimpleUploadedFile("letter.exe", b"MZ\x90\x00" * 100, content_type="image/png")

    response = signed_in(officer).post("/staff/triage", contact(letter=scan))

    assert response.status_code == 200
    assert "is not a scan we can keep" in response.content.decode()
    assert not Case.objects.exists()


def test_a_date_received_in_the_future_is_refused():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    tomorrow = date.today() + timedelta(days=2)

    response = signed_in(officer).post(
        "/staff/triage",
        contact(
            received_on_0=str(tomorrow.day),
            received_on_1=str(tomorrow.month),
            received_on_2=str(tomorrow.year),
        ),
    )

    assert response.status_code == 200
    assert "The date received is in the future" in response.content.decode()
    assert not Case.objects.exists()


def test_a_phone_contact_at_triage_is_logged_as_a_call_with_its_line_time_and_outcome():
    waste = make_service("waste", "Waste and recycling")
    officer = make_staff(Role.FRONT_LINE_OFFICER, services=[waste])
    yesterday = datetime.now(LONDON).date() - timedelta(days=1)

    response = signed_in(officer).post(
        "/staff/triage",
        contact(
            channel="phone",
            subject="Bin left on the pavement",
            phone="07700 900123",
            contact_preference="phone",
            service=str(waste.pk),
            received_on_0=str(yesterday.day),
            received_on_1=str(yesterday.month),
            received_on_2=str(yesterday.year),
            received_time="09:15",
            call_line="Waste line",
            call_outcome="Crew asked to return the bin; will call back to confirm.",
            call_back_promised="on",
        ),
    )

    assert response.status_code == 302
    case = Case.objects.get(subject="Bin left on the pavement")
    call = CallRecord.objects.get()
    assert call.case == case
    assert call.line == "Waste line"
    assert call.caller_number == "07700 900123"
    assert call.started_at == case.received_at
    assert call.started_at.astimezone(LONDON).strftime("%H:%M") == "09:15"
    assert call.outcome.startswith("Crew asked to return the bin")
    assert call.logged_by == officer
    assert call.call_back_by == call_back_due(call.started_at)


def test_a_phone_contact_without_a_line_is_still_logged_with_its_outcome():
    officer = make_staff(Role.FRONT_LINE_OFFICER)

    signed_in(officer).post(
        "/staff/triage",
        contact(
            channel="phone",
            kind="dissatisfaction",
            phone="07700 900123",
            contact_preference="phone",
            then="resolve",
            resolution="Explained the collection day; caller satisfied.",
        ),
    )

    call = CallRecord.objects.get()
    assert call.line == "Line not recorded"
    assert call.outcome == "Resolved at first contact."
    assert call.call_back_by is None


def test_a_scan_on_a_phone_contact_is_refused():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    scan = SimpleUploadedFile("letter.png", mail.png(), content_type="image/png")

    response = signed_in(officer).post(
        "/staff/triage", contact(channel="phone", phone="01632 960001", letter=scan)
    )

    assert "Attach a scanned letter to a contact made by letter or in person" in (
        response.content.decode()
    )
    assert not Case.objects.exists()


def test_the_triage_screen_asks_how_it_came_in():
    page = signed_in(make_staff(Role.FRONT_LINE_OFFICER)).get("/staff/triage").content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'name="received_on_0"' in page
    assert 'name="letter"' in page and 'type="file"' in page
    assert 'name="call_line"' in page
