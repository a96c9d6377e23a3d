"""django-helpdesk side by side with Heard, on the same machine in the same benchmark run.

`measure(cases, smoke)` creates django-helpdesk's own virtualenv (from PyPI, pinned in
requirements.txt) under $HEARD_BENCH_DIR/helpdesk-venv (default: a temporary directory),
makes a PostgreSQL database of its own (helpdesk_bench_<N>, or HELPDESK_BENCH_DATABASE_URL),
migrates it, loads N tickets with follow-ups in bulk, serves it with gunicorn (two workers,
like Heard's bench) and measures:

1. intake through the public ticket form (GET, CSRF, POST) and through its API (a ticket
   POSTed as JSON with a staff token) from a separate load process for a fixed time, then
   the rows are counted: lost, duplicated, server errors;
2. p50/p95 of the staff ticket list (default, filtered) and its search, signed in as staff;
3. peak resident memory of the web processes.

It returns a dict (also printed as JSON by `python -m bench.helpdesk --cases N [--smoke]`).
`python -m bench` uses `Peer` instead, to interleave helpdesk's intake runs with Heard's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import intake_summary, speed_probe
from bench.serving import free_port, gunicorn, peak_mib, recreate_postgres, wait_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PASSWORD = "helpdesk-bench-password"  # noqa: S105 — throw-away loopback-only users


def measure(
    cases: int, smoke: bool, *, seconds: float | None = None, runs: int | None = None
) -> dict:
    """Every figure, on its own: intake runs back to back, then the screens."""
    peer = Peer(cases, smoke, seconds=seconds, runs=runs)
    try:
        intake = [peer.intake(run) for run in range(peer.runs)]
        api_intake = [peer.intake(run, api=True) for run in range(peer.runs)]
        return peer.finish(intake, api_intake)
    finally:
        peer.stop()


class Peer:
    """django-helpdesk loaded and served, ready for intake runs.

    ``python -m bench`` interleaves these runs with Heard's own (Heard, helpdesk, helpdesk,
    Heard...) so that a machine whose speed drifts during a run weighs on both alike.
    """

    def __init__(
        self, cases: int, smoke: bool, *, seconds: float | None = None, runs: int | None = None
    ) -> None:
        import psycopg

        from bench.helpdesk.install import ensure_venv
        from bench.helpdesk.load import load, queue_specs

        self.cases = min(cases, 1_000) if smoke else cases
        self.smoke = smoke
        self.seconds = seconds if seconds is not None else (3.0 if smoke else 20.0)
        self.runs = runs if runs is not None else (1 if smoke else 3)
        base = Path(os.environ.get("HEARD_BENCH_DIR") or tempfile.mkdtemp(prefix="heard-bench-"))
        base.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        self.python = ensure_venv(base / "helpdesk-venv")
        self.venv_seconds = time.perf_counter() - started
        bindir = self.python.parent

        self.url = url = os.environ.get(
            "HELPDESK_BENCH_DATABASE_URL",
            f"postgres://postgres@127.0.0.1:5432/helpdesk_bench_{self.cases}",
        )
        recreate_postgres(url)
        self.env = env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL"}
        } | {
            "PYTHONPATH": str(HERE),
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "HELPDESK_DATABASE_URL": url,
            "HELPDESK_DATA_DIR": str(base / "helpdesk-data"),
        }
        _run([str(self.python), "-m", "django", "migrate", "-v0", "--no-input"], env)
        _run([str(self.python), "-m", "django", "loaddata", "-v0", "emailtemplate.json"], env)
        spec = {"queues": queue_specs(), "officers_per_queue": 2, "password": PASSWORD}
        ids = json.loads(
            _run([str(self.python), str(HERE / "setup_data.py")], env, stdin=json.dumps(spec))
        )
        self.token = ids["token"]
        started = time.perf_counter()
        self.loaded = load(url, self.cases, ids)
        self.load_seconds = time.perf_counter() - started

        first_queue = next(iter(ids["queues"]))
        self.queue = ids["queues"][first_queue]
        with psycopg.connect(url) as connection:
            row = connection.execute(
                "SELECT id, submitter_email FROM helpdesk_ticket ORDER BY id DESC LIMIT 1"
            ).fetchone()
        assert row is not None
        self.screens_spec = {
            "queue": self.queue,
            "officer": ids["officers"][first_queue][0],
            "ticket": row[0],
            "email": row[1],
            "username": "bench",
            "password": PASSWORD,
        }

        self.port = port = free_port()
        with psycopg.connect(url) as connection:
            # helpdesk builds absolute links (the ticket-number search redirects) from the Site
            connection.execute(
                "UPDATE django_site SET domain = %s, name = 'helpdesk' WHERE id = 1",
                (f"127.0.0.1:{port}",),
            )
        self.web = gunicorn(bindir, "project.wsgi:application", port, env, HERE)
        self.probe: float | None = None
        try:
            wait_for(f"http://127.0.0.1:{port}/tickets/submit/")
        except RuntimeError:
            self.stop()
            raise

    def intake(self, run: int, *, api: bool = False) -> dict[str, float]:
        """One intake run through the public form (or the API)."""
        if self.probe is None:
            self.probe = speed_probe()
        return _intake(
            self.port,
            self.url,
            self.seconds,
            run,
            self.queue,
            token=self.token if api else "",
        )

    def finish(self, intake: list[dict[str, float]], api_intake: list[dict[str, float]]) -> dict:
        """The staff screens and memory, after the intake runs; the whole result."""
        import psycopg

        # As for Heard: vacuumed, with fresh planner statistics, after the intake runs.
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
        screens = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.helpdesk.staff",
                    str(self.port),
                    "3" if self.smoke else "20",
                    json.dumps(self.screens_spec),
                ],
                cwd=ROOT,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
        )
        memory = {"web_peak_mib": peak_mib(self.web.pid, children=True)}
        return {
            "cases": self.cases,
            "smoke": self.smoke,
            "database": "postgresql",
            "speed_probe_seconds": self.probe,
            "versions": json.loads(
                _run(
                    [
                        str(self.python),
                        "-c",
                        "import json; from importlib.metadata import version as v; print(json.dumps("
                        "{n: v(n) for n in ('django-helpdesk', 'Django', 'gunicorn', 'psycopg')}))",
                    ],
                    self.env,
                )
            ),
            "venv_seconds": round(self.venv_seconds, 1),
            "load_seconds": round(self.load_seconds, 1),
            "loaded": self.loaded,
            "portal_intake": intake_summary(intake),
            "api_intake": intake_summary(api_intake),
            "screens": screens,
            "memory": memory,
        }

    def stop(self) -> None:
        if self.web.poll() is None:
            self.web.send_signal(signal.SIGTERM)
            try:
                self.web.wait(20)
            except subprocess.TimeoutExpired:
                self.web.kill()


def _intake(
    port: int, url: str, seconds: float, run: int, queue: int, *, token: str = ""
) -> dict[str, float]:
    """Submissions from a separate process for a fixed time (through the public form, or
    through the API when given a token); then count what arrived."""
    import psycopg

    marker = f"bench-helpdesk-{'api' if token else 'form'}-{run}-{time.time_ns()}"
    load = (
        ["bench.helpdesk.api_load", str(port), token, str(seconds), marker, str(queue)]
        if token
        else ["bench.helpdesk.portal_load", str(port), str(seconds), marker, str(queue)]
    )
    done = subprocess.run(
        [sys.executable, "-m", *load],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    sent = json.loads(done.stdout)
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*), count(DISTINCT title) FROM helpdesk_ticket WHERE title LIKE %s",
            (marker + "-%",),
        ).fetchone()
    assert row is not None
    rows, distinct = row
    accepted = sent["accepted"]
    return {
        "per_second": round(accepted / sent["seconds"], 1),
        "accepted": accepted,
        "lost": max(0, accepted - distinct),
        "duplicated": rows - distinct,
        "server_errors": sent["server_errors"],
        "client_errors": sent["client_errors"],
    }


def _run(command: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    return subprocess.run(
        command, env=env, cwd=HERE, check=True, capture_output=True, text=True, input=stdin
    ).stdout
