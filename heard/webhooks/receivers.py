"""The one hook into the case log: each new entry gets its deliveries in the same transaction.

Entries are written by many areas (cases, channels, notify, privacy...); a ``post_save``
receiver is the single seam that catches every ``CaseEvent.objects.create`` without each of
them knowing about webhooks. It only calls the service, which writes the delivery rows in the
step's own transaction (so a rolled-back step leaves none) and enqueues the jobs on commit.
Entries written in bulk (legacy imports, customer merges) send no webhooks.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from heard.cases.models import CaseEvent


def on_case_event(
    sender: Any, instance: CaseEvent, created: bool, raw: bool, **kwargs: Any
) -> None:
    if created and not raw:
        from heard.webhooks.services import record_deliveries

        record_deliveries(instance)


def connect() -> None:
    post_save.connect(on_case_event, sender=CaseEvent, dispatch_uid="heard.webhooks.on_case_event")
