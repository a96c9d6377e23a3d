"""heard import-legacy FILE.csv [--mapping FILE.toml] [--dry-run] [--background]: old cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.channels.legacy import Mapping, import_file, load_mapping
from heard.channels.models import LegacyImport
from heard.core.errors import InvalidInput


class Command(BaseCommand):
    help = "Import historic cases from a CSV file (layout in docs/administrators.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--mapping",
            help="A mapping file (TOML or JSON) from the file's columns to Heard's fields; "
            "see docs/legacy-mapping-cfpb.toml.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row; keep nothing.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue it for `heard worker` and return; follow its progress in the admin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).resolve()
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        mapping_path = Path(options["mapping"]).resolve() if options["mapping"] else None
        mapping: Mapping | None = None
        if mapping_path is not None:
            try:
                mapping = load_mapping(mapping_path)
            except InvalidInput as problem:
                raise CommandError(problem.message) from problem
        if options["background"]:
            from heard.channels.tasks import import_legacy

            run = LegacyImport.objects.create(
                path=str(path),
                mapping_path=str(mapping_path or ""),
                dry_run=options["dry_run"],
            )
            import_legacy.enqueue(run.pk)
            self.stdout.write(f"Queued as legacy import {run.pk}; `heard worker` will run it.")
            return

        def progress(stage: str, done: int, total: int) -> None:
            self.stdout.write(f"{stage}: {done}" + (f" of {total}" if total else "") + " rows")

        try:
            result = import_file(
                path.read_text(encoding="utf-8-sig"),
                source=str(path),
                mapping=mapping,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except InvalidInput as problem:
            raise CommandError(problem.message) from problem
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
                f"{result.rows} rows: {result.imported} cases imported, "
                f"{result.skipped} already imported before."
            )
