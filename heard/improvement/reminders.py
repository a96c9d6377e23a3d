"""Reminders to the lead officers of action plans, sent through the outbox (heard.notify).

Run by the schedule (heard.schedules, job ``action_reminders``). Each message's idempotency key
names the action and the date concerned, so running the job twice, or again after a crash,
sends nothing twice; moving an action's completion date makes a new date to be reminded about.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse

from heard.improvement.models import PlanAction, Progress, ProgressEntry, ProgressReview
from heard.notify.models import Language, Message, MessageChannel, MessageTemplate, TemplateKey
from heard.notify.services import queue_message
from heard.org.calendars import get_organisation, organisation_calendar

OVERDUE_TEMPLATE = TemplateKey.PLAN_ACTION_OVERDUE.value
REVIEW_TEMPLATE = TemplateKey.PLAN_REVIEW_DUE.value
# Switching the job on for a plan with years of history does not write to every lead at once.
LOOK_BACK = timedelta(days=28)
# How long before a review date the leads of actions not yet reported on are reminded.
REVIEW_NOTICE_DAYS = 7

DEFAULT_TEMPLATES = {
    OVERDUE_TEMPLATE: (
        "Action {{ number }} of {{ plan }} has passed its completion date",
        "Dear {{ officer_name }},\n\n"
        "Action {{ number }} of {{ plan }}, which you lead, was to be completed by {{ ends_on }}, "
        "and has not yet been assessed as achieved fully:\n\n"
        "{{ text }}\n\n"
        "Please record its progress, or agree a new anticipated completion date with the "
        "performance officer:\n{{ url }}\n\n"
        "{{ organisation }}",
    ),
    REVIEW_TEMPLATE: (
        "Progress on action {{ number }} of {{ plan }} is due for the review on {{ review_on }}",
        "Dear {{ officer_name }},\n\n"
        "{{ plan }} is reviewed on {{ review_on }}. Please record the evidence of progress on "
        "action {{ number }}, which you lead, and its assessment (1 achieved fully, 2 on track, "
        "3 slipped, 4 not achieved):\n\n"
        "{{ text }}\n\n"
        "{{ url }}\n\n"
        "{{ organisation }}",
    ),
}


def ensure_templates() -> None:
    """The shipped email templates, unless an administrator has already written their own."""
    for key, (subject, body) in DEFAULT_TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            key=key,
            channel=MessageChannel.EMAIL,
            language=Language.ENGLISH,
            defaults={"subject": subject, "body": body},
        )


def remind_leads(now: datetime, schedule: Any = None) -> int:
    """Tell each lead officer once when their action passes its completion date unachieved,
    and once before a review at which their action's progress is not yet recorded."""
    today = organisation_calendar().local_date(now)
    ensure_templates()
    return _overdue(today) + _reviews_due(today)


def _overdue(today: date) -> int:
    sent = 0
    actions = PlanAction.objects.filter(
        ends_on__lt=today, ends_on__gte=today - LOOK_BACK, lead__isnull=False, lead__is_active=True
    ).select_related("plan", "lead")
    achieved = set(
        ProgressEntry.objects.filter(
            action__in=actions, category=Progress.ACHIEVED_FULLY
        ).values_list("action_id", flat=True)
    )
    for action in actions:
        if action.pk in achieved or action.lead is None or not action.lead.email:
            continue
        assert action.ends_on is not None
        sent += _send(
            f"plan-action-overdue:{action.pk}:{action.ends_on:%Y-%m-%d}",
            OVERDUE_TEMPLATE,
            action,
            ends_on=_long_date(action.ends_on),
            url=_url(
                reverse("improvement:plan", args=[action.plan_id]) + f"#action-{action.number}"
            ),
        )
    return sent


def _reviews_due(today: date) -> int:
    sent = 0
    reviews = ProgressReview.objects.filter(
        reviewed_on__gt=today, reviewed_on__lte=today + timedelta(days=REVIEW_NOTICE_DAYS)
    ).select_related("plan")
    for review in reviews:
        recorded = set(review.entries.values_list("action_id", flat=True))
        actions = review.plan.actions.filter(lead__isnull=False, lead__is_active=True)
        for action in actions.select_related("plan", "lead"):
            if action.pk in recorded or action.lead is None or not action.lead.email:
                continue
            sent += _send(
                f"plan-review-due:{review.pk}:{action.pk}",
                REVIEW_TEMPLATE,
                action,
                review_on=_long_date(review.reviewed_on),
                url=_url(
                    reverse(
                        "improvement:progress-edit",
                        args=[action.plan_id, review.pk, action.number],
                    )
                ),
            )
    return sent


def _send(key: str, template_key: str, action: PlanAction, **context: Any) -> int:
    if Message.objects.filter(idempotency_key=key).exists():
        return 0
    lead = action.lead
    assert lead is not None
    queue_message(
        key=key,
        template_key=template_key,
        recipient=lead.email,
        context={
            "officer_name": lead.get_full_name() or lead.username,
            "plan": action.plan.title,
            "number": action.number,
            "text": action.text,
            "organisation": get_organisation().name,
            **context,
        },
    )
    return 1


def _url(path: str) -> str:
    return settings.HEARD_PUBLIC_URL + path


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
