"""heard import-calls FILE.csv: call records and voicemails from the phone system."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.channels.phone import import_calls


class Command(BaseCommand):
    help = "Import call records and voicemails (layout in docs/administrators.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; keep nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        result = import_calls(path.read_text(encoding="utf-8-sig"), dry_run=options["dry_run"])
        for line, message in result.problems:
            self.stderr.write(f"line {line}: {message}")
        if result.problems:
            raise CommandError(
                f"Nothing imported: correct the {len(result.problems)} row(s) above and run it again."
            )
        if options["dry_run"]:
            self.stdout.write(f"{result.rows} rows checked; all good. Nothing imported (dry run).")
        else:
            self.stdout.write(
                f"{result.rows} rows: {result.added} calls added, {result.updated} call backs updated."
            )
