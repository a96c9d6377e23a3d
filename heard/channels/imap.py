"""Fetching a mailbox over IMAP (stdlib imaplib): a thin adapter around :func:`take_in_message`.

A message is flagged as read, or deleted, only after the transaction that took it in has
committed; a message that fails is left unread and tried again on the next fetch.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import os
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from heard.channels.email_in import take_in_message
from heard.channels.models import InboundEmail, Mailbox

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 60
BATCH = 200  # messages per fetch; the rest wait for the next one


class MailboxUnavailable(Exception):
    """The mailbox could not be reached or signed in to; the message says what to check."""


@dataclass
class FetchResult:
    fetched: int = 0
    new_contacts: int = 0
    threaded: int = 0
    ignored: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.fetched} fetched: {self.new_contacts} new, {self.threaded} replies, "
            f"{self.ignored} ignored, {self.failed} failed"
        )


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """Open and sign in to the mailbox, with its password or OAuth2 token from the environment."""
    if not mailbox.imap_host:
        raise MailboxUnavailable(
            f"{mailbox} has no IMAP server; set one, or deliver its mail by the relay webhook."
        )
    secret = os.environ.get(mailbox.secret_variable, "") if mailbox.secret_variable else ""
    if not secret:
        raise MailboxUnavailable(
            f"Set the environment variable {mailbox.secret_variable or '(none named)'} to the "
            f"password or access token for {mailbox.address}, and name it on the mailbox."
        )
    try:
        connection: imaplib.IMAP4 = (
            imaplib.IMAP4_SSL(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT_SECONDS)
            if mailbox.imap_tls
            else imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT_SECONDS)
        )
    except OSError as error:
        raise MailboxUnavailable(
            f"Could not reach {mailbox.imap_host}:{mailbox.imap_port} ({error}); check the "
            "server name, port and TLS setting."
        ) from error
    try:
        if mailbox.authentication == Mailbox.Authentication.OAUTH2:
            token = f"user={mailbox.imap_username}\x01auth=Bearer {secret}\x01\x01".encode()
            connection.authenticate("XOAUTH2", lambda _challenge: token)
        else:
            connection.login(mailbox.imap_username, secret)
        status, _ = connection.select(_quoted(mailbox.folder))
        if status != "OK":
            raise MailboxUnavailable(f"There is no folder {mailbox.folder} in {mailbox.address}.")
    except imaplib.IMAP4.error as error:
        _close(connection)
        raise MailboxUnavailable(
            f"{mailbox.address} refused to sign in ({error}); check the user name and secret."
        ) from error
    return connection


def fetch(mailbox: Mailbox) -> FetchResult:
    """Take in the mailbox's unread mail; let go of each message only once it is committed."""
    result = FetchResult()
    connection = connect(mailbox)
    try:
        status, data = connection.uid("SEARCH", "UNSEEN", "UNDELETED")
        uids = [u.decode() for u in (data[0] or b"").split()] if status == "OK" else []
        for uid in uids[:BATCH]:
            status, parts = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = _message_bytes(parts) if status == "OK" else None
            if raw is None:
                result.failed += 1
                continue
            result.fetched += 1
            try:
                record = take_in_message(raw, mailbox=mailbox, arrived_by="imap")
            except Exception:  # leave it unread: the next fetch tries again
                logger.exception("Could not take in message %s from %s", uid, mailbox.address)
                result.failed += 1
                continue
            _count(result, record)
            # take_in_message has committed (we are never inside a transaction here).
            if mailbox.after_import == Mailbox.AfterImport.DELETE:
                connection.uid("STORE", uid, "+FLAGS", r"(\Deleted)")
            else:
                connection.uid("STORE", uid, "+FLAGS", r"(\Seen)")
        if mailbox.after_import == Mailbox.AfterImport.DELETE:
            connection.expunge()
    finally:
        _close(connection)
    return result


def fetch_and_record(mailbox: Mailbox) -> FetchResult | None:
    """Fetch one mailbox and record how it went on the mailbox (for the admin screens)."""
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("Fetch mail outside a transaction, so each message commits first.")
    try:
        result = fetch(mailbox)
        summary = str(result)
    except MailboxUnavailable as error:
        result, summary = None, str(error)
        logger.warning("Mailbox %s: %s", mailbox.address, error)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_fetched_at=timezone.now(), last_result=summary[:500]
    )
    return result


def _count(result: FetchResult, record: InboundEmail) -> None:
    if record.outcome == InboundEmail.Outcome.NEW_CONTACT:
        result.new_contacts += 1
    elif record.outcome == InboundEmail.Outcome.THREADED:
        result.threaded += 1
    else:
        result.ignored += 1


def _message_bytes(parts: list[object]) -> bytes | None:
    for part in parts:
        if isinstance(part, tuple) and len(part) >= 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _close(connection: imaplib.IMAP4) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        connection.logout()
