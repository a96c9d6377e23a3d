"""The demo council's structure and staff: the Borough of Ashdown, a fictional English borough."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from heard.cases.deadlines import recompute_open_cases
from heard.demo.content import SERVICES
from heard.org.calendars import get_organisation, organisation_calendar
from heard.org.models import ClosureDay, Directorate, Role, Service, Team
from heard.org.services import ensure_staff
from heard.procedures.models import Procedure
from heard.workdays.engine import bank_holidays

COUNCIL_NAME = "Borough of Ashdown Council"
DEFAULT_PASSWORD = "heard-demo-2026"  # noqa: S105 - a published demo password, for the demo only

DIRECTORATES = {
    "environment": "Environment and Neighbourhoods",
    "housing": "Housing",
    "adults": "Adults' Social Care and Health",
    "children": "Children's Services",
    "resources": "Resources",
    "place": "Place and Regeneration",
}

# Staff names are fixed (not drawn from the seed): accounts are found again by username on
# every run, and a second run must not rename anybody.
STAFF_FIRST = (
    "Amira", "Ben", "Chloe", "Daniel", "Ewa", "Farah", "George", "Hannah", "Imran", "Jess",
    "Kofi", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sophie", "Tom", "Yusuf",
    "Aisha", "Callum", "Deborah", "Gareth", "Harriet", "Joseph", "Leanne", "Marcus", "Nadia",
    "Owen", "Rachel", "Sanjay", "Tariq", "Vanessa", "Wendy",
)  # fmt: skip
STAFF_LAST = (
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "Owen", "Patel", "Roberts", "Singh", "Taylor", "Williams",
    "Walsh", "Okafor", "Kowalski", "Murphy", "Bennett", "Chaudhry", "Doyle",
)  # fmt: skip

FRONT_LINE_OFFICERS = 8
COMPLAINTS_TEAM = 4
PANEL_MEMBERS = 3
INVESTIGATING_OFFICERS_PER_SERVICE = 2


def demo_password() -> str:
    """The password of every demo account: HEARD_DEMO_PASSWORD, or the published default."""
    return os.environ.get("HEARD_DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass
class Council:
    """What the case generator needs to know about the council, as ids."""

    services: list[Service]  # in the order of content.SERVICES
    investigating_officers: list[list[int]]  # per service
    heads: list[int]  # per service
    front_line: list[int]
    complaints_team: list[int]
    panel: list[int]
    usernames: dict[int, str] = field(default_factory=dict)
    categories: dict[str, tuple[int, str]] = field(default_factory=dict)  # slug: (id, procedure)


def christmas_closure(year: int) -> list[date]:
    """The first two working days between Boxing Day and New Year's Eve of ``year``."""
    holidays = set(bank_holidays("england-and-wales"))
    days = [date(year, 12, 27) + timedelta(days=i) for i in range(5)]
    return [d for d in days if d.weekday() < 5 and d not in holidays][:2]


