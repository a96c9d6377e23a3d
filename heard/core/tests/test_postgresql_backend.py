"""The PostgreSQL backend's health check: no round trip while a connection is well, and a
connection the server has closed is found out before a request uses it."""

from __future__ import annotations

import copy
import select

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_postgresql
from django.db.utils import load_backend

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's own backend: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def kept():
    """A second connection, kept between requests as the web workers keep theirs."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="kept")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_the_configured_backend_is_heards():
    assert type(connections["default"]).__module__ == "heard.core.postgresql.base"


def test_a_statement_run_often_is_prepared_on_the_server():
    """Parameters are bound on the server, and a statement run five times is prepared, so
    PostgreSQL parses and plans it once per connection (settings: HEARD_POSTGRES_PREPARE)."""
    from heard.org.models import Organisation

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    before = prepared()
    for _ in range(6):
        list(Organisation.objects.filter(name="Prepared statements council"))
    assert prepared() == before + 1


def test_a_well_idle_connection_is_usable_without_asking_the_server(kept, monkeypatch):
    def round_trip(self):
        raise AssertionError("sent SELECT 1")

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", round_trip)

    assert kept.is_usable()


def test_a_connection_the_server_closed_is_unusable_and_replaced(kept):
    with psycopg.connect(**kept.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [kept.connection.info.backend_pid])
    poller = select.poll()
    poller.register(kept.connection.fileno(), select.POLLIN)
    poller.poll(10_000)  # the server's farewell reaches the socket

    assert not kept.is_usable()

    # What Django does at the start of a request with health checks on: close, reconnect.
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_broken_connection_is_unusable(kept):
    kept.connection.close()

    assert not kept.is_usable()
