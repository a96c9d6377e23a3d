"""Sessions in the database, each change written with one statement.

Django's database sessions wrap every save in a transaction of its own (BEGIN, UPDATE,
COMMIT: three round trips to the database). A session changes on every page of the public
form, so a five-page complaint paid for fifteen of them. Updating an existing session is a
single UPDATE, atomic by itself: here it is sent alone. Creating one is a single INSERT too:
Django first asks whether a random key is taken (a SELECT), then inserts in a transaction of
its own; here the primary key refuses a clash (as good as never, with 32 random characters)
and another key is drawn.

Expired sessions are deleted by the background duties (:func:`clear_expired`): a draft of the
public form is kept in its session — a name, a phone number, what happened — and must not
outlive the session that held it.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connections, router
from django.utils import timezone
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def _get_new_session_key(self) -> str:
        # Django's create() draws keys with this, then saves with must_create: no SELECT to
        # ask whether a key is taken first — the INSERT below refuses a clash (CreateError)
        # and create() draws again.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            self.create()
            return
        if must_create:
            data = self._get_session(no_load=True)  # type: ignore[attr-defined]  # as Django does
            instance = self.create_model_instance(data)
            using = router.db_for_write(self.model, instance=instance)
            if connections[using].in_atomic_block:
                # Inside a transaction a refused INSERT needs a savepoint: Django's way.
                super().save(must_create=True)
                return
            try:
                instance.save(force_insert=True, using=using)
            except IntegrityError as clash:
                raise CreateError from clash
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
