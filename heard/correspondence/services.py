"""Writing to customers: draft, edit, quality check and send. One function per step.

Each step checks who may see the case (:func:`heard.org.access.access_case`) and what they
may do, consults the letter's transition table (:mod:`heard.correspondence.lifecycle`), runs
in one durable transaction with the letter row locked, and writes what it did to the
case's append-only action log. An email goes out through the outbox
(:func:`heard.notify.services.queue_message`) in the same transaction, so a rolled-back
send emails nobody.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from heard.cases.models import Case, CaseEvent
from heard.core.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from heard.correspondence import merge
from heard.correspondence.defaults import MESSAGE_TEMPLATE_KEY
from heard.correspondence.lifecycle import Step, check
from heard.correspondence.models import Letter, LetterStatus, LetterTemplate, Medium
from heard.notify.models import MessageChannel
from heard.notify.services import queue_message
from heard.org import access
from heard.org.access import Permission

SUBJECT_MAX = 200
BODY_MAX = 50_000
COMMENTS_MAX = 5_000
MISSING = {
    "recipient": "Enter who it is to.",
    "subject": "Enter a subject.",
    "body": "Enter the text of the letter or email.",
}


@transaction.atomic(durable=True)
def draft_letter(*, case: Case, template: LetterTemplate, by: Any) -> Letter:
    """A new draft for ``case`` from ``template``, its merge fields filled in, written by ``by``."""
    case = access.access_case(by, case.reference)
    access.require(by, Permission.RESPOND)
    if not template.active:
        raise InvalidInput(
            f"The template “{template.name}” is no longer in use. Choose another.",
            field="template",
        )
    fields = merge.context_for(
        case, purpose=template.purpose, language=template.language, officer=by
    )
    try:
        subject = merge.render(template.subject, fields, field="subject")
        body = merge.render(template.body, fields)
    except InvalidInput as error:
        raise InvalidInput(
            f"The template “{template.name}” cannot be used until an administrator corrects "
            f"it: {error.message}",
            field="template",
        ) from error
    addressee = case.representative or case.customer
    email = template.medium == Medium.EMAIL
    now = timezone.now()
    letter = Letter.objects.create(
        case=case,
        template=template,
        purpose=template.purpose,
        stage=case.stage,
        medium=template.medium,
        language=template.language,
        recipient=addressee.email if email else addressee.name,
        address="" if email else addressee.address,
        subject=subject[:SUBJECT_MAX],
        body=body,
        author=by,
        created_at=now,
        updated_at=now,
    )
    _log(
        letter,
        "letter_drafted",
        by=by,
        at=now,
        summary=f"{_kind(letter)} drafted from “{template.name}”: {letter.subject}",
        after={"template": template.name},
    )
    return letter


@transaction.atomic(durable=True)
def edit_letter(
    letter: Letter, *, by: Any, recipient: str, subject: str, body: str, address: str = ""
) -> Letter:
    """Change a draft (or a letter returned by its checker): its author only."""
    letter = _locked(letter, by)
    access.require(by, Permission.RESPOND)
    _require_author(letter, by, "change")
    check(letter, Step.EDIT)
    recipient = _text(recipient, "recipient", limit=254, required=True)
    subject = _text(subject, "subject", limit=SUBJECT_MAX, required=True)
    body = _text(body, "body", limit=BODY_MAX, required=True)
    address = _text(address, "address", limit=1_000) if letter.medium == Medium.LETTER else ""
    if letter.is_email:
        _require_email(recipient)
    changed = [
        name
        for name, value in (
            ("recipient", recipient),
            ("address", address),
            ("subject", subject),
            ("body", body),
        )
        if getattr(letter, name) != value
    ]
    if not changed:
        return letter
    before = {"recipient": letter.recipient, "subject": letter.subject}
    letter.recipient, letter.address, letter.subject, letter.body = (
        recipient,
        address,
        subject,
        body,
    )
    letter.updated_at = timezone.now()
    letter.save(update_fields=["recipient", "address", "subject", "body", "updated_at"])
    _log(
        letter,
        "letter_edited",
        by=by,
        at=letter.updated_at,
        summary=f"{_kind(letter)} changed ({', '.join(changed)}): {letter.subject}",
        before=before,
        after={"recipient": letter.recipient, "subject": letter.subject, "changed": changed},
    )
    return letter


@transaction.atomic(durable=True)
def submit_for_check(letter: Letter, *, by: Any) -> Letter:
    """Send a draft to be checked by a second person before it goes to the customer."""
    letter = _locked(letter, by)
    access.require(by, Permission.RESPOND)
    _require_author(letter, by, "send for its quality check")
    check(letter, Step.SUBMIT)
    _require_ready(letter)
    now = timezone.now()
    letter.status = LetterStatus.AWAITING_CHECK
    letter.submitted_at = now
    letter.checker = None
    letter.checked_at = None
    letter.check_comments = ""
    letter.updated_at = now
    letter.save(
        update_fields=[
            "status",
            "submitted_at",
            "checker",
            "checked_at",
            "check_comments",
            "updated_at",
        ]
    )
    _log(
        letter,
        "letter_submitted",
        by=by,
        at=now,
        summary=f"{_kind(letter)} sent for its quality check: {letter.subject}",
    )
    return letter


@transaction.atomic(durable=True)
def approve(letter: Letter, *, by: Any, comments: str = "") -> Letter:
    """The checker passes the letter as fit to send."""
    letter = _locked(letter, by)
    _require_checker(letter, by)
    check(letter, Step.APPROVE)
    return _checked(letter, by, LetterStatus.APPROVED, _text(comments, "comments", COMMENTS_MAX))


@transaction.atomic(durable=True)
def return_letter(letter: Letter, *, by: Any, comments: str) -> Letter:
    """The checker sends the letter back to its author with what needs to change."""
    letter = _locked(letter, by)
    _require_checker(letter, by)
    check(letter, Step.RETURN)
    comments = _text(comments, "comments", COMMENTS_MAX)
    if not comments:
        raise InvalidInput(
            "Say what needs to change before you return the letter.", field="comments"
        )
    return _checked(letter, by, LetterStatus.RETURNED, comments)


@transaction.atomic(durable=True)
def send(letter: Letter, *, by: Any) -> Letter:
    """Send an email through the outbox, or record a letter as posted; the copy stays on the case.

    Where the letter's stage asks for a quality check, only an approved letter may be sent.
    A draft is sent by its author; an approved letter by anyone who may answer cases.
    """
    letter = _locked(letter, by)
    access.require(by, Permission.RESPOND)
    check(letter, Step.SEND)
    if letter.status == LetterStatus.DRAFT:
        _require_author(letter, by, "send")
    if letter.status == LetterStatus.DRAFT and letter.stage.quality_check:
        raise TransitionNotAllowed(
            f"Letters at stage {letter.stage.number} ({letter.stage.name}) must be checked by "
            "a second person before they are sent. Send it for its quality check first."
        )
    _require_ready(letter)
    now = timezone.now()
    if letter.is_email:
        try:
            letter.message = queue_message(
                key=f"letter:{letter.pk}",
                template_key=MESSAGE_TEMPLATE_KEY,
                recipient=letter.recipient,
                context={"subject": letter.subject, "body": letter.body},
                case=letter.case,
                channel=MessageChannel.EMAIL,
                language=letter.language,
            )
        except LookupError as error:
            raise InvalidInput(str(error)) from error
    letter.status = LetterStatus.SENT
    letter.sent_at = now
    letter.sent_by = by
    letter.updated_at = now
    letter.save(update_fields=["status", "sent_at", "sent_by", "message", "updated_at"])
    how = f"Email sent to {letter.recipient}" if letter.is_email else "Letter posted"
    if not letter.is_email:
        how += f" to {letter.recipient}"
    _log(
        letter,
        "letter_sent",
        by=by,
        at=now,
        summary=f"{how}: {letter.subject}",
        after={
            "medium": letter.medium,
            "recipient": letter.recipient,
            "address": letter.address,
            "subject": letter.subject,
            "checked_by": _username(letter.checker),
            "body_sha256": hashlib.sha256(letter.body.encode()).hexdigest(),
            "message": letter.message_id,
        },
    )
    return letter


# -- helpers -------------------------------------------------------------------------------


def _locked(letter: Letter, by: Any) -> Letter:
    """The letter, locked, if ``by`` may see its case (otherwise NotFound, as for the case)."""
    case = access.access_case(by, letter.case.reference)
    locked = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("stage", "checker", "author")
        .get(pk=letter.pk, case=case)
    )
    locked.case = case
    return locked


def _require_author(letter: Letter, by: Any, doing: str) -> None:
    if letter.author_id != by.pk:
        author = merge.person_name(letter.author) or "its author"
        raise NotPermitted(f"Only the officer who wrote this, {author}, can {doing} it.")


def _require_checker(letter: Letter, by: Any) -> None:
    """The second-person rule: the checker is not the author and could answer the stage."""
    if letter.author_id == by.pk:
        raise NotPermitted(
            "You wrote this, so someone else must check it: the quality check is done by a "
            "second person."
        )
    access.require_may_respond(by, letter.case)


def _require_ready(letter: Letter) -> None:
    left = merge.placeholders(f"{letter.subject}\n{letter.body}")
    if left:
        raise InvalidInput(
            f"Replace the text in double brackets first: [[{left[0]}]]"
            + (f" and {len(left) - 1} more." if len(left) > 1 else "."),
            field="body",
        )
    if not letter.recipient.strip():
        raise InvalidInput("Enter who it is to.", field="recipient")
    if letter.is_email:
        _require_email(letter.recipient)
    elif not letter.address.strip():
        raise InvalidInput("Enter the address the letter is posted to.", field="address")


def _require_email(recipient: str) -> None:
    try:
        validate_email(recipient)
    except ValidationError as error:
        raise InvalidInput(
            "Enter an email address in the correct format, like name@example.com.",
            field="recipient",
        ) from error


def _checked(letter: Letter, by: Any, status: str, comments: str) -> Letter:
    now = timezone.now()
    letter.status = status
    letter.checker = by
    letter.checked_at = now
    letter.check_comments = comments
    letter.updated_at = now
    letter.save(update_fields=["status", "checker", "checked_at", "check_comments", "updated_at"])
    approved = status == LetterStatus.APPROVED
    _log(
        letter,
        "letter_approved" if approved else "letter_returned",
        by=by,
        at=now,
        summary=(
            f"{_kind(letter)} {'approved' if approved else 'returned with comments'}: "
            f"{letter.subject}"
        ),
        after={"comments": comments, "author": _username(letter.author)},
    )
    return letter


def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise InvalidInput(MISSING.get(field, f"Enter the {field}."), field=field)
    if len(text) > limit:
        raise InvalidInput(f"The {field} must be {limit:,} characters or fewer.", field=field)
    return text


def _kind(letter: Letter) -> str:
    return "Email" if letter.is_email else "Letter"


def _username(user: Any) -> str | None:
    return getattr(user, "username", None)


def _log(
    letter: Letter,
    action: str,
    *,
    by: Any,
    at: datetime,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one step to the case's action log; every entry names the letter."""
    return CaseEvent.objects.create(
        case_id=letter.case_id,
        action=action,
        at=at,
        actor=by if getattr(by, "pk", None) else None,
        summary=summary[:500],
        before=before or {},
        after={"letter": letter.pk, "medium": letter.medium, **(after or {})},
    )
