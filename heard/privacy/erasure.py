"""Erasure and anonymisation that keep the statistics.

An anonymised case stays: its kind, channel, service, dates, stage records, deadlines,
outcomes and remedies, so every report still counts it. What identifies the person goes:
their customer record is blanked (name "Erased"), the case's free text (subject,
description, notes, stage responses, messages, letters, survey comments) is replaced by
"[erased]", the person's identifiers are cut out of what remains (lessons learned, remedy
and extension wording, the action log), and their files are deleted from disk.

The case action log is append-only: its manager refuses updates. Erasure is the one
exception, and it goes through the model's base manager here only, rewriting the summary and
the before/after values of the case's own entries; each case then gets a new log entry
saying its personal data was erased, and an :class:`Erasure` record keeps who, when, why and
how many rows were changed, without the personal data.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.cases.models import Case, CaseEvent, Customer
from heard.core.errors import InvalidInput
from heard.notify.models import Message
from heard.privacy import access
from heard.privacy.models import AnonymisedCase, Erasure, ErasureSource
from heard.privacy.people import cases_of, find_customer, optional_model, records_of

ERASED_NAME = "Erased"
REDACTED = "[erased]"
# Keys of the action log's before/after values that hold free text.
FREE_TEXT_KEYS = frozenset(
    {
        "note",
        "text",
        "reason",
        "summary",
        "response_summary",
        "unresolved",
        "lessons_learned",
        "description",
        "subject",
        "details",
        "name",
        "email",
        "phone",
        "address",
        "customer_name",
        "adjustments",
    }
)
MIN_PHRASE = 3
TRUNCATED_PREFIX = 40  # long texts quoted in a 500-character log summary may be cut short


@transaction.atomic(durable=True)
def erase_person(*, by: Any, customer: str, reason: str, confirmed: bool) -> Erasure:
    """Erase one person (every record of theirs) from every case, keeping the cases counted."""
    access.require_information_governance(by)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "Say why this person's data is being erased, for example “erasure request of "
            "3 March 2026, reference IG-123”.",
            field="reason",
        )
    if not confirmed:
        raise InvalidInput(
            "Confirm that you understand erasure cannot be undone.", field="confirmed"
        )
    person = find_customer(customer)
    records = records_of(person)
    ids = [r.pk for r in records]
    now = timezone.now()
    erasure = Erasure.objects.create(
        at=now,
        by=by,
        by_username=by.get_username(),
        source=ErasureSource.REQUEST,
        reason=reason,
        customer_numbers=ids,
    )
    counts: Counter[str] = Counter()
    phrases = identifiers(records)
    references: list[str] = []
    for case in cases_of(ids).select_for_update():
        references.append(case.reference)
        if case.customer_id in ids:
            anonymise_case(case, erasure=erasure, by=by, now=now, counts=counts, also=phrases)
        else:
            # They act for someone else: that person's case stays theirs; only this one goes.
            scrub_case(case, phrases, counts=counts)
    for record in records:
        blank_customer(record, counts=counts)
    erasure.case_references = references
    erasure.counts = dict(counts)
    erasure.save(update_fields=["case_references", "counts"])
    return erasure


def identifiers(records: Iterable[Customer]) -> list[str]:
    """What identifies these people in free text: names, surnames, contact details, address lines."""
    phrases: list[str] = []
    for record in records:
        if record.name and record.name != ERASED_NAME:
            phrases.append(record.name)
            parts = record.name.split()
            if len(parts) > 1 and len(parts[-1]) >= 4:
                phrases.append(parts[-1])
        phrases += [record.email, record.phone, record.postcode]
        phrases += [line.strip(" ,") for line in record.address.splitlines()]
        phrases.append(record.adjustments)
    return [p for p in phrases if p and len(p.strip()) >= MIN_PHRASE]


def anonymise_case(
    case: Case,
    *,
    erasure: Erasure,
    by: Any,
    now: datetime,
    counts: Counter[str],
    also: list[str] = (),  # type: ignore[assignment]
) -> None:
    """Remove the personal data of one case, keeping what reports count. Caller holds the lock."""
    if AnonymisedCase.objects.filter(case=case).exists():
        counts["cases already anonymised"] += 1
        return
    people = [case.customer] + ([case.representative] if case.representative else [])
    quoted = [case.subject, case.description, *identifiers(people), *also]

    for record in case.stage_records.all():
        quoted += [record.unresolved, record.response_summary]
        for extension in record.extensions.all():
            quoted.append(extension.reason)
    notes = list(case.notes.all())
    quoted += [note.text for note in notes]
    phrases = _phrases(quoted)

    Case.objects.filter(pk=case.pk).update(subject=ERASED_NAME, description="")
    counts["cases"] += 1
    for record in case.stage_records.all():
        record.unresolved = REDACTED if record.unresolved else ""
        record.response_summary = REDACTED if record.response_summary else ""
        record.lessons_learned = redact_text(record.lessons_learned, phrases)
        record.save(update_fields=["unresolved", "response_summary", "lessons_learned"])
        counts["stage records"] += 1
        for remedy in record.remedies.all():
            remedy.description = redact_text(remedy.description, phrases)
            remedy.save(update_fields=["description"])
            counts["remedies"] += 1
        for extension in record.extensions.all():
            extension.reason = REDACTED
            extension.save(update_fields=["reason"])
            counts["extensions"] += 1
    for note in notes:
        note.text = REDACTED
        note.save(update_fields=["text"])
        counts["notes"] += 1
    for link in case.links_out.all():
        link.reason = redact_text(link.reason, phrases)
        link.save(update_fields=["reason"])
    _delete_attachments(case, counts)
    _redact_related(case, phrases, counts, full=True)
    _redact_events(case, phrases, counts, whole_keys=True)
    CaseEvent.objects.create(
        case=case,
        action="personal_data_erased",
        at=now,
        actor=by if getattr(by, "pk", None) else None,
        summary=(
            f"Personal data erased ({erasure.get_source_display().lower()}); "
            f"erasure record {erasure.pk}. The case is kept for statistics."
        ),
    )
    AnonymisedCase.objects.create(case=case, erasure=erasure, at=now)


def scrub_case(case: Case, phrases: list[str], *, counts: Counter[str]) -> None:
    """Cut these identifiers out of a case that otherwise stays as it is."""
    phrases = _phrases(phrases)
    subject = redact_text(case.subject, phrases)
    description = redact_text(case.description, phrases)
    if (subject, description) != (case.subject, case.description):
        Case.objects.filter(pk=case.pk).update(subject=subject, description=description)
    for note in case.notes.all():
        text = redact_text(note.text, phrases)
        if text != note.text:
            note.text = text
            note.save(update_fields=["text"])
    for record in case.stage_records.all():
        for name in ("unresolved", "response_summary", "lessons_learned"):
            setattr(record, name, redact_text(getattr(record, name), phrases))
        record.save(update_fields=["unresolved", "response_summary", "lessons_learned"])
    _redact_related(case, phrases, counts, full=False)
    _redact_events(case, phrases, counts, whole_keys=False)
    counts["cases where they acted for someone"] += 1


def blank_customer(record: Customer, *, counts: Counter[str]) -> None:
    """Replace a customer record's personal data; the record stays so cases keep a customer."""
    Customer.objects.filter(pk=record.pk).update(
        name=ERASED_NAME,
        email="",
        phone="",
        address="",
        access_formats=[],
        access_language="",
        adjustments="",
        postcode="",
        phone_digits="",
        email_key=None,
    )
    # The key on their cases stands for the address too (the cases stay, counted, but no
    # longer as anyone's repeat complaints).
    Case.objects.filter(customer_id=record.pk).update(customer_key=None)
    restriction = optional_model("cases.CustomerRestriction")
    if restriction is not None:
        counts["restrictions"] += restriction._base_manager.filter(customer_id=record.pk).update(
            details=REDACTED, reason=REDACTED
        )
    counts["customer records"] += 1


