"""heard demo: load the demo council — structure, staff and two years of cases."""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from heard.cases.models import Case
from heard.demo.council import build_council, demo_password
from heard.demo.generator import Generator
from heard.org.calendars import organisation_calendar


class Command(BaseCommand):
    help = (
        "Load the demo council (Borough of Ashdown): directorates, about 20 services, staff in every "
        "role and two years of cases. The same --seed gives the same cases. Running it again adds "
        "another batch of cases after the existing ones (references continue); use --if-empty to "
        "load only into a database that has no cases."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=5000, help="How many cases (default 5000)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any case exists."
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Generate history up to this date (YYYY-MM-DD; default today), for identical data on any day.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Case.objects.exists():
            self.stdout.write(
                "The database already has cases; the demo council was not loaded again."
            )
            return
        if options["cases"] < 0:
            self.stderr.write("--cases must be zero or more.")
            return
        started = clock.monotonic()
        calendar = organisation_calendar()
        now = timezone.now()
        if options["today"] is not None:
            # History ends at the start of that day, so the same seed and day give the same data.
            now = min(now, datetime.combine(options["today"], time(0), tzinfo=calendar.timezone))
        council = build_council(calendar.local_date(now))
        calendar = organisation_calendar()  # the demo council adds closure days
        self.stdout.write(f"Loading {options['cases']:,} cases (seed {options['seed']})…")
        generator = Generator(
            council=council, calendar=calendar, now=now, seed=options["seed"], say=self.stdout.write
        )
        written = generator.run(options["cases"])
        self.stdout.write(
            f"Loaded the Borough of Ashdown Council with {written:,} cases in {clock.monotonic() - started:.0f}s. "
            f"Every demo account (admin, complaints1, head.waste, io1.waste, frontline1, …) has the password "
            f"'{demo_password()}' — for the demo only."
        )
