"""Heard's benchmarks: `python -m bench --cases N` (or `make bench CASES=N`).

Loads the demo council with N cases into a database of its own, serves it with gunicorn
(two workers, as for a 2-core machine), and measures, writing bench/results/<date>-<N>.json
and printing a Markdown table:

1. intake: API submissions per second from a separate load process for a fixed time, then
   the rows are counted — lost, duplicated and server errors must all be 0;
2. staff lists: p50/p95 latency of the API's lists and of the staff screens (every work
   queue, a filtered list, and searches by reference, postcode, name and full text) at N
   cases, signed in as demo officers through the real sign-in page;
3. reports: the dashboard and annual report figures beside a hand-written SQL aggregate
   over the same table (the floor);
4. deadlines: re-timing every open case after a closure day is added, beside numpy's
   busday_offset over the same dates (the floor);
5. peak memory of the web and worker processes;
6. learning (bench/learning_scale.py): the nightly retrain of theme suggestions and the
   early-warning run, and what the triage and case pages wait for (suggested themes,
   related cases, repeat contacts).

Every figure is the median of several runs with min and max. The database is PostgreSQL
from BENCH_DATABASE_URL (default: a fresh heard_bench_<N> on 127.0.0.1), or with --smoke a
throw-away SQLite file (about 1,000 cases, for `make bench-smoke`: it checks that every
measurement produced a number and nothing was lost, never a timing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench import intake_problems, intake_summary, speed_probe
from bench.serving import free_port, gunicorn, peak_mib, recreate_postgres, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--smoke", action="store_true", help="about 1,000 cases on SQLite; no timing is judged"
    )
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="how long each intake run lasts"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-peer", action="store_true", help="skip the django-helpdesk side-by-side run"
    )
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.seconds, args.runs = min(args.cases, 1_000), 3.0, 1

    # What is measured is the code as the run starts: a commit made while a long run is under
    # way must not be recorded as the one measured.
    source = _source()
    workdir = Path(tempfile.mkdtemp(prefix="heard-bench-"))
    env = {
        **os.environ,
        "HEARD_DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "heard.settings",
        # The load comes from one address: lift the public rate limits for the run.
        "HEARD_PUBLIC_RATE_PER_ADDRESS": "100000000",
        "HEARD_PUBLIC_RATE_PER_EMAIL": "100000000",
        "HEARD_API_READS_PER_TOKEN_PER_MINUTE": "0",
    }
    if args.smoke:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        env["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/heard_bench_{args.cases}"
        )
        recreate_postgres(env["DATABASE_URL"])
    heard = str(BIN / "heard")
    _run([heard, "migrate", "-v0"], env)
    started = time.perf_counter()
    _run([heard, "demo", "--cases", str(args.cases), "--today", "2026-11-02"], env)
    load_seconds = time.perf_counter() - started
    token = (
        _run([heard, "apitoken", "bench", "--role", "complaints_team"], env)
        .strip()
        .splitlines()[-1]
    )

    peer = None
    if not args.smoke and not args.no_peer:
        # The peer, on the same machine in the same run (its own venv and database; see
        # bench/README.md "Side by side with django-helpdesk"), loaded and served before
        # anything is measured, so that the intake runs of the two can take turns.
        from bench.helpdesk import Peer

        peer = Peer(args.cases, False, seconds=args.seconds, runs=args.runs)

    port = free_port()
    web = gunicorn(BIN, "heard.wsgi", port, env, ROOT)
    worker = subprocess.Popen(
        [heard, "worker", "--interval", "1"], env=env, stdout=subprocess.DEVNULL
    )
    peer_intake: dict[str, list[dict[str, float]]] = {"form": [], "api": []}
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        probe = speed_probe()
        intake: list[dict[str, float]] = []
        portal: list[dict[str, float]] = []
        for run in range(args.runs):
            for api in (True, False):
                # Heard then helpdesk, then helpdesk then Heard: a drift in the machine's
                # speed during the run falls on both alike.
                turns = ["heard", "peer"] if run % 2 == 0 else ["peer", "heard"]
                for turn in turns:
                    if turn == "heard":
                        figures = _intake(
                            port, token if api else "", args.seconds, env, run, portal=not api
                        )
                        (intake if api else portal).append(figures)
                        _settle(env["DATABASE_URL"])
                    elif peer is not None:
                        peer_intake["api" if api else "form"].append(peer.intake(run, api=api))
        # The intake runs added thousands of open, unallocated cases in two minutes (at 100,000
        # cases, most of the open ones): refresh the planner's statistics, as autovacuum would
        # after such a change, so that the lists are measured on plans for the data they hold.
        _run([heard, "shell", "-c", ANALYZE], env)
        lists = _lists(port, token, samples=10 if args.smoke else 40)
        screens = json.loads(
            _run(
                [
                    str(BIN / "python"),
                    "-m",
                    "bench.staff_screens",
                    str(port),
                    "3" if args.smoke else "20",
                ],
                env,
            )
        )
        memory = {
            "web_peak_mib": peak_mib(web.pid, children=True),
            "worker_peak_mib": peak_mib(worker.pid),
        }
    except BaseException:
        if peer is not None:
            peer.stop()
        raise
    finally:
        for process in (web, worker):
            process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    helpdesk = None
    if peer is not None:
        try:
            helpdesk = peer.finish(peer_intake["form"], peer_intake["api"])
        finally:
            peer.stop()
    deadlines = json.loads(
        _run([str(BIN / "python"), "-m", "bench.deadlines", str(args.runs)], env)
    )
    reports = json.loads(_run([str(BIN / "python"), "-m", "bench.reports", str(args.runs)], env))
    learning = json.loads(
        _run([str(BIN / "python"), "-m", "bench.learning_scale", "5" if args.smoke else "20"], env)
    )
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cases": args.cases,
        "smoke": args.smoke,
        "machine": {
            "cores": os.cpu_count(),
            "memory_gib": _memory_gib(),
            "python": platform.python_version(),
        },
        "versions": _versions(),
        "source": source,
        "database": "sqlite" if args.smoke else "postgresql",
        "speed_probe_seconds": probe,
        "demo_load_seconds": round(load_seconds, 1),
        "intake": intake_summary(intake),
        "portal_intake": intake_summary(portal),
        "lists": lists,
        "screens": screens,
        "reports": reports,
        "learning": learning,
        "helpdesk": helpdesk,
        "deadlines": deadlines,
        "memory": memory,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y-%m-%d}-{args.cases}{'-smoke' if args.smoke else ''}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print(_table(result))
    problems = intake_problems(result, ("intake", "portal_intake"))
    if problems:
        print(f"FAILED: {', '.join(problems)} during intake", file=sys.stderr)
        return 1
    return 0


def _intake(
    port: int, token: str, seconds: float, env: dict[str, str], run: int, *, portal: bool = False
) -> dict[str, float]:
    """Submissions from a separate process for a fixed time; then count what arrived."""
    marker = f"bench-{'portal' if portal else 'api'}-{run}-{time.time_ns()}"
    command = (
        ["-m", "bench.portal_load", str(port), str(seconds), marker]
        if portal
        else ["-m", "bench.load", str(port), token, str(seconds), marker]
    )
    done = subprocess.run(
        [str(BIN / "python"), *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    sent = json.loads(done.stdout)
    counted = json.loads(_run([str(BIN / "python"), "-m", "bench.count", marker], env))
    accepted = sent["accepted"]
    return {
        "per_second": round(accepted / sent["seconds"], 1),
        "accepted": accepted,
        "lost": max(0, accepted - counted["distinct"]),
        "duplicated": counted["rows"] - counted["distinct"],
        "server_errors": sent["server_errors"],
        "client_errors": sent["client_errors"],
    }


# What the worker still has to do: messages to send and background jobs.
BACKLOG = (
    "SELECT (SELECT count(*) FROM notify_message WHERE status IN ('queued', 'sending'))"
    " + (SELECT count(*) FROM django_tasks_database_dbtaskresult"
    " WHERE status IN ('READY', 'RUNNING'))"
)


def _settle(url: str, seconds: float = 300) -> None:
    """Wait until Heard's worker has done what an intake run queued (acknowledgements, jobs),
    so that its work is done in Heard's turn and not in the peer's that follows."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if url.startswith("sqlite:///"):
            import sqlite3

            with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
                (left,) = connection.execute(BACKLOG).fetchone()
        else:
            import psycopg

            with psycopg.connect(url) as connection:
                row = connection.execute(BACKLOG).fetchone()
                left = row[0] if row else 0
        if not left:
            return
        time.sleep(0.5)
    raise RuntimeError(f"the worker still had {left} things to do after {seconds:.0f} s")


