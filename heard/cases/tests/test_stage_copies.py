"""Stage records' copies of their case's kind, channel and service stay in step with the case.

The performance figures count stage records by these copies (no join with the cases), so a
copy that drifted would move a complaint to the wrong service in every report.
"""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection

from heard.cases import copies, services
from heard.cases.models import StageRecord
from heard.org.models import Role
from heard.testing import make_case, make_service, make_staff

RECEIVED = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def _escalated_complaint():
    waste = make_service("waste")
    team = make_staff(Role.COMPLAINTS_TEAM, services=[waste])
    case = make_case(by=team, service=waste, channel="letter", received_at=RECEIVED)
    case = services.respond(
        case,
        by=team,
        outcome="not_upheld",
        summary="We found no fault.",
        at=RECEIVED + timedelta(days=7),
    )
    case = services.escalate(case, by=team, at=RECEIVED + timedelta(days=9))
    return case, team


def test_every_stage_carries_the_case_kind_channel_and_service():
    case, _ = _escalated_complaint()
    records = list(case.stage_records.order_by("number"))
    assert [r.number for r in records] == [1, 2]
    for record in records:
        assert (record.case_kind, record.case_channel, record.case_service_id) == (
            "complaint",
            "letter",
            case.service_id,
        )
    assert not copies.out_of_step().exists()


def test_allocating_to_another_service_moves_every_stage_with_it():
    case, _ = _escalated_complaint()
    housing = make_service("housing")
    services.allocate(case, by=make_staff(Role.COMPLAINTS_TEAM), service=housing)
    assert set(case.stage_records.values_list("case_service__slug", flat=True)) == {"housing"}
    assert not copies.out_of_step().exists()


def test_allocating_only_an_officer_leaves_the_service_alone():
    case, team = _escalated_complaint()
    services.allocate(case, by=team, officer=team)
    assert set(case.stage_records.values_list("case_service__slug", flat=True)) == {"waste"}


def test_out_of_step_finds_a_copy_that_differs():
    case, _ = _escalated_complaint()
    housing = make_service("housing")
    StageRecord.objects.filter(case=case, number=2).update(case_service=housing)
    StageRecord.objects.filter(case=case, number=1).update(case_service=None)
    assert set(copies.out_of_step().values_list("number", flat=True)) == {1, 2}


def test_stage_records_written_without_copies_are_filled_in():
    """The previous version, running until a deploy restarts it, writes no copies."""
    case, _ = _escalated_complaint()
    StageRecord.objects.filter(case=case).update(case_kind="", case_channel="", case_service=None)
    assert copies.fill_missing() == 2
    assert copies.fill_missing() == 0
    assert not copies.out_of_step().exists()


class _StatementsOnly:
    """What the migration's function uses of a schema editor (SQLite will not open a real one
    inside the test's transaction)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_copies_onto_existing_stage_records():
    case, _ = _escalated_complaint()
    StageRecord.objects.filter(case=case).update(case_kind="", case_channel="", case_service=None)
    migration = importlib.import_module("heard.cases.migrations.0012_stage_record_case_copies")
    migration.copy_from_cases(apps, _StatementsOnly())
    assert not copies.out_of_step().exists()
    assert not StageRecord.objects.filter(case_kind="").exists()


def test_the_daily_duty_mends_copies_that_drifted_and_says_so(monkeypatch, caplog):
    from heard.jobs import duties

    case, _ = _escalated_complaint()
    housing = make_service("housing")
    StageRecord.objects.filter(case=case, number=2).update(case_service=housing)
    monkeypatch.setattr(duties, "_last_done", {})

    with caplog.at_level("WARNING", logger="heard.scheduler"):
        duties.run_duties()

    assert not copies.out_of_step().exists()
    assert case.reference in caplog.text and "were mended" in caplog.text
    # Looked for once a day, not on every pass.
    StageRecord.objects.filter(case=case, number=1).update(case_service=housing)
    duties.run_duties()
    assert copies.out_of_step().count() == 1
