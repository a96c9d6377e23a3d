"""Call backs owed are tasks with their own deadline that officers see and tick off."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from heard.channels.models import CallRecord
from heard.channels.phone import call_back_performance, call_backs_owed, log_call
from heard.core.errors import NotPermitted
from heard.org.models import Role
from heard.testing import make_case, make_staff

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_call_backs_owed_are_listed_soonest_due_first_with_the_overdue_marked():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    now = timezone.now()
    old = log_call(
        by=officer, line="Main", started_at=now - timedelta(days=6), voicemail=True, answered=False
    )
    recent = log_call(
        by=officer, line="Waste", started_at=now - timedelta(minutes=5), call_back_promised=True
    )
    log_call(by=officer, line="Main", started_at=now - timedelta(minutes=9))  # nothing owed

    tasks = call_backs_owed(officer, now=now)

    assert [(t.call, t.overdue) for t in tasks] == [(old, True), (recent, False)]


def test_only_staff_who_record_contacts_see_the_call_backs():
    with pytest.raises(NotPermitted):
        call_backs_owed(make_staff(Role.EQUALITY_OFFICER))


def test_an_officer_sees_the_call_backs_and_records_one_made():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    case = make_case()
    call = log_call(
        by=officer,
        line="Waste line",
        caller_number="01632 960009",
        started_at=timezone.now() - timedelta(hours=2),
        call_back_promised=True,
        case=case,
    )
    client = signed_in(officer)

    page = client.get("/channels/call-backs").content.decode()
    assert "01632 960009" in page and "Waste line" in page and case.reference in page

    response = client.post(f"/channels/call-backs/{call.pk}/done")

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.called_back_at is not None and call.call_back_met is True
    assert "No call backs are owed." in client.get("/channels/call-backs").content.decode()
    # A second press finds nothing owed.
    assert client.post(f"/channels/call-backs/{call.pk}/done").status_code == 404


def test_a_call_back_made_late_counts_as_missed_against_the_standard():
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    started = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    call = log_call(by=officer, line="Main", started_at=started, call_back_promised=True)
    CallRecord.objects.filter(pk=call.pk).update(called_back_at=started + timedelta(days=5))

    performance = call_back_performance(started.date(), started.date())

    assert (performance.owed, performance.met, performance.missed) == (1, 0, 1)


def test_staff_who_do_not_record_contacts_are_refused_the_list():
    client = signed_in(make_staff(Role.EQUALITY_OFFICER))

    assert client.get("/channels/call-backs").status_code == 403