# VACUUM as well on PostgreSQL: autovacuum would, and the report figures read the covering
# indexes alone only where the pages are marked all-visible.
ANALYZE = (
    "from django.db import connection; connection.cursor().execute("
    "'VACUUM (ANALYZE)' if connection.vendor == 'postgresql' else 'ANALYZE')"
)

QUEUES = {
    "all cases, newest first": "",
    "overdue": "?overdue=true",
    "one service's open cases": "?service=waste&status=acknowledged",
    "an officer's cases": "?assigned_officer=io1.waste",
    "stage 2 complaints": "?kind=complaint&stage=2",
    "received in a month": "?received_after=2026-01-01&received_before=2026-01-31",
}


def _lists(port: int, token: str, *, samples: int) -> dict[str, dict[str, float]]:
    timings: dict[str, dict[str, float]] = {}
    for label, query in QUEUES.items():
        seconds = []
        for _ in range(samples):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/cases{query}",
                headers={"Authorization": f"Bearer {token}"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            seconds.append(time.perf_counter() - started)
        seconds.sort()
        timings[label] = {
            "p50_ms": round(1000 * statistics.median(seconds), 1),
            "p95_ms": round(1000 * seconds[max(0, int(len(seconds) * 0.95) - 1)], 1),
        }
    return timings


def _table(result: dict) -> str:
    lines = [
        f"| measure ({result['cases']:,} cases, {result['database']}) | value |",
        "|---|---|",
        f"| commit | {str(result['source']['commit'])[:7]}"
        f"{' with uncommitted changes' if result['source']['uncommitted_changes'] else ''} |",
        f"| demo load | {result['demo_load_seconds']} s |",
        f"| API intake | {result['intake']['median']} /s (min {result['intake']['min']}, max {result['intake']['max']}); "
        f"lost {result['intake']['lost']}, duplicated {result['intake']['duplicated']}, "
        f"server errors {result['intake']['server_errors']} |",
    ]
    p = result["portal_intake"]
    lines.append(
        f"| public-form intake (whole journeys) | {p['median']} /s (min {p['min']}, max {p['max']}); "
        f"lost {p['lost']}, duplicated {p['duplicated']}, server errors {p['server_errors']} |"
    )
    for label, figures in result["lists"].items():
        lines.append(f"| list: {label} | p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms |")
    for label, figures in result["screens"].items():
        lines.append(
            f"| screen: {label} | p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms |"
        )
    for label, figures in result["reports"].items():
        if isinstance(figures, dict) and "median" in figures:
            lines.append(f"| report: {label} | {figures['median']} s |")
    learning = result.get("learning") or {}
    if learning.get("cases"):
        lines.append(
            f"| learning: retrain theme suggestions ({learning['retrain_examples']:,} examples) | "
            f"{learning['retrain_seconds']} s |"
        )
        lines.append(f"| learning: early warnings run | {learning['early_warnings_seconds']} s |")
        for key, label in (("triage_panel", "triage"), ("case_panel", "case page")):
            figures = learning[key]
            lines.append(
                f"| learning: suggestions and related cases at {label} | p50 {figures['p50_ms']} ms "
                f"(min {figures['min_ms']}, max {figures['max_ms']}; first {figures['cold_ms']} ms) |"
            )
    if result.get("helpdesk"):
        lines.append(
            f"| speed probe before each intake, Heard / django-helpdesk | "
            f"{result['speed_probe_seconds']} s / {result['helpdesk'].get('speed_probe_seconds')} s |"
        )
        lines.extend(_ratios(result))
    d = result["deadlines"]
    lines.append(
        f"| re-time {d['open_cases']:,} open cases after a closure day | {d['recompute']['median']} s "
        f"(numpy floor {d['numpy_floor']['median']} s) |"
    )
    lines.append(
        f"| peak memory | web {result['memory']['web_peak_mib']} MiB, worker {result['memory']['worker_peak_mib']} MiB |"
    )
    return "\n".join(lines)


# Heard's figure beside the peer's closest equivalent: (label, Heard screen, helpdesk screen).
PAIRS = [
    ("unallocated / unassigned open", "queue: unallocated", "list: unassigned open tickets"),
    ("my cases / one officer's open", "queue: my cases", "list: one officer's open tickets"),
    (
        "one service, filtered / one queue's open",
        "filtered: overdue stage 1 complaints of one service",
        "list: one queue's open tickets",
    ),
    ("my services / default list", "queue: my services", "list: open tickets (the default list)"),
    ("search by reference / ticket number", "search: reference", "search: ticket number"),
    ("search by name / submitter e-mail", "search: customer name", "search: submitter e-mail"),
    ("full-text search", "search: full text", "search: full text"),
]


def _ratios(result: dict) -> list[str]:
    """Rows of Heard / django-helpdesk: below 1 means Heard is faster (or, for intake, slower)."""
    peer = result["helpdesk"]
    lines = []
    for label, key in (("public form", "portal_intake"), ("API", "intake")):
        heard_intake = result[key]["median"]
        theirs = peer.get("api_intake" if key == "intake" else key, {})
        peer_intake = theirs.get("median")
        if peer_intake:
            pairs = ", ".join(f"{ratio:.2f}" for ratio in _pair_ratios(result[key], theirs))
            lines.append(
                f"| {label} submissions per second, Heard / django-helpdesk | {heard_intake} / "
                f"{peer_intake} = {heard_intake / peer_intake:.2f} (run by run: {pairs}) |"
            )
    for label, mine, theirs in PAIRS:
        a, b = result["screens"].get(mine), peer["screens"].get(theirs)
        if a and b and b["p95_ms"]:
            lines.append(
                f"| p95 {label}, Heard / django-helpdesk | {a['p95_ms']} ms / {b['p95_ms']} ms"
                f" = {a['p95_ms'] / b['p95_ms']:.2f} |"
            )
    return lines


def _pair_ratios(mine: dict, theirs: dict) -> list[float]:
    """Heard's run divided by the peer's run taken beside it, run by run."""
    return [
        a["per_second"] / b["per_second"]
        for a, b in zip(mine["runs"], theirs["runs"], strict=False)
        if b["per_second"]
    ]


def _run(command: list[str], env: dict[str, str]) -> str:
    return subprocess.run(
        command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("heard", "Django", "numpy", "gunicorn", "psycopg")}


def _source() -> dict[str, object]:
    """The commit measured, and whether the checkout had changes not yet committed (the
    benchmark is meant to be run from a clean checkout; a figure from a changed one says so).
    Results and Markdown are left out: writing up one run while the next is under way does
    not change what it measures."""

    def git(*arguments: str) -> str:
        try:
            return subprocess.run(
                ["git", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = git(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "heard",
        "bench",
        ":!bench/results",
        ":!*.md",
    )
    return {"commit": git("rev-parse", "HEAD") or None, "uncommitted_changes": bool(changed)}


if __name__ == "__main__":
    raise SystemExit(main())