def _redact_related(case: Case, phrases: list[str], counts: Counter[str], *, full: bool) -> None:
    """Messages, letters, survey comments and what arrived by email, phone or Open311."""
    for row in Message.objects.filter(case_id=case.pk):
        if full:
            row.recipient, row.body = REDACTED, REDACTED
            row.subject = REDACTED if row.subject else ""
            row.last_error = ""
        else:
            row.recipient = redact_text(row.recipient, phrases)
            row.subject = redact_text(row.subject, phrases)
            row.body = redact_text(row.body, phrases)
        row.save(update_fields=["recipient", "subject", "body", "last_error"])
        counts["messages"] += 1
    letter = optional_model("correspondence.Letter")
    if letter is not None:
        for sent in letter._base_manager.filter(case_id=case.pk):
            names = ("recipient", "address", "subject", "body", "check_comments")
            for name in names:
                value = getattr(sent, name)
                setattr(
                    sent, name, (REDACTED if value else "") if full else redact_text(value, phrases)
                )
            sent.save(update_fields=list(names))
            counts["letters"] += 1
    if not full:
        return
    survey = optional_model("portal.SurveyResponse")
    if survey is not None:
        counts["survey comments"] += (
            survey._base_manager.filter(case_id=case.pk)
            .exclude(comments="")
            .update(comments=REDACTED)
        )
    inbound = optional_model("channels.InboundEmail")
    if inbound is not None:
        counts["emails received"] += inbound._base_manager.filter(case_id=case.pk).update(
            sender=REDACTED, subject=REDACTED
        )
    call = optional_model("channels.CallRecord")
    if call is not None:
        counts["calls"] += call._base_manager.filter(case_id=case.pk).update(
            caller_number="", outcome=REDACTED
        )
    open311 = optional_model("channels.Open311Request")
    if open311 is not None:
        counts["Open311 requests"] += open311._base_manager.filter(case_id=case.pk).update(
            address_string="", lat=None, long=None, media_url="", attributes={}
        )


