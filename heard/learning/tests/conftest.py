import pytest

from heard.learning.defaults import ensure_defaults
from heard.org.models import Role
from heard.testing import make_staff


@pytest.fixture(autouse=True)
def _learning_defaults(request):
    """The shipped taxonomy and message template (a transactional test may have emptied them)."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ensure_defaults()


@pytest.fixture
def complaints(db):
    return make_staff(Role.COMPLAINTS_TEAM, username="complaints-learning")
