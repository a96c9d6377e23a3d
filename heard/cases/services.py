"""Every change to a case: one function per lifecycle step, named for the domain verb.

Each one checks the user's permission (:mod:`heard.org.access`) and the transition
(:mod:`heard.cases.lifecycle`), runs in one durable transaction with the case row locked,
and writes what it did to the append-only action log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from heard.cases import deadlines
from heard.cases.lifecycle import Step, check
from heard.cases.models import (
    AccessFormat,
    Attachment,
    Case,
    CaseEvent,
    CaseLink,
    CaseNote,
    Channel,
    ContactPreference,
    Customer,
    Extension,
    Kind,
    Outcome,
    Recorded,
    Remedy,
    RemedyKind,
    RepresentativeRole,
    StageRecord,
    Status,
)
from heard.cases.references import next_reference
from heard.core.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from heard.org import access
from heard.org.access import Permission
from heard.org.calendars import get_organisation, organisation_calendar
from heard.org.models import Organisation, Role, Service, ServiceRequestCategory
from heard.procedures.models import Procedure, ProcedureVersion, Stage

User = get_user_model()
SUBJECT_MAX = 200
TEXT_MAX = 20_000


@dataclass(frozen=True)
class CustomerDetails:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    language: str = "en"
    contact_preference: str = "email"
    access_formats: tuple[str, ...] = ()
    access_language: str = ""
    adjustments: str = ""


@dataclass(frozen=True)
class RemedyDetails:
    kind: str
    description: str = ""
    amount: Decimal | None = None


# -- creating a case ---------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_case(
    *,
    by: Any,
    kind: str,
    channel: str,
    subject: str,
    description: str = "",
    customer: CustomerDetails,
    procedure: str | None = None,
    received_at: datetime | None = None,
    service: Service | None = None,
    representative: CustomerDetails | None = None,
    representative_role: str = "",
    originated_from: Case | None = None,
    category: ServiceRequestCategory | None = None,
) -> Case:
    """Record a new contact at stage 1 of its procedure and time its deadlines (staff)."""
    access.require(by, Permission.CREATE_CASE)
    return _record_contact(
        by=by,
        kind=kind,
        channel=channel,
        subject=subject,
        description=description,
        customer=customer,
        procedure=procedure,
        received_at=received_at,
        service=service,
        representative=representative,
        representative_role=representative_role,
        originated_from=originated_from,
        category=category,
    )


# Not durable: the portal adds the acknowledgement to the same transaction. No savepoint
# either (two statements fewer per contact): a failure here fails the caller's whole
# transaction, which is what the portal wants; a caller that means to catch one and carry on
# must open its own savepoint, as channels.open311 does round record_on_behalf.
@transaction.atomic(savepoint=False)
def receive_from_public(
    *,
    kind: str,
    subject: str,
    description: str = "",
    customer: CustomerDetails,
    service: Service | None = None,
    received_at: datetime | None = None,
    category: ServiceRequestCategory | None = None,
) -> Case:
    """A contact the public made on the web: no staff user is involved, the channel is the web."""
    if kind not in PUBLIC_KINDS:
        raise InvalidInput("Choose what you would like to tell us.", field="kind")
    return _record_contact(
        by=None,
        kind=kind,
        channel=Channel.WEB,
        subject=subject,
        description=description,
        customer=customer,
        service=service,
        received_at=received_at,
        category=category,
    )


@transaction.atomic  # not durable: the portal adds the acknowledgement to the same transaction
def record_on_behalf(
    *,
    by: Any,
    kind: str,
    channel: str,
    subject: str,
    description: str = "",
    customer: CustomerDetails,
    service: Service | None = None,
    category: ServiceRequestCategory | None = None,
) -> Case:
    """A member of staff fills in the public form for a customer who phoned, wrote or called in."""
    access.require(by, Permission.CREATE_CASE)
    if kind not in PUBLIC_KINDS:
        raise InvalidInput("Choose what the customer would like to tell us.", field="kind")
    return _record_contact(
        by=by,
        kind=kind,
        channel=channel,
        subject=subject,
        description=description,
        customer=customer,
        service=service,
        category=category,
    )


PUBLIC_KINDS = frozenset(
    {Kind.COMPLAINT, Kind.COMPLIMENT, Kind.COMMENT, Kind.SUGGESTION, Kind.SERVICE_REQUEST}
)


def _record_contact(
    *,
    by: Any,
    kind: str,
    channel: str,
    subject: str,
    description: str = "",
    customer: CustomerDetails,
    procedure: str | None = None,
    received_at: datetime | None = None,
    service: Service | None = None,
    representative: CustomerDetails | None = None,
    representative_role: str = "",
    originated_from: Case | None = None,
    category: ServiceRequestCategory | None = None,
) -> Case:
    """The contact itself, once whoever records it has been allowed to."""
    _choice(kind, Kind, "kind")
    _choice(channel, Channel, "channel")
    subject = _text(subject, "subject", required=True, limit=SUBJECT_MAX)
    description = _text(description, "description", limit=TEXT_MAX)
    if not customer.name.strip():
        raise InvalidInput("Enter the customer's name.", field="customer.name")
    if representative is not None:
        _choice(representative_role, RepresentativeRole, "representative_role")
    received = _moment(received_at, field="received_at")
    if category is not None:
        if kind != Kind.SERVICE_REQUEST:
            raise InvalidInput(
                "Only a service request has a category from the catalogue.", field="category"
            )
        if category.procedure is None:
            raise InvalidInput(
                f"{category} has no target yet; set one in the catalogue.", field="category"
            )
        procedure = category.procedure.slug
        service = service or category.service
    organisation = get_organisation()
    stage = _first_stage(procedure, kind, organisation)
    version = stage.version
    if originated_from is not None and kind != Kind.COMPLAINT:
        raise InvalidInput(
            "Only a complaint can grow out of an earlier contact.", field="originated_from"
        )

    calendar = organisation_calendar(organisation)
    timing = deadlines.compute(calendar, stage, received_at=received, requested_at=received)
    person = _customer(customer)
    case = Case.objects.create(
        reference=next_reference(kind, calendar.local_date(received).year),
        kind=kind,
        channel=channel,
        procedure_version=version,
        stage=stage,
        stage_number=stage.number,
        status=Status.RECEIVED,
        subject=subject,
        description=description,
        customer=person,
        customer_key=person.email_key,
        representative=_customer(representative) if representative else None,
        representative_role=representative_role if representative else "",
        service=service,
        originated_from=originated_from,
        category=category,
        received_at=received,
        deemed_received=timing.deemed_received,
        acknowledge_by=timing.acknowledge_by,
        respond_by=timing.respond_by,
        created_by=by if getattr(by, "pk", None) else None,
    )
    record = StageRecord.of(
        case,
        stage=stage,
        number=stage.number,
        requested_at=received,
        deemed_received=timing.stage_deemed_received,
        acknowledge_by=timing.acknowledge_by,
        respond_by=timing.respond_by,
    )
    record.save()
    event = _log(
        case,
        "received",
        by=by,
        at=received,
        summary=f"{case.get_kind_display()} received by {case.get_channel_display().lower()}.",
        after={
            "stage": stage.number,
            "status": case.status,
            "procedure": f"{version.procedure.slug} v{version.number}",
            "deemed_received": timing.deemed_received,
            "acknowledge_by": timing.acknowledge_by,
            "respond_by": timing.respond_by,
            "service": service.slug if service else None,
        },
    )
    if originated_from is not None:
        _log(
            originated_from,
            "linked",
            by=by,
            at=received,
            summary=f"Became complaint {case.reference}.",
            after={"became": case.reference},
        )
    case.recorded_with = Recorded(stage_record=record, event=event, time_zone=organisation.timezone)
    return case


# -- the lifecycle steps -----------------------------------------------------------------


@transaction.atomic(durable=True)
def acknowledge(case: Case, *, by: Any, at: datetime | None = None) -> Case:
    """Record the acknowledgement and re-time the response deadline from it if it counts from it."""
    case = _locked(case)
    access.require(by, Permission.ACKNOWLEDGE)
    check(case, Step.ACKNOWLEDGE)
    record = _current_record(case)
    at = _moment(at, not_before=record.requested_at, after_what="the contact was received")
    before = _snapshot(case, "status", "acknowledged_at", "respond_by")
    record.acknowledged_at = at
    timing = _timing(case, record)
    record.respond_by = timing.respond_by
    record.save(update_fields=["acknowledged_at", "respond_by"])
    case.status = Status.ACKNOWLEDGED
    case.acknowledged_at = at
    case.respond_by = record.extended_to or timing.respond_by
    case.save(update_fields=["status", "acknowledged_at", "respond_by", "updated_at"])
    _log(
        case,
        "acknowledged",
        by=by,
        at=at,
        summary=f"Stage {case.stage_number} acknowledged.",
        before=before,
        after=_snapshot(case, "status", "acknowledged_at", "respond_by"),
    )
    return case


@transaction.atomic(durable=True)
def allocate(
    case: Case,
    *,
    by: Any,
    service: Service | None = None,
    officer: Any | None = None,
    at: datetime | None = None,
) -> Case:
    """Give the case to a service, an officer, or both."""
    case = _locked(case)
    access.require(by, Permission.ALLOCATE)
    check(case, Step.ALLOCATE)
    if service is None and officer is None:
        raise InvalidInput("Choose a service, an officer, or both.", field="service")
    at = _moment(at, not_before=case.received_at, after_what="the contact was received")
    target_service = service or case.service
    roles = access.roles_of(by)
    if not roles & access.SEE_ALL_CASES:
        own = access.service_ids_of(by)
        if target_service is None or target_service.pk not in own:
            raise NotPermitted("You can only allocate cases to services you belong to.")
    if officer is not None:
        _check_officer(case, officer, target_service)
    before = _snapshot(case, "service", "assigned_officer")
    if service is not None:
        case.service = service
    if officer is not None:
        case.assigned_officer = officer
    case.save(update_fields=["service", "assigned_officer", "updated_at"])
    if service is not None:
        # The figures count each stage under the case's service (StageRecord.case_service).
        StageRecord.objects.filter(case=case).update(case_service=service)
    after = _snapshot(case, "service", "assigned_officer")
    who = " and ".join(str(v) for v in after.values() if v)
    _log(
        case, "allocated", by=by, at=at, summary=f"Allocated to {who}.", before=before, after=after
    )
    return case


@transaction.atomic(durable=True)
def extend(
    case: Case,
    *,
    by: Any,
    new_date: date,
    reason: str,
    customer_told_how: str,
    customer_told_at: datetime | None = None,
    at: datetime | None = None,
) -> Case:
    """Move the response date, with the reason, within the stage's limit; the customer must have been told."""
    case = _locked(case)
    access.require(by, Permission.EXTEND)
    check(case, Step.EXTEND)
    reason = _text(reason, "reason", required=True, limit=TEXT_MAX)
    _choice(customer_told_how, Channel, "customer_told_how")
    record = _current_record(case)
    at = _moment(at, not_before=record.requested_at, after_what="the contact was received")
    told_at = _moment(
        customer_told_at or at,
        field="customer_told_at",
        not_before=record.requested_at,
        after_what="the contact was received",
    )
    calendar = organisation_calendar()
    stage = case.stage
    current_due = record.extended_to or record.respond_by
    if stage.max_extension_days == 0:
        raise TransitionNotAllowed(
            f"Stage {stage.number} ({stage.name}) of this procedure allows no extension."
        )
    limit = calendar.add_working_days(record.respond_by, stage.max_extension_days)
    if not isinstance(new_date, date) or isinstance(new_date, datetime):
        raise InvalidInput("Give the new date as a date, e.g. 2026-12-18.", field="new_date")
    if new_date <= current_due:
        raise InvalidInput(
            f"The new date must be later than the current one ({current_due:%d %B %Y}).",
            field="new_date",
        )
    if not calendar.is_working_day(new_date):
        raise InvalidInput(f"{new_date:%A %d %B %Y} is not a working day.", field="new_date")
    if new_date > limit:
        raise InvalidInput(
            f"This stage can be extended by at most {stage.max_extension_days} working days in all, "
            f"so no later than {limit:%d %B %Y}.",
            field="new_date",
        )
    Extension.objects.create(
        stage_record=record,
        at=at,
        by=by if getattr(by, "pk", None) else None,
        reason=reason,
        previous_date=current_due,
        new_date=new_date,
        customer_told_at=told_at,
        customer_told_how=customer_told_how,
    )
    record.extended_to = new_date
    record.save(update_fields=["extended_to"])
    before = _snapshot(case, "respond_by")
    case.respond_by = new_date
    case.save(update_fields=["respond_by", "updated_at"])
    _log(
        case,
        "extended",
        by=by,
        at=at,
        summary=(
            f"Response date moved to {new_date:%d %B %Y}: {reason} "
            f"(customer told by {Channel(customer_told_how).label.lower()})."
        )[:500],
        before=before,
        after={
            **_snapshot(case, "respond_by"),
            "reason": reason,
            "customer_told_how": customer_told_how,
            "customer_told_at": told_at,
        },
    )
    return case


