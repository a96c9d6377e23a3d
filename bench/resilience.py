"""Load with kills: `python -m bench.resilience --seconds 60`.

The topology of deploy/compose.yaml on this machine, on PostgreSQL: two gunicorn web
processes, two `heard worker --no-scheduler` and `heard scheduler`, with acknowledgements sent
to a real SMTP server on loopback run by this harness. Threads drive the public form (whole
journeys, each with its own email address, so each is acknowledged) and the API at saturation
through both web processes in turn, as the proxy would; during the run a worker is killed with
SIGKILL and restarted, then one web process (its whole process group), then the other worker.

Afterwards, once the queue has drained: every accepted submission must be in the database
exactly once (lost = 0, duplicated = 0) and every acknowledgement must have reached the mail
server exactly once (by Message-ID). Requests, errors and p50/p95 latencies are written to
bench/results/resilience-<date>.json. The database is heard_resilience on 127.0.0.1 (or
RESILIENCE_DATABASE_URL), dropped and created afresh.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any

from bench.__main__ import BIN, RESULTS, ROOT, _memory_gib, _run, _versions
from bench.hammer import post_json
from bench.load import case_payload
from bench.portal_load import Journey
from bench.serving import free_port, recreate_postgres, wait_for

THREADS_PER_KIND = 4
SMTP_SECONDS = 0.3


class Mailbox:
    """The SMTP server the workers send to: every delivery kept, with its Message-ID."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # A mail server takes a moment to accept a message, so a worker killed at random is
        # often killed mid-send — the case the outbox must get right.
        await asyncio.sleep(SMTP_SECONDS)
        message = message_from_bytes(envelope.content)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.deliveries.append((recipient, message.get("Message-ID", "")))
        return "250 Message accepted"


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.server_errors = 0
        self.connection_errors = 0
        self.client_errors = 0
        self.accepted: dict[str, list[str]] = {"api": [], "portal": []}
        self.unknown: list[str] = []  # sent, but the answer was lost with a killed process
        self.refused = 0  # connections refused by a dead web process, retried on the other
        self.latency: dict[str, list[float]] = {
            "api": [],
            "portal_request": [],
            "portal_journey": [],
        }

    def count(self, status: int) -> None:
        with self.lock:
            self.requests += 1
            if status >= 599:
                self.connection_errors += 1
            elif status >= 500:
                self.server_errors += 1
            elif status >= 400:
                self.client_errors += 1


class TimedJourney(Journey):
    """bench.portal_load's journey with a contact email (so it is acknowledged), each request
    timed and sent to the next web process in turn."""

    def __init__(self, ports: list[int], tally: Tally, turn: int) -> None:
        self.ports, self.tally, self.turn = ports, tally, turn
        self.cookies = {}
        self.connections: dict[int, http.client.HTTPConnection] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        started = time.perf_counter()
        for attempt in range(len(self.ports)):
            port = self.ports[self.turn % len(self.ports)]
            self.turn += 1
            self.connection = self.connections.setdefault(
                port, http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            )
            try:
                status, text = super().request(method, path, form)
                break
            except ConnectionRefusedError:
                # Nothing was sent: as the proxy does (proxy_next_upstream error), try the
                # other web process.
                self.connections.pop(port).close()
                with self.tally.lock:
                    self.tally.refused += 1
                if attempt == len(self.ports) - 1:
                    self.tally.count(599)
                    raise
            except (OSError, http.client.HTTPException):
                self.connections.pop(port).close()
                self.tally.count(599)
                raise
        self.tally.count(status)
        with self.tally.lock:
            self.tally.latency["portal_request"].append(time.perf_counter() - started)
        return status, text

    def send_with_email(self, subject: str, email: str) -> int:
        """The whole journey; 201 when the check page accepted it (redirected to 'done')."""
        status, csrf = self.fill_in(subject, email)
        if status != 302:
            return status
        try:
            status, _ = self.request("POST", "/tell-us/check", csrf)
        except (OSError, http.client.HTTPException):
            return -1  # sent; whether it was accepted is unknown
        return 201 if status == 302 else status


