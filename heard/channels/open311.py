"""Open311 GeoReport v2: the service catalogue as Open311 services, requests in, status out.

Written to what FixMyStreet's Open311 sender (perllib/Open311.pm) posts and reads:
``service_code``, ``lat``/``long`` or ``address_string``, ``email``, ``first_name``,
``last_name``, ``phone``, ``description``, ``media_url``, ``attribute[...]`` (notably
``attribute[fixmystreet_id]``), and its ``servicerequestupdates`` extension for reading
status changes back. The ``service_request_id`` is the case reference.

Reads show only requests that came in over Open311 (they were public where they were
made), and never the customer's name or contact details.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from heard.cases import services as case_services
from heard.cases.models import Case, CaseEvent, CaseNote, Channel, Kind, Status
from heard.channels.models import Open311Attribute, Open311Client, Open311Request, Open311Update
from heard.channels.services import end_of_day, intake_user
from heard.org.models import ServiceRequestCategory

MAX_RESULTS = 1000
DEFAULT_WINDOW = timedelta(days=90)
# Case events that are status updates to report back, and the Open311 status each means.
UPDATE_STATUS = {
    "received": "open",
    "acknowledged": "in_progress",
    "allocated": "in_progress",
    "extended": "in_progress",
    "responded": "closed",
    "closed": "closed",
    "reopened": "open",
    "escalated": "open",
}
UPDATE_TEXT = {
    "received": "Your report has been received.",
    "acknowledged": "Your report has been acknowledged and is being looked at.",
    "allocated": "Your report has been passed to the team that deals with it.",
    "extended": "We need more time to deal with your report.",
    "closed": "Your report has been closed.",
    "reopened": "Your report has been reopened.",
    "escalated": "Your report is being looked at again.",
}


class Open311Error(Exception):
    """An Open311 error: its code (also the HTTP status) and a description saying what to do."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


# -- clients and keys -----------------------------------------------------------------------


def issue_key(name: str) -> tuple[Open311Client, str]:
    """Register a client (or give an existing one a new key); the key is returned once only."""
    key = "o311_" + secrets.token_urlsafe(32)
    client, _ = Open311Client.objects.update_or_create(
        name=name.strip(), defaults={"key_hash": _hash(key), "prefix": key[5:13], "active": True}
    )
    return client, key


def client_for_key(api_key: str | None) -> Open311Client:
    if not api_key:
        raise Open311Error(
            403, "Send your api_key with the request. The council gives each client its own key."
        )
    client = Open311Client.objects.filter(key_hash=_hash(api_key.strip()), active=True).first()
    if client is None:
        raise Open311Error(
            403,
            "That api_key is not valid or has been withdrawn. Ask the council for a new key.",
        )
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# -- services -------------------------------------------------------------------------------


def services() -> QuerySet[ServiceRequestCategory]:
    return ServiceRequestCategory.objects.filter(
        active=True, procedure__isnull=False
    ).select_related("service")


def service_list() -> list[dict[str, Any]]:
    with_questions = set(
        Open311Attribute.objects.filter(category__in=services()).values_list(
            "category_id", flat=True
        )
    )
    return [
        {
            "service_code": category.slug,
            "service_name": category.name,
            "description": f"{category.name}: done within {category.target_days} working days.",
            "metadata": category.pk in with_questions,
            "type": "realtime",
            "keywords": "",
            "group": category.service.name,
        }
        for category in services()
    ]


def service_definition(code: str) -> dict[str, Any]:
    """GeoReport's service definition: the questions the service asks, in order."""
    category = _category(code)
    return {
        "service_code": category.slug,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description,
                "order": attribute.order,
                "description": attribute.description,
                "values": [
                    {"key": str(value.get("key", "")), "name": str(value.get("name", ""))}
                    for value in attribute.values or []
                ],
            }
            for attribute in category.open311_attributes.all()
        ],
    }


def check_attributes(category: ServiceRequestCategory, form: Any) -> None:
    """Refuse a request that leaves out a required answer or gives one not in its list."""
    for attribute in category.open311_attributes.filter(variable=True):
        name = f"attribute[{attribute.code}]"
        given = [v.strip() for v in _all(form, name) if v and v.strip()]
        if not given:
            if attribute.required:
                raise Open311Error(
                    400, f"Send {name}: {attribute.description} (see services/{category.slug})."
                )
            continue
        keys = {str(value.get("key", "")) for value in attribute.values or []}
        if attribute.datatype in (
            Open311Attribute.Datatype.SINGLE,
            Open311Attribute.Datatype.MULTI,
        ):
            if attribute.datatype == Open311Attribute.Datatype.SINGLE and len(given) > 1:
                raise Open311Error(400, f"Send one value for {name}, not {len(given)}.")
            wrong = [v for v in given if v not in keys]
            if wrong:
                raise Open311Error(
                    400,
                    f"'{wrong[0]}' is not one of the keys for {name}: {', '.join(sorted(keys))}.",
                )
        elif attribute.datatype == Open311Attribute.Datatype.NUMBER:
            try:
                Decimal(given[0])
            except InvalidOperation as error:
                raise Open311Error(400, f"{name} must be a number, not '{given[0]}'.") from error
        elif attribute.datatype == Open311Attribute.Datatype.DATETIME:
            _datetime(given[0], name)