@transaction.atomic(durable=True)
def respond(
    case: Case,
    *,
    by: Any,
    outcome: str = "",
    summary: str = "",
    remedies: Iterable[RemedyDetails | Mapping[str, Any]] = (),
    lessons_learned: str = "",
    at: datetime | None = None,
) -> Case:
    """Record the stage's response: the outcome, what was said, remedies and lessons learned."""
    case = _locked(case)
    if outcome:
        _choice(outcome, Outcome, "outcome")
    access.require_may_respond(by, case, outcome)
    check(case, Step.RESPOND)
    if case.kind == Kind.COMPLAINT and not outcome:
        raise InvalidInput("Choose the outcome of this stage of the complaint.", field="outcome")
    if outcome == Outcome.RESOLVED_AT_FIRST_CONTACT and case.stage_number != 1:
        raise InvalidInput(
            "Only the first stage can be resolved at first contact; choose upheld, partly upheld, "
            "not upheld or withdrawn.",
            field="outcome",
        )
    summary = _text(summary, "summary", required=outcome != Outcome.WITHDRAWN, limit=TEXT_MAX)
    lessons_learned = _text(lessons_learned, "lessons_learned", limit=TEXT_MAX)
    checked = [_remedy(r, i) for i, r in enumerate(remedies)]
    record = _current_record(case)
    at = _moment(at, not_before=record.requested_at, after_what="this stage began")
    before = _snapshot(case, "status", "responded_at")
    record.responded_at = at
    record.responded_by = by if getattr(by, "pk", None) else None
    record.outcome = outcome
    record.response_summary = summary
    record.lessons_learned = lessons_learned
    record.save(
        update_fields=[
            "responded_at",
            "responded_by",
            "outcome",
            "response_summary",
            "lessons_learned",
        ]
    )
    Remedy.objects.bulk_create(
        Remedy(stage_record=record, kind=r.kind, description=r.description, amount=r.amount)
        for r in checked
    )
    case.status = Status.RESPONDED
    case.responded_at = at
    case.save(update_fields=["status", "responded_at", "updated_at"])
    outcome_text = f": {Outcome(outcome).label.lower()}" if outcome else ""
    _log(
        case,
        "responded",
        by=by,
        at=at,
        summary=f"Stage {case.stage_number} answered{outcome_text}.",
        before=before,
        after={
            **_snapshot(case, "status", "responded_at"),
            "outcome": outcome,
            "remedies": [
                {"kind": r.kind, "description": r.description, "amount": r.amount} for r in checked
            ],
            "lessons_learned": lessons_learned,
        },
    )
    return case