def _delete_attachments(case: Case, counts: Counter[str]) -> None:
    """Delete the case's files: the rows now, the files from disk once the erasure commits."""
    paths: list[str] = []
    for attachment in case.attachments.all():
        if attachment.file:
            with contextlib.suppress(NotImplementedError, ValueError):
                paths.append(attachment.file.path)
        attachment.delete()
        counts["files"] += 1

    def remove() -> None:
        for path in paths:
            Path(path).unlink(missing_ok=True)

    transaction.on_commit(remove)


def _redact_events(
    case: Case, phrases: list[str], counts: Counter[str], *, whole_keys: bool
) -> None:
    """The one write to the append-only action log: the documented erasure path.

    With ``whole_keys``, free-text values in before/after (notes, reasons…) go entirely.
    """
    for event in CaseEvent._base_manager.filter(case_id=case.pk).order_by("pk"):
        summary = redact_text(event.summary, phrases)
        before = redact_json(event.before, phrases, whole_keys=whole_keys)
        after = redact_json(event.after, phrases, whole_keys=whole_keys)
        if (summary, before, after) != (event.summary, event.before, event.after):
            CaseEvent._base_manager.filter(pk=event.pk).update(
                summary=summary[:500], before=before, after=after
            )
            counts["log entries redacted"] += 1


def _phrases(texts: Iterable[str | None]) -> list[str]:
    unique = {t.strip() for t in texts if t and len(t.strip()) >= MIN_PHRASE}
    return sorted(unique, key=len, reverse=True)


def redact_text(text: str, phrases: list[str]) -> str:
    """``text`` with every phrase (any case) replaced by [erased]; a long phrase quoted only in
    part (a summary cut at 500 characters) is cut from where it begins."""
    if not text:
        return text
    for phrase in phrases:
        if len(phrase) < MIN_PHRASE:
            continue
        pattern = re.escape(phrase)
        if phrase[0].isalnum() and phrase[-1].isalnum():
            pattern = rf"\b{pattern}\b"
        text = re.sub(pattern, REDACTED, text, flags=re.IGNORECASE)
        if len(phrase) > TRUNCATED_PREFIX:
            start = text.lower().find(phrase[:TRUNCATED_PREFIX].lower())
            if start >= 0:
                text = text[:start] + REDACTED
    return text


def redact_json(value: Any, phrases: list[str], key: str = "", *, whole_keys: bool = True) -> Any:
    if isinstance(value, dict):
        return {k: redact_json(v, phrases, k, whole_keys=whole_keys) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v, phrases, key, whole_keys=whole_keys) for v in value]
    if isinstance(value, str):
        if whole_keys and key in FREE_TEXT_KEYS and value:
            return REDACTED
        return redact_text(value, phrases)
    return value