def _all(form: Any, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return list(form.getlist(name))
    value = form.get(name)
    return value if isinstance(value, list) else [value] if value is not None else []


def _category(code: str) -> ServiceRequestCategory:
    category = services().filter(slug=(code or "").strip()).first()
    if category is None:
        raise Open311Error(
            404 if code else 400,
            f"There is no service with service_code '{code}'. GET services.json lists them."
            if code
            else "Send a service_code; GET services.json lists them.",
        )
    return category


# -- requests in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    case: Case
    token: str
    created: bool


def receive_request(client: Open311Client, form: Any) -> Received:
    """Record a service request posted by a client; the same report posted again makes no second case."""
    category = _category(form.get("service_code", ""))
    attributes = _attributes(form)
    client_reference = str(attributes.get("fixmystreet_id") or "").strip()[:100]
    if client_reference:
        existing = _existing(client, client_reference)
        if existing is not None:
            return existing
    check_attributes(category, form)
    lat, long = _coordinates(form.get("lat"), form.get("long"))
    address = (form.get("address_string") or "").strip()[:500]
    address_id = (form.get("address_id") or "").strip()
    if lat is None and not address and not address_id:
        raise Open311Error(
            400,
            "Say where the problem is: send lat and long (WGS84 decimal degrees), or address_string.",
        )
    description = (form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "Send a description of the problem.")
    if len(description) > case_services.TEXT_MAX:
        raise Open311Error(
            400, f"The description must be {case_services.TEXT_MAX:,} characters or fewer."
        )
    email = _email(form)
    media_urls = _all(form, "media_url")
    media_url = _media_url(form)
    name = _name(form)
    where = address or (f"{lat}, {long}" if lat is not None else "")
    full_description = description
    extras = "\n".join(
        line
        for line in (
            f"Where: {where}" if where else "",
            f"Photo: {', '.join(u for u in media_urls if u)}" if media_url else "",
            f"Sent by {client.name}"
            + (f" (their reference {client_reference})" if client_reference else "")
            + ".",
        )
        if line
    )
    full_description = f"{description}\n\n{extras}"[: case_services.TEXT_MAX]
    token = secrets.token_hex(16)
    try:
        with transaction.atomic():
            case = case_services.record_on_behalf(
                by=intake_user(),
                kind=Kind.SERVICE_REQUEST,
                channel=Channel.WEB,
                subject=f"{category.name}: {where}"[: case_services.SUBJECT_MAX]
                if where
                else category.name,
                description=full_description,
                customer=case_services.CustomerDetails(
                    name=name or f"A {client.name} user",
                    email=email,
                    phone=(form.get("phone") or "").strip()[:40],
                    address=address,
                ),
                category=category,
            )
            Open311Request.objects.create(
                case=case,
                client=client,
                client_reference=client_reference,
                token=token,
                service_code=category.slug,
                lat=lat,
                long=long,
                address_string=address,
                media_url=media_url[:1000],
                attributes=attributes,
            )
    except IntegrityError:
        existing = _existing(client, client_reference) if client_reference else None
        if existing is None:
            raise
        return existing
    except case_services.InvalidInput as error:
        raise Open311Error(400, error.message) from error
    return Received(case=case, token=token, created=True)


def _attributes(form: Any) -> dict[str, Any]:
    """attribute[...] fields by name; an attribute sent more than once keeps every value."""
    pairs = form.lists() if hasattr(form, "lists") else ((k, [v]) for k, v in form.items())
    return {
        key[len("attribute[") : -1]: values if len(values) > 1 else values[0]
        for key, values in pairs
        if key.startswith("attribute[") and key.endswith("]")
    }


def _email(form: Any) -> str:
    email = (form.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise Open311Error(
                400, f"'{email}' is not an email address; send a valid one or none."
            ) from error
    return email


def _media_url(form: Any) -> str:
    media_url = next((u.strip() for u in _all(form, "media_url") if u and u.strip()), "")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as error:
            raise Open311Error(400, "media_url must be a web address (http or https).") from error
    return media_url


def _name(form: Any) -> str:
    # FixMyStreet sends last_name "-" when it has only one name.
    parts = (str(form.get(n) or "").strip() for n in ("first_name", "last_name"))
    return " ".join(part for part in parts if part and part != "-")


def _existing(client: Open311Client, client_reference: str) -> Received | None:
    earlier = (
        Open311Request.objects.filter(client=client, client_reference=client_reference)
        .select_related("case")
        .first()
    )
    return Received(earlier.case, earlier.token, created=False) if earlier else None


def _coordinates(lat: Any, long: Any) -> tuple[Decimal | None, Decimal | None]:
    if not lat and not long:
        return None, None
    try:
        latitude, longitude = Decimal(str(lat).strip()), Decimal(str(long).strip())
    except (InvalidOperation, ValueError) as error:
        raise Open311Error(
            400, "Send lat and long both, as decimal degrees, e.g. lat=51.5014&long=-0.1419."
        ) from error
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Open311Error(400, "lat must be between -90 and 90 and long between -180 and 180.")
    return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


# -- updates in (FixMyStreet's comments on a report it sent) --------------------------------

# The statuses FixMyStreet's Open311 sender posts with an update (extended statuses included).
CLIENT_STATUSES = {
    "OPEN": "says it is still open",
    "REOPEN": "says it is not fixed and asks for it to be reopened",
    "CLOSED": "says it can be closed",
    "FIXED": "says it is fixed",
    "IN_PROGRESS": "says it is in progress",
    "ACTION_SCHEDULED": "says action is scheduled",
    "INVESTIGATING": "says it is being investigated",
    "DUPLICATE": "says it duplicates another report",
    "NOT_COUNCILS_RESPONSIBILITY": "says it is not the council's responsibility",
    "NO_FURTHER_ACTION": "says no further action is needed",
    "INTERNAL_REFERRAL": "says it was referred internally",
    "FOR_TRIAGE": "says it is for triage",
    "CANCELLED": "says it is cancelled",
}


@dataclass(frozen=True)
class ReceivedUpdate:
    update: Open311Update
    created: bool


def receive_update(client: Open311Client, form: Any) -> ReceivedUpdate:
    """Put an update a client posted about its own request on the case's timeline and flag it
    to the officer (a note); the same update_id posted again adds nothing (clients retry).

    The case's status is not changed: an officer reads the update and decides.
    """
    client_update_id = str(form.get("update_id") or "").strip()[:100]
    if client_update_id:
        earlier = _earlier_update(client, client_update_id)
        if earlier is not None:
            return ReceivedUpdate(earlier, created=False)
    reference = str(form.get("service_request_id") or "").strip().upper()
    if not reference:
        raise Open311Error(400, "Send the service_request_id of the request the update is about.")
    request = (
        Open311Request.objects.filter(case__reference=reference).select_related("case").first()
    )
    if request is None:
        raise Open311Error(
            404, f"There is no service request '{reference}'. Check the service_request_id."
        )
    if request.client_id != client.pk:
        raise Open311Error(
            403, f"{reference} was sent by another client; post updates only about your own."
        )
    status = str(form.get("status") or "").strip().upper()
    if status not in CLIENT_STATUSES:
        raise Open311Error(
            400, f"status must be one of {', '.join(CLIENT_STATUSES)}, not '{status or '(none)'}'."
        )
    description = str(form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "Send a description: the text of the update.")
    if len(description) > case_services.TEXT_MAX:
        raise Open311Error(
            400, f"The description must be {case_services.TEXT_MAX:,} characters or fewer."
        )
    updated_at = _datetime(form.get("updated_datetime"), "updated_datetime")
    if updated_at is None:
        raise Open311Error(
            400, "Send updated_datetime, a W3C date and time, e.g. 2026-03-02T09:30:00Z."
        )
    email, media_url, name = _email(form), _media_url(form), _name(form)
    case = request.case
    author = intake_user()
    who = name or "The reporter"
    try:
        with transaction.atomic():
            event = CaseEvent.objects.create(
                case=case,
                action="open311_update",
                at=timezone.now(),
                actor=author,
                summary=f"Update from {client.name}: {who} {CLIENT_STATUSES[status]}."[:500],
                after={
                    "client": client.name,
                    "update_id": client_update_id,
                    "status": status,
                    "updated_datetime": _w3c(updated_at),
                },
            )
            CaseNote.objects.create(
                case=case,
                author=author,
                text=(
                    f"{who} {CLIENT_STATUSES[status]} (an update sent by {client.name} on "
                    f"{_w3c(updated_at)}). Read it and decide whether the case needs action:"
                    f"\n\n{description}" + (f"\n\nPhoto: {media_url}" if media_url else "")
                )[: case_services.TEXT_MAX],
            )
            update = Open311Update.objects.create(
                client=client,
                case=case,
                client_update_id=client_update_id,
                status=status,
                description=description,
                updated_at=updated_at,
                name=name[:200],
                email=email,
                phone=str(form.get("phone") or "").strip()[:40],
                media_url=media_url[:1000],
                attributes=_attributes(form),
                event=event,
            )
    except IntegrityError:
        earlier = _earlier_update(client, client_update_id) if client_update_id else None
        if earlier is None:
            raise
        return ReceivedUpdate(earlier, created=False)
    return ReceivedUpdate(update, created=True)


def _earlier_update(client: Open311Client, client_update_id: str) -> Open311Update | None:
    return Open311Update.objects.filter(client=client, client_update_id=client_update_id).first()


# -- requests and updates out ---------------------------------------------------------------


def open311_cases() -> QuerySet[Case]:
    return Case.objects.filter(open311__isnull=False).select_related(
        "open311", "category", "service", "customer"
    )


def request_by_id(service_request_id: str) -> dict[str, Any]:
    case = open311_cases().filter(reference=service_request_id.strip().upper()).first()
    if case is None:
        raise Open311Error(
            404,
            f"There is no service request '{service_request_id}'. Check the service_request_id.",
        )
    return describe(case)


def request_by_token(token: str) -> dict[str, Any]:
    request = Open311Request.objects.filter(token=token.strip()).select_related("case").first()
    if request is None:
        raise Open311Error(404, f"There is no request with token '{token}'.")
    return {"service_request_id": request.case.reference, "token": request.token}


def find_requests(params: Any) -> list[dict[str, Any]]:
    """GET requests: by service_request_id (comma-separated), or service_code, status and dates."""
    cases = open311_cases()
    ids = [
        i.strip().upper() for i in (params.get("service_request_id") or "").split(",") if i.strip()
    ]
    if ids:
        return [describe(case) for case in cases.filter(reference__in=ids)[:MAX_RESULTS]]
    start, end = _window(params)
    cases = cases.filter(received_at__gte=start, received_at__lte=end)
    if params.get("service_code"):
        codes = [c.strip() for c in params["service_code"].split(",") if c.strip()]
        cases = cases.filter(open311__service_code__in=codes)
    statuses = {s.strip().lower() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed, or both separated by a comma.")
    if statuses == {"open"}:
        cases = cases.filter(status__in=(Status.RECEIVED, Status.ACKNOWLEDGED))
    elif statuses == {"closed"}:
        cases = cases.filter(status__in=(Status.RESPONDED, Status.CLOSED))
    return [describe(case) for case in cases.order_by("-received_at")[:MAX_RESULTS]]


def describe(case: Case) -> dict[str, Any]:
    request = case.open311
    closed = case.status in (Status.RESPONDED, Status.CLOSED)
    return {
        "service_request_id": case.reference,
        "status": "closed" if closed else "open",
        "status_notes": _response_summary(case) if closed else "",
        "service_name": case.category.name if case.category else "",
        "service_code": request.service_code,
        "description": case.description,
        "agency_responsible": case.service.name if case.service else "",
        "service_notice": "",
        "requested_datetime": _w3c(case.received_at),
        "updated_datetime": _w3c(case.updated_at),
        "expected_datetime": _w3c(end_of_day(case.respond_by)),
        "address": request.address_string,
        "address_id": "",
        "zipcode": "",
        "lat": float(request.lat) if request.lat is not None else None,
        "long": float(request.long) if request.long is not None else None,
        "media_url": request.media_url,
    }


def updates(params: Any) -> list[dict[str, Any]]:
    """FixMyStreet's servicerequestupdates: each status change of an Open311 request in a window."""
    start, end = _window(params)
    events = (
        CaseEvent.objects.filter(
            case__open311__isnull=False,
            action__in=UPDATE_STATUS,
            at__gte=start,
            at__lte=end,
        )
        .exclude(action="received")
        .select_related("case")
        .order_by("at", "id")[:MAX_RESULTS]
    )
    return [
        {
            "update_id": str(event.pk),
            "service_request_id": event.case.reference,
            "status": UPDATE_STATUS[event.action],
            "external_status_code": event.action,
            "description": _response_summary(event.case)
            if event.action == "responded"
            else UPDATE_TEXT.get(event.action, ""),
            "updated_datetime": _w3c(event.at),
            "media_url": "",
        }
        for event in events
    ]


def _response_summary(case: Case) -> str:
    record = case.stage_records.filter(number=case.stage_number).first()
    return (record.response_summary if record else "") or "Your report has been dealt with."


def _window(params: Any) -> tuple[datetime, datetime]:
    now = timezone.now()
    start = _datetime(params.get("start_date"), "start_date")
    end = _datetime(params.get("end_date"), "end_date")
    end = end or now
    start = start or end - DEFAULT_WINDOW
    if start > end:
        raise Open311Error(400, "start_date must be before end_date.")
    return start, end


def _datetime(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:  # well formed but impossible, e.g. month 13
        parsed = None
    if parsed is None:
        raise Open311Error(400, f"{name} must be a W3C date and time, e.g. 2026-03-02T09:30:00Z.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
