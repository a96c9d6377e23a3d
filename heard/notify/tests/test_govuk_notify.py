"""GOV.UK Notify as the delivery backend. Only Notify's HTTP endpoint is replaced, by a local server."""

import json
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from heard.notify import services
from heard.notify.models import Message, MessageStatus
from heard.testing import make_case


class FakeNotify(BaseHTTPRequestHandler):
    sent: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert self.headers["Authorization"].startswith("Bearer ")
        if body.get("email_address") == "bounce@example.org":
            return self._reply(
                400,
                {
                    "errors": [
                        {
                            "error": "ValidationError",
                            "message": "email_address Not a valid email address",
                        }
                    ]
                },
            )
        notification = {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "path": self.path,
            **body,
        }
        self.sent.append(notification)
        self._reply(
            201, {"id": notification["id"], "reference": notification["reference"], "content": {}}
        )

    def do_GET(self):
        reference = parse_qs(urlparse(self.path).query).get("reference", [None])[0]
        found = [n for n in self.sent if n["reference"] == reference]
        self._reply(200, {"notifications": found, "links": {}})

    def _reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def notify(settings):
    FakeNotify.sent = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HEARD_MESSAGE_BACKEND = "notify"
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFY_API_KEY = f"heard_test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = str(uuid.uuid4())
    settings.NOTIFY_SMS_TEMPLATE_ID = str(uuid.uuid4())
    yield FakeNotify
    server.shutdown()


def queue(case, key, recipient="ann@example.org", channel="email"):
    return services.queue_message(
        key=key,
        template_key="late_notice",
        recipient=recipient,
        channel=channel,
        case=case,
        context={
            "reference": case.reference,
            "customer_name": "Ann",
            "organisation": "Ashdown",
            "respond_by": "1 May",
        },
    )


@pytest.mark.django_db
def test_email_and_text_messages_go_through_notify_with_our_reference(notify):
    case = make_case()
    email = queue(case, "late:email")
    sms = queue(case, "late:sms", recipient="07700900123", channel="sms")
    assert services.deliver(email.pk) == MessageStatus.SENT
    assert services.deliver(sms.pk) == MessageStatus.SENT
    paths = sorted(n["path"] for n in notify.sent)
    assert paths == ["/v2/notifications/email", "/v2/notifications/sms"]
    email_request = next(n for n in notify.sent if n["path"].endswith("email"))
    assert email_request["reference"] == "late:email"
    assert email_request["personalisation"]["subject"] == email.subject
    assert Message.objects.get(pk=email.pk).provider_reference == email_request["id"]


@pytest.mark.django_db
def test_after_a_crash_notify_is_asked_before_anything_is_resent(notify):
    case = make_case()
    message = queue(case, "late:crash")
    assert services.deliver(message.pk) == MessageStatus.SENT
    # The worker died after Notify accepted the message but before recording it.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempted_at=timezone.now() - timedelta(hours=1)
    )
    assert services.deliver(message.pk) == MessageStatus.SENT
    assert len(notify.sent) == 1


@pytest.mark.django_db
def test_notify_refusing_an_address_fails_the_message_without_retrying(notify):
    case = make_case()
    message = queue(case, "late:bounce", recipient="bounce@example.org")
    assert services.deliver(message.pk) == MessageStatus.FAILED
    assert "Not a valid email address" in Message.objects.get(pk=message.pk).last_error
