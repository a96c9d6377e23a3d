"""deploy/compose.yaml's topology, run with local processes (no container engine needed).

A fresh database (PostgreSQL when the suite runs on it, else a SQLite file) gets the release
step once — migrations, the shared cache table, the demo council — then two gunicorn web
processes, two `heard worker --no-scheduler` processes and `heard scheduler` start against it
with the environment the compose file gives them. The public form and the API are used
through both web processes in turn (each request of a journey going to the other process, as
the proxy's round robin would send it), and the acknowledgements are sent by the workers to a
real SMTP server on loopback. A second test reads compose.yaml and the Containerfile and checks
they name the same commands and settings as this test, so the two cannot drift apart.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from aiosmtpd.controller import Controller
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent

# What deploy/compose.yaml runs, service by service (checked against the file below).
RELEASE = [
    ["heard", "migrate", "--no-input"],
    ["heard", "createcachetable"],
    ["heard", "demo", "--if-empty"],  # compose adds --cases 500; this test loads 5
]
WEB = ["gunicorn", "heard.wsgi"]
WORKER = ["heard", "worker", "--no-scheduler"]
SCHEDULER = ["heard", "scheduler"]
# The settings every Heard process of the compose file gets, and the web processes' own.
SHARED_SETTINGS = {
    "DATABASE_URL",
    "HEARD_DATA_DIR",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "HEARD_PUBLIC_URL",
    "HEARD_HTTPS",
    "HEARD_PROXY_COUNT",
    "HEARD_CACHE_BACKEND",
    "HEARD_CACHE_LOCATION",
    "HEARD_LOG_FORMAT",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "DEFAULT_FROM_EMAIL",
    "SENTRY_DSN",
}
WEB_SETTINGS = {"PORT", "WEB_CONCURRENCY"}  # read by gunicorn itself


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop(no_assert=True)


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """An empty database beside the suite's: PostgreSQL if the suite runs on it, else SQLite."""
    configured = settings.DATABASES["default"]
    if configured["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'topology.sqlite3'}"
        return
    import psycopg

    name = f"heard_topology_{uuid.uuid4().hex[:8]}"
    credentials = configured["USER"] + (
        f":{configured['PASSWORD']}" if configured["PASSWORD"] else ""
    )
    server = (
        f"postgres://{credentials}@{configured['HOST'] or '127.0.0.1'}:{configured['PORT'] or 5432}"
    )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(condition: Callable[[], Any], what: str, seconds: float = 45) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"Gave up waiting for {what} after {seconds} s.")


