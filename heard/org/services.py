"""Changes to the organisation: its calendar settings and its staff."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.contrib.auth import get_user_model
from django.db import transaction

from heard.core.errors import InvalidInput
from heard.org import access
from heard.org.access import Permission
from heard.org.calendars import get_organisation
from heard.org.models import (
    ClosureDay,
    Organisation,
    Role,
    RoleAssignment,
    Service,
    ServiceMembership,
    ServiceRequestCategory,
)
from heard.workdays.engine import Nation


@transaction.atomic(durable=True)
def update_organisation(
    *,
    by: Any,
    nation: str | None = None,
    timezone: str | None = None,
    working_day_cutoff: time | None = None,
    closure_days: Iterable[date] | None = None,
    name: str | None = None,
) -> tuple[Organisation, int]:
    """Change the calendar settings and re-time every open case; returns (organisation, cases re-timed)."""
    access.require(by, Permission.CHANGE_ORGANISATION)
    organisation = Organisation.objects.select_for_update().get(pk=get_organisation().pk)
    if nation is not None:
        if nation not in set(Nation):
            raise InvalidInput(
                f"'{nation}' is not a nation. Choose one of: {', '.join(Nation)}.", field="nation"
            )
        organisation.nation = nation
    if timezone is not None:
        organisation.timezone = _valid_timezone(timezone)
    if working_day_cutoff is not None:
        organisation.working_day_cutoff = working_day_cutoff
    if name is not None:
        if not name.strip():
            raise InvalidInput("Enter the organisation's name.", field="name")
        organisation.name = name.strip()[:200]
    organisation.save()
    if closure_days is not None:
        wanted = set(closure_days)
        ClosureDay.objects.exclude(date__in=wanted).delete()
        existing = set(ClosureDay.objects.values_list("date", flat=True))
        ClosureDay.objects.bulk_create(ClosureDay(date=d) for d in sorted(wanted - existing))

    from heard.cases.deadlines import recompute_open_cases
    from heard.org.calendars import organisation_calendar

    retimed = recompute_open_cases(organisation_calendar(organisation))
    return organisation, retimed


def _valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInput(
            f"'{name}' is not a time zone. Use a name from the tz database, e.g. Europe/London.",
            field="timezone",
        ) from error
    if name not in available_timezones():
        raise InvalidInput(
            f"'{name}' is not a time zone name, e.g. Europe/London.", field="timezone"
        )
    return name


def parse_role(value: str) -> Role:
    normalised = value.strip().lower().replace("-", "_").replace(" ", "_")
    if normalised not in Role.values:
        raise InvalidInput(
            f"'{value}' is not a role. Choose one of: {', '.join(Role.values)}.", field="role"
        )
    return Role(normalised)


@transaction.atomic
def ensure_staff(
    username: str,
    *,
    roles: Iterable[Role] = (),
    services: Iterable[Service] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Any:
    """The staff user ``username``, created if missing (with no usable password), holding these roles."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role)
        if role == Role.ADMINISTRATOR and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    for service in services:
        ServiceMembership.objects.get_or_create(user=user, service=service)
    for attribute in ("_heard_roles", "_heard_service_ids"):
        if hasattr(user, attribute):
            delattr(user, attribute)
    return user


@transaction.atomic
def define_request_category(
    *, service: Service, name: str, slug: str, target_days: int, active: bool = True
) -> ServiceRequestCategory:
    """Add or change a service-catalogue entry; a new target publishes a new version of its procedure."""
    from heard.procedures.models import Procedure
    from heard.procedures.services import define_procedure

    if target_days < 1:
        raise InvalidInput("The target must be at least one working day.", field="target_days")
    category, _ = ServiceRequestCategory.objects.update_or_create(
        slug=slug,
        defaults={"service": service, "name": name, "target_days": target_days, "active": active},
    )
    procedure_slug = f"request-{slug}"[:64]
    current = Procedure.objects.filter(slug=procedure_slug).first()
    stage_days = (
        current.current_version().stages.values_list("respond_days", flat=True).first()
        if current
        else None
    )
    if stage_days != target_days:
        define_procedure(
            slug=procedure_slug,
            name=f"Service request: {service.name}, {name}",
            description=f"Completed within {target_days} working days.",
            stages=[
                {
                    "name": "Request",
                    "acknowledge_days": None,
                    "respond_days": target_days,
                    "max_extension_days": target_days,
                    "handler_role": Role.FRONT_LINE_OFFICER,
                }
            ],
        )
    category.procedure = Procedure.objects.get(slug=procedure_slug)
    category.save(update_fields=["procedure"])
    return category