def build_council(today: date) -> Council:
    """Create (or find again) the organisation, its structure, calendar and staff."""
    organisation = get_organisation()
    organisation.name = COUNCIL_NAME
    organisation.nation = "england-and-wales"
    if organisation.complaint_procedure_id is None:
        organisation.complaint_procedure = Procedure.objects.get(slug="council-3-stage")
    if organisation.correspondence_procedure_id is None:
        organisation.correspondence_procedure = Procedure.objects.get(
            slug="correspondence-standard"
        )
    organisation.save()
    added = False
    for year in range(today.year - 3, today.year + 2):
        for day in christmas_closure(year):
            _, created = ClosureDay.objects.get_or_create(
                date=day, defaults={"description": "Christmas closure of council offices"}
            )
            added |= created
    if added:
        # As when an administrator adds a closure day: open cases are re-timed.
        recompute_open_cases(organisation_calendar(organisation))

    directorates = {
        key: Directorate.objects.get_or_create(slug=key, defaults={"name": name})[0]
        for key, name in DIRECTORATES.items()
    }
    password = make_password(demo_password())  # hashed once, shared by every demo account
    names = _names()
    council = Council([], [], [], [], [], [])
    for spec in SERVICES:
        service, _ = Service.objects.get_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "directorate": directorates[spec.directorate]},
        )
        for team in spec.teams:
            Team.objects.get_or_create(service=service, name=team)
        head = _staff(f"head.{spec.slug}", next(names), [Role.HEAD_OF_SERVICE], [service], password)
        if service.head_id != head.pk:
            service.head = head
            service.save(update_fields=["head"])
        officers = [
            _staff(
                f"io{i}.{spec.slug}", next(names), [Role.INVESTIGATING_OFFICER], [service], password
            )
            for i in range(1, INVESTIGATING_OFFICERS_PER_SERVICE + 1)
        ]
        council.services.append(service)
        council.investigating_officers.append([o.pk for o in officers])
        council.heads.append(head.pk)
    # Front-line officers in the contact centre log and resolve contacts for every service.
    council.front_line = [
        _staff(
            f"frontline{i}", next(names), [Role.FRONT_LINE_OFFICER], council.services, password
        ).pk
        for i in range(1, FRONT_LINE_OFFICERS + 1)
    ]
    council.complaints_team = [
        _staff(f"complaints{i}", next(names), [Role.COMPLAINTS_TEAM], [], password).pk
        for i in range(1, COMPLAINTS_TEAM + 1)
    ]
    council.panel = [
        _staff(f"panel{i}", next(names), [Role.PANEL_MEMBER], [], password).pk
        for i in range(1, PANEL_MEMBERS + 1)
    ]
    _staff("equality", next(names), [Role.EQUALITY_OFFICER], [], password)
    _staff("performance", next(names), [Role.PERFORMANCE_OFFICER], [], password)
    _staff("governance", next(names), [Role.INFORMATION_GOVERNANCE], [], password)
    admin = _staff("admin", ("Ada", "Administrator"), [Role.ADMINISTRATOR], [], password)
    get_user_model().objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    council.usernames = dict(
        get_user_model()
        .objects.filter(roles__isnull=False)
        .values_list("pk", "username")
        .distinct()
    )
    council.categories = _catalogue()
    return council


# What the public can ask for, with each request's target time in working days.
CATALOGUE = (
    ("waste", "Missed bin collection", "missed-bin", 2),
    ("waste", "New or replacement bin", "new-bin", 10),
    ("street-cleansing", "Fly-tipping", "fly-tipping", 3),
    ("street-cleansing", "Graffiti", "graffiti", 10),
    ("highways", "Pothole", "pothole", 10),
    ("highways", "Street light not working", "street-light", 5),
    ("parks", "Broken play equipment", "play-equipment", 5),
    ("housing-repairs", "Emergency repair", "emergency-repair", 1),
    ("housing-repairs", "Routine repair", "routine-repair", 20),
)


def _catalogue() -> dict[str, tuple[int, str]]:
    """The service catalogue; each category has a one-stage procedure of its own."""
    from heard.org.services import define_request_category

    categories: dict[str, tuple[int, str]] = {}
    for service_slug, name, slug, target_days in CATALOGUE:
        service = Service.objects.filter(slug=service_slug).first()
        if service is not None:
            category = define_request_category(
                service=service, name=name, slug=slug, target_days=target_days
            )
            assert category.procedure is not None
            categories[slug] = (category.pk, category.procedure.slug)
    return categories


def _names() -> Iterator[tuple[str, str]]:
    for i in range(len(STAFF_FIRST) * len(STAFF_LAST)):
        yield STAFF_FIRST[i % len(STAFF_FIRST)], STAFF_LAST[(i * 7) % len(STAFF_LAST)]


def _staff(
    username: str,
    name: tuple[str, str],
    roles: list[Role],
    services: list[Service],
    password: str,
) -> Any:
    user = ensure_staff(
        username,
        roles=roles,
        services=services,
        first_name=name[0],
        last_name=name[1],
        email=f"{username}@example.org",
    )
    get_user_model().objects.filter(pk=user.pk).update(password=password)
    return user
