"""How a contact recorded at triage came in: a letter's date received and its scan, or a call.

Triage itself (:mod:`heard.cases.triage`) records who and what. For a letter the deadline runs
from the date it was received, not the day it was typed in, so the case is recorded as
received then and timed by the usual working-day rule; the scanned letter is kept with the case like any
other file (checked by its content). A phone contact is logged as a call on its line, with
its start time and outcome, so it counts in the telephone standards; a promised call back is
owed by :func:`heard.channels.phone.call_back_due`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from heard.cases.attachments import ALLOWED, ALLOWED_WORDS, take_in
from heard.cases.models import Case, CaseEvent, Channel, Status
from heard.channels.models import CallRecord
from heard.channels.phone import log_call
from heard.core.errors import InvalidInput
from heard.org import access
from heard.org.access import Permission

LINE_NOT_RECORDED = "Line not recorded"


@dataclass(frozen=True)
class Arrival:
    received_at: datetime | None = None  # when it reached us; None: now
    letter: UploadedFile | None = None
    call_line: str = ""
    call_outcome: str = ""
    call_back_promised: bool = False


def check_arrival(arrival: Arrival, *, channel: str, by: Any) -> None:
    """Refuse, before anything is recorded, what :func:`record_arrival` would refuse."""
    if arrival.received_at is not None:
        if arrival.received_at.tzinfo is None:
            raise InvalidInput("Give the date received with its time zone.", field="received_on")
        if arrival.received_at > timezone.now():
            raise InvalidInput("The date received is in the future; check it.", field="received_on")
    if arrival.letter is not None:
        if channel not in (Channel.LETTER, Channel.IN_PERSON):
            raise InvalidInput(
                "Attach a scanned letter to a contact made by letter or in person.",
                field="letter",
            )
        access.require(by, Permission.ADD_ATTACHMENT)
        check_scan(arrival.letter)


def check_scan(upload: UploadedFile) -> None:
    """Refuse a scan too large to keep or not of a kind we keep (judged by its content)."""
    name = upload.name or "The scan"
    if upload.size is not None and upload.size > settings.HEARD_ATTACHMENT_MAX_BYTES:
        raise InvalidInput(f"{name} is too large to keep.", field="letter")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if not head or kind is None or kind.mime not in ALLOWED:
        raise InvalidInput(
            f"{name} is not a scan we can keep. Send {ALLOWED_WORDS}.", field="letter"
        )


@transaction.atomic(durable=True)
def record_arrival(case: Case, *, by: Any, arrival: Arrival) -> Case:
    """After triage has recorded the contact (as received on the date received, see
    :attr:`heard.cases.triage.Contact.received_at`): keep the scanned letter, and log the call
    of a phone contact."""
    if arrival.letter is not None:
        attachment = take_in(arrival.letter, case=case, limit=settings.HEARD_ATTACHMENTS_PER_CASE)
        CaseEvent.objects.create(
            case=case,
            action="letter_scanned",
            at=timezone.now(),
            actor=by,
            summary=(
                f"Scanned letter added: {attachment.original_name}, received "
                f"{timezone.localtime(case.received_at):%d %B %Y}."
            ),
            after={"attachment": attachment.pk, "sha256": attachment.sha256},
        )
    if case.channel == Channel.PHONE:
        log_triage_call(case, by=by, arrival=arrival)
    return case


def log_triage_call(case: Case, *, by: Any, arrival: Arrival) -> CallRecord:
    """The call a phone contact came in on, logged against its case."""
    if arrival.call_outcome.strip():
        outcome = arrival.call_outcome.strip()
    elif case.status == Status.CLOSED or case.responded_at is not None:
        outcome = "Resolved at first contact."
    elif case.assigned_officer_id is not None or case.service_id is not None:
        outcome = "Recorded and passed to the service."
    else:
        outcome = "Recorded for triage."
    return log_call(
        by=by,
        line=arrival.call_line.strip() or LINE_NOT_RECORDED,
        started_at=case.received_at,
        caller_number=case.customer.phone,
        answered=True,
        call_back_promised=arrival.call_back_promised,
        outcome=outcome,
        case=case,
    )
