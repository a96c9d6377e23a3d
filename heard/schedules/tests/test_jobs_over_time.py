"""Move the clock over working days and a bank holiday; see exactly the messages the schedules promise."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from heard.cases import services
from heard.notify.models import Message
from heard.org.calendars import organisation_calendar
from heard.org.models import Role
from heard.schedules import jobs
from heard.schedules.models import Frequency, Job, Schedule
from heard.schedules.scheduler import enqueue_due_schedules
from heard.schedules.timing import next_run
from heard.testing import make_case, make_service, make_staff

LONDON = ZoneInfo("Europe/London")


def at_eight(day: date) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=LONDON)


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.fixture
def setting(db):
    service = make_service("waste", "Waste and recycling")
    head = make_staff(Role.HEAD_OF_SERVICE, services=[service], username="hos")
    head.email = "head@ashdown.example.gov.uk"
    head.save()
    service.head = head
    service.save()
    officer = make_staff(Role.INVESTIGATING_OFFICER, services=[service], username="ivan")
    officer.email = "ivan@ashdown.example.gov.uk"
    officer.save()
    central = make_staff(Role.COMPLAINTS_TEAM)
    return service, head, officer, central


def allocated_case(setting, received_at):
    service, _, officer, central = setting
    case = make_case(by=central, service=service, received_at=received_at)
    services.allocate(case, by=central, officer=officer, at=received_at + timedelta(hours=1))
    services.acknowledge(case, by=central, at=received_at + timedelta(hours=2))
    return case


def messages(template_key=None):
    found = Message.objects.order_by("created_at", "pk")
    if template_key:
        found = found.filter(template_key=template_key)
    return [(m.template_key, m.recipient, m.created_at) for m in found]


def test_officers_are_reminded_two_working_days_before_and_on_the_day(setting):
    case = allocated_case(setting, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    assert case.respond_by == date(2026, 10, 19)
    sent_on = {}
    for day in days(date(2026, 10, 5), date(2026, 10, 21)):
        if jobs.remind_officers(at_eight(day)):
            sent_on[day] = [m.template_key for m in Message.objects.all()]
    assert list(sent_on) == [date(2026, 10, 15), date(2026, 10, 19)]
    assert [m.template_key for m in Message.objects.order_by("pk")] == [
        "officer_reminder",
        "officer_due_today",
    ]
    assert set(Message.objects.values_list("recipient", flat=True)) == {
        "ivan@ashdown.example.gov.uk"
    }


def test_reminders_count_working_days_over_a_bank_holiday(setting):
    # Received Tuesday 12 May 2026; Monday 25 May is the spring bank holiday, so ten working
    # days end on Wednesday 27 May, and two working days before that is Friday 22 May.
    case = allocated_case(setting, datetime(2026, 5, 12, 9, 0, tzinfo=UTC))
    assert case.respond_by == date(2026, 5, 27)
    runs = {
        day: jobs.remind_officers(at_eight(day))
        for day in days(date(2026, 5, 12), date(2026, 5, 28))
    }
    assert {day for day, count in runs.items() if count} == {date(2026, 5, 22), date(2026, 5, 27)}
    assert runs[date(2026, 5, 25)] == 0  # nothing goes out on the bank holiday


def test_a_missed_deadline_is_escalated_to_the_head_of_service_once(setting):
    allocated_case(setting, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    for day in days(date(2026, 10, 5), date(2026, 10, 23)):
        jobs.escalate_breaches(at_eight(day))
    escalations = Message.objects.filter(template_key="breach_escalation")
    assert escalations.count() == 1
    escalation = escalations.get()
    assert escalation.recipient == "head@ashdown.example.gov.uk"
    assert "1 working day overdue" in escalation.body  # first noticed on Tuesday 20 October


def test_customers_are_told_when_the_reply_is_late_and_when_it_is_extended(setting):
    *_, central = setting
    late = allocated_case(setting, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    for day in days(date(2026, 10, 19), date(2026, 10, 22)):
        jobs.send_holding_updates(at_eight(day))
    notices = Message.objects.filter(template_key="late_notice")
    assert [m.case_id for m in notices] == [late.pk]
    assert "by 19 October 2026" in notices.get().body

    extended = allocated_case(setting, datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    services.extend(
        extended,
        by=central,
        new_date=date(2026, 11, 23),
        reason="We are waiting for the crew's report.",
        customer_told_how="phone",
    )
    jobs.send_holding_updates(datetime.now(UTC))
    jobs.send_holding_updates(datetime.now(UTC))
    notice = Message.objects.get(template_key="extension_notice")
    assert notice.case_id == extended.pk
    assert "23 November 2026" in notice.body and "crew's report" in notice.body


def test_the_weekly_digest_goes_to_each_head_of_service_once_a_week(setting):
    allocated_case(setting, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    for day in days(date(2026, 10, 19), date(2026, 10, 28)):
        jobs.send_weekly_digests(at_eight(day))
    digests = Message.objects.filter(template_key="weekly_digest").order_by("pk")
    assert digests.count() == 2  # weeks 43 and 44
    assert "Overdue: 1" in digests[1].body


def test_survey_invitations_follow_closure(setting, settings):
    *_, central = setting
    case = allocated_case(setting, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    assert jobs.invite_to_surveys(datetime.now(UTC)) == 0  # not closed yet
    services.respond(case, by=central, outcome="upheld", summary="Sorry.")
    services.close(case, by=central)
    settings.HEARD_SURVEY_URL = ""
    settings.HEARD_PUBLIC_URL = "https://ashdown.example.gov.uk"
    assert jobs.invite_to_surveys(datetime.now(UTC)) == 1
    assert jobs.invite_to_surveys(datetime.now(UTC)) == 1  # the same message, not a second one
    invitation = Message.objects.get(template_key="survey_invitation")
    assert "https://ashdown.example.gov.uk/survey/" in invitation.body


def test_schedules_skip_non_working_days_and_weekly_ones_move_past_a_bank_holiday(db):
    calendar = organisation_calendar()
    daily = Schedule(job=Job.REMINDERS, frequency=Frequency.DAILY, time_of_day=time(8, 0))
    friday = datetime(2026, 5, 22, 9, 0, tzinfo=UTC)
    assert next_run(daily, friday, calendar) == datetime(
        2026, 5, 26, 7, 0, tzinfo=UTC
    )  # 08:00 BST Tuesday
    weekly = Schedule(
        job=Job.WEEKLY_DIGEST, frequency=Frequency.WEEKLY, time_of_day=time(8, 0), weekday=0
    )
    assert next_run(weekly, friday, calendar) == datetime(2026, 5, 26, 7, 0, tzinfo=UTC)
    hourly = Schedule(job=Job.HOLDING_UPDATES, frequency=Frequency.HOURLY, working_days_only=False)
    assert next_run(hourly, datetime(2026, 5, 23, 10, 20, tzinfo=UTC), calendar) == datetime(
        2026, 5, 23, 11, 0, tzinfo=UTC
    )


def test_due_schedules_are_enqueued_once_and_run_by_the_worker(setting):
    allocated_case(setting, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    Schedule.objects.exclude(job=Job.BREACHES).update(enabled=False)
    first = datetime(2026, 10, 20, 6, 0, tzinfo=UTC)
    assert enqueue_due_schedules(now=first) == 0  # timed: next run 09:00 BST
    assert Schedule.objects.get(job=Job.BREACHES).next_run_at == datetime(
        2026, 10, 20, 8, 0, tzinfo=UTC
    )
    assert enqueue_due_schedules(now=first + timedelta(hours=3)) == 1
    assert enqueue_due_schedules(now=first + timedelta(hours=3)) == 0
    assert DBTaskResult.objects.filter(task_path="heard.schedules.tasks.run_schedule").count() == 1
    # The worker's own run step (the worker loop itself runs in a separate process in
    # heard/jobs/tests; here the test's transaction must stay open).
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    job = DBTaskResult.objects.get()
    job.claim("test")
    worker.run_task(job)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Message.objects.filter(template_key="breach_escalation").count() == 1
    assert "1 message(s) queued" in Schedule.objects.get(job=Job.BREACHES).last_result


def test_a_customer_with_only_a_phone_gets_a_text_through_notify(setting, settings):
    case = allocated_case(setting, datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    case.customer.email, case.customer.phone = "", "07700 900123"
    case.customer.save()
    settings.NOTIFY_API_KEY, settings.NOTIFY_SMS_TEMPLATE_ID = "", ""
    assert jobs.send_holding_updates(at_eight(date(2026, 10, 20))) == 0  # no way to reach them
    settings.NOTIFY_API_KEY, settings.NOTIFY_SMS_TEMPLATE_ID = "key", "template"
    assert jobs.send_holding_updates(at_eight(date(2026, 10, 20))) == 1
    text = Message.objects.get()
    assert (text.channel, text.recipient) == ("sms", "07700 900123")
    assert case.reference in text.body


def test_whoever_set_a_restriction_is_reminded_to_review_it(setting):
    from heard.cases.models import CustomerRestriction

    _, _, officer, central = setting
    case = make_case(by=central)
    CustomerRestriction.objects.create(
        customer=case.customer,
        kind="single_point_of_contact",
        details="Email only, to Ivan.",
        reason="Forty calls a day to the contact centre.",
        review_on=date(2026, 6, 1),
        set_by=officer,
    )
    schedule = Schedule.objects.get(job=Job.RESTRICTION_REVIEWS)
    sent = {
        day: jobs.remind_restriction_reviews(at_eight(day), schedule)
        for day in days(date(2026, 5, 18), date(2026, 6, 2))
    }
    # Five working days before Monday 1 June, counting over the spring bank holiday (25 May): Friday 22 May.
    assert min(day for day, count in sent.items() if count) == date(2026, 5, 22)
    reminder = Message.objects.get(template_key="restriction_review")
    assert reminder.recipient == "ivan@ashdown.example.gov.uk"
    assert "1 June 2026" in reminder.body and "Forty calls" in reminder.body
