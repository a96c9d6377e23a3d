import pytest
from django.contrib.auth.models import Group, Permission

from heard.org.models import Role
from heard.privacy.access import GROUP_NAME
from heard.testing import make_staff


@pytest.fixture
def governance(db):
    """An information governance officer: no casework role, in the group the migration made."""
    officer = make_staff(Role.FRONT_LINE_OFFICER, username="ig.officer")
    # A transactional test empties the tables its migration filled; make the group again then.
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(Permission.objects.get(codename="see_read_audit"))
    officer.groups.add(group)
    return officer


@pytest.fixture
def complaints(db):
    return make_staff(Role.COMPLAINTS_TEAM, username="complaints.ig")