@transaction.atomic(durable=True)
def escalate(case: Case, *, by: Any, unresolved: str = "", at: datetime | None = None) -> Case:
    """Move the complaint to its next stage; only what remains unresolved is recorded anew."""
    access.require(by, Permission.ESCALATE)
    return _escalate(case, by=by, unresolved=unresolved, at=at)


@transaction.atomic(durable=True)
def escalate_for_customer(case: Case, *, unresolved: str = "") -> Case:
    """The customer says they are still unhappy (from their tracking page): the next stage begins."""
    return _escalate(case, by=None, unresolved=unresolved, at=None)


def _escalate(case: Case, *, by: Any, unresolved: str, at: datetime | None) -> Case:
    case = _locked(case)
    check(case, Step.ESCALATE)
    next_stage = (
        case.procedure_version.stages.filter(number__gt=case.stage_number)
        .order_by("number")
        .first()
    )
    if next_stage is None:
        raise TransitionNotAllowed(
            f"Stage {case.stage_number} is the final stage of the "
            f"{case.procedure_version.procedure.name}. If the customer remains unhappy, "
            "tell them how to contact the ombudsman."
        )
    unresolved = _text(unresolved, "unresolved", limit=TEXT_MAX)
    record = _current_record(case)
    at = _moment(
        at,
        not_before=record.responded_at or record.requested_at,
        after_what="the stage was answered",
    )
    calendar = organisation_calendar()
    timing = deadlines.compute(calendar, next_stage, received_at=case.received_at, requested_at=at)
    StageRecord.of(
        case,
        stage=next_stage,
        number=next_stage.number,
        requested_at=at,
        deemed_received=timing.stage_deemed_received,
        unresolved=unresolved,
        acknowledge_by=timing.acknowledge_by,
        respond_by=timing.respond_by,
    ).save()
    before = _snapshot(
        case, "stage_number", "status", "assigned_officer", "acknowledge_by", "respond_by"
    )
    case.stage = next_stage
    case.stage_number = next_stage.number
    case.status = Status.RECEIVED
    case.acknowledged_at = None
    case.responded_at = None
    case.closed_at = None
    case.assigned_officer = None  # the next stage is answered by someone else
    case.acknowledge_by = timing.acknowledge_by
    case.respond_by = timing.respond_by
    case.save()
    _log(
        case,
        "escalated",
        by=by,
        at=at,
        summary=f"Escalated to stage {next_stage.number} ({next_stage.name}).",
        before=before,
        after={
            **_snapshot(
                case, "stage_number", "status", "assigned_officer", "acknowledge_by", "respond_by"
            ),
            "unresolved": unresolved,
        },
    )
    return case


