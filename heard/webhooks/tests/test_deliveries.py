"""Case events are posted, signed, to a real receiver on loopback, through the job queue.

The receiver is a small HTTP server in a thread; the jobs are the rows the queue holds,
run by django-tasks-db's own worker step, and the retry duty is run with the clock moved on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from heard.cases import services as case_services
from heard.cases.models import CaseEvent
from heard.org.models import Role
from heard.testing import make_case, make_staff
from heard.webhooks import services
from heard.webhooks.models import Delivery, DeliveryStatus, Subscription

pytestmark = pytest.mark.django_db


class Receiver:
    """Another council system: records what it is sent and answers with ``status``."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.headers: dict[str, str] = {}
        self.port = 0
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/heard-events"

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def officer(service):
    return make_staff(Role.COMPLAINTS_TEAM, services=[service])


def subscribe(receiver: Receiver, **fields: Any) -> Subscription:
    fields.setdefault("all_events", True)
    fields.setdefault("target_url", receiver.url)
    subscription = Subscription(name="Street works CRM", **fields)
    subscription.full_clean()
    subscription.save()
    return subscription


def run_jobs() -> list[str]:
    """Run every job waiting on the queue with the worker's own step; returns what each returned."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    results = []
    for job in DBTaskResult.objects.ready().order_by("enqueued_at"):
        job.claim("test")
        worker.run_task(job)
        job.refresh_from_db()
        assert job.status == "SUCCESSFUL", job.traceback
        results.append(job.return_value)
    return results


def verify(secret: str, request: dict[str, Any]) -> bool:
    """What docs/api.md tells a receiver to do."""
    headers = request["headers"]
    signed = headers["Heard-Webhook-Timestamp"].encode() + b"." + request["body"]
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["Heard-Signature"])


def test_an_acknowledged_case_is_posted_once_signed_and_without_personal_data(
    receiver, service, officer, django_capture_on_commit_callbacks
):
    subscription = subscribe(receiver, all_events=False, events=["acknowledged"])
    case = make_case(by=officer, service=service, customer_name="Ann Example")
    assert not Delivery.objects.exists()  # "received" was not asked for
    with django_capture_on_commit_callbacks(execute=True):
        case_services.acknowledge(case, by=officer)

    assert run_jobs() == [DeliveryStatus.DELIVERED]
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert verify(subscription.secret, request)
    assert not verify("another secret", request)
    delivery = Delivery.objects.get()
    assert request["headers"]["Heard-Webhook-Id"] == str(delivery.id_for_receiver)
    event = CaseEvent.objects.get(case=case, action="acknowledged")
    assert json.loads(request["body"]) == {
        "id": str(delivery.id_for_receiver),
        "event": {
            "id": event.pk,
            "action": "acknowledged",
            "at": event.at.isoformat().replace("+00:00", "Z"),
        },
        "case": {
            "reference": case.reference,
            "kind": "complaint",
            "status": "acknowledged",
            "stage": 1,
            "service": "waste",
        },
    }
    body = request["body"].decode()
    for personal in ("Ann", "ann@example.org", "Bins not collected", "three weeks"):
        assert personal not in body
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.response_status == 200 and delivery.attempts == 1
    assert delivery.delivered_at is not None

    # nothing more goes, however long the duty keeps looking
    assert services.enqueue_due_deliveries(now=timezone.now() + timedelta(days=2)) == 0
    assert run_jobs() == []
    assert len(receiver.requests) == 1


def test_a_receiver_that_is_down_is_retried_and_gets_the_event_once_when_back(
    receiver, service, officer, django_capture_on_commit_callbacks
):
    subscribe(receiver, all_events=False, events=["acknowledged"])
    receiver.stop()  # the other system is down
    case = make_case(by=officer, service=service)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.acknowledge(case, by=officer)
    start = timezone.now()

    assert run_jobs() == [DeliveryStatus.PENDING]
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1
    assert "Could not reach the receiver" in delivery.last_error
    # the first retry waits a minute from the attempt
    assert start + timedelta(minutes=1) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    # a second job for the same attempt (a duplicate enqueue) makes no second attempt
    assert services.deliver(delivery.pk, 0) == DeliveryStatus.PENDING
    assert Delivery.objects.get().attempts == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue_due_deliveries(now=start) == 0  # not due yet
        assert services.enqueue_due_deliveries(now=start + timedelta(minutes=2)) == 1
        assert services.enqueue_due_deliveries(now=start + timedelta(minutes=2)) == 0
    assert run_jobs() == [DeliveryStatus.PENDING]  # still down
    assert Delivery.objects.get().attempts == 2

    receiver.start()  # back, on the same address
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue_due_deliveries(now=start + timedelta(minutes=3)) == 0
        assert services.enqueue_due_deliveries(now=start + timedelta(minutes=10)) == 1
    assert run_jobs() == [DeliveryStatus.DELIVERED]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue_due_deliveries(now=start + timedelta(days=2)) == 0
    assert run_jobs() == []

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert [r["headers"]["Heard-Webhook-Id"] for r in receiver.requests] == [
        str(delivery.id_for_receiver)
    ]
    assert receiver.payloads()[0]["case"]["reference"] == case.reference


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_busy_or_broken_receiver_is_tried_again_later(
    receiver, status, service, officer, django_capture_on_commit_callbacks
):
    subscribe(receiver)
    receiver.status = status
    with django_capture_on_commit_callbacks(execute=True):
        make_case(by=officer, service=service)
    assert run_jobs() == [DeliveryStatus.PENDING]
    delivery = Delivery.objects.get()
    assert delivery.response_status == status
    assert f"answered {status}" in delivery.last_error


def test_a_receiver_that_refuses_fails_permanently_and_the_admin_can_retry_it(
    receiver, service, officer, django_capture_on_commit_callbacks
):
    subscribe(receiver)
    receiver.status = 410
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(by=officer, service=service)
    assert run_jobs() == [DeliveryStatus.FAILED]
    delivery = Delivery.objects.get()
    assert delivery.response_status == 410
    assert "refused the delivery with 410" in delivery.last_error
    assert services.enqueue_due_deliveries(now=timezone.now() + timedelta(days=2)) == 0
    assert run_jobs() == []

    # the administrator sees it, fixes the receiver, and retries it from the admin
    client = Client()
    superuser = get_user_model().objects.create_superuser(
        "root", "root@example.org", "not-a-real-password-1"
    )
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    listing = client.get("/admin/webhooks/delivery/", {"status": "failed", "q": case.reference})
    assert case.reference in listing.content.decode()
    receiver.status = 204
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/webhooks/delivery/",
            {"action": "retry_now", "_selected_action": [delivery.pk]},
            follow=True,
        )
    assert "1 delivery(ies) put back on the queue." in response.content.decode()
    assert run_jobs() == [DeliveryStatus.DELIVERED]
    assert len(receiver.requests) == 2
    assert len({r["headers"]["Heard-Webhook-Id"] for r in receiver.requests}) == 1


def test_a_delivery_is_given_up_24_hours_after_the_event(receiver, service, officer):
    subscribe(receiver)
    receiver.stop()
    make_case(by=officer, service=service)
    delivery = Delivery.objects.get()
    assert services.deliver(delivery.pk, 0) == DeliveryStatus.PENDING
    late = delivery.created_at + timedelta(hours=23, minutes=59)
    assert services.deliver(delivery.pk, 1, now=late) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Gave up after 2 attempts over 24 hours.")


def test_a_rolled_back_step_sends_nothing(receiver, django_capture_on_commit_callbacks):
    subscribe(receiver)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        case_services.receive_from_public(
            kind="complaint",
            subject="Bins",
            customer=case_services.CustomerDetails(name="Ann Example"),
        )
        assert Delivery.objects.count() == 1  # written with the step...
        raise RuntimeError("the rest of the step failed")
    assert callbacks == []
    assert not Delivery.objects.exists()  # ...and gone with it
    assert services.enqueue_due_deliveries(now=timezone.now() + timedelta(days=2)) == 0
    assert run_jobs() == []
    assert receiver.requests == []


def test_a_delivery_whose_job_was_lost_is_queued_again_by_the_duty(
    receiver, service, officer, django_capture_on_commit_callbacks
):
    subscribe(receiver)
    make_case(by=officer, service=service)  # committed, but the process died before enqueueing
    assert not DBTaskResult.objects.exists()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue_due_deliveries(now=now) == 0  # its job may yet be on its way
        assert services.enqueue_due_deliveries(now=now + timedelta(minutes=11)) == 1
    assert run_jobs() == [DeliveryStatus.DELIVERED]
    assert [p["event"]["action"] for p in receiver.payloads()] == ["received"]


def test_a_subscription_for_one_service_ignores_the_cases_of_another(
    receiver, service, other_service, officer, django_capture_on_commit_callbacks
):
    subscribe(receiver, service=service)
    with django_capture_on_commit_callbacks(execute=True):
        own = make_case(by=officer, service=service)
        make_case(by=officer, service=other_service)
        make_case(by=officer)  # no service yet
    assert run_jobs() == [DeliveryStatus.DELIVERED]
    assert [p["case"]["reference"] for p in receiver.payloads()] == [own.reference]


def test_an_inactive_subscription_is_sent_nothing(receiver, service, officer):
    subscribe(receiver, active=False)
    make_case(by=officer, service=service)
    assert not Delivery.objects.exists()


def test_pausing_a_subscription_holds_its_retries_until_it_is_switched_back_on(
    receiver, service, officer, django_capture_on_commit_callbacks
):
    subscription = subscribe(receiver)
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        make_case(by=officer, service=service)
    assert run_jobs() == [DeliveryStatus.PENDING]
    delivery = Delivery.objects.get()
    Subscription.objects.filter(pk=subscription.pk).update(active=False)
    later = timezone.now() + timedelta(minutes=30)
    assert services.enqueue_due_deliveries(now=later) == 0
    assert services.deliver(delivery.pk, 1) == "paused"
    assert len(receiver.requests) == 1

    Subscription.objects.filter(pk=subscription.pk).update(active=True)
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue_due_deliveries(now=later) == 1
    assert run_jobs() == [DeliveryStatus.DELIVERED]
    assert len(receiver.requests) == 2


@pytest.mark.parametrize(
    "address",
    ["http://example.org/hook", "http://10.0.0.5/hook", "ftp://example.org/hook"],
)
def test_an_address_that_is_not_https_is_refused_with_a_clear_message(address):
    subscription = Subscription(name="CRM", target_url=address, all_events=True)
    with pytest.raises(ValidationError) as refused:
        subscription.full_clean()
    assert "Use an https:// address" in " ".join(refused.value.message_dict["target_url"])


@pytest.mark.parametrize(
    "address",
    ["https://crm.example.gov.uk/heard", "http://127.0.0.1:8080/hook", "http://localhost/hook"],
)
def test_https_and_loopback_addresses_are_accepted(address):
    Subscription(name="CRM", target_url=address, all_events=True).full_clean()


def test_a_subscription_must_choose_its_events(receiver):
    subscription = Subscription(name="CRM", target_url=receiver.url)
    with pytest.raises(ValidationError) as refused:
        subscription.full_clean()
    assert refused.value.message_dict["events"] == [
        "Choose the events to send, or tick every event."
    ]


def test_the_admin_shows_the_message_for_a_plain_http_address():
    client = Client()
    superuser = get_user_model().objects.create_superuser(
        "root", "root@example.org", "not-a-real-password-1"
    )
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/admin/webhooks/subscription/add/",
        {"name": "CRM", "target_url": "http://crm.example.org/hook", "events": ["closed"]},
    )
    assert response.status_code == 200
    assert "Use an https:// address" in response.content.decode()
    assert not Subscription.objects.exists()
    response = client.post(
        "/admin/webhooks/subscription/add/",
        {"name": "CRM", "target_url": "https://crm.example.org/hook", "events": ["closed"]},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.events == ["closed"] and len(subscription.secret) >= 40
    page = client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/")
    assert subscription.secret in page.content.decode()


def test_a_receiver_inside_a_private_network_is_refused_and_never_contacted(
    service, officer, django_capture_on_commit_callbacks
):
    """A subscription cannot make the server post to what only it can reach (a cloud's
    metadata service, an internal host): the delivery fails with the reason, unsent."""
    subscription = Subscription(
        name="Metadata", target_url="https://169.254.169.254/latest/meta-data", all_events=True
    )
    subscription.full_clean()
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_case(by=officer, service=service)
    assert run_jobs() == [DeliveryStatus.FAILED]
    delivery = Delivery.objects.get()
    assert delivery.response_status is None
    assert "169.254.169.254" in delivery.last_error
    assert "HEARD_WEBHOOK_ALLOWED_NETWORKS" in delivery.last_error


@pytest.mark.parametrize(
    "address",
    [
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.5/hook",
        "https://100.64.0.1/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_private_reserved_and_multicast_addresses_are_refused(address):
    with pytest.raises(services.Refused, match="private or reserved"):
        services.check_receiver_address(address)


@pytest.mark.parametrize(
    "address", ["https://8.8.8.8/hook", "http://127.0.0.1:8080/hook", "https://[::1]/hook"]
)
def test_public_and_loopback_addresses_pass(address):
    services.check_receiver_address(address)


def test_an_allowed_internal_network_passes(settings):
    settings.HEARD_WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    services.check_receiver_address("https://10.20.3.4/hook")
    with pytest.raises(services.Refused):
        services.check_receiver_address("https://10.21.3.4/hook")


@pytest.mark.parametrize(
    ("header", "wait"),
    [("600", timedelta(minutes=10)), ("86400", timedelta(hours=6)), ("soon", timedelta(minutes=1))],
)
def test_a_busy_receiver_is_next_tried_when_it_asked_at_most_six_hours_on(
    receiver, header, wait, service, officer, django_capture_on_commit_callbacks
):
    """429 with Retry-After: 600 waits ten minutes, not the first backoff's one; an unreadable
    header falls back to the backoff, and no receiver holds a delivery back beyond six hours."""
    subscribe(receiver)
    receiver.status = 429
    receiver.headers = {"Retry-After": header}
    with django_capture_on_commit_callbacks(execute=True):
        make_case(by=officer, service=service)
    before = timezone.now()
    assert run_jobs() == [DeliveryStatus.PENDING]
    delivery = Delivery.objects.get()
    waited = delivery.next_attempt_at - before
    assert wait - timedelta(seconds=30) < waited <= wait + timedelta(seconds=30)


def test_retry_after_reads_an_http_date():
    now = timezone.now().replace(microsecond=0)
    later = (now + timedelta(minutes=20)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert services.retry_after(later, now) == timedelta(minutes=20)
    assert services.retry_after("Mon, 01 Jan 2001 00:00:00 GMT", now) == timedelta(0)
    assert services.retry_after(None, now) is None


def test_the_post_goes_to_the_address_checked_not_to_a_second_look_up(
    receiver, service, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: the receiver's name passes the check as a loopback address, then is
    re-pointed inside the network. The delivery connects to the address it checked."""
    settings.HEARD_WEBHOOK_TIMEOUT_SECONDS = 2
    real_lookup = socket.getaddrinfo
    looked_up: list[str] = []

    def rebinding_lookup(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "localhost":
            return real_lookup(host, port, *args, **kwargs)
        looked_up.append(host)
        address = "127.0.0.1" if len(looked_up) == 1 else "10.255.255.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    subscribe(receiver, target_url=f"http://localhost:{receiver.port}/heard-events")
    monkeypatch.setattr(socket, "getaddrinfo", rebinding_lookup)
    with django_capture_on_commit_callbacks(execute=True):
        make_case(by=officer, service=service)

    assert run_jobs() == [DeliveryStatus.DELIVERED]
    assert len(receiver.requests) == 1
    assert looked_up == ["localhost"]  # looked up once, for the check


def test_a_receiver_with_several_addresses_is_tried_at_each_checked_one(
    receiver, service, officer, monkeypatch, django_capture_on_commit_callbacks
):
    def two_addresses(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        # Tried first, 127.0.0.0 refuses the connection (the receiver listens on 127.0.0.1).
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port or 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.0", port or 0)),
        ]

    subscribe(receiver, target_url=f"http://localhost:{receiver.port}/heard-events")
    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    assert services.check_receiver_address(receiver.url) == ["127.0.0.0", "127.0.0.1"]
    with django_capture_on_commit_callbacks(execute=True):
        make_case(by=officer, service=service)
    assert run_jobs() == [DeliveryStatus.DELIVERED]
