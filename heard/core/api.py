"""What every API endpoint shares: errors, pagination and input fields."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from heard.core.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class NewestFirstPagination(CursorPagination):
    """Pages of a long list, newest first, followed by the ``next`` and ``previous`` links.

    A cursor marks where a page ended, so a page costs the same at the millionth case as at the
    first (no ``OFFSET``), and a case recorded while a client pages through does not shift the
    rest by one. Nothing is counted: counting a million rows costs more than the page itself.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-received_at", "-id")
    invalid_cursor_message = "That page link is not valid; start again from the first page."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to HTTP in one place, and give every error a ``detail`` sentence.

    Field errors keep DRF's shape (``{"subject": ["..."]}``, nested for nested input), so a
    client can show each message beside its field.
    """
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        if exc.field:
            _nest(body, exc.field.replace("[", ".").replace("]", "").split("."), [exc.message])
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        data = dict(data)
        data.setdefault("detail", _first_message(data))
        data.setdefault("code", "invalid")
        response.data = data
    elif isinstance(response.data, dict):
        response.data.setdefault("code", getattr(exc, "default_code", "error"))
    return response


def _nest(body: dict[str, Any], path: list[str], value: Any) -> None:
    for key in path[:-1]:
        body = body.setdefault(key, {})
    body[path[-1]] = value


def _first_message(data: Any, prefix: str = "") -> str:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("detail", "code"):
                continue
            label = key if key == "non_field_errors" else f"{prefix}{key}"
            return _first_message(value, f"{label}." if isinstance(value, dict) else f"{label}: ")
    if isinstance(data, list) and data:
        return _first_message(data[0], prefix)
    text = str(data)
    return f"{prefix}{text}" if not prefix.startswith("non_field_errors") else text


class PastDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time that carries its UTC offset and is not in the future."""

    default_error_messages = {
        "invalid": "Enter a date and time in ISO 8601 format with its UTC offset, e.g. 2026-11-24T09:30:00+00:00.",
        "naive": "Include the UTC offset in the time, e.g. 2026-11-24T09:30:00+00:00 or 2026-06-24T09:30:00+01:00.",
        "future": "That time is in the future. Record things once they have happened.",
    }

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            parsed: datetime | None = value
        elif isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
        else:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        assert parsed is not None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.fail("naive")
        if parsed > timezone.now():
            self.fail("future")
        return parsed


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that a misspelt field is not silently ignored."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                known = ", ".join(sorted(self.fields))
                raise serializers.ValidationError(
                    {
                        name: [f"Unknown field. The fields this accepts are: {known}."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class FieldsBuiltOnce:
    """For a ModelSerializer: work its fields out from the model once per class, not per use.

    DRF's ModelSerializer inspects the model and builds every field afresh each time a
    serializer is made, and one case's JSON makes six of them (the case, its customers, its
    stages, its log): that was most of the time spent writing a case out. Here the first
    serializer of a class keeps what it built and later ones take a copy; each copy is bound
    to its own serializer (writing one case out: 1.95 ms, 1.27 ms with DRF's deep copies of
    every field, 0.68 ms copying plain fields shallowly).
    """

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        built: dict[str, serializers.Field[Any, Any, Any, Any]] | None = type(self).__dict__.get(
            "_fields_built_once"
        )
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            type(self)._fields_built_once = built  # type: ignore[attr-defined]
        # A plain field keeps what binding gives it (its name, parent and source) on itself,
        # so a shallow copy is a field of its own; one that holds other fields (a nested
        # serializer, a list of related slugs) is copied whole, as DRF copies it.
        return {
            name: copy.deepcopy(field) if _holds_fields(field) else copy.copy(field)
            for name, field in built.items()
        }


def _holds_fields(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    return isinstance(field, serializers.BaseSerializer) or any(
        isinstance(value, serializers.Field) for value in vars(field).values()
    )