class RoundRobin:
    """What the proxy does: each request to the next web process, with the proxy's headers."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = 0
        self.served_by: list[int] = []

    def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> http.client.HTTPResponse:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        self.served_by.append(port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(
            method,
            path,
            body,
            {"Host": "localhost:8080", "X-Forwarded-For": "203.0.113.7"} | (headers or {}),
        )
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response


def public_form(proxy: RoundRobin, subject: str, email: str, request_id: str) -> int:
    """One whole public-form journey; each request may reach a different web process."""
    cookies: dict[str, str] = {}

    def send(method: str, path: str, form: dict[str, str] | None = None, **extra: str) -> int:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} | extra
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": "http://localhost:8080",
                "Referer": "http://localhost:8080/tell-us/kind",
            }
        response = proxy.request(method, path, body=body, headers=headers)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        send.page = response.body.decode()  # type: ignore[attr-defined]
        return response.status

    assert send("GET", "/tell-us/kind") == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', send.page)  # type: ignore[attr-defined]
    assert token is not None
    csrf = {"csrfmiddlewaretoken": token.group(1)}
    steps = [
        ("/tell-us/kind", {"kind": "complaint"}),
        ("/tell-us/details", {"subject": subject, "what_happened": "The bins were not emptied."}),
        ("/tell-us/contact", {"name": "Ann Smith", "email": email, "contact_preference": "email"}),
    ]
    for path, form in steps:
        assert send("POST", path, csrf | form) == 302, (path, send.page[:500])  # type: ignore[attr-defined]
    return send("POST", "/tell-us/check", csrf, **{"X-Request-ID": request_id})


def heard_shell(env: dict[str, str], code: str) -> Any:
    done = subprocess.run(  # noqa: S603
        [BIN / "heard", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


COUNTS = """
import json
from django_tasks_db.models import DBTaskResult
from heard.cases.models import Case
from heard.jobs.models import WorkerHeartbeat
from heard.notify.models import Message
from heard.schedules.models import Schedule
print(json.dumps({
    "subjects": sorted(Case.objects.filter(subject__startswith="topology-").values_list("subject", flat=True)),
    "acknowledgements": dict(Message.objects.filter(template_key="acknowledgement").values_list("recipient", "status")),
    "jobs": sorted(set(DBTaskResult.objects.values_list("status", flat=True))),
    "job_workers": sorted({w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids}),
    "workers_alive": WorkerHeartbeat.objects.count(),
    "weekly_digest_ran": Schedule.objects.filter(job="weekly_digest", last_run_at__isnull=False).exists(),
}))
"""


def test_the_compose_topology_runs_with_local_processes(fresh_database, smtp, tmp_path):
    mailbox, smtp_port = smtp
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HEARD_", "SENTRY_"))},
        "DATABASE_URL": fresh_database,
        "HEARD_DATA_DIR": str(tmp_path / "data"),  # the shared volume
        "SECRET_KEY": "",  # as in compose: generated once into the shared data directory
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "http://localhost:8080",
        "HEARD_PUBLIC_URL": "http://localhost:8080",
        "HEARD_HTTPS": "false",
        "HEARD_PROXY_COUNT": "1",
        "HEARD_CACHE_BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "HEARD_CACHE_LOCATION": "heard_cache",
        "HEARD_LOG_FORMAT": "json",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DEFAULT_FROM_EMAIL": "Heard <no-reply@localhost>",
        "SENTRY_DSN": "",
    }
    assert set(env) >= SHARED_SETTINGS

    # The one-shot release step, once, before anything serves.
    for command in RELEASE:
        extra = ["--cases", "5", "--today", "2026-11-02"] if command[1] == "demo" else []
        subprocess.run(  # noqa: S603
            [BIN / command[0], *command[1:], *extra],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    ports = [free_port(), free_port()]
    logs = tmp_path / "logs"
    logs.mkdir()
    services: dict[str, list[str | Path]] = {
        "web1": [BIN / WEB[0], *WEB[1:]],
        "web2": [BIN / WEB[0], *WEB[1:]],
        "worker1": [BIN / WORKER[0], *WORKER[1:]],
        "worker2": [BIN / WORKER[0], *WORKER[1:]],
        "scheduler": [BIN / SCHEDULER[0], *SCHEDULER[1:]],
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(name: str) -> None:
        own = (
            {"PORT": str(ports[int(name[-1]) - 1]), "WEB_CONCURRENCY": "1"}
            if name.startswith("web")
            else {}
        )
        with open(logs / f"{name}.log", "wb") as log:
            processes[name] = subprocess.Popen(  # noqa: S603
                services[name],
                env=env | own,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    try:
        for name in ("web1", "web2", "worker1", "worker2"):
            start(name)
        # While they start: make the weekly digest due, so that the scheduler's first round has
        # something to enqueue, and make an API token.
        heard_shell(
            env,
            "import json; from django.utils import timezone; from heard.schedules.models import Schedule; "
            "print(json.dumps(Schedule.objects.filter(job='weekly_digest')"
            ".update(enabled=True, next_run_at=timezone.now() - timezone.timedelta(minutes=1))))",
        )
        token = (
            subprocess.run(  # noqa: S603
                [BIN / "heard", "apitoken", "topology", "--role", "complaints_team"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            )
            .stdout.strip()
            .splitlines()[-1]
        )

        start("scheduler")
        proxy = RoundRobin(ports)
        for port in ports:
            wait_for(partial(_ready, port), f"web on {port} to be ready")

        # Through both web processes: public-form journeys and API submissions.
        accepted = []
        for n in range(4):
            status = public_form(proxy, f"topology-form-{n}", f"person{n}@example.org", f"topo-{n}")
            assert status == 302
            accepted.append(f"topology-form-{n}")
        for n in range(4):
            response = proxy.request(
                "POST",
                "/api/v1/cases",
                body=json.dumps(
                    {
                        "kind": "complaint",
                        "channel": "web",
                        "subject": f"topology-api-{n}",
                        "description": "Reported through the API.",
                        "customer": {"name": "Bob Jones", "email": "bob@example.org"},
                    }
                ),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            assert response.status == 201, response.body  # type: ignore[attr-defined]
            assert response.headers["X-Request-ID"]
            accepted.append(f"topology-api-{n}")
        assert set(proxy.served_by) == set(ports)

        def recipients() -> list[bytes]:
            return [
                re.search(rb"^To: (\S+)", message, re.MULTILINE).group(1)  # type: ignore[union-attr]
                for message in list(mailbox.messages)
            ]

        wait_for(
            lambda: (
                {f"person{n}@example.org".encode() for n in range(4)} <= set(recipients())
                and any(to.startswith(b"head.") for to in recipients())
            ),
            "the workers to send every acknowledgement and the scheduled digest",
        )

        def settled() -> dict[str, Any] | None:
            counts = heard_shell(env, COUNTS)
            done = (
                set(counts["acknowledgements"].values()) == {"sent"}
                and counts["jobs"] == ["SUCCESSFUL"]
                and counts["weekly_digest_ran"]
            )
            return counts if done else None

        counts = wait_for(settled, "every job to be recorded as done")
        assert counts["subjects"] == sorted(accepted)
        assert sorted(counts["acknowledgements"]) == [f"person{n}@example.org" for n in range(4)]
        assert counts["workers_alive"] == 2
        assert len(counts["job_workers"]) >= 1
        # Each acknowledgement reached the mail server once (the digest went to heads of service).
        for n in range(4):
            assert recipients().count(f"person{n}@example.org".encode()) == 1
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()

    # The request that sent form 0 is followed into whichever worker sent its acknowledgement.
    worker_lines = [
        json.loads(line)
        for name in ("worker1", "worker2")
        for line in (logs / f"{name}.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert any(line["request_id"] == "topo-0" for line in worker_lines)
    web_lines = [
        json.loads(line)
        for name in ("web1", "web2")
        for line in (logs / f"{name}.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert any(
        line.get("request_id") == "topo-0" and line.get("status") == 302 for line in web_lines
    )


def _ready(port: int) -> bool:
    return _status(port, "/readyz") == 200


def _status(port: int, path: str) -> int:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path, headers={"Host": "localhost"})
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return 0


def test_compose_and_the_containerfile_name_what_this_test_runs():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "release", "web1", "web2", "worker1", "worker2", "scheduler", "proxy"} <= set(
        services
    )

    release = " ".join(services["release"]["command"])
    for command in RELEASE:
        assert shlex.join(command) in release
    assert release.index("migrate") < release.index("createcachetable") < release.index("demo")
    for name in ("web1", "web2"):
        assert services[name]["command"] == WEB
        assert set(services[name]["environment"]) == SHARED_SETTINGS | WEB_SETTINGS
    for name in ("worker1", "worker2"):
        assert services[name]["command"] == WORKER
    assert services["scheduler"]["command"] == SCHEDULER
    for name in ("release", "worker1", "worker2", "scheduler"):
        assert set(services[name]["environment"]) - {"HEARD_DEMO"} == SHARED_SETTINGS
    # Everything but gunicorn's own two settings is read by heard/settings.py.
    settings_source = (ROOT / "heard" / "settings.py").read_text()
    for name in SHARED_SETTINGS:
        assert re.search(rf'env(_bool|_list)?\(\s*"{name}"', settings_source), name
    # The serving processes start only after the release step has finished.
    for name in ("web1", "web2", "worker1", "worker2", "scheduler"):
        assert services[name]["depends_on"]["release"]["condition"] == (
            "service_completed_successfully"
        )
    # The proxy sends traffic to both web processes, and Heard trusts exactly one proxy.
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert re.findall(r"server (web\d):8000", nginx) == ["web1", "web2"]
    assert services["web1"]["environment"]["HEARD_PROXY_COUNT"] == "1"
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in nginx
    # Only an unreachable web process sends a request to the other: never a POST that was
    # already sent, and never because Heard answered 5xx (a 503 from /readyz would otherwise
    # take every web process out of the pool).
    retry = re.search(r"proxy_next_upstream ([^;]+);", nginx)
    assert retry is not None and set(retry.group(1).split()) <= {"error", "timeout"}

    containerfile = (DEPLOY / "Containerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", containerfile, re.MULTILINE)
    assert len(stages) >= 3  # front-end, build, runtime
    images = re.findall(r"^ARG \w+_IMAGE=(\S+)", containerfile, re.MULTILINE)
    assert images and all(re.search(r":\d+\.\d+\.\d+", image) for image in images)
    assert "-c requirements.lock" in containerfile
    assert "npm ci" in containerfile
    assert re.search(r"heard collectstatic", containerfile)
    runtime = containerfile.split("AS runtime", 1)[1]
    user = re.search(r"^USER (\S+)", runtime, re.MULTILINE)
    assert user is not None and not user.group(1).startswith(("0", "root"))
    assert json.loads(re.search(r"^CMD (.+)$", runtime, re.MULTILINE).group(1)) == WEB  # type: ignore[union-attr]
