"""What FixMyStreet's Open311 sender (perllib/Open311.pm) posts, field for field."""

from __future__ import annotations

from typing import Any


def fixmystreet_report(key: str, **changes: Any) -> dict[str, Any]:
    """_populate_service_request_params for a UK report made with the map (extended description)."""
    form = {
        "api_key": key,
        "jurisdiction_id": "council.example",
        "service_code": "street-light-out",
        "description": (
            "title: Light out on Mill Road\n\n"
            "detail: The lamp outside number 12 has been out for a week.\n\n"
            "url: https://fixmystreet.example/report/4242\n\n"
            "Submitted via FixMyStreet\n"
        ),
        "first_name": "Ann",
        "last_name": "Example",
        "email": "ann@example.org",
        "phone": "01632 960000",
        "lat": "51.501364",
        "long": "-0.14189",
        "media_url": "https://fixmystreet.example/photo/4242.0.full.jpeg",
        "attribute[fixmystreet_id]": "4242",
        "attribute[easting]": "529025",
        "attribute[northing]": "179716",
        "attribute[closest_address]": "12 Mill Road",
        "attribute[uprn]": "100023336956",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def fixmystreet_update(key: str, request_id: str, /, **changes: Any) -> dict[str, Any]:
    """_populate_service_request_update_params: a comment on a report it sent earlier."""
    form = {
        "api_key": key,
        "jurisdiction_id": "council.example",
        "updated_datetime": "2026-03-04T10:15:00+00:00",
        "service_request_id": request_id,
        "status": "OPEN",
        "description": "Still out tonight, and the one next to it has gone too.",
        "last_name": "Example",
        "first_name": "Ann",
        "email": "ann@example.org",
        "update_id": "90210",
        "media_url": "https://fixmystreet.example/c/90210.0.full.jpeg",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}
