import pytest

from heard.reporting.models import Standard
from heard.reporting.register import load_standards


@pytest.fixture
def register(db):
    """The shipped standards (a transactional test elsewhere may have emptied the table)."""
    load_standards(Standard)
    return {s.code: s for s in Standard.objects.all()}
