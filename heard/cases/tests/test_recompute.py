"""Re-timing open cases when the calendar changes."""

from datetime import UTC, date, datetime

import pytest

from heard.cases import services
from heard.cases.models import Case, StageRecord
from heard.org.models import Role
from heard.org.services import update_organisation
from heard.testing import make_case, make_staff

RECEIVED = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # Monday 5 October; respond by Monday 19 October


@pytest.mark.django_db
def test_a_new_closure_day_moves_open_cases_but_not_closed_or_extended_ones():
    admin = make_staff(Role.ADMINISTRATOR)
    open_case = make_case(received_at=RECEIVED)
    closed = make_case(received_at=RECEIVED)
    services.respond(
        closed, by=admin, outcome="upheld", summary="Sorry.", at=datetime(2026, 10, 9, tzinfo=UTC)
    )
    services.close(closed, by=admin, at=datetime(2026, 10, 9, 12, tzinfo=UTC))
    extended = make_case(received_at=RECEIVED)
    services.extend(
        extended,
        by=admin,
        new_date=date(2026, 10, 23),
        reason="Report awaited.",
        customer_told_how="letter",
        at=datetime(2026, 10, 12, tzinfo=UTC),
    )

    _, retimed = update_organisation(by=admin, closure_days=[date(2026, 10, 7), date(2026, 10, 8)])

    assert retimed == 2  # the open and the extended case's stage records
    open_case.refresh_from_db()
    assert open_case.acknowledge_by == date(2026, 10, 14)
    assert open_case.respond_by == date(2026, 10, 21)
    closed.refresh_from_db()
    assert closed.respond_by == date(2026, 10, 19)
    extended.refresh_from_db()
    assert extended.respond_by == date(2026, 10, 23)  # agreed with the customer: kept
    assert StageRecord.objects.get(case=extended).respond_by == date(2026, 10, 21)

    # Taking the closure days away puts the deadlines back.
    update_organisation(by=admin, closure_days=[])
    assert Case.objects.get(pk=open_case.pk).respond_by == date(2026, 10, 19)
