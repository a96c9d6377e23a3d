"""Sessions: kept in the database, each change to an existing one written with one statement."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heard.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_new_session_is_created_and_read_back():
    session = SessionStore()
    session["portal_answers"] = {"kind": "complaint"}
    session.save()

    again = SessionStore(session.session_key)
    assert again["portal_answers"] == {"kind": "complaint"}


def test_a_change_is_one_update_statement_and_is_kept():
    session = SessionStore()
    session["portal_answers"] = {"kind": "complaint"}
    session.save()
    session["portal_answers"] = {"kind": "complaint", "subject": "Bins"}

    with CaptureQueriesContext(connection) as queries:
        session.save()

    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1 and statements[0].startswith("UPDATE")
    assert SessionStore(session.session_key)["portal_answers"]["subject"] == "Bins"


@pytest.mark.django_db(transaction=True)  # outside a transaction, as the middleware saves it
def test_a_new_session_is_one_insert_statement():
    session = SessionStore()
    session["portal_answers"] = {"kind": "complaint"}

    with CaptureQueriesContext(connection) as queries:
        session.save()

    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1 and statements[0].startswith("INSERT")
    assert Session.objects.filter(session_key=session.session_key).exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_key_that_clashes_with_another_session_is_drawn_again(monkeypatch):
    from heard.core import sessions

    taken = SessionStore()
    taken["portal_answers"] = {"name": "Ann Example"}
    taken.save()
    keys = iter([taken.session_key, "b" * 32])
    monkeypatch.setattr(sessions, "get_random_string", lambda *args: next(keys))

    session = SessionStore()
    session["portal_answers"] = {"name": "Bob Example"}
    session.save()

    assert session.session_key == "b" * 32
    assert SessionStore(taken.session_key)["portal_answers"] == {"name": "Ann Example"}
    assert SessionStore("b" * 32)["portal_answers"] == {"name": "Bob Example"}


def test_saving_a_session_deleted_meanwhile_is_refused_not_recreated():
    session = SessionStore()
    session["portal_answers"] = {"kind": "complaint"}
    session.save()
    Session.objects.filter(session_key=session.session_key).delete()
    session["portal_answers"] = {"kind": "compliment"}

    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.exists()


def test_a_public_form_page_keeps_its_answer_in_the_session(client):
    client.get("/tell-us/kind")
    response = client.post("/tell-us/kind", {"kind": "complaint"})
    assert response.status_code == 302

    response = client.get("/tell-us/details")
    assert response.status_code == 200
    stored = SessionStore(client.cookies["sessionid"].value)
    assert stored["portal_answers"]["kind"] == "complaint"


def _session_expiring_in(seconds: int) -> str:
    session = SessionStore()
    session["portal_answers"] = {"name": "Ann Example", "phone": "07700 900123"}
    session.set_expiry(seconds)
    session.save()
    assert session.session_key is not None
    return session.session_key


def test_the_duties_delete_expired_sessions_and_their_drafts(monkeypatch):
    from heard.jobs import duties

    expired = _session_expiring_in(-60)
    live = _session_expiring_in(3600)
    monkeypatch.setattr(duties, "_last_done", {})

    duties.run_duties()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert expired != live


def test_expired_sessions_are_looked_for_every_quarter_of_an_hour_not_every_pass(monkeypatch):
    from heard.jobs import duties

    monkeypatch.setattr(duties, "_last_done", {})
    duties.run_duties()
    _session_expiring_in(-60)

    duties.run_duties()  # moments later: not yet
    assert Session.objects.count() == 1

    duties._last_done["tidy"] -= duties.TIDY_EVERY_SECONDS
    duties.run_duties()
    assert Session.objects.count() == 0


def test_reading_a_session_is_one_select_statement():
    session = SessionStore()
    session["portal_answers"] = {"kind": "complaint"}
    session.save()

    with CaptureQueriesContext(connection) as queries:
        answers = SessionStore(session.session_key)["portal_answers"]

    statements = [q["sql"] for q in queries.captured_queries]
    assert answers == {"kind": "complaint"}
    assert len(statements) == 1 and statements[0].startswith("SELECT")


def test_an_expired_session_reads_as_empty_and_its_key_is_not_reused():
    session = SessionStore()
    session["portal_answers"] = {"name": "Ann Example"}
    session.set_expiry(-1)
    session.save()

    again = SessionStore(session.session_key)

    assert again.get("portal_answers") is None
    assert again.session_key is None
    again["portal_answers"] = {"name": "Someone Else"}
    again.save()
    assert again.session_key != session.session_key


def test_an_unknown_key_reads_as_empty():
    assert SessionStore("x" * 32).get("portal_answers") is None
