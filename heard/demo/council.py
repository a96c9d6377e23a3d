"""The demo council's structure and staff: a fictional English borough."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from heard.org.calendars import get_organisation
from heard.org.models import ClosureDay, Directorate, Role, Service, Team
from heard.org.services import ensure_staff


@dataclass(frozen=True)
class ServiceSpec:
    slug: str
    name: str
    directorate: str
    teams: tuple[str, ...]
    # What people contact this service about: (subject, description) pairs.
    topics: tuple[tuple[str, str], ...]
    weight: int = 5  # relative share of contacts
    housing: bool = False  # complaints follow the Housing Ombudsman code


DIRECTORATES = {
    "environment": "Environment and Neighbourhoods",
    "housing": "Housing",
    "adults": "Adults' Social Care and Health",
    "children": "Children's Services",
    "resources": "Resources",
    "place": "Place and Regeneration",
}

SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "waste",
        "Waste and recycling",
        "environment",
        ("Collections", "Bulky waste"),
        (
            (
                "Bin not collected",
                "Our {bin} bin was not collected on {day} and it is now overflowing.",
            ),
            (
                "Missed collection again",
                "This is the third time this month the crew has missed our street.",
            ),
            (
                "Bin left blocking the pavement",
                "The crew left the bins across the pavement; my mother uses a wheelchair.",
            ),
            (
                "Request for a new recycling box",
                "Our recycling box was taken with the rubbish; please deliver a new one.",
            ),
        ),
        weight=14,
    ),
    ServiceSpec(
        "street-cleansing",
        "Street cleansing",
        "environment",
        ("Cleansing",),
        (
            (
                "Fly-tipping in the lane",
                "Someone has dumped a mattress and builders' rubble behind the shops on {street}.",
            ),
            (
                "Graffiti on the underpass",
                "Offensive graffiti has been on the underpass wall for two weeks.",
            ),
            ("Litter bins overflowing", "The bins in the park are overflowing every weekend."),
        ),
        weight=6,
    ),
    ServiceSpec(
        "highways",
        "Highways and street lighting",
        "place",
        ("Highways maintenance", "Street lighting"),
        (
            (
                "Pothole on {street}",
                "There is a deep pothole outside number {number}; my car tyre burst on it.",
            ),
            (
                "Street light out",
                "The street light outside number {number} {street} has been out for a fortnight.",
            ),
            (
                "Uneven paving slab",
                "A raised paving slab on {street} tripped my father, who was injured.",
            ),
        ),
        weight=9,
    ),
    ServiceSpec(
        "parking",
        "Parking services",
        "place",
        ("Enforcement", "Permits"),
        (
            (
                "Parking ticket issued unfairly",
                "I was given a penalty charge while unloading shopping for a disabled relative.",
            ),
            (
                "Residents' permit not received",
                "I paid for my permit six weeks ago and it has not arrived.",
            ),
            (
                "Rude civil enforcement officer",
                "The officer was rude and would not listen to my explanation.",
            ),
        ),
        weight=6,
    ),
    ServiceSpec(
        "housing-repairs",
        "Housing repairs",
        "housing",
        ("Responsive repairs", "Damp and mould"),
        (
            (
                "Damp and mould in bedroom",
                "Black mould is spreading in my child's bedroom despite three visits.",
            ),
            ("Boiler broken", "We have had no heating or hot water for {weeks} weeks."),
            ("Repair appointment missed", "I took a day off work and the operative never came."),
            ("Leaking roof", "Water is coming through the ceiling whenever it rains."),
        ),
        weight=12,
        housing=True,
    ),
    ServiceSpec(
        "tenancy",
        "Tenancy and estate management",
        "housing",
        ("Tenancy services",),
        (
            (
                "Antisocial behaviour from neighbours",
                "Loud music every night; I have reported it many times.",
            ),
            (
                "Communal area not cleaned",
                "The stairwell in our block has not been cleaned for a month.",
            ),
        ),
        weight=5,
        housing=True,
    ),
    ServiceSpec(
        "housing-options",
        "Housing options and homelessness",
        "housing",
        ("Housing options",),
        (
            (
                "Housing application delayed",
                "My housing register application has been pending for five months.",
            ),
            (
                "Temporary accommodation unsuitable",
                "The room we were placed in is damp and too small for three children.",
            ),
        ),
        weight=4,
        housing=True,
    ),
    ServiceSpec(
        "council-tax",
        "Council tax",
        "resources",
        ("Billing", "Recovery"),
        (
            (
                "Wrong council tax bill",
                "My bill does not include the single person discount I applied for.",
            ),
            ("Summons issued in error", "I received a summons although I pay by direct debit."),
            (
                "Refund not received",
                "I overpaid when I moved out and I am still waiting for the refund.",
            ),
        ),
        weight=8,
    ),
    ServiceSpec(
        "benefits",
        "Housing benefit and council tax support",
        "resources",
        ("Assessments",),
        (
            (
                "Benefit claim delayed",
                "My claim was made eight weeks ago and I have heard nothing.",
            ),
            (
                "Overpayment letter unclear",
                "I do not understand why I am being asked to repay money.",
            ),
        ),
        weight=5,
    ),
    ServiceSpec(
        "planning",
        "Planning",
        "place",
        ("Development management", "Enforcement"),
        (
            (
                "Objection not considered",
                "My objection to the extension next door was not mentioned in the report.",
            ),
            ("Planning enforcement not acted on", "The unauthorised fence has been up for a year."),
        ),
        weight=3,
    ),
    ServiceSpec(
        "building-control",
        "Building control",
        "place",
        ("Inspections",),
        (("Inspection not carried out", "The inspector did not attend the booked inspection."),),
        weight=1,
    ),
    ServiceSpec(
        "libraries",
        "Libraries",
        "resources",
        ("Library service",),
        (
            ("Library opening hours cut", "The reduced hours mean I cannot visit after work."),
            ("Helpful library staff", "The staff helped my father apply for his bus pass online."),
        ),
        weight=2,
    ),
    ServiceSpec(
        "parks",
        "Parks and open spaces",
        "environment",
        ("Grounds maintenance",),
        (
            (
                "Play area equipment broken",
                "The swings in the play area have been taped off for a month.",
            ),
            ("Grass not cut", "The verges on {street} have not been cut this summer."),
        ),
        weight=3,
    ),
    ServiceSpec(
        "environmental-health",
        "Environmental health",
        "environment",
        ("Pollution", "Food safety"),
        (
            (
                "Noise nuisance not investigated",
                "I reported a noise nuisance and nobody has contacted me.",
            ),
            ("Rats in the back alley", "There are rats near the bins behind the takeaway."),
        ),
        weight=3,
    ),
    ServiceSpec(
        "licensing",
        "Licensing",
        "environment",
        ("Licensing",),
        (("Taxi licence renewal delayed", "I cannot work until my licence is renewed."),),
        weight=1,
    ),
    ServiceSpec(
        "adult-social-care",
        "Adult social care",
        "adults",
        ("Assessment", "Home care"),
        (
            (
                "Care assessment delayed",
                "My mother has been waiting three months for a care assessment.",
            ),
            ("Carers arriving late", "The home carers arrive late and leave early."),
            (
                "Thank you to the reablement team",
                "The team were kind and professional with my father.",
            ),
        ),
        weight=4,
    ),
    ServiceSpec(
        "childrens-social-care",
        "Children's social care",
        "children",
        ("Safeguarding",),
        (
            (
                "Social worker did not return calls",
                "I have left several messages and nobody has called back.",
            ),
        ),
        weight=2,
    ),
    ServiceSpec(
        "education",
        "School admissions and transport",
        "children",
        ("Admissions", "Home to school transport"),
        (
            (
                "School transport did not arrive",
                "The taxi for my son's school did not turn up this week.",
            ),
            ("Admission appeal letter late", "We received the appeal outcome after the deadline."),
        ),
        weight=2,
    ),
    ServiceSpec(
        "customer-contact",
        "Customer contact centre",
        "resources",
        ("Contact centre",),
        (
            (
                "Waited an hour on the phone",
                "I waited over an hour to get through and then was cut off.",
            ),
            ("Staff member was very helpful", "The adviser sorted out my problem in one call."),
            (
                "Online form not working",
                "The online form kept giving an error when I pressed submit.",
            ),
        ),
        weight=5,
    ),
    ServiceSpec(
        "registrars",
        "Registration services",
        "resources",
        ("Registrars",),
        (
            (
                "Birth registration appointment cancelled",
                "Our appointment was cancelled with one day's notice.",
            ),
        ),
        weight=1,
    ),
)

FIRST_NAMES = (
    "Amira",
    "Ben",
    "Chloe",
    "Daniel",
    "Ewa",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kofi",
    "Laura",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Priya",
    "Rhys",
    "Sophie",
    "Tom",
    "Yusuf",
)
LAST_NAMES = (
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Patel",
    "Roberts",
    "Singh",
    "Taylor",
    "Williams",
)


@dataclass
class Council:
    services: list[Service]
    specs: dict[int, ServiceSpec]
    officers: dict[int, list[int]]  # service id -> investigating officer user ids
    heads: dict[int, int]  # service id -> head of service user id
    front_line: list[int]
    complaints_team: list[int]
    panel: list[int]
    usernames: dict[int, str]


def demo_password() -> str:
    import os

    return os.environ.get("HEARD_DEMO_PASSWORD", "heard-demo-2026")


def build_council(today: date) -> Council:
    """Create (or find) the organisation, its structure and its staff."""
    organisation = get_organisation()
    organisation.name = "Borough of Ashdown Council"
    organisation.nation = "england-and-wales"
    organisation.save()
    for year in (today.year - 2, today.year - 1, today.year):
        for day in (29, 30, 31):
            ClosureDay.objects.get_or_create(
                date=date(year, 12, day), defaults={"description": "Christmas closure"}
            )

    directorates = {
        key: Directorate.objects.get_or_create(slug=key, defaults={"name": name})[0]
        for key, name in DIRECTORATES.items()
    }
    password = make_password(demo_password())  # hashed once, shared by every demo account
    names = _names()
    council = Council([], {}, {}, {}, [], [], [], {})
    for spec in SERVICES:
        service, _ = Service.objects.get_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "directorate": directorates[spec.directorate]},
        )
        for team in spec.teams:
            Team.objects.get_or_create(service=service, name=team)
        head = _staff(f"head.{spec.slug}", next(names), [Role.HEAD_OF_SERVICE], [service], password)
        service.head = head
        service.save(update_fields=["head"])
        officers = [
            _staff(
                f"io{i}.{spec.slug}", next(names), [Role.INVESTIGATING_OFFICER], [service], password
            )
            for i in (1, 2)
        ]
        council.services.append(service)
        council.specs[service.pk] = spec
        council.officers[service.pk] = [o.pk for o in officers]
        council.heads[service.pk] = head.pk
    every_service = council.services
    council.front_line = [
        _staff(f"frontline{i}", next(names), [Role.FRONT_LINE_OFFICER], every_service, password).pk
        for i in range(1, 7)
    ]
    council.complaints_team = [
        _staff(f"complaints{i}", next(names), [Role.COMPLAINTS_TEAM], [], password).pk
        for i in range(1, 5)
    ]
    council.panel = [
        _staff(f"panel{i}", next(names), [Role.PANEL_MEMBER], [], password).pk for i in (1, 2, 3)
    ]
    _staff("equality", next(names), [Role.EQUALITY_OFFICER], [], password)
    _staff("performance", next(names), [Role.PERFORMANCE_OFFICER], [], password)
    admin = _staff("admin", ("Ada", "Administrator"), [Role.ADMINISTRATOR], [], password)
    get_user_model().objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    council.usernames = dict(
        get_user_model()
        .objects.filter(roles__isnull=False)
        .values_list("pk", "username")
        .distinct()
    )
    _catalogue()
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


def _catalogue() -> None:
    from heard.org.services import define_request_category

    for service_slug, name, slug, target_days in CATALOGUE:
        service = Service.objects.filter(slug=service_slug).first()
        if service is not None:
            define_request_category(service=service, name=name, slug=slug, target_days=target_days)


def _names():
    while True:
        for last in LAST_NAMES:
            for first in FIRST_NAMES:
                yield first, last


def _staff(
    username: str, name: tuple[str, str], roles: list[Role], services: list[Service], password: str
):
    user = ensure_staff(
        username,
        roles=roles,
        services=services,
        first_name=name[0],
        last_name=name[1],
        email=f"{username}@ashdown.example.gov.uk",
    )
    get_user_model().objects.filter(pk=user.pk).update(password=password)
    return user
