"""Messages go out exactly once, through Django's real mail machinery, and land on the case timeline."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from heard.cases.models import CaseEvent
from heard.notify import services
from heard.notify.models import Message, MessageStatus, MessageTemplate
from heard.testing import make_case


@pytest.fixture
def case(db):
    return make_case(customer_name="Ann Example")


def queue(case, key="late:1", **extra):
    return services.queue_message(
        key=key,
        template_key="late_notice",
        recipient="ann@example.org",
        case=case,
        context={
            "reference": case.reference,
            "kind": "complaint",
            "subject": case.subject,
            "customer_name": "Ann Example",
            "respond_by": "19 October 2026",
            "organisation": "Ashdown Council",
            "ombudsman": "",
        },
        **extra,
    )


def test_a_queued_message_is_rendered_from_its_template(case):
    message = queue(case)
    assert message.status == MessageStatus.QUEUED
    assert message.subject == f"Your complaint {case.reference}: our reply is late"
    assert "by 19 October 2026" in message.body


def test_the_same_key_queues_one_message(case):
    first = queue(case)
    second = queue(case)
    assert first.pk == second.pk
    assert Message.objects.count() == 1


def test_welsh_is_used_when_the_customer_writes_in_welsh(case):
    message = queue(case, language="cy")
    assert message.language == "cy"
    assert message.subject.startswith("Eich achos")


def test_administrators_edit_the_wording(case):
    MessageTemplate.objects.filter(key="late_notice", channel="email", language="en").update(
        subject="Sorry, {{ customer_name }}", body="We are late with {{ reference }}."
    )
    message = queue(case)
    assert message.subject == "Sorry, Ann Example"
    assert message.body == f"We are late with {case.reference}."


def test_delivery_sends_one_email_and_records_it_on_the_timeline(case, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = queue(case)
    assert services.deliver(message.pk) == MessageStatus.SENT
    assert services.deliver(message.pk) == MessageStatus.SENT  # a retried job sends nothing more
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ann@example.org"]
    assert sent.extra_headers["Message-ID"].startswith("<late.1@")
    message.refresh_from_db()
    assert message.sent_at is not None and message.delivery_backend == "smtp"
    event = CaseEvent.objects.get(case=case, action="message_sent")
    assert "ann@example.org" in event.summary


def test_a_message_being_sent_by_a_live_worker_is_left_alone(case, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = queue(case)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempted_at=timezone.now()
    )
    assert services.deliver(message.pk) == MessageStatus.SENDING
    assert mail.outbox == []


def test_a_send_interrupted_by_a_crash_is_resent_with_the_same_message_id(case, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = queue(case)
    long_ago = timezone.now() - timedelta(hours=1)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempted_at=long_ago, attempts=1
    )
    assert services.deliver(message.pk) == MessageStatus.SENT
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 2


def test_a_mail_server_that_is_down_loses_nothing(case, settings):
    # A real SMTP connection to a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    message = queue(case)
    assert services.deliver(message.pk) == MessageStatus.QUEUED
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1 and message.last_error
    # Released again once its back-off has passed, then delivered when the server is back.
    later = timezone.now() + timedelta(hours=1)
    assert services.release_stalled_messages(now=later) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver(message.pk) == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_a_message_that_can_never_go_is_failed_and_shown_on_the_timeline(case, settings):
    settings.HEARD_MESSAGE_BACKEND = "smtp"
    message = services.queue_message(
        key="late-sms:1",
        template_key="late_notice",
        recipient="07700900123",
        channel="sms",
        case=case,
        context={"reference": case.reference, "organisation": "Ashdown"},
    )
    settings.NOTIFY_API_KEY = ""
    assert services.deliver(message.pk) == MessageStatus.FAILED
    event = CaseEvent.objects.get(case=case, action="message_failed")
    assert "NOTIFY_API_KEY" in event.summary
    assert services.retry_failed(message)
    assert Message.objects.get(pk=message.pk).status == MessageStatus.QUEUED


def test_an_unknown_template_is_a_clear_error(case):
    with pytest.raises(LookupError, match="no email template"):
        services.queue_message(
            key="x", template_key="nonsense", recipient="a@example.org", context={}
        )
