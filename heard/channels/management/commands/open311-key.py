"""heard open311-key NAME: register an Open311 client (e.g. a council's FixMyStreet) and print its key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.channels.open311 import issue_key


class Command(BaseCommand):
    help = "Create an Open311 client (or replace its key) and print the new api_key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Who the client is, e.g. 'FixMyStreet'.")

    def handle(self, *args: Any, **options: Any) -> None:
        client, key = issue_key(options["name"])
        self.stdout.write(f"api_key for {client.name} (shown once; keep it safe):")
        self.stdout.write(key)
