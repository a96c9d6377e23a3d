"""The mail relay's signed webhook: HMAC over the raw body, a fresh timestamp, no replays."""

import time

import pytest

from heard.cases.models import Case
from heard.channels.relay import sign
from heard.channels.tests import mail

pytestmark = pytest.mark.django_db
SECRET = "relay-shared-secret-for-tests"
URL = "/channels/email/relay"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.HEARD_MAIL_RELAY_SECRET = SECRET


def post(client, body, *, timestamp=None, signature=None, **headers):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return client.post(
        URL,
        data=body,
        content_type="message/rfc822",
        headers={
            "X-Relay-Timestamp": str(timestamp),
            "X-Relay-Signature": signature or sign(body, timestamp, SECRET),
            **headers,
        },
    )


def test_a_signed_message_becomes_a_contact_in_the_mailbox_it_was_sent_to(client, mailbox):
    response = post(client, mail.message(to="Complaints <complaints@council.example>"))

    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "new_contact"
    case = Case.objects.get(reference=body["case"])
    assert case.service == mailbox.service


def test_the_recipient_header_names_the_mailbox(client, mailbox):
    response = post(
        client, mail.message(to="someone@else.example"), **{"X-Relay-Recipient": mailbox.address}
    )

    assert Case.objects.get(reference=response.json()["case"]).service == mailbox.service


def test_a_wrong_signature_is_refused_with_how_to_sign(client, mailbox):
    body = mail.message()
    response = post(client, body, signature=sign(body, int(time.time()), "another secret"))

    assert response.status_code == 401
    assert "HMAC-SHA256" in response.json()["error"]
    assert Case.objects.count() == 0


def test_a_body_changed_after_signing_is_refused(client, mailbox):
    body = mail.message()
    now = int(time.time())
    response = post(client, body + b"tampered", timestamp=now, signature=sign(body, now, SECRET))

    assert response.status_code == 401


def test_an_old_timestamp_is_refused(client, mailbox):
    response = post(client, mail.message(), timestamp=int(time.time()) - 3600)

    assert response.status_code == 401
    assert "check the relay's clock" in response.json()["error"]


def test_the_same_delivery_replayed_is_refused(client, mailbox):
    body = mail.message()
    now = int(time.time())
    signature = sign(body, now, SECRET)

    assert post(client, body, timestamp=now, signature=signature).status_code == 200
    replay = post(client, body, timestamp=now, signature=signature)

    assert replay.status_code == 401
    assert "replay" in replay.json()["error"]
    assert Case.objects.count() == 1


def test_the_same_message_sent_again_freshly_signed_is_stored_once(client, mailbox):
    body = mail.message()
    first = post(client, body, timestamp=int(time.time()) - 1)
    second = post(client, body)

    assert first.json() == second.json()
    assert Case.objects.count() == 1


def test_the_webhook_is_off_without_a_secret(client, settings):
    settings.HEARD_MAIL_RELAY_SECRET = ""

    response = post(client, mail.message())

    assert response.status_code == 401
    assert "set HEARD_MAIL_RELAY_SECRET" in response.json()["error"]


def test_a_non_numeric_timestamp_says_what_to_send(client):
    response = client.post(
        URL, data=b"x", content_type="message/rfc822", headers={"X-Relay-Timestamp": "yesterday"}
    )

    assert response.status_code == 400
    assert "whole seconds" in response.json()["error"]


def test_only_post_is_allowed(client):
    assert client.get(URL).status_code == 405
