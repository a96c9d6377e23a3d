"""What the public portal does, as plain functions: submit, acknowledge, track, escalate."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from heard.cases import services as case_services
from heard.cases.attachments import link_pending
from heard.cases.lifecycle import Step, allowed
from heard.cases.models import Case, Kind, Status
from heard.notify.models import MessageChannel, TemplateKey
from heard.notify.services import queue_message
from heard.org.calendars import get_organisation
from heard.org.models import Service, ServiceRequestCategory

TRACKING_SALT = "heard.portal.tracking"
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


def long_date(day: date | None, language: str) -> str:
    if day is None:
        return ""
    if language == "cy":
        return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {day:%B %Y}"


@transaction.atomic(durable=True)
def submit(answers: dict[str, Any], *, language: str, recorded_by: Any = None) -> Case:
    """Record what the customer told us and queue the acknowledgement, in one transaction.

    The case is committed before anything else happens; a mail server that is down only
    delays the acknowledgement (it waits in the outbox).
    """
    description = answers["what_happened"]
    if answers.get("happened_on"):
        description += f"\n\nWhen it happened: {answers['happened_on']}"
    if answers.get("put_right"):
        description += f"\n\nWhat would put things right: {answers['put_right']}"
    service_id = answers.get("service")
    service = Service.objects.filter(pk=service_id).first() if service_id else None
    category_id = answers.get("category") if answers.get("kind") == Kind.SERVICE_REQUEST else None
    category = (
        ServiceRequestCategory.objects.filter(pk=category_id).first() if category_id else None
    )
    customer = case_services.CustomerDetails(
        name=answers["name"],
        email=answers.get("email", ""),
        phone=answers.get("phone", ""),
        address=answers.get("address", ""),
        language=language,
        contact_preference=answers.get("contact_preference", "email"),
        access_formats=tuple(answers.get("access_formats", ())),
        access_language=answers.get("access_language", ""),
        adjustments=answers.get("adjustments", ""),
    )
    if recorded_by is None:
        case = case_services.receive_from_public(
            kind=answers["kind"],
            subject=answers["subject"],
            description=description,
            customer=customer,
            service=service,
            category=category,
        )
    else:  # a member of staff filling in the form for a customer on the phone, by letter or in person
        case = case_services.record_on_behalf(
            by=recorded_by,
            kind=answers["kind"],
            channel=answers.get("channel") or "phone",
            subject=answers["subject"],
            description=description,
            customer=customer,
            service=service,
            category=category,
        )
    link_pending(answers.get("upload_token", ""), case)
    if customer.email:
        queue_message(
            key=f"acknowledgement:{case.pk}",
            template_key=TemplateKey.ACKNOWLEDGEMENT,
            recipient=customer.email,
            case=case,
            language=language,
            context=acknowledgement_context(case, language),
        )
    return case


def acknowledgement_context(case: Case, language: str) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "customer_name": case.customer.name,
        "subject": case.subject,
        "kind": case.get_kind_display().lower(),
        "is_complaint": case.kind == Kind.COMPLAINT,
        "acknowledge_by": long_date(case.acknowledge_by, language),
        "respond_by": long_date(case.respond_by, language),
        "organisation": get_organisation().name,
        "track_url": settings.HEARD_PUBLIC_URL + reverse("portal:track"),
    }


def _email_fingerprint(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]


def tracking_token(case: Case) -> str:
    """A signed token for one case and the email address it was given with."""
    return signing.dumps(
        {"c": case.pk, "e": _email_fingerprint(case.customer.email)}, salt=TRACKING_SALT
    )


def case_for_token(token: str) -> Case | None:
    """The case a tracking link opens, or None if it is tampered with, expired or no longer matches."""
    try:
        data = signing.loads(
            token, salt=TRACKING_SALT, max_age=settings.HEARD_TRACKING_LINK_DAYS * 86400
        )
    except signing.BadSignature:  # includes SignatureExpired
        return None
    case = (
        Case.objects.select_related("customer", "stage", "procedure_version__procedure")
        .filter(pk=data.get("c"))
        .first()
    )
    if (
        case is None
        or not case.customer.email
        or _email_fingerprint(case.customer.email) != data.get("e")
    ):
        return None
    return case


def send_tracking_link(reference: str, email: str, *, language: str) -> bool:
    """Email a tracking link if the reference and email address match; says nothing either way."""
    case = (
        Case.objects.select_related("customer").filter(reference=reference.strip().upper()).first()
    )
    if (
        case is None
        or not case.customer.email
        or case.customer.email.strip().lower() != email.strip().lower()
    ):
        return False
    token = tracking_token(case)
    queue_message(
        key=f"tracking:{case.pk}:{token[-16:]}",
        template_key=TemplateKey.TRACKING_LINK,
        recipient=case.customer.email,
        channel=MessageChannel.EMAIL,
        case=case,
        language=language,
        context={
            "reference": case.reference,
            "customer_name": case.customer.name,
            "link": settings.HEARD_PUBLIC_URL + reverse("portal:status", args=[token]),
            "days": settings.HEARD_TRACKING_LINK_DAYS,
            "organisation": get_organisation().name,
        },
    )
    return True


def may_escalate(case: Case) -> bool:
    """Whether the customer can say they are still unhappy: an answered complaint with a next stage."""
    if case.kind != Kind.COMPLAINT or not allowed(case, Step.ESCALATE):
        return False
    return case.procedure_version.stages.filter(number__gt=case.stage_number).exists()


def escalate(case: Case, *, unresolved: str) -> Case:
    return case_services.escalate_for_customer(case, unresolved=unresolved)


STATUS_WORDS = {
    Status.RECEIVED: "received",
    Status.ACKNOWLEDGED: "being looked into",
    Status.RESPONDED: "answered",
    Status.CLOSED: "closed",
}


SURVEY_SALT = "heard.portal.survey"
SURVEY_LINK_DAYS = 60


def survey_link(case: Case) -> str:
    """A link to the survey for one closed case, for the invitation."""
    token = signing.dumps({"c": case.pk}, salt=SURVEY_SALT)
    return settings.HEARD_PUBLIC_URL + reverse("portal:survey", args=[token])


def case_for_survey(token: str) -> Case | None:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return Case.objects.filter(pk=data.get("c"), status=Status.CLOSED).first()


def answer_survey(case: Case, answers: dict[str, Any]) -> bool:
    """Keep the first answer for a case; returns False if it was already answered."""
    from heard.portal.models import SurveyResponse

    _, created = SurveyResponse.objects.get_or_create(case=case, defaults=answers)
    return created
