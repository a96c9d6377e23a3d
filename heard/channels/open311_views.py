"""Open311 GeoReport v2 over HTTP, in JSON and XML. Thin: parse, call :mod:`open311`, render."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from heard.channels import open311
from heard.channels.open311 import Open311Error
from heard.core import ratelimit

# Each list's XML root element, and the element of each item in it.
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "updates": ("service_request_updates", "request_update"),
    "errors": ("errors", "error"),
}


def render(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(json.dumps(data), status=status, content_type="application/json")
    if root in XML_NAMES:
        outer, inner = XML_NAMES[root]
        element = ElementTree.Element(outer)
        for item in data:
            _fill(ElementTree.SubElement(element, inner), item)
    else:
        element = ElementTree.Element(root)
        _fill(element, data)
    body = ElementTree.tostring(element, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body,
        status=status,
        content_type="text/xml; charset=utf-8",
    )


def _fill(element: ElementTree.Element, item: dict[str, Any]) -> None:
    for key, value in item.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(value, list):
            for entry in value:
                item_element = ElementTree.SubElement(child, key.rstrip("s"))
                if isinstance(entry, dict):
                    _fill(item_element, entry)
                else:
                    item_element.text = str(entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def error(fmt: str, code: int, description: str) -> HttpResponse:
    return render([{"code": code, "description": description}], fmt, root="errors", status=code)


def endpoint(*methods: str) -> Callable[..., Callable[..., HttpResponse]]:
    """Allowed methods, the rate limit, and domain errors as Open311 error lists."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # API-key (POST) or public (GET); no browser session is involved
        def handle(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error(
                    fmt, 405, f"Use {' or '.join(methods)} here, not {request.method}."
                )
                response["Allow"] = ", ".join(methods)
                return response
            address = request.META.get("REMOTE_ADDR", "")
            if not ratelimit.allow(
                "open311-address", address, limit=settings.HEARD_OPEN311_RATE_PER_ADDRESS
            ):
                return error(fmt, 429, "Too many requests from this address: wait and try again.")
            try:
                return view(request, fmt, **kwargs)
            except Open311Error as failure:
                return error(fmt, failure.code, failure.description)

        return handle

    return wrap


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": fmt}))
    base = base.rsplit("/", 1)[0] + "/"
    return render(
        {
            "changeset": "2026-01-01T00:00:00Z",
            "contact": "Your council's complaints team",
            "key_service": "Ask the council for an api_key to post service requests.",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-01-01T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        fmt,
        root="discovery",
    )


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(open311.service_list(), fmt, root="services")


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    return render(open311.service_definition(code), fmt, root="service_definition")


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "GET":
        return render(open311.find_requests(request.GET), fmt, root="requests")
    api_key = request.POST.get("api_key", "")
    if not ratelimit.allow("open311-key", api_key, limit=settings.HEARD_OPEN311_RATE_PER_KEY):
        return error(fmt, 429, "Too many requests with this api_key: wait and try again.")
    client = open311.client_for_key(api_key)
    received = open311.receive_request(client, request.POST)
    return render(
        [
            {
                "service_request_id": received.case.reference,
                "token": received.token,
                "service_notice": f"Due by {received.case.respond_by:%d %B %Y}.",
                "account_id": None,
            }
        ],
        fmt,
        root="requests",
    )


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    return render([open311.request_by_id(service_request_id)], fmt, root="requests")


@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    return render([open311.request_by_token(token)], fmt, root="requests")


@endpoint("GET", "POST")
def updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: status changes to read back. POST: an update from the client (FixMyStreet's)."""
    if request.method == "GET":
        open311.client_for_key(request.GET.get("api_key"))
        return render(open311.updates(request.GET), fmt, root="updates")
    api_key = request.POST.get("api_key", "")
    if not ratelimit.allow("open311-key", api_key, limit=settings.HEARD_OPEN311_RATE_PER_KEY):
        return error(fmt, 429, "Too many requests with this api_key: wait and try again.")
    client = open311.client_for_key(api_key)
    received = open311.receive_update(client, request.POST)
    return render([{"update_id": str(received.update.event_id)}], fmt, root="updates")
