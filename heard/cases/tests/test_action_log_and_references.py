"""The append-only action log, and human-friendly references."""

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.cases import services
from heard.cases.models import REFERENCE_PREFIXES, CaseEvent, Kind
from heard.cases.references import format_reference
from heard.org.models import Role
from heard.testing import make_case, make_staff

RECEIVED = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_each_step_appends_one_entry_with_who_when_what_before_and_after():
    officer = make_staff(Role.COMPLAINTS_TEAM, username="casey")
    case = make_case(by=officer, received_at=RECEIVED)
    acknowledged_at = datetime(2026, 10, 6, 10, 0, tzinfo=UTC)
    services.acknowledge(case, by=officer, at=acknowledged_at)
    entry = CaseEvent.objects.filter(case=case).order_by("id").last()
    assert entry is not None
    assert entry.action == "acknowledged"
    assert entry.actor == officer
    assert entry.at == acknowledged_at
    assert entry.recorded_at >= entry.at
    assert entry.before["status"] == "received"
    assert entry.after["status"] == "acknowledged"
    assert entry.after["acknowledged_at"] == acknowledged_at.isoformat()


@pytest.mark.django_db
def test_the_action_log_cannot_be_changed_or_deleted():
    case = make_case(received_at=RECEIVED)
    entry = CaseEvent.objects.get(case=case)
    entry.summary = "Rewritten history"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        CaseEvent.objects.filter(case=case).update(summary="x")
    with pytest.raises(TypeError, match="append-only"):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.get(case=case).summary != "Rewritten history"


@pytest.mark.django_db
def test_references_count_per_kind_and_year_of_local_receipt():
    first = make_case(received_at=datetime(2025, 6, 1, 9, 0, tzinfo=UTC))
    second = make_case(received_at=datetime(2025, 6, 2, 9, 0, tzinfo=UTC))
    request = make_case(
        kind="service_request", procedure=None, received_at=datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    )
    # 23:30 UTC on 31 December 2025 is still 2025 in London (GMT).
    new_year_eve = make_case(received_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    # 00:30 UTC on 1 January 2026 is already 2026 in London.
    next_year = make_case(received_at=datetime(2026, 1, 1, 0, 30, tzinfo=UTC))
    assert first.reference == "CMP-2025-000001"
    assert second.reference == "CMP-2025-000002"
    assert request.reference == "SR-2025-000001"
    assert new_year_eve.reference == "CMP-2025-000003"
    assert next_year.reference == "CMP-2026-000001"


@pytest.mark.django_db
def test_a_contact_rolled_back_gives_its_number_back():
    from django.db import transaction

    from heard.cases.references import next_reference

    assert next_reference(Kind.COMPLAINT, 2027) == "CMP-2027-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_reference(Kind.COMPLAINT, 2027) == "CMP-2027-000002"
        raise RuntimeError("the case could not be recorded")
    assert next_reference(Kind.COMPLAINT, 2027) == "CMP-2027-000002"


@pytest.mark.django_db
def test_many_cases_get_distinct_references():
    references = {make_case(received_at=RECEIVED).reference for _ in range(60)}
    assert len(references) == 60


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(Kind.values),
    year=st.integers(min_value=2000, max_value=2099),
    number=st.integers(min_value=1, max_value=999_999),
)
def test_references_are_human_friendly(kind, year, number):
    reference = format_reference(REFERENCE_PREFIXES[kind], year, number)
    assert re.fullmatch(r"[A-Z]{2,3}-\d{4}-\d{6}", reference)
    assert reference.startswith(REFERENCE_PREFIXES[kind] + f"-{year}-")
    assert int(reference[-6:]) == number
