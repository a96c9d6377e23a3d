"""A submission never waits for the mail server: with it stopped the reference is still
given, and the acknowledgement goes once it is back. A real SMTP server on loopback."""

import socket

import pytest
from aiosmtpd.controller import Controller

from heard.cases.models import Case
from heard.notify.models import Message, MessageStatus
from heard.notify.services import deliver, release_stalled_messages
from heard.portal.tests.test_journeys import fill_in


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db
def test_a_submission_survives_the_mail_server_being_down(client, settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    settings.HEARD_MESSAGE_STALE_SECONDS = 0
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    controller.stop()  # the mail server goes down

    fill_in(client)
    assert client.post("/tell-us/check").status_code == 302
    case = Case.objects.get()
    assert case.reference.encode() in client.get("/tell-us/done").content
    acknowledgement = Message.objects.get(case=case)
    assert deliver(acknowledgement.pk) == MessageStatus.QUEUED  # refused connection: kept, not lost
    assert inbox.messages == []

    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()  # and comes back
    try:
        assert release_stalled_messages() == 1
        assert deliver(acknowledgement.pk) == MessageStatus.SENT
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert case.reference.encode() in inbox.messages[0]