@transaction.atomic(durable=True)
def close(case: Case, *, by: Any, note: str = "", at: datetime | None = None) -> Case:
    """Close the case once its stage has been answered."""
    case = _locked(case)
    access.require(by, Permission.CLOSE)
    check(case, Step.CLOSE)
    note = _text(note, "note", limit=TEXT_MAX)
    at = _moment(at, not_before=case.responded_at, after_what="the case was answered")
    before = _snapshot(case, "status", "closed_at")
    case.status = Status.CLOSED
    case.closed_at = at
    case.save(update_fields=["status", "closed_at", "updated_at"])
    _log(
        case,
        "closed",
        by=by,
        at=at,
        summary=("Case closed. " + note).strip()[:500],
        before=before,
        after={**_snapshot(case, "status", "closed_at"), "note": note},
    )
    return case


@transaction.atomic(durable=True)
def reopen(case: Case, *, by: Any, reason: str, at: datetime | None = None) -> Case:
    """Reopen a closed case at its current stage; a new response is due, timed from today."""
    case = _locked(case)
    access.require(by, Permission.REOPEN)
    check(case, Step.REOPEN)
    reason = _text(reason, "reason", required=True, limit=TEXT_MAX)
    at = _moment(at, not_before=case.closed_at, after_what="the case was closed")
    record = _current_record(case)
    calendar = organisation_calendar()
    new_due = calendar.add_working_days(calendar.deemed_received(at), case.stage.respond_days)
    before = {
        **_snapshot(case, "status", "closed_at", "responded_at", "respond_by"),
        "outcome": record.outcome,
    }
    record.responded_at = None
    record.responded_by = None
    record.outcome = ""
    record.respond_by = new_due
    record.extended_to = None
    record.save(
        update_fields=["responded_at", "responded_by", "outcome", "respond_by", "extended_to"]
    )
    case.status = Status.ACKNOWLEDGED if record.acknowledged_at else Status.RECEIVED
    case.closed_at = None
    case.responded_at = None
    case.respond_by = new_due
    case.save(update_fields=["status", "closed_at", "responded_at", "respond_by", "updated_at"])
    _log(
        case,
        "reopened",
        by=by,
        at=at,
        summary=f"Reopened: {reason}"[:500],
        before=before,
        after={
            **_snapshot(case, "status", "closed_at", "responded_at", "respond_by"),
            "reason": reason,
        },
    )
    return case


