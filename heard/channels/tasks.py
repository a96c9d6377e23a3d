"""Background jobs of the channels: fetching mailboxes, importing old cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from heard.channels.models import Mailbox


@task()
def fetch_mailbox(mailbox_id: int) -> str:
    """Fetch one mailbox's new mail (safe to run twice: each message is stored once)."""
    from heard.channels.imap import fetch_and_record

    mailbox = Mailbox.objects.filter(pk=mailbox_id, active=True).first()
    if mailbox is None:
        return "no such active mailbox"
    result = fetch_and_record(mailbox)
    return str(result) if result else "mailbox unavailable"


@task()
def import_legacy(import_id: int) -> str:
    """Check and import an old system's cases in the background, recording progress."""
    from heard.channels.legacy import run_import

    return run_import(import_id)


def enqueue_due_fetches(*, now: datetime | None = None) -> int:
    """Enqueue a fetch of every active IMAP mailbox that is due; returns how many.

    Called by the worker's housekeeping beside the schedules (and by ``heard fetch-mail``):
    the mailbox rows are locked while moved on, so each due fetch is enqueued once.
    """
    now = now or timezone.now()
    enqueued = 0
    with transaction.atomic():
        due = Mailbox.objects.select_for_update(skip_locked=True).filter(active=True)
        for mailbox in due.exclude(imap_host=""):
            if mailbox.next_fetch_at is not None and mailbox.next_fetch_at > now:
                continue
            mailbox.next_fetch_at = now + timedelta(minutes=max(1, mailbox.fetch_every_minutes))
            mailbox.save(update_fields=["next_fetch_at"])
            transaction.on_commit(partial(fetch_mailbox.enqueue, mailbox.pk))
            enqueued += 1
    return enqueued
