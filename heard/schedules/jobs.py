"""What each scheduled job does. Plain functions of ``now``, so tests can move the clock.

Every message has an idempotency key naming what it is about (the case, its stage and
the date concerned), so running a job twice — or a retry after a crash — sends nothing
twice, and a job that missed a run catches up on the next.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from heard.cases.models import OPEN_STATUSES, Case, Extension, Status
from heard.notify.models import Language, MessageChannel, TemplateKey
from heard.notify.services import queue_message
from heard.org.calendars import get_organisation, organisation_calendar
from heard.schedules.models import Job, Schedule

# Holding updates and breach escalations look back this far, so that switching the jobs on
# for an organisation with years of history does not write to everyone at once.
LOOK_BACK_WORKING_DAYS = 10


def remind_officers(now: datetime, schedule: Schedule | None = None) -> int:
    """Remind the officer (or the head of service, if none) N working days before the due date and on it."""
    calendar = organisation_calendar()
    today = calendar.local_date(now)
    if not calendar.is_working_day(today):
        return 0
    days_before = schedule.days_before if schedule else 2
    sent = 0
    if days_before > 0:
        soon = calendar.add_working_days(today, days_before)
        for case in _open_cases().filter(respond_by=soon):
            sent += _to_officer(
                case,
                TemplateKey.OFFICER_REMINDER,
                f"reminder:{case.pk}:{case.stage_number}:{case.respond_by}:{days_before}",
                days=days_before,
            )
    for case in _open_cases().filter(respond_by=today):
        sent += _to_officer(
            case,
            TemplateKey.OFFICER_DUE_TODAY,
            f"due-today:{case.pk}:{case.stage_number}:{case.respond_by}",
            days=0,
        )
    return sent


def escalate_breaches(now: datetime, schedule: Schedule | None = None) -> int:
    """Tell the head of service, once per missed date, about each case past its response date."""
    calendar = organisation_calendar()
    today = calendar.local_date(now)
    horizon = _working_days_back(today, LOOK_BACK_WORKING_DAYS)
    sent = 0
    for case in _open_cases().filter(
        respond_by__lt=today, respond_by__gte=horizon, service__head__isnull=False
    ):
        head = case.service.head  # type: ignore[union-attr]
        if not head or not head.email:
            continue
        queue_message(
            key=f"breach:{case.pk}:{case.stage_number}:{case.respond_by}",
            template_key=TemplateKey.BREACH_ESCALATION,
            recipient=head.email,
            case=case,
            context={
                **_case_context(case),
                "head_name": head.get_full_name() or head.username,
                "overdue_days": calendar.working_days_after(case.respond_by, today),
                "officer_name": _name(case.assigned_officer) or "not yet allocated",
            },
        )
        sent += 1
    return sent


def send_weekly_digests(now: datetime, schedule: Schedule | None = None) -> int:
    """A review of each service's open, due-soon and overdue cases, to its head."""
    from heard.org.models import Service

    calendar = organisation_calendar()
    today = calendar.local_date(now)
    soon = calendar.add_working_days(today, 5)
    year, week, _ = today.isocalendar()
    sent = 0
    for service in Service.objects.filter(head__isnull=False).select_related("head"):
        head = service.head
        if not head or not head.email:
            continue
        open_cases = _open_cases().filter(service=service)
        overdue = open_cases.filter(respond_by__lt=today).order_by("respond_by")
        queue_message(
            key=f"digest:{service.pk}:{year}-W{week:02d}",
            template_key=TemplateKey.WEEKLY_DIGEST,
            recipient=head.email,
            context={
                "service": service.name,
                "head_name": head.get_full_name() or head.username,
                "week": f"{year}-W{week:02d}",
                "open": open_cases.count(),
                "due_soon": open_cases.filter(respond_by__gte=today, respond_by__lte=soon).count(),
                "overdue": overdue.count(),
                "overdue_cases": [
                    f"{c.reference} — {c.subject} — due {c.respond_by:%d %B %Y}"
                    for c in overdue[:50]
                ],
            },
        )
        sent += 1
    return sent


def send_holding_updates(now: datetime, schedule: Schedule | None = None) -> int:
    """Tell customers when their response date has moved, and when a response is late."""
    calendar = organisation_calendar()
    today = calendar.local_date(now)
    sent = 0
    recent = now - timedelta(days=3)
    extensions = Extension.objects.filter(
        at__gte=recent, stage_record__case__status__in=OPEN_STATUSES
    )
    for extension in extensions.select_related(
        "stage_record__case__customer", "stage_record__case__procedure_version__procedure"
    ):
        case = extension.stage_record.case
        welsh = case.customer.language == Language.WELSH
        sent += _to_customer(
            case,
            TemplateKey.EXTENSION_NOTICE,
            f"extension:{extension.pk}",
            respond_by=_long_date(extension.new_date, welsh=welsh),
            reason=extension.reason,
        )
    horizon = _working_days_back(today, LOOK_BACK_WORKING_DAYS)
    for case in _open_cases().filter(respond_by__lt=today, respond_by__gte=horizon):
        key = f"late:{case.pk}:{case.stage_number}:{case.respond_by}"
        sent += _to_customer(case, TemplateKey.LATE_NOTICE, key)
    return sent


def _to_customer(case: Case, template_key: str, key: str, **context: Any) -> int:
    """Write to the customer by email, or by text through GOV.UK Notify if they gave only a phone."""
    customer = case.customer
    if customer.email:
        channel, recipient = MessageChannel.EMAIL, customer.email
    elif customer.phone and settings.NOTIFY_API_KEY and settings.NOTIFY_SMS_TEMPLATE_ID:
        channel, recipient = MessageChannel.SMS, customer.phone
    else:
        return 0
    queue_message(
        key=key,
        template_key=template_key,
        recipient=recipient,
        channel=channel,
        case=case,
        language=customer.language,
        context={**_case_context(case), **context},
    )
    return 1