def drive(ports: list[int], token: str, marker: str, stop_at: float, tally: Tally) -> None:
    def api(thread: int) -> None:
        connections: dict[int, http.client.HTTPConnection] = {}
        sequence = 0
        while time.monotonic() < stop_at:
            sequence += 1
            subject = f"{marker}-api-{thread}-{sequence}"
            payload = case_payload(subject)
            started = time.perf_counter()
            for attempt in range(len(ports)):
                port = ports[(thread + sequence + attempt) % len(ports)]
                connection = connections.setdefault(
                    port, http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                )
                try:
                    status = post_json(connection, "/api/v1/cases", payload, f"Bearer {token}")
                    break
                except (
                    ConnectionRefusedError
                ):  # nothing sent: the other web process, as the proxy would
                    connections.pop(port).close()
                    status = 599
                    with tally.lock:
                        tally.refused += 1
                except (OSError, http.client.HTTPException):
                    connections.pop(port).close()
                    status = 599
                    with tally.lock:
                        tally.unknown.append(subject)
                    break
            tally.count(status)
            with tally.lock:
                if status == 201:
                    tally.accepted["api"].append(subject)
                    tally.latency["api"].append(time.perf_counter() - started)
            if status == 599:
                time.sleep(0.05)

    def portal(thread: int) -> None:
        sequence = 0
        while time.monotonic() < stop_at:
            sequence += 1
            subject = f"{marker}-portal-{thread}-{sequence}"
            journey = TimedJourney(ports, tally, thread + sequence)
            started = time.perf_counter()
            try:
                status = journey.send_with_email(
                    subject, f"{marker}-{thread}-{sequence}@example.org"
                )
            except (OSError, http.client.HTTPException):
                status = 599
            with tally.lock:
                if status == 201:
                    tally.accepted["portal"].append(subject)
                    tally.latency["portal_journey"].append(time.perf_counter() - started)
                elif status == -1:
                    tally.unknown.append(subject)
            if status in (599, -1):
                time.sleep(0.05)

    threads = [threading.Thread(target=api, args=(n,)) for n in range(THREADS_PER_KIND)]
    threads += [threading.Thread(target=portal, args=(n,)) for n in range(THREADS_PER_KIND)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Processes:
    """The topology's long-running processes, each restartable; every kill is recorded."""

    def __init__(self, env: dict[str, str], ports: list[int], logs: Path) -> None:
        self.env, self.ports, self.logs = env, ports, logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.events: list[dict[str, Any]] = []
        self.started_at = time.monotonic()
        self.generation: dict[str, int] = {}
        self.worker_ids: dict[str, str] = {}

    def running_job(self, name: str) -> str | None:
        """The job this worker is running now, if any."""
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as db:
            row = db.execute(
                "SELECT id::text FROM django_tasks_database_dbtaskresult"
                " WHERE status = 'RUNNING' AND worker_ids ->> -1 = %s LIMIT 1",
                (self.worker_ids[name],),
            ).fetchone()
        return row[0] if row else None

    def command(self, name: str) -> tuple[list[str], dict[str, str]]:
        if name.startswith("web"):
            port = self.ports[int(name[-1]) - 1]
            return [str(BIN / "gunicorn"), "heard.wsgi"], {
                "PORT": str(port),
                "WEB_CONCURRENCY": "2",
            }
        if name.startswith("worker"):
            self.generation[name] = self.generation.get(name, 0) + 1
            worker_id = f"resilience-{name}-{self.generation[name]}"
            self.worker_ids[name] = worker_id
            return [str(BIN / "heard"), "worker", "--no-scheduler", "--worker-id", worker_id], {}
        # A shorter round than compose's default, so recovery is seen within the run.
        return [str(BIN / "heard"), "scheduler", "--interval", "2"], {}

    def start(self, name: str) -> None:
        command, own = self.command(name)
        with open(self.logs / f"{name}.log", "ab") as log:
            self.running[name] = subprocess.Popen(
                command,
                env=self.env | own,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so a kill takes its children
            )

    def kill(self, name: str) -> None:
        """SIGKILL the process group; a worker is caught mid-job if it runs one within 10 s."""
        job = None
        if name.startswith("worker"):
            deadline = time.monotonic() + 10
            while job is None and time.monotonic() < deadline:
                job = self.running_job(name)
                if job is None:
                    time.sleep(0.02)
        process = self.running[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        event: dict[str, Any] = {
            "at_s": round(time.monotonic() - self.started_at, 1),
            "killed": name,
        }
        if name.startswith("worker"):
            event["mid_job"] = job
        self.events.append(event)

    def restart(self, name: str) -> None:
        self.start(name)
        self.events.append(
            {"at_s": round(time.monotonic() - self.started_at, 1), "restarted": name}
        )

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


COUNT = """
import json, sys
from django.db.models import Count
from heard.cases.models import Case
from heard.notify.models import Message
marker = sys.argv[-1]
cases = Case.objects.filter(subject__startswith=marker + "-")
acks = Message.objects.filter(template_key="acknowledgement", case__subject__startswith=marker + "-portal-")
print(json.dumps({
    "subjects": dict(cases.values_list("subject").annotate(n=Count("id"))),
    "acknowledgements": list(acks.values_list("case__subject", "recipient", "status", "idempotency_key")),
}))
"""


def count(env: dict[str, str], marker: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(BIN / "python"), "-c", "import django; django.setup()\n" + COUNT, marker],
        env=env | {"DJANGO_SETTINGS_MODULE": "heard.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def killed_jobs(env: dict[str, str], job_ids: list[str]) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as db:
        found = db.execute(
            "SELECT id::text, status, worker_ids, task_path FROM django_tasks_database_dbtaskresult"
            " WHERE id::text = ANY(%s)",
            (job_ids,),
        ).fetchall()
    return {
        job: {"status": status, "worker_ids": workers, "task": task}
        for job, status, workers, task in found
    }


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(1000 * ordered[max(0, int(len(ordered) * fraction + 0.5) - 1)], 1)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.resilience", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cases", type=int, default=1000, help="demo cases loaded first")
    parser.add_argument("--drain-seconds", type=float, default=180.0)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    mailbox, smtp_port = Mailbox(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()

    workdir = Path(tempfile.mkdtemp(prefix="heard-resilience-"))
    env = {
        **os.environ,
        "HEARD_DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "heard.settings",
        "DATABASE_URL": os.environ.get(
            "RESILIENCE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard_resilience"
        ),
        # One client address drives the whole load: lift the public rate limits for the run.
        "HEARD_PUBLIC_RATE_PER_ADDRESS": "100000000",
        "HEARD_PUBLIC_RATE_PER_EMAIL": "100000000",
        "HEARD_LOG_FORMAT": "json",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        # A killed worker's job goes back on the queue after 5 s of silence.
        "HEARD_WORKER_PRESUMED_DEAD_SECONDS": "5",
        "HEARD_MESSAGE_STALE_SECONDS": "15",
    }
    recreate_postgres(env["DATABASE_URL"])
    heard = str(BIN / "heard")
    _run([heard, "migrate", "-v0"], env)
    _run([heard, "createcachetable"], env)
    _run([heard, "demo", "--cases", str(args.cases), "--today", "2026-11-02"], env)
    token = (
        _run([heard, "apitoken", "bench", "--role", "complaints_team"], env)
        .strip()
        .splitlines()[-1]
    )

    ports = [free_port(), free_port()]
    logs = workdir / "logs"
    logs.mkdir()
    processes = Processes(env, ports, logs)
    marker = f"resilience-{time.time_ns()}"
    tally = Tally()
    for name in ("web1", "web2", "worker1", "worker2", "scheduler"):
        processes.start(name)
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/readyz")
        processes.started_at = time.monotonic()
        stop_at = time.monotonic() + args.seconds
        load = threading.Thread(target=drive, args=(ports, token, marker, stop_at, tally))
        load.start()
        # Kills at a quarter, a half and three quarters of the run; each back 5 s later.
        for at, name in ((0.25, "worker1"), (0.5, "web2"), (0.75, "worker2")):
            time.sleep(max(0.0, processes.started_at + at * args.seconds - time.monotonic()))
            processes.kill(name)
            time.sleep(5)
            processes.restart(name)
        load.join()
        elapsed = time.monotonic() - processes.started_at

        # Drain: every acknowledgement of an accepted (or possibly accepted) submission sent.
        deadline = time.monotonic() + args.drain_seconds
        while True:
            counted = count(env, marker)
            pending = [a for a in counted["acknowledgements"] if a[2] != "sent"]
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(2)
    finally:
        processes.stop_all()
        smtp.stop(no_assert=True)

    rows = counted["subjects"]
    accepted = tally.accepted["api"] + tally.accepted["portal"]
    lost = [s for s in accepted if s not in rows]
    duplicated = {s: n for s, n in rows.items() if n > 1}
    unknown_stored = [s for s in tally.unknown if s in rows]
    acknowledgements = counted["acknowledgements"]
    expected_acks = {s for s in rows if "-portal-" in s}
    acked_cases = {a[0] for a in acknowledgements}
    deliveries: dict[str, list[str]] = {}
    for recipient, message_id in mailbox.deliveries:
        if recipient.startswith(marker):
            deliveries.setdefault(recipient, []).append(message_id)
    by_recipient = {a[1]: a for a in acknowledgements}
    not_delivered = [r for r in by_recipient if r not in deliveries]
    delivered_twice_same_id = [
        r for r, ids in deliveries.items() if len(ids) > 1 and len(set(ids)) == 1
    ]
    delivered_twice_distinct = [r for r, ids in deliveries.items() if len(set(ids)) > 1]

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "memory_gib": _memory_gib()},
        "versions": _versions(),
        "database": "postgresql",
        "topology": "2 gunicorn web processes x 2 workers, 2 heard worker --no-scheduler, heard scheduler",
        "seconds": round(elapsed, 1),
        "demo_cases": args.cases,
        "events": processes.events,
        "requests": tally.requests,
        "errors": {
            "server_errors": tally.server_errors,
            "connection_errors": tally.connection_errors,
            "client_errors": tally.client_errors,
            "refused_and_retried_on_the_other_web": tally.refused,
        },
        "accepted": {"api": len(tally.accepted["api"]), "portal": len(tally.accepted["portal"])},
        "per_second": round(len(accepted) / elapsed, 1),
        "latency_ms": {
            "api_submission": {
                "p50": percentile(tally.latency["api"], 0.5),
                "p95": percentile(tally.latency["api"], 0.95),
            },
            "portal_request": {
                "p50": percentile(tally.latency["portal_request"], 0.5),
                "p95": percentile(tally.latency["portal_request"], 0.95),
            },
            "portal_journey": {
                "p50": percentile(tally.latency["portal_journey"], 0.5),
                "p95": percentile(tally.latency["portal_journey"], 0.95),
            },
        },
        "lost": len(lost),
        "duplicated": len(duplicated),
        "outcome_unknown": {"sent": len(tally.unknown), "stored": len(unknown_stored)},
        "acknowledgements": {
            "expected": len(expected_acks),
            "queued": len(acknowledgements),
            "missing_in_outbox": len(expected_acks - acked_cases),
            "sent": sum(1 for a in acknowledgements if a[2] == "sent"),
            "not_delivered": len(not_delivered),
            "delivered_once": sum(1 for ids in deliveries.values() if len(ids) == 1),
            "redelivered_same_message_id": len(delivered_twice_same_id),
            "delivered_twice": len(delivered_twice_distinct),
        },
    }
    put_back = 0
    for line in (logs / "scheduler.log").read_text().splitlines():
        match = re.search(r"Put (\d+) abandoned job", line)
        if match:
            put_back += int(match.group(1))
    result["jobs_put_back_after_kills"] = put_back
    # What became of each job a killed worker was running: done by another worker, once.
    result["killed_mid_job"] = killed_jobs(
        env, [e["mid_job"] for e in processes.events if e.get("mid_job")]
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"resilience-{datetime.now(UTC):%Y-%m-%d}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    problems = [
        label
        for label, bad in (
            ("lost", result["lost"]),
            ("duplicated", result["duplicated"]),
            ("acknowledgements missing", result["acknowledgements"]["missing_in_outbox"]),
            ("acknowledgements not delivered", result["acknowledgements"]["not_delivered"]),
            ("acknowledgements delivered twice", result["acknowledgements"]["delivered_twice"]),
        )
        if bad
    ]
    if problems:
        print(f"FAILED: {', '.join(problems)}", file=sys.stderr)
        return 1
    print(f"Written to {path.relative_to(ROOT)}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
