import pytest

from heard.org.models import Role
from heard.testing import ServiceFactory, ensure_shipped_data, make_staff


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
