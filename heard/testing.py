"""Factories and helpers shared by the test suites (factory_boy, no fixture files)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from heard.cases import services
from heard.cases.models import Case
from heard.org.models import Directorate, Role, Service
from heard.org.services import ensure_staff
from heard.org.tokens import issue_token


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Directorate {n}")
    slug = factory.Sequence(lambda n: f"directorate-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    directorate = factory.SubFactory(DirectorateFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")


def make_service(slug: str, name: str = "") -> Service:
    service = ServiceFactory(slug=slug, name=name or slug.replace("-", " ").capitalize())
    assert isinstance(service, Service)
    return service


_counter = iter(range(1, 10**9))


def make_staff(
    *roles: Role | str, services: Iterable[Service] = (), username: str | None = None
) -> Any:
    """A staff user holding ``roles`` in ``services``."""
    return ensure_staff(
        username or f"officer{next(_counter)}",
        roles=[Role(r) for r in roles],
        services=list(services),
    )


def api_client(user: Any) -> APIClient:
    """An API client that sends a real bearer token for ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
    return client


def make_case(
    *,
    by: Any | None = None,
    kind: str = "complaint",
    procedure: str | None = "council-3-stage",
    channel: str = "email",
    received_at: datetime | None = None,
    service: Service | None = None,
    subject: str = "Bins not collected",
    customer_name: str = "Ann Example",
) -> Case:
    """A case created through the real service, by a complaints-team member unless ``by`` is given."""
    if by is None:
        by = get_user_model().objects.filter(username="casemaker").first() or make_staff(
            Role.COMPLAINTS_TEAM, username="casemaker"
        )
    return services.create_case(
        by=by,
        kind=kind,
        channel=channel,
        subject=subject,
        description="Our bins have not been collected for three weeks.",
        customer=services.CustomerDetails(name=customer_name, email="ann@example.org"),
        procedure=procedure,
        received_at=received_at,
        service=service,
    )


def ensure_shipped_data() -> None:
    """Put back what the data migrations ship (presets, templates, schedules, defaults).

    Tests that commit for real (transactional ones, e.g. with a browser or a worker process)
    end by emptying every table, migration data included; the next such test calls this.
    """
    from django.utils import timezone

    from heard.notify.models import MessageTemplate
    from heard.notify.templates_shipped import SHIPPED
    from heard.org.calendars import get_organisation
    from heard.procedures.models import Procedure, ProcedureVersion, Stage
    from heard.procedures.presets import load_presets
    from heard.schedules.models import Schedule

    load_presets(Procedure, ProcedureVersion, Stage, timezone.now())
    organisation = get_organisation()
    if organisation.complaint_procedure_id is None:
        organisation.complaint_procedure = Procedure.objects.get(slug="council-3-stage")
        organisation.correspondence_procedure = Procedure.objects.get(
            slug="correspondence-standard"
        )
        organisation.save()
    for key, channel, language, subject, body in SHIPPED:
        MessageTemplate.objects.get_or_create(
            key=key, channel=channel, language=language, defaults={"subject": subject, "body": body}
        )
    from heard.correspondence.defaults import load_defaults
    from heard.correspondence.models import LetterTemplate

    load_defaults(LetterTemplate, MessageTemplate)
    if not Schedule.objects.exists():
        for job in (
            "reminders",
            "breaches",
            "weekly_digest",
            "holding_updates",
            "surveys",
            "restriction_reviews",
            "early_warnings",
            "retrain_themes",
            "action_reminders",
        ):
            Schedule.objects.create(job=job)
