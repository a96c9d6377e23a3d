"""Email in: turning one RFC 5322 message into a new contact, a reply on its case, or nothing.

This is the whole rule, apart from how the bytes arrive (:mod:`heard.channels.imap` and the
relay webhook in :mod:`heard.channels.relay`). Each message is taken in by one transaction:
the record of the message (unique by Message-ID), the case or the entry on its timeline, its
files and the acknowledgement are committed together or not at all, and only after that
commit may the mailbox let go of the message.

Automatic mail never becomes a case and is never acknowledged: auto-replies (RFC 3834
``Auto-Submitted``, ``X-Autoreply``, ``Precedence: bulk``), delivery failure reports
(``multipart/report``, MAILER-DAEMON) and our own mail coming back (a Message-ID in our
domain, an ``X-Heard-*`` header, or a message from the mailbox's own address).

A reply is threaded onto its case by the case reference in its subject, or else by the
messages it answers (``In-Reply-To``, ``References``): one Heard sent about the case, or an
earlier message taken in onto the case. A new contact from an address Heard already knows
goes on that customer's existing record.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from heard.cases import services as case_services
from heard.cases.attachments import take_in
from heard.cases.models import REFERENCE_PREFIXES, Case, CaseEvent, CaseNote, Customer
from heard.cases.normalise import email_forms
from heard.channels.models import InboundEmail, Mailbox
from heard.channels.services import intake_user
from heard.core.errors import InvalidInput

Outcome = InboundEmail.Outcome

REFERENCE = re.compile(
    r"\b(" + "|".join(sorted(set(REFERENCE_PREFIXES.values()), key=len, reverse=True)) + r")"
    r"-(\d{4})-(\d{6})\b",
    re.IGNORECASE,
)
AUTO_PRECEDENCE = {"bulk", "auto_reply", "junk", "list"}
DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon")
BODY_LIMIT = case_services.TEXT_MAX


@dataclass
class Email:
    """What Heard needs from one message."""

    message_id: str
    sender_name: str
    sender: str  # lower case
    subject: str
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    automatic: tuple[str, str] | None = None  # (outcome, why) for mail that must create nothing
    replying_to: list[str] = field(
        default_factory=list
    )  # In-Reply-To, then References newest first
    sender_as_written: str = ""


def parse(raw: bytes, *, mailbox: Mailbox | None = None) -> Email:
    """Read a message's sender, subject, text and files, and recognise automatic mail."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    message_id = _header(message, "Message-ID").strip()
    if not message_id:
        # No Message-ID: the content itself identifies it, so a second fetch is still recognised.
        message_id = f"<sha256.{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    name, address = parseaddr(_header(message, "From"))
    return Email(
        message_id=message_id[:500],
        sender_name=name.strip(),
        sender=address.strip().lower(),
        subject=" ".join(_header(message, "Subject").split()),
        text=_text_of(message),
        attachments=_attachments_of(message),
        automatic=_automatic(message, address.strip().lower(), message_id, mailbox),
        replying_to=_replying_to(message),
        sender_as_written=address.strip(),
    )


