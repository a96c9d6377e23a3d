"""Reminders to action leads on the schedule, through the outbox: exactly one per action
passing its completion date, and one before a review at which progress is not yet recorded;
heads of service record progress on the actions they lead, and only those."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from heard.core.errors import NotPermitted
from heard.improvement import services
from heard.improvement.models import ProgressEntry
from heard.improvement.services import ActionDetails
from heard.notify.models import Message
from heard.notify.services import deliver
from heard.org.models import Role
from heard.schedules import jobs
from heard.schedules.models import Job, Schedule
from heard.testing import make_staff

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def morning(day: date) -> datetime:
    return datetime.combine(day, time(8, 15), tzinfo=LONDON)


@pytest.fixture
def head(db):
    person = make_staff(Role.HEAD_OF_SERVICE, username="hos")
    person.email = "hos@ashdown.example.gov.uk"
    person.first_name, person.last_name = "Harriet", "Oakes"
    person.save()
    return person


@pytest.fixture
def plan_with_lead(performance_officer, head):
    plan = services.create_plan(by=performance_officer, title="Complaints scrutiny action plan")
    action = services.add_action(
        plan,
        by=performance_officer,
        details=ActionDetails(
            text="Publish complaint handling standards on the website.",
            lead_officers="Harriet Oakes, Head of Customer Services",
            lead=head,
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 10, 30),
        ),
    )
    return plan, action


def test_the_job_is_on_the_schedule():
    schedule = Schedule.objects.get(job=Job.ACTION_REMINDERS)
    assert schedule.enabled
    assert jobs.JOBS[Job.ACTION_REMINDERS] is jobs.remind_action_leads


def test_an_action_passing_its_date_triggers_exactly_one_reminder(plan_with_lead, head):
    plan, _ = plan_with_lead
    assert jobs.remind_action_leads(morning(date(2026, 10, 30))) == 0  # due today: not yet
    assert jobs.remind_action_leads(morning(date(2026, 10, 31))) == 1
    assert jobs.remind_action_leads(morning(date(2026, 10, 31))) == 0  # run twice
    assert jobs.remind_action_leads(morning(date(2026, 11, 2))) == 0  # and on later days
    reminders = Message.objects.filter(template_key="plan_action_overdue")
    assert reminders.count() == 1
    reminder = reminders.get()
    assert reminder.recipient == "hos@ashdown.example.gov.uk"
    assert "Action 1 of Complaints scrutiny action plan" in reminder.subject
    assert "30 October 2026" in reminder.body and "Dear Harriet Oakes" in reminder.body
    assert f"/staff/improvement/plans/{plan.pk}/#action-1" in reminder.body

    deliver(reminder.pk)
    deliver(reminder.pk)
    assert [m.to for m in mail.outbox] == [["hos@ashdown.example.gov.uk"]]


def test_a_new_completion_date_is_reminded_about_once_more(plan_with_lead, performance_officer):
    _, action = plan_with_lead
    jobs.remind_action_leads(morning(date(2026, 10, 31)))
    services.change_action(
        action,
        by=performance_officer,
        details=ActionDetails(
            text=action.text,
            lead_officers=action.lead_officers,
            lead=action.lead,
            ends_on=date(2026, 11, 20),
        ),
    )
    assert jobs.remind_action_leads(morning(date(2026, 11, 21))) == 1
    assert jobs.remind_action_leads(morning(date(2026, 11, 22))) == 0
    assert Message.objects.filter(template_key="plan_action_overdue").count() == 2


def test_no_reminder_for_an_action_achieved_fully_or_without_a_lead_account(
    plan_with_lead, performance_officer
):
    plan, action = plan_with_lead
    services.add_action(
        plan,
        by=performance_officer,
        details=ActionDetails(text="Train staff.", lead_officers="TBC", ends_on=date(2026, 10, 1)),
    )
    review = services.add_review(plan, by=performance_officer, reviewed_on=date(2026, 10, 20))
    services.record_progress(
        review, action, by=performance_officer, evidence="Published.", category=1
    )
    assert jobs.remind_action_leads(morning(date(2026, 10, 31))) == 0
    assert not Message.objects.filter(template_key="plan_action_overdue").exists()


def test_leads_are_reminded_once_before_a_review_with_progress_not_recorded(
    plan_with_lead, performance_officer
):
    plan, _ = plan_with_lead
    review = services.add_review(plan, by=performance_officer, reviewed_on=date(2026, 6, 10))
    assert jobs.remind_action_leads(morning(date(2026, 6, 2))) == 0  # eight days before
    assert jobs.remind_action_leads(morning(date(2026, 6, 3))) == 1
    assert jobs.remind_action_leads(morning(date(2026, 6, 4))) == 0
    message = Message.objects.get(template_key="plan_review_due")
    assert "10 June 2026" in message.subject
    assert f"/plans/{plan.pk}/reviews/{review.pk}/actions/1" in message.body


def test_a_head_of_service_records_progress_on_their_own_actions_only(
    plan_with_lead, performance_officer, head
):
    plan, own = plan_with_lead
    other = services.add_action(
        plan,
        by=performance_officer,
        details=ActionDetails(text="Review voicemail standards.", lead_officers="K Hornsey"),
    )
    review = services.add_review(plan, by=performance_officer, reviewed_on=date(2026, 6, 10))
    client = Client()
    client.force_login(head)
    base = f"/staff/improvement/plans/{plan.pk}/reviews/{review.pk}/actions"

    page = client.get(f"/staff/improvement/plans/{plan.pk}/").content.decode()
    assert f"{base}/{own.number}" in page and f"{base}/{other.number}" not in page

    response = client.post(f"{base}/{own.number}", {"evidence": "Drafted.", "category": "2"})
    assert response.status_code == 302
    assert ProgressEntry.objects.get(action=own).recorded_by == head

    assert client.get(f"{base}/{other.number}").status_code == 403
    response = client.post(f"{base}/{other.number}", {"evidence": "Done.", "category": "1"})
    assert response.status_code == 403
    assert not ProgressEntry.objects.filter(action=other).exists()
    with pytest.raises(NotPermitted):
        services.record_progress(review, other, by=head, evidence="Done.", category=1)
    # leading an action gives no other editing rights
    assert (
        client.get(f"/staff/improvement/plans/{plan.pk}/actions/{own.number}/").status_code == 403
    )


def test_someone_else_who_leads_an_action_but_is_not_a_head_of_service_cannot(
    plan_with_lead, performance_officer
):
    plan, _ = plan_with_lead
    officer = make_staff(Role.FRONT_LINE_OFFICER)
    action = services.add_action(
        plan,
        by=performance_officer,
        details=ActionDetails(text="Answer the phone.", lead_officers="Officer", lead=officer),
    )
    review = services.add_review(plan, by=performance_officer, reviewed_on=date(2026, 6, 10))
    with pytest.raises(NotPermitted):
        services.record_progress(review, action, by=officer, evidence="Done.", category=1)


def test_reminders_use_the_organisations_date(plan_with_lead):
    # 23:30 UTC on 30 October is still 30 October in London (GMT): not yet passed
    assert jobs.remind_action_leads(datetime(2026, 10, 30, 23, 30, tzinfo=UTC)) == 0
    assert jobs.remind_action_leads(datetime(2026, 10, 31, 0, 30, tzinfo=UTC)) == 1
