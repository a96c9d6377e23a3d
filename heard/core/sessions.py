"""Sessions in the database, each change written with one statement.

Django's database sessions wrap every save in a transaction of its own (BEGIN, UPDATE,
COMMIT: three round trips to the database). A session changes on every page of the public
form, so a five-page complaint paid for fifteen of them. Updating an existing session is a
single UPDATE, atomic by itself: here it is sent alone. Creating one is a single INSERT too:
Django first asks whether a random key is taken (a SELECT), then inserts in a transaction of
its own; here the primary key refuses a clash (as good as never, with 32 random characters)
and another key is drawn.

Reading and updating a session are sent as written SQL, not built by the ORM: every request
with a session cookie reads it and every page of the public form writes it, and building the
two statements through the ORM cost about a sixth of a public-form page's time in the web
worker (bench/README.md, "Profiled and fixed"). The statements are the ones Django's backend
sends, with the values bound, and work on SQLite and PostgreSQL alike.

Expired sessions are deleted by the background duties (:func:`clear_expired`): a draft of the
public form is kept in its session — a name, a phone number, what happened — and must not
outlive the session that held it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        connection = connections[router.db_for_read(self.model)]
        with connection.cursor() as cursor:
            cursor.execute(
                _sql(connection, "SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s"),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            # Expired or never ours: a new key will be drawn when something is saved.
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data

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
        connection = connections[router.db_for_write(self.model)]
        with connection.cursor() as cursor:
            cursor.execute(
                _sql(connection, "UPDATE {table} SET {data} = %s, {expiry} = %s WHERE {key} = %s"),
                [
                    self.encode(dict(self.items())),
                    connection.ops.adapt_datetimefield_value(self.get_expiry_date()),
                    self.session_key,
                ],
            )
            updated = cursor.rowcount
        if not updated:
            # Deleted meanwhile (signed out elsewhere, or cleared as expired): Django's
            # session middleware answers as it does for its own backend.
            raise UpdateError


def _sql(connection: BaseDatabaseWrapper, statement: str) -> str:
    quote = connection.ops.quote_name
    return statement.format(
        table=quote(Session._meta.db_table),
        key=quote("session_key"),
        data=quote("session_data"),
        expiry=quote("expire_date"),
    )


def clear_expired() -> int:
    """Delete every expired session (from the index on the expiry time); how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
