import pytest

from heard.org.models import Role
from heard.testing import ServiceFactory, ensure_shipped_data, make_staff

pytest_plugins = ["heard.browser_testing"]


@pytest.fixture
def complaints_officer(db):
    return make_staff(Role.COMPLAINTS_TEAM, username="complaints")


@pytest.fixture
def service(db):
    return ServiceFactory(name="Waste and recycling", slug="waste")


@pytest.fixture
def other_service(db):
    return ServiceFactory(name="Housing repairs", slug="repairs")


@pytest.fixture(autouse=True)
def _shipped_data(request):
    """Every test that uses the database finds what the data migrations ship.

    A transactional test (browser, worker process) empties every table when it ends, data
    migrations included; whichever test comes next on that process puts the data back.
    """
    marker = request.node.get_closest_marker("django_db")
    wants_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if wants_db:
        transactional = marker is not None and marker.kwargs.get("transaction", False)
        request.getfixturevalue("transactional_db" if transactional else "db")
        from heard.procedures.models import Procedure

        if not Procedure.objects.exists():
            ensure_shipped_data()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


def pytest_sessionstart(session):
    """Remove the WAL and shared-memory files of a SQLite test database a killed run left behind.

    Without its database file, a stale -shm file makes SQLite answer "disk I/O error".
    """
    from pathlib import Path

    from django.conf import settings

    for sidecar in Path(settings.DATA_DIR).glob("test-heard.sqlite3*-*"):
        main = Path(str(sidecar).rsplit("-", 1)[0])
        if sidecar.suffix != ".sqlite3" and not main.exists():
            sidecar.unlink(missing_ok=True)
