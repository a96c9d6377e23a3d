import copy

import pytest
from django.db import connection
from django.db.utils import load_backend

from heard.core import views


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def _unreachable_database():
    """A real connection to a database that cannot be reached (no mock of the driver)."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/heard.sqlite3"
    else:
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", "1"
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="unreachable")


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_cannot_be_reached(client, monkeypatch):
    broken = _unreachable_database()
    monkeypatch.setattr(views, "connection", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.django_db
def test_every_response_carries_security_headers(client):
    response = client.get("/healthz")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_liveness_and_readiness(client):
    from django.utils import timezone

    from heard.jobs.models import WorkerHeartbeat

    assert client.get("/livez").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["database"] == "ok" and body["migrations"] == "ok"
    assert body["queue"].startswith("no worker seen lately")
    WorkerHeartbeat.objects.create(
        worker_id="w1", host="here", pid=1, started_at=timezone.now(), last_seen=timezone.now()
    )
    assert client.get("/readyz").json()["queue"] == "ok"


@pytest.mark.django_db
def test_not_ready_when_the_database_cannot_be_reached(client, monkeypatch):
    monkeypatch.setattr(views, "connection", _unreachable_database())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_not_found_pages_use_the_layout_of_where_you_are(client):
    public = client.get("/no-such-page")
    assert public.status_code == 404
    assert "Tell us what you think" in public.content.decode()
    assert "Casework" not in public.content.decode()
