"""heard fetch-mail: fetch every active IMAP mailbox now (for cron, or to try a new mailbox)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from heard.channels.imap import fetch_and_record
from heard.channels.models import Mailbox


class Command(BaseCommand):
    help = "Fetch new mail from every active IMAP mailbox and record it."

    def handle(self, *args: Any, **options: Any) -> None:
        for mailbox in Mailbox.objects.filter(active=True).exclude(imap_host=""):
            fetch_and_record(mailbox)
            mailbox.refresh_from_db()
            self.stdout.write(f"{mailbox.address}: {mailbox.last_result}")
