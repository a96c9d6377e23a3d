"""heard demo: load the demo council — structure, staff and two years of cases."""

from __future__ import annotations

import resource
import sys
import time as clock
from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heard.cases.models import Case
from heard.demo.council import COUNCIL_NAME, build_council, demo_password
from heard.demo.feedback import add_feedback
from heard.demo.generator import HISTORY_DAYS, Generator
from heard.demo.writer import next_id
from heard.org.calendars import organisation_calendar

DEFAULT_CASES = 5000
DEFAULT_SEED = 2026


class Command(BaseCommand):
    help = (
        f"Load the demo council ({COUNCIL_NAME}, fictional): six directorates, twenty services, "
        "staff in every role and two years of cases up to the start of today. The same --seed "
        "on the same day gives the same cases. If the database already has cases, a run without "
        "--if-empty ADDS another batch after them (references continue from the highest in use, "
        "so nothing collides; the same seed gives the same contacts again, so pass another --seed "
        "for different ones). With --if-empty it does nothing when any case exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=DEFAULT_CASES,
            help=f"How many cases to generate (default {DEFAULT_CASES:,}).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and say so) if the database has any case already.",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help=(
                "Generate the history up to the start of this day (YYYY-MM-DD; default today "
                "in the organisation's time zone), to get the same data on any day."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Case.objects.exists():
            self.stdout.write(
                "The database already has cases; the demo council was not loaded (--if-empty)."
            )
            return
        total = options["cases"]
        if total < 0:
            raise CommandError("--cases must be zero or more.")
        started = clock.monotonic()
        real_now = timezone.now()
        today = options["today"] or organisation_calendar().local_date(real_now)
        council = build_council(today)
        calendar = organisation_calendar()  # now with the demo council's closure days
        # History stops at the start of the day, so any run on the same day gives the same data.
        now = datetime.combine(today, time(0), tzinfo=calendar.timezone)
        if now > real_now:
            raise CommandError(f"--today {today:%Y-%m-%d} is in the future.")
        self.stdout.write(
            f"Loading {COUNCIL_NAME} with {total:,} cases over the {HISTORY_DAYS} days before "
            f"{today:%d %B %Y} (seed {options['seed']})…"
        )
        generator = Generator(
            council=council,
            calendar=calendar,
            now=now,
            seed=options["seed"],
            say=lambda line: self.stdout.write(
                f"{line} ({clock.monotonic() - started:.0f}s, peak memory {_peak_mb():,.0f} MB)"
            ),
        )
        first_id = next_id(Case)
        written = generator.run(total)
        add_feedback(first_id=first_id, now=now, seed=options["seed"], say=generator.say)
        self.stdout.write(
            f"Loaded {written:,} cases in {clock.monotonic() - started:.1f}s "
            f"(peak memory {_peak_mb():,.0f} MB).\n"
            f"Every demo account (admin, complaints1, head.waste, io1.waste, frontline1, panel1, "
            f"equality, performance, …) has the password '{demo_password()}'. It is for the demo "
            "only: never use these accounts or this password on a real deployment."
        )


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
