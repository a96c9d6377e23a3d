"""Every request has an ID: on the response, on every log line, and on the jobs it enqueues —
which a real `heard worker` process then logs under the same ID."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from heard.core.logs import TEXT_FORMAT, JsonFormatter, RequestIdFilter
from heard.jobs.models import JobRequest
from heard.notify.models import Message, MessageStatus

HEARD = Path(sys.executable).with_name("heard")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the root logger writes, formatted as in production with HEARD_LOG_FORMAT=json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root, access = logging.getLogger(), logging.getLogger("heard.request")
    level = access.level
    root.addHandler(handler)
    access.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    access.setLevel(level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def send_the_public_form(client: Client, *, email: str, request_id: str, **headers: Any) -> int:
    """The whole public form; returns the status of the final 'send' (302 when accepted)."""
    pages = [
        ("kind", {"kind": "complaint"}),
        ("details", {"subject": "Bins not collected", "what_happened": "Three weeks running."}),
        (
            "contact",
            {"name": "Ann Smith", "email": email, "phone": "", "contact_preference": "email"},
        ),
    ]
    for name, data in pages:
        assert client.post(f"/tell-us/{name}", data).status_code == 302, name
    return client.post("/tell-us/check", HTTP_X_REQUEST_ID=request_id, **headers).status_code


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_usable_one_from_the_proxy_is_kept(client):
    first = client.get("/livez")["X-Request-ID"]
    second = client.get("/livez")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second

    assert client.get("/livez", HTTP_X_REQUEST_ID="edge-7f3a.1")["X-Request-ID"] == "edge-7f3a.1"
    forged = client.get("/livez", HTTP_X_REQUEST_ID='x" level="ERROR')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)
    assert client.get("/livez", HTTP_X_REQUEST_ID="a" * 129)["X-Request-ID"] != "a" * 129


@pytest.mark.django_db
def test_json_log_lines_written_while_answering_a_request_carry_its_id(client, json_log):
    response = client.get("/no-such-page", HTTP_X_REQUEST_ID="req-404-check")
    assert response.status_code == 404
    logged = [entry for entry in lines(json_log) if entry["request_id"] == "req-404-check"]
    by_logger = {entry["logger"]: entry for entry in logged}
    assert by_logger["django.request"]["level"] == "WARNING"  # Django's "Not Found: …"
    access = by_logger["heard.request"]
    assert (access["method"], access["path"], access["status"]) == ("GET", "/no-such-page", 404)
    assert access["duration_ms"] >= 0
    assert {"time", "message", "process"} <= set(access)

    logging.getLogger("heard.test").warning("outside any request")
    outside = [entry for entry in lines(json_log) if entry["message"] == "outside any request"]
    assert outside[0]["request_id"] == "-"


def test_text_log_lines_carry_the_request_id_too():
    from heard.core.logs import current_request_id

    record = logging.LogRecord("heard.test", logging.INFO, __file__, 1, "hello", (), None)
    token = current_request_id.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    assert logging.Formatter(TEXT_FORMAT).format(record).endswith("INFO heard.test [abc123] hello")


def run_heard(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [HEARD, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_log_format_is_chosen_by_heard_log_format(tmp_path):
    speak = ["shell", "-c", "import logging; logging.getLogger('heard.x').warning('ping')"]
    as_json = run_heard(speak, HEARD_DATA_DIR=str(tmp_path), HEARD_LOG_FORMAT="json")
    entries = [json.loads(line) for line in as_json.stderr.splitlines() if line.startswith("{")]
    assert {"logger": "heard.x", "message": "ping", "request_id": "-"}.items() <= next(
        entry for entry in entries if entry["logger"] == "heard.x"
    ).items()

    as_text = run_heard(speak, HEARD_DATA_DIR=str(tmp_path))
    assert re.search(r"WARNING heard\.x \[-\] ping", as_text.stderr)

    wrong = run_heard(speak, HEARD_DATA_DIR=str(tmp_path), HEARD_LOG_FORMAT="xml")
    assert wrong.returncode != 0
    assert "HEARD_LOG_FORMAT must be 'text' or 'json'" in wrong.stderr


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_job_under_the_id_of_the_request_that_enqueued_it(client, tmp_path):
    from heard.jobs.tests.test_worker_crash import database_url

    assert send_the_public_form(client, email="ann@example.org", request_id="portal-req-42") == 302
    acknowledgement = Message.objects.get(template_key="acknowledgement")
    assert JobRequest.objects.get().request_id == "portal-req-42"

    worker = run_heard(
        ["worker", "--batch", "--interval", "0.1", "--no-startup-delay"],
        DATABASE_URL=database_url(),
        HEARD_DATA_DIR=str(tmp_path),
        HEARD_LOG_FORMAT="json",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    entries = [json.loads(line) for line in worker.stderr.splitlines() if line.startswith("{")]
    traced = [entry for entry in entries if entry["request_id"] == "portal-req-42"]
    assert any(
        entry["logger"] == "heard.worker"
        and entry.get("task") == "heard.notify.tasks.deliver_message"
        for entry in traced
    ), entries
    assert any(
        entry["logger"] == "django_tasks" and "SUCCESSFUL" in entry["message"] for entry in traced
    )
    # The worker's own lines outside the job are not attributed to the request.
    assert any(
        entry["request_id"] == "-" and "Starting worker" in entry["message"] for entry in entries
    )
    assert Message.objects.get(pk=acknowledgement.pk).status == MessageStatus.SENT
