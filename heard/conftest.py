import pytest

from heard.org.models import Role
from heard.testing import ServiceFactory, make_staff


@pytest.fixture
def complaints_officer(db):
    return make_staff(Role.COMPLAINTS_TEAM, username="complaints")


@pytest.fixture
def service(db):
    return ServiceFactory(name="Waste and recycling", slug="waste")


@pytest.fixture
def other_service(db):
    return ServiceFactory(name="Housing repairs", slug="repairs")