@transaction.atomic(durable=True)
def link_to_complaint(case: Case, *, by: Any, complaint: Case, at: datetime | None = None) -> Case:
    """Record that a service request (or dissatisfaction) became this complaint."""
    case = _locked(case)
    complaint = _locked(complaint)
    access.require(by, Permission.LINK)
    check(case, Step.LINK)
    if complaint.kind != Kind.COMPLAINT:
        raise InvalidInput(f"{complaint.reference} is not a complaint.", field="complaint")
    if case.kind == Kind.COMPLAINT:
        raise InvalidInput(
            "A complaint cannot become another complaint; escalate it instead.", field="complaint"
        )
    if complaint.originated_from_id is not None:
        raise InvalidInput(
            f"{complaint.reference} is already linked to {complaint.originated_from.reference}.",  # type: ignore[union-attr]
            field="complaint",
        )
    at = _moment(at)
    complaint.originated_from = case
    complaint.save(update_fields=["originated_from", "updated_at"])
    _log(
        case,
        "linked",
        by=by,
        at=at,
        summary=f"Became complaint {complaint.reference}.",
        after={"became": complaint.reference},
    )
    _log(
        complaint,
        "linked",
        by=by,
        at=at,
        summary=f"Grew out of {case.reference}.",
        after={"originated_from": case.reference},
    )
    return case


