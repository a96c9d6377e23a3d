"""A real worker process killed with SIGKILL mid-job: another worker completes the job, once.

Runs against the suite's own database (SQLite file or PostgreSQL), a real SMTP server on
loopback (aiosmtpd) and real `heard worker` processes. Nothing here is mocked.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from heard.cases.models import CaseEvent
from heard.notify import services
from heard.notify.models import Message, MessageStatus
from heard.testing import ensure_shipped_data, make_case

HEARD = Path(sys.executable).with_name("heard")


class SlowFirstConversation:
    """An SMTP server that stalls the first client at EHLO, as a server under strain might."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.conversations = 0
        self.first_stalled = threading.Event()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.conversations += 1
        if self.conversations == 1:
            self.first_stalled.set()
            await asyncio.sleep(15)
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Iterator[tuple[SlowFirstConversation, int]]:
    handler = SlowFirstConversation()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop(no_assert=True)


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def start_worker(port: int, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "HEARD_DATA_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "HEARD_MESSAGE_STALE_SECONDS": "2",
        "HEARD_WORKER_PRESUMED_DEAD_SECONDS": "2",
    }
    return subprocess.Popen(  # noqa: S603
        [HEARD, "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Gave up waiting for {what} after {seconds} s.")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(smtp, tmp_path):
    handler, port = smtp
    ensure_shipped_data()
    case = make_case()
    message = services.queue_message(
        key=f"late:{case.pk}:1",
        template_key="late_notice",
        recipient="ann@example.org",
        case=case,
        context={"reference": case.reference, "customer_name": "Ann", "organisation": "Ashdown"},
    )
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    first = start_worker(port, tmp_path)
    try:
        assert handler.first_stalled.wait(60), "the first worker never reached the mail server"
        assert Message.objects.get(pk=message.pk).status == MessageStatus.SENDING
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING  # abandoned mid-job
    assert handler.messages == []

    second = start_worker(port, tmp_path)
    try:
        wait_for(
            lambda: Message.objects.get(pk=message.pk).status == MessageStatus.SENT,
            "the message to be sent",
        )
        wait_for(
            lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).exists(),
            "the job to be recorded as done",
        )
        time.sleep(3)  # a further round of housekeeping must not send it again
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(15)
        except subprocess.TimeoutExpired:
            second.kill()

    assert len(handler.messages) == 1
    assert b"Message-ID: <late." in handler.messages[0]
    assert CaseEvent.objects.filter(case=case, action="message_sent").count() == 1
    assert Message.objects.get(pk=message.pk).attempts == 2
