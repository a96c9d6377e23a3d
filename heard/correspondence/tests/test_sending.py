"""An email goes out once through the outbox and Django's mail; a letter is recorded as posted."""

import hashlib

import pytest
from django.core import mail

from heard.cases.models import CaseEvent
from heard.core.errors import InvalidInput
from heard.correspondence import services
from heard.correspondence.models import LetterStatus
from heard.notify import services as notify
from heard.notify.models import Message, MessageStatus
from heard.testing import make_case

from .conftest import RECEIVED, shipped


@pytest.fixture
def ombudsman_case(waste):
    """Housing Ombudsman code: no check is asked for, so drafts may be sent straight away."""
    return make_case(procedure="hos-code-2024", service=waste, received_at=RECEIVED)


def test_an_email_is_queued_in_the_outbox_and_delivered_once(
    ombudsman_case, author, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    letter = services.draft_letter(
        case=ombudsman_case, template=shipped("acknowledgement"), by=author
    )
    body = letter.body + "\n\nP.S. {{ reference }} & <b>not html</b>"
    letter = services.edit_letter(
        letter, by=author, recipient="ann@example.org", subject=letter.subject, body=body
    )
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.send(letter, by=author)

    message = Message.objects.get(case=ombudsman_case)
    assert letter.message == message
    assert message.idempotency_key == f"letter:{letter.pk}"
    assert message.recipient == "ann@example.org"
    assert (message.subject, message.body) == (letter.subject, letter.body)
    assert notify.deliver(message.pk) == MessageStatus.SENT
    assert notify.deliver(message.pk) == MessageStatus.SENT  # a retried job sends nothing more
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ann@example.org"]
    assert sent.subject == f"{ombudsman_case.reference}: we have received your message"
    # What the officer wrote is what the customer gets: not rendered again, not escaped.
    assert sent.body.endswith("P.S. {{ reference }} & <b>not html</b>")
    assert "Dear Ann Example," in sent.body
    logged = list(CaseEvent.objects.filter(case=ombudsman_case).values_list("action", flat=True))
    assert logged[-3:] == ["letter_edited", "letter_sent", "message_sent"]


def test_the_sent_copy_is_kept_on_the_case_with_who_when_and_to_whom(ombudsman_case, author):
    letter = services.draft_letter(
        case=ombudsman_case, template=shipped("acknowledgement"), by=author
    )
    letter = services.send(letter, by=author)
    kept = ombudsman_case.letters.get(status=LetterStatus.SENT)
    assert (kept.subject, kept.body, kept.recipient) == (
        letter.subject,
        letter.body,
        "ann@example.org",
    )
    assert kept.sent_by == author and kept.sent_at is not None
    event = CaseEvent.objects.get(case=ombudsman_case, action="letter_sent")
    assert event.summary == f"Email sent to ann@example.org: {letter.subject}"
    assert event.after["body_sha256"] == hashlib.sha256(letter.body.encode()).hexdigest()
    assert event.after["message"] == letter.message_id


def test_a_welsh_email_goes_out_in_welsh(ombudsman_case, author):
    letter = services.draft_letter(
        case=ombudsman_case, template=shipped("acknowledgement", language="cy"), by=author
    )
    assert letter.body.startswith("Annwyl Ann Example,")
    assert "erbyn" in letter.body
    letter = services.send(letter, by=author)
    assert letter.message is not None
    assert letter.message.language == "cy"
    assert letter.message.body == letter.body


def test_an_email_without_an_address_is_not_sent(ombudsman_case, author):
    letter = services.draft_letter(
        case=ombudsman_case, template=shipped("acknowledgement"), by=author
    )
    letter.recipient = ""
    letter.save()
    with pytest.raises(InvalidInput) as refused:
        services.send(letter, by=author)
    assert refused.value.field == "recipient"
    assert not Message.objects.exists()


def test_a_letter_by_post_needs_an_address_and_is_recorded_as_posted(ombudsman_case, author):
    letter = services.draft_letter(
        case=ombudsman_case, template=shipped("acknowledgement", medium="letter"), by=author
    )
    with pytest.raises(InvalidInput) as refused:
        services.send(letter, by=author)
    assert refused.value.field == "address"
    letter = services.edit_letter(
        letter,
        by=author,
        recipient="Ann Example",
        address="1 High Street\nAshdown\nAS1 1AA",
        subject=letter.subject,
        body=letter.body,
    )
    letter = services.send(letter, by=author)
    assert letter.status == LetterStatus.SENT and letter.message is None
    assert not Message.objects.exists()
    assert len(mail.outbox) == 0
    event = CaseEvent.objects.get(case=ombudsman_case, action="letter_sent")
    assert event.summary.startswith("Letter posted to Ann Example:")
    assert event.after["address"] == "1 High Street\nAshdown\nAS1 1AA"
