"""Legacy import at scale: generate an old system's export of N cases and time importing it.

Usage: python -m bench.legacy_import --rows 100000 — a fresh PostgreSQL database
(``heard_bench_legacy``, or BENCH_DATABASE_URL), migrated and set up with the demo council's
organisation and services but no cases; then ``heard import-legacy`` on the generated file,
timed, then the same file again (which must create nothing), timed. Writes
``bench/results/legacy-import-<date>.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.__main__ import _run  # the harness's own, not a copy
from bench.serving import recreate_postgres

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
KINDS = ["complaint"] * 6 + ["service_request"] * 2 + ["compliment", "comment", "suggestion"]
CHANNELS = ["web", "email", "phone", "letter", "in_person"]
OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "withdrawn"]
STREETS = ["Mill Road", "High Street", "Station Road, Flat 2", "Elm Grove", "Church Lane"]
POSTCODES = ["SW1A 1AA", "CF10 1EP", "M1 1AE", "LS1 4DY", "B33 8TH", "EH1 1YZ"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.legacy_import")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="heard-bench-legacy-"))
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard_bench_legacy"
    )
    env = {
        **os.environ,
        "HEARD_DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "heard.settings",
        "DATABASE_URL": url,
    }
    recreate_postgres(url)
    heard = str(BIN / "heard")
    _run([heard, "migrate", "-v0"], env)
    _run([heard, "demo", "--cases", "0"], env)
    services = _service_slugs(url)

    path = workdir / f"legacy-{args.rows}.csv"
    generate(path, args.rows, services=services, seed=args.seed)
    size_mib = path.stat().st_size / 1024 / 1024

    started = time.perf_counter()
    first = _run([heard, "import-legacy", str(path)], env)
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = _run([heard, "import-legacy", str(path)], env)
    rerun_seconds = time.perf_counter() - started
    counted = _count(url)
    if counted != args.rows:
        raise SystemExit(f"{counted} cases in the database after importing {args.rows} rows")
    if f"0 cases imported, {args.rows} already imported before" not in second:
        raise SystemExit(f"The second run imported something: {second.strip().splitlines()[-1]}")

    result = {
        "date": date.today().isoformat(),
        "database": "postgresql",
        "rows": args.rows,
        "file_mib": round(size_mib, 1),
        "import_seconds": round(import_seconds, 1),
        "rows_per_second": round(args.rows / import_seconds),
        "rerun_seconds": round(rerun_seconds, 1),
        "cases_after_both_runs": counted,
        "first_run": first.strip().splitlines()[-1],
        "second_run": second.strip().splitlines()[-1],
        "cores": os.cpu_count(),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"legacy-import-{date.today().isoformat()}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {out.relative_to(ROOT)}")
    return 0


def generate(path: Path, rows: int, *, services: list[str], seed: int = 12) -> None:
    """An old system's export in Heard's own column names, with a realistic mix of rows."""
    rng = random.Random(seed)
    start = datetime(2019, 1, 1, 9, 0, tzinfo=UTC)
    span = (datetime(2025, 12, 31, tzinfo=UTC) - start).total_seconds()
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "Reference",
                "Kind",
                "Channel",
                "Received",
                "Stage",
                "Status",
                "Outcome",
                "Responded",
                "Closed",
                "Customer name",
                "Customer email",
                "Customer phone",
                "Customer address",
                "Subject",
                "Description",
                "Service",
            ]
        )
        for n in range(rows):
            received = start + timedelta(seconds=rng.random() * span)
            closed = rng.random() < 0.8
            responded_at = received + timedelta(days=rng.randint(1, 30))
            closed_at = responded_at + timedelta(days=rng.randint(0, 5))
            kind = rng.choice(KINDS)
            writer.writerow(
                [
                    f"OLD-{n + 1:07d}",
                    kind,
                    rng.choice(CHANNELS),
                    received.strftime("%d/%m/%Y %H:%M"),
                    rng.choice(["1", "1", "1", "2"]) if kind == "complaint" else "1",
                    "closed" if closed else "",
                    rng.choice(OUTCOMES) if closed and kind == "complaint" else "",
                    responded_at.strftime("%Y-%m-%d") if closed else "",
                    closed_at.strftime("%Y-%m-%d") if closed else "",
                    f"Customer {n}",
                    f"customer{n}@example.org" if rng.random() < 0.6 else "",
                    f"01632 {rng.randint(0, 999999):06d}" if rng.random() < 0.5 else "",
                    f"{rng.randint(1, 200)} {rng.choice(STREETS)}, Town, {rng.choice(POSTCODES)}",
                    f"Old case {n}: missed collection, again",
                    "The crew did not come, so the bins are still full. " * rng.randint(1, 6),
                    rng.choice(services) if services and rng.random() < 0.9 else "",
                ]
            )


def _service_slugs(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url) as connection:
        return [row[0] for row in connection.execute("SELECT slug FROM org_service ORDER BY slug")]


def _count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM cases_case").fetchone()
        return int(row[0]) if row else 0


if __name__ == "__main__":
    raise SystemExit(main())
