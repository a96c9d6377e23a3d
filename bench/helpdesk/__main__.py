"""python -m bench.helpdesk --cases N [--smoke]: measure django-helpdesk; print the JSON and
write it to bench/results/helpdesk-<date>-<N>[-smoke].json."""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import intake_problems
from bench.helpdesk import measure

RESULTS = Path(__file__).resolve().parent.parent / "results"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.helpdesk", description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="about 1,000 tickets, one short run")
    parser.add_argument("--seconds", type=float, default=None, help="length of each intake run")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "memory_gib": _memory_gib(),
            "python": platform.python_version(),
        },
    } | measure(args.cases, args.smoke, seconds=args.seconds, runs=args.runs)
    text = json.dumps(result, indent=2) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"helpdesk-{datetime.now(UTC):%Y-%m-%d}-{result['cases']}{'-smoke' if args.smoke else ''}.json"
    (RESULTS / name).write_text(text)
    print(text, end="")
    return 1 if intake_problems(result, ("portal_intake", "api_intake")) else 0


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


if __name__ == "__main__":
    raise SystemExit(main())