# -- notes, files and links --------------------------------------------------------------


@transaction.atomic(durable=True)
def add_note(case: Case, *, by: Any, text: str) -> CaseNote:
    """An officer's note; it is part of the record and appears on the timeline."""
    access.require(by, Permission.NOTE)
    text = _text(text, "note", required=True, limit=TEXT_MAX)
    note = CaseNote.objects.create(case=case, text=text, author=by)
    _log(case, "noted", by=by, at=note.at, summary=f"Note: {text}"[:500], after={"note": note.pk})
    return note


@transaction.atomic(durable=True)
def add_attachment(case: Case, *, by: Any, upload: Any) -> Attachment:
    """A file added by staff (a letter received, a photo): checked by content like the public's."""
    from django.conf import settings

    from heard.cases.attachments import take_in

    access.require(by, Permission.ADD_ATTACHMENT)
    attachment = take_in(upload, case=case, limit=settings.HEARD_ATTACHMENTS_PER_CASE)
    _log(
        case,
        "file_added",
        by=by,
        at=timezone.now(),
        summary=f"File added: {attachment.original_name} ({attachment.content_type}).",
        after={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic(durable=True)
def link_cases(case: Case, *, by: Any, other: Case, reason: str) -> CaseLink:
    """Link two cases (same problem, same customer, one caused the other), each way."""
    access.require(by, Permission.LINK)
    reason = _text(reason, "reason", required=True, limit=300)
    if other.pk == case.pk:
        raise InvalidInput("A case cannot be linked to itself.", field="other")
    if CaseLink.objects.filter(
        models.Q(from_case=case, to_case=other) | models.Q(from_case=other, to_case=case)
    ).exists():
        raise InvalidInput(
            f"{case.reference} and {other.reference} are already linked.", field="other"
        )
    link = CaseLink.objects.create(from_case=case, to_case=other, reason=reason, by=by)
    now = timezone.now()
    _log(case, "linked", by=by, at=now, summary=f"Linked to {other.reference}: {reason}")
    _log(other, "linked", by=by, at=now, summary=f"Linked to {case.reference}: {reason}")
    return link


# -- the calendar ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def recompute_deadlines() -> int:
    """Re-time every open case against the calendar as it is now."""
    return deadlines.recompute_open_cases(organisation_calendar())


# -- helpers -----------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("stage", "procedure_version__procedure", "service", "assigned_officer")
        .get(pk=case.pk)
    )


def _current_record(case: Case) -> StageRecord:
    return StageRecord.objects.select_for_update().get(case=case, number=case.stage_number)


def _timing(case: Case, record: StageRecord) -> deadlines.StageDeadlines:
    return deadlines.compute(
        organisation_calendar(),
        case.stage,
        received_at=case.received_at,
        requested_at=record.requested_at,
        acknowledged_at=record.acknowledged_at,
    )


def _first_stage(slug: str | None, kind: str, organisation: Organisation) -> Stage:
    """The first stage of the current version of the procedure a new contact follows, with
    its version and procedure, in one query (every contact recorded asks for it)."""
    if slug:
        procedure_q = models.Q(version__procedure__slug=slug)
    else:
        procedure_id = (
            organisation.complaint_procedure_id
            if kind == Kind.COMPLAINT
            else organisation.correspondence_procedure_id
        )
        procedure_q = models.Q(version__procedure_id=procedure_id)
    # The newest published version's first stage (publishing refuses a version without
    # stages): a join, which Django builds faster than a subquery for the current version.
    stage = (
        Stage.objects.select_related("version__procedure")
        .filter(procedure_q, version__published_at__isnull=False)
        .order_by("-version__number", "number")
        .first()
    )
    if stage is None:
        # Say why: no such procedure, no published version, or a version without stages.
        version = _procedure_version(slug, kind, organisation)
        raise InvalidInput(f"The procedure {version} has no stages.", field="procedure")
    return stage


def _procedure_version(
    slug: str | None, kind: str, organisation: Organisation | None = None
) -> ProcedureVersion:
    if slug:
        procedure = Procedure.objects.filter(slug=slug).first()
        if procedure is None:
            known = ", ".join(Procedure.objects.order_by("slug").values_list("slug", flat=True))
            raise InvalidInput(
                f"There is no procedure '{slug}'. Choose one of: {known}.", field="procedure"
            )
    else:
        organisation = organisation or get_organisation()
        procedure = (
            organisation.complaint_procedure
            if kind == Kind.COMPLAINT
            else organisation.correspondence_procedure
        )
        if procedure is None:
            raise InvalidInput("Name the procedure this case follows.", field="procedure")
    try:
        return procedure.current_version()
    except ProcedureVersion.DoesNotExist as error:
        raise InvalidInput(str(error), field="procedure") from error


def _check_officer(case: Case, officer: Any, service: Service | None) -> None:
    if not getattr(officer, "is_active", False):
        raise InvalidInput(f"{officer} is not an active member of staff.", field="officer")
    roles = access.roles_of(officer)
    handlers = {
        Role.FRONT_LINE_OFFICER,
        Role.INVESTIGATING_OFFICER,
        Role.HEAD_OF_SERVICE,
        Role.COMPLAINTS_TEAM,
        Role.PANEL_MEMBER,
        Role.ADMINISTRATOR,
    }
    if not roles & handlers:
        raise InvalidInput(f"{officer} does not hold a role that handles cases.", field="officer")
    central = roles & {Role.COMPLAINTS_TEAM, Role.ADMINISTRATOR}
    if service is not None and not central and service.pk not in access.service_ids_of(officer):
        raise InvalidInput(f"{officer} does not work in {service}.", field="officer")
    if case.procedure_version.procedure.independent_review:
        earlier = StageRecord.objects.filter(
            case=case, number__lt=case.stage_number, responded_by=officer
        )
        if earlier.exists():
            raise InvalidInput(
                f"{officer} answered an earlier stage of this complaint; under the "
                f"{case.procedure_version.procedure.name} a later stage must be handled by someone else.",
                field="officer",
            )


def _customer(details: CustomerDetails) -> Customer:
    _choice(details.contact_preference, ContactPreference, "customer.contact_preference")
    for access_format in details.access_formats:
        _choice(access_format, AccessFormat, "customer.access_formats")
    return Customer.objects.create(
        name=_text(details.name, "customer.name", required=True, limit=200),
        email=_text(details.email, "customer.email", limit=254),
        phone=_text(details.phone, "customer.phone", limit=40),
        address=_text(details.address, "customer.address", limit=2000),
        language=details.language if details.language in ("en", "cy") else "en",
        contact_preference=details.contact_preference,
        access_formats=list(details.access_formats),
        access_language=_text(details.access_language, "customer.access_language", limit=100),
        adjustments=_text(details.adjustments, "customer.adjustments", limit=TEXT_MAX),
    )


def _remedy(details: RemedyDetails | Mapping[str, Any], index: int) -> RemedyDetails:
    if isinstance(details, Mapping):
        details = RemedyDetails(**details)
    field = f"remedies[{index}]"
    _choice(details.kind, RemedyKind, f"{field}.kind")
    amount = details.amount
    if details.kind == RemedyKind.FINANCIAL:
        try:
            amount = Decimal(str(amount)) if amount is not None else None
        except InvalidOperation:
            amount = None
        if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidInput(
                "Give the amount of financial redress in pounds and pence, e.g. 150.00.",
                field=f"{field}.amount",
            )
    elif amount is not None:
        raise InvalidInput("Only financial redress has an amount.", field=f"{field}.amount")
    return RemedyDetails(
        kind=details.kind,
        description=_text(details.description, f"{field}.description", limit=TEXT_MAX),
        amount=amount,
    )


def _moment(
    at: datetime | None,
    *,
    field: str = "at",
    not_before: datetime | None = None,
    after_what: str = "",
) -> datetime:
    """A recorded time: now if not given; never in the future nor before what it follows."""
    now = timezone.now()
    if at is None:
        return now
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput(
            "Give the time with its UTC offset, e.g. 2026-11-24T09:30:00+00:00.", field=field
        )
    if at > now:
        raise InvalidInput(
            "That time is in the future. Record things once they have happened.", field=field
        )
    if not_before is not None and at < not_before:
        raise InvalidInput(
            f"That time is before {after_what} ({not_before:%d %B %Y %H:%M} UTC).", field=field
        )
    return at


def _text(value: str | None, field: str, *, required: bool = False, limit: int) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"Enter the {field.replace('_', ' ').split('.')[-1]}.", field=field)
    if len(text) > limit:
        raise InvalidInput(
            f"The {field.replace('_', ' ')} must be {limit:,} characters or fewer.", field=field
        )
    return text


def _choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise InvalidInput(
            f"'{value}' is not a valid {field.replace('_', ' ')}. Choose one of: {', '.join(choices.values)}.",
            field=field,
        )


def _snapshot(case: Case, *fields: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(case, name)
        values[name] = _jsonable(value)
    return values


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return getattr(value, "slug", None) or getattr(value, "username", None) or str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _log(
    case: Case,
    action: str,
    *,
    by: Any,
    at: datetime,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        at=at,
        actor=by if getattr(by, "pk", None) else None,
        summary=summary[:500],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )
