"""heard apitoken USERNAME --role ROLE: create the staff user if missing and print a fresh token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.core.errors import InvalidInput
from heard.org.models import Role, Service
from heard.org.services import ensure_staff, parse_role
from heard.org.tokens import issue_token


class Command(BaseCommand):
    help = (
        "Create (if missing) a staff user with the given roles and services and print a new API token "
        "alone on the last line. Roles: " + ", ".join(Role.values)
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role", action="append", default=[], help="A role to grant; may be repeated."
        )
        parser.add_argument(
            "--service",
            action="append",
            default=[],
            help="Slug of a service the user belongs to; may be repeated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            roles = [parse_role(r) for r in options["role"]]
        except InvalidInput as error:
            raise CommandError(error.message) from error
        services = []
        for slug in options["service"]:
            service = Service.objects.filter(slug=slug).first()
            if service is None:
                raise CommandError(f"There is no service '{slug}'.")
            services.append(service)
        user = ensure_staff(options["username"], roles=roles, services=services)
        held = ", ".join(sorted(user.roles.values_list("role", flat=True))) or "no role"
        self.stdout.write(f"API token for {user.username} ({held}):")
        self.stdout.write(issue_token(user))
