"""Sessions in the database, each change written with one statement.

Django's database sessions wrap every save in a transaction of its own (BEGIN, UPDATE,
COMMIT: three round trips to the database). A session changes on every page of the public
form, so a five-page complaint paid for fifteen of them. Updating an existing session is a
single UPDATE, atomic by itself: here it is sent alone. Creating a session (which must not
overwrite another with the same key) is left to Django.

Expired sessions are deleted by the background duties (:func:`clear_expired`): a draft of the
public form is kept in its session — a name, a phone number, what happened — and must not
outlive the session that held it.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if self.session_key is None or must_create:
            super().save(must_create=must_create)
            return
        updated = self.model.objects.filter(session_key=self.session_key).update(
            session_data=self.encode(dict(self.items())),
            expire_date=self.get_expiry_date(),
        )
        if not updated:
            # Deleted meanwhile (signed out elsewhere, or cleared as expired): Django's
            # session middleware answers as it does for its own backend.
            raise UpdateError


def clear_expired() -> int:
    """Delete every expired session (from the index on the expiry time); how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
