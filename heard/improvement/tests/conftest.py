import pytest

from heard.improvement.framework import load_framework
from heard.improvement.models import Criterion, Element, SubCriterion
from heard.org.models import Role
from heard.testing import make_staff


@pytest.fixture
def framework(db):
    """The shipped standard (a transactional test elsewhere may have emptied the tables)."""
    load_framework(Criterion, SubCriterion, Element)
    return {e.number: e for e in Element.objects.all()}


@pytest.fixture
def performance_officer(db):
    return make_staff(Role.PERFORMANCE_OFFICER, username="performance")


@pytest.fixture
def front_line(db):
    return make_staff(Role.FRONT_LINE_OFFICER, username="frontline")