def take_in_message(
    raw: bytes, *, mailbox: Mailbox | None = None, arrived_by: str = "imap"
) -> InboundEmail:
    """Record one message once; returns its record (the existing one if it came before)."""
    email = parse(raw, mailbox=mailbox)
    existing = InboundEmail.objects.filter(message_id=email.message_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _record(email, raw, mailbox=mailbox, arrived_by=arrived_by)
    except IntegrityError:
        # The same message taken in at the same moment by another worker: theirs stands.
        existing = InboundEmail.objects.filter(message_id=email.message_id).first()
        if existing is None:
            raise
        return existing


def _record(email: Email, raw: bytes, *, mailbox: Mailbox | None, arrived_by: str) -> InboundEmail:
    record = InboundEmail(
        mailbox=mailbox,
        message_id=email.message_id,
        sender=email.sender[:254],
        subject=email.subject[:500],
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        arrived_by=arrived_by,
    )
    if email.automatic is not None:
        record.outcome, record.reason = email.automatic
        record.save()
        return record
    case = _case_replied_to(email.subject) or _case_of_thread(email.replying_to)
    if case is not None:
        record.outcome, record.case = Outcome.THREADED, case
        record.save()
        _thread(case, email)
        return record
    try:
        case = _new_contact(email, mailbox)
    except InvalidInput as error:
        record.outcome, record.reason = Outcome.REJECTED, error.message[:500]
        record.save()
        return record
    record.outcome, record.case = Outcome.NEW_CONTACT, case
    record.save()
    return record


def _new_contact(email: Email, mailbox: Mailbox | None) -> Case:
    if not email.sender or "@" not in email.sender:
        raise InvalidInput("The message has no sender address to reply to.", field="from")
    kind = mailbox.kind if mailbox else "complaint"
    case = case_services.record_on_behalf(
        by=intake_user(),
        kind=kind,
        channel="email",
        subject=(email.subject or "Email with no subject")[: case_services.SUBJECT_MAX],
        description=email.text or "(The email had no text.)",
        customer=case_services.CustomerDetails(
            name=email.sender_name or email.sender, email=email.sender
        ),
        service=mailbox.service if mailbox else None,
    )
    known = known_customer(email.sender_as_written or email.sender, besides=case.customer)
    if known is not None:
        _use_known_customer(case, known)
    _keep_files(case, email, limit=settings.HEARD_ATTACHMENTS_PER_CONTACT)
    if mailbox is None or mailbox.acknowledge:
        _acknowledge(case)
    return case


def known_customer(address: str, *, besides: Customer | None = None) -> Customer | None:
    """The customer record Heard already has for an email address (the latest, if several;
    the record kept, if it was merged). Matched through the email index."""
    if not address:
        return None
    found = Customer.objects.filter(email__in=email_forms(address))
    if besides is not None:
        found = found.exclude(pk=besides.pk)
    customer = found.order_by("-created_at", "-pk").first()
    seen: set[int] = set()
    while customer is not None and customer.merged_into_id is not None and customer.pk not in seen:
        seen.add(customer.pk)
        customer = customer.merged_into
    return customer


def _use_known_customer(case: Case, known: Customer) -> None:
    """Put the new contact on the customer's existing record instead of a new one.

    The case service always records the sender as a new customer; in the same transaction
    the case moves to the record Heard already has, and the new, empty one is removed, so
    the customer has one record with all their cases (and their language and needs).
    """
    fresh = case.customer
    Case.objects.filter(pk=case.pk).update(customer=known, customer_key=known.email_key)
    case.customer, case.customer_key = known, known.email_key
    fresh.delete()
    CaseEvent.objects.create(
        case=case,
        action="customer_matched",
        at=timezone.now(),
        summary=f"Sender {known.email} matched to the existing customer record of {known.name}.",
        after={"customer": known.pk},
    )


def _case_of_thread(message_ids: list[str]) -> Case | None:
    """The case a reply belongs to, from the messages it answers: one Heard sent about the case
    (its Message-ID) or one taken in earlier that is on a case."""
    if not message_ids:
        return None
    from heard.notify.models import Message

    sent = dict(
        Message.objects.filter(provider_reference__in=message_ids, case__isnull=False).values_list(
            "provider_reference", "case_id"
        )
    )
    received = dict(
        InboundEmail.objects.filter(message_id__in=message_ids, case__isnull=False).values_list(
            "message_id", "case_id"
        )
    )
    for message_id in message_ids:
        case_id = sent.get(message_id) or received.get(message_id)
        if case_id is not None:
            return Case.objects.get(pk=case_id)
    return None


def _thread(case: Case, email: Email) -> None:
    """Put the reply on the case's timeline and flag it to whoever handles the case."""
    now = timezone.now()
    CaseEvent.objects.create(
        case=case,
        action="email_received",
        at=now,
        summary=f"Email from {email.sender}: {email.subject}"[:500],
        after={"message_id": email.message_id, "from": email.sender, "subject": email.subject},
    )
    known = {
        address.lower()
        for address in (
            case.customer.email,
            case.representative.email if case.representative else "",
        )
        if address
    }
    who = (
        "The customer wrote again"
        if email.sender in known
        else f"Someone other than the customer on record wrote about this case ({email.sender})"
    )
    CaseNote.objects.create(
        case=case,
        author=intake_user(),
        text=(
            f"{who}, subject “{email.subject}”. Read it and reply if it needs an answer:"
            f"\n\n{email.text}"
        )[:BODY_LIMIT],
    )
    _keep_files(case, email, limit=settings.HEARD_ATTACHMENTS_PER_CASE)


def _keep_files(case: Case, email: Email, *, limit: int) -> None:
    """Keep each attachment that passes the usual checks; note on the timeline any refused."""
    for name, content in email.attachments:
        upload = SimpleUploadedFile(name, content)
        try:
            attachment = take_in(upload, case=case, limit=limit)
        except InvalidInput as error:
            CaseEvent.objects.create(
                case=case,
                action="file_refused",
                at=timezone.now(),
                summary=f"Attachment not kept: {error.message}"[:500],
                after={"name": name, "size": len(content)},
            )
            continue
        CaseEvent.objects.create(
            case=case,
            action="file_added",
            at=timezone.now(),
            summary=f"File added from email: {attachment.original_name} ({attachment.content_type}).",
            after={"attachment": attachment.pk, "sha256": attachment.sha256},
        )


def _acknowledge(case: Case) -> None:
    from heard.notify.models import TemplateKey
    from heard.notify.services import queue_message
    from heard.portal.services import acknowledgement_context

    customer = case.customer
    queue_message(
        key=f"acknowledgement:{case.pk}",
        template_key=TemplateKey.ACKNOWLEDGEMENT,
        recipient=customer.email,
        case=case,
        language=customer.language,
        context=acknowledgement_context(case, customer.language),
    )


def _case_replied_to(subject: str) -> Case | None:
    for match in REFERENCE.finditer(subject):
        reference = "-".join((match.group(1).upper(), match.group(2), match.group(3)))
        case = Case.objects.filter(reference=reference).first()
        if case is not None:
            return case
    return None


# -- reading the message ---------------------------------------------------------------------


def _automatic(
    message: EmailMessage, sender: str, message_id: str, mailbox: Mailbox | None
) -> tuple[str, str] | None:
    """(outcome, why) if the message is automatic mail that must create nothing."""
    own_domain = "@" + settings.HEARD_MESSAGE_ID_DOMAIN.lower() + ">"
    if message_id.lower().endswith(own_domain):
        return Outcome.LOOP, "The Message-ID is one of Heard's own."
    if any(name.lower().startswith("x-heard") for name in message):
        return Outcome.LOOP, "The message carries Heard's own X-Heard header."
    if mailbox is not None and sender == mailbox.address.lower():
        return Outcome.LOOP, "The message is from the mailbox's own address."
    content_type = message.get_content_type()
    local_part = sender.split("@", 1)[0]
    if content_type == "multipart/report" or local_part in DAEMONS:
        return Outcome.BOUNCE, "A delivery failure report (bounce)."
    if _header(message, "Return-Path").strip() == "<>" and local_part in DAEMONS:
        return Outcome.BOUNCE, "A delivery failure report (bounce)."
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return Outcome.AUTO_REPLY, f"Auto-Submitted: {auto_submitted}."
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        if _header(message, name):
            return Outcome.AUTO_REPLY, f"The message carries {name}."
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return Outcome.AUTO_REPLY, f"Precedence: {precedence}."
    return None


def _text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        text = body.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = body.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if body.get_content_type() == "text/html":
        text = strip_tags(text)
    text = re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n")).strip()
    return text[:BODY_LIMIT]


def _attachments_of(message: EmailMessage) -> list[tuple[str, bytes]]:
    files = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes) or not content:
            continue
        files.append((part.get_filename() or "attachment", content))
    return files


MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def _replying_to(message: EmailMessage) -> list[str]:
    """The Message-IDs this message answers: In-Reply-To first, then References newest first."""
    found = MESSAGE_ID.findall(_header(message, "In-Reply-To"))
    found += reversed(MESSAGE_ID.findall(_header(message, "References")))
    return list(dict.fromkeys(m[:500] for m in found))[:50]


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (IndexError, ValueError):  # a malformed header: treat as absent
        return ""
    return str(value) if value is not None else ""


def recipients(raw: bytes) -> list[str]:
    """The addresses a message was sent to (To, Cc, Delivered-To), lower-cased."""
    message = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
    found = getaddresses(
        message.get_all("Delivered-To", []) + message.get_all("To", []) + message.get_all("Cc", [])
    )
    return [address.lower() for _, address in found if address]