def invite_to_surveys(now: datetime, schedule: Schedule | None = None) -> int:
    """Ask customers whose case closed in the last two days how we did (Heard's own survey by default)."""
    from heard.portal.services import survey_link

    closed = Case.objects.filter(
        status=Status.CLOSED, closed_at__gte=now - timedelta(days=2), closed_at__lte=now
    )
    sent = 0
    for case in closed.exclude(customer__email="").select_related(
        "customer", "procedure_version__procedure"
    ):
        queue_message(
            key=f"survey:{case.pk}",
            template_key=TemplateKey.SURVEY_INVITATION,
            recipient=case.customer.email,
            case=case,
            language=case.customer.language,
            context={
                **_case_context(case),
                "survey_url": (
                    settings.HEARD_SURVEY_URL.format(reference=case.reference)
                    if settings.HEARD_SURVEY_URL
                    else survey_link(case)
                ),
            },
        )
        sent += 1
    return sent


def remind_restriction_reviews(now: datetime, schedule: Schedule | None = None) -> int:
    """Remind whoever set a customer restriction N working days before its review date, and on it."""
    from heard.cases.models import CustomerRestriction

    calendar = organisation_calendar()
    today = calendar.local_date(now)
    if not calendar.is_working_day(today):
        return 0
    soon = calendar.add_working_days(today, schedule.days_before if schedule else 5)
    due = CustomerRestriction.objects.filter(ended_at__isnull=True, review_on__lte=soon)
    sent = 0
    for restriction in due.select_related("customer", "set_by"):
        person = restriction.set_by
        if person is None or not person.email:
            continue
        queue_message(
            key=f"restriction-review:{restriction.pk}:{restriction.review_on}",
            template_key=TemplateKey.RESTRICTION_REVIEW,
            recipient=person.email,
            context={
                "officer_name": _name(person),
                "customer_name": restriction.customer.name,
                "restriction": f"{restriction.get_kind_display()}: {restriction.details}",
                "reason": restriction.reason,
                "review_on": _long_date(restriction.review_on),
                "organisation": get_organisation().name,
            },
        )
        sent += 1
    return sent


def apply_retention(now: datetime, schedule: Schedule | None = None) -> int:
    """Apply the retention schedules (heard.privacy.retention): dry runs first, then removal."""
    from heard.privacy.retention import apply_retention as run

    return run(now, schedule)


def raise_early_warnings(now: datetime, schedule: Schedule | None = None) -> int:
    """Early warnings of a rising theme or service (heard.learning)."""
    from heard.learning.jobs import raise_early_warnings as run

    return run(now, schedule)


def retrain_theme_model(now: datetime, schedule: Schedule | None = None) -> int:
    """Retrain the suggested-themes model on the organisation's classified cases (heard.learning)."""
    from heard.learning.jobs import retrain_theme_model as run

    return run(now, schedule)


def remind_action_leads(now: datetime, schedule: Schedule | None = None) -> int:
    """Remind action plan leads before a review date and when an action passes its date
    (heard.improvement)."""
    from heard.improvement.reminders import remind_leads

    return remind_leads(now, schedule)


JOBS: dict[str, Callable[[datetime, Schedule | None], int]] = {
    Job.REMINDERS: remind_officers,
    Job.BREACHES: escalate_breaches,
    Job.WEEKLY_DIGEST: send_weekly_digests,
    Job.HOLDING_UPDATES: send_holding_updates,
    Job.SURVEYS: invite_to_surveys,
    Job.RESTRICTION_REVIEWS: remind_restriction_reviews,
    Job.RETENTION: apply_retention,
    Job.EARLY_WARNINGS: raise_early_warnings,
    Job.RETRAIN_THEMES: retrain_theme_model,
    Job.ACTION_REMINDERS: remind_action_leads,
}


def _open_cases() -> QuerySet[Case]:
    return Case.objects.filter(status__in=OPEN_STATUSES).select_related(
        "customer", "service__head", "assigned_officer", "procedure_version__procedure"
    )


def _to_officer(case: Case, template_key: str, key: str, *, days: int) -> int:
    person = case.assigned_officer or (case.service.head if case.service else None)
    if person is None or not person.email:
        return 0
    queue_message(
        key=key,
        template_key=template_key,
        recipient=person.email,
        case=case,
        context={**_case_context(case), "officer_name": _name(person), "days": days},
    )
    return 1


def _case_context(case: Case) -> dict[str, Any]:
    procedure = case.procedure_version.procedure
    ombudsman = {
        "hos-code-2024": "Housing Ombudsman (www.housing-ombudsman.org.uk, 0300 111 3000)",
        "lgsco-code": "Local Government and Social Care Ombudsman (www.lgo.org.uk, 0300 061 0614)",
        "spso-mchp": "Scottish Public Services Ombudsman (www.spso.org.uk, 0800 377 7330)",
    }.get(procedure.slug, "")
    welsh = getattr(case.customer, "language", Language.ENGLISH) == Language.WELSH
    return {
        "reference": case.reference,
        "subject": case.subject,
        "kind": case.get_kind_display().lower(),
        "service": case.service.name if case.service else "the council",
        "customer_name": case.customer.name,
        "respond_by": _long_date(case.respond_by, welsh=welsh),
        "organisation": get_organisation().name,
        "ombudsman": ombudsman,
    }


WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def _long_date(day: date, *, welsh: bool = False) -> str:
    if welsh:
        return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {day:%B %Y}"


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _working_days_back(today: date, days: int) -> date:
    calendar = organisation_calendar()
    day = today
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day
