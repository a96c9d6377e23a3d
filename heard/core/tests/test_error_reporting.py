"""Error reporting is off unless SENTRY_DSN is set; when set, a real error from a real request
reaches the collector (here a Sentry-protocol endpoint on loopback) tagged with the request
ID and without the customer's personal data."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HEARD = Path(sys.executable).with_name("heard")

# Run inside `heard shell`: a request whose view fails, through Django's full stack.
FAILING_REQUEST = """
import os
import sentry_sdk
from django.test import Client
from django.urls import path
import heard.urls

def broken(request):
    customer_email = request.POST["email"]  # a local variable holding personal data
    raise RuntimeError("the reference counter fell over for " + str(len(customer_email)))

heard.urls.urlpatterns.insert(0, path("broken-for-test", broken))
client = Client(raise_request_exception=False)
response = client.post(
    "/broken-for-test",
    {"name": os.environ["PROBE_NAME"], "email": os.environ["PROBE_EMAIL"]},
    HTTP_X_REQUEST_ID="trace-500-1",
    HTTP_COOKIE="sessionid=" + os.environ["PROBE_SESSION"],
)
print("status", response.status_code, response["X-Request-ID"])
print("active", sentry_sdk.get_client().is_active())
sentry_sdk.flush(10)
"""


class Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[tuple[int, list[bytes]]]:
    Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], Collector.received
    server.shutdown()


def run_failing_request(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    return subprocess.run(  # noqa: S603
        [HEARD, "shell", "-c", FAILING_REQUEST],
        env={
            **environment,
            "HEARD_DATA_DIR": str(tmp_path),
            "PROBE_NAME": "Ann Smith",
            "PROBE_EMAIL": "ann@example.org",
            "PROBE_SESSION": "secret-session",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_error_reporting_is_off_unless_a_dsn_is_set(tmp_path, collector):
    _, received = collector
    done = run_failing_request(tmp_path)
    assert "status 500 trace-500-1" in done.stdout, done.stderr[-2000:]
    assert "active False" in done.stdout
    assert received == []


def test_with_a_dsn_an_error_is_reported_with_its_request_id_and_no_personal_data(
    tmp_path, collector
):
    port, received = collector
    done = run_failing_request(
        tmp_path,
        SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/7",
        SENTRY_ENVIRONMENT="test",
    )
    assert "status 500 trace-500-1" in done.stdout, done.stderr[-2000:]
    assert "active True" in done.stdout
    reported = b"\n".join(received)
    assert b"the reference counter fell over" in reported
    assert b'"request_id":"trace-500-1"' in reported.replace(b" ", b"")
    assert b'"environment":"test"' in reported.replace(b" ", b"")
    for personal in (b"ann@example.org", b"Ann Smith", b"secret-session"):
        assert personal not in reported
