"""The demo council: realistic, reproducible, and consistent with what the services record."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from heard.cases import deadlines, services
from heard.cases.models import Case, Channel, Kind, Outcome, Remedy, StageRecord, Status
from heard.org.calendars import organisation_calendar
from heard.org.models import Role, Service
from heard.testing import make_staff

TODAY = "2026-11-02"


def load(cases: int = 800, seed: int = 7) -> str:
    out = StringIO()
    call_command("demo", cases=cases, seed=seed, today=date.fromisoformat(TODAY), stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    load()


def test_the_demo_council_has_about_twenty_services_and_staff_in_every_role(demo):
    assert 18 <= Service.objects.count() <= 25
    from heard.org.models import RoleAssignment

    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    assert all(service.head_id for service in Service.objects.all())


def test_every_kind_channel_status_and_outcome_appears(demo):
    assert set(Case.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert set(Case.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(StageRecord.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert Case.objects.filter(stage_number__gte=2).exists()
    assert StageRecord.objects.filter(extended_to__isnull=False).exists()
    assert Remedy.objects.filter(kind="financial", amount__gt=0).exists()


def test_the_same_seed_and_day_give_the_same_cases(db):
    load(cases=200, seed=11)
    load(cases=200, seed=11)  # a second batch, after the first
    rows = list(
        Case.objects.order_by("id").values_list(
            "kind", "subject", "received_at", "status", "stage_number"
        )
    )
    assert rows[:200] == rows[200:]
    assert Case.objects.values("reference").distinct().count() == 400


def test_every_case_is_consistent_with_what_the_services_would_record(demo):
    calendar = organisation_calendar()
    records = {
        (r.case_id, r.number): r
        for r in StageRecord.objects.select_related("stage").prefetch_related(
            "remedies", "extensions"
        )
    }
    for case in Case.objects.select_related("stage"):
        current = records[(case.pk, case.stage_number)]
        assert case.stage_id == current.stage_id
        assert case.acknowledged_at == current.acknowledged_at
        assert case.responded_at == current.responded_at
        assert case.acknowledge_by == current.acknowledge_by
        assert case.respond_by == (current.extended_to or current.respond_by)
        expected = deadlines.compute(
            calendar,
            current.stage,
            received_at=case.received_at,
            requested_at=current.requested_at,
            acknowledged_at=current.acknowledged_at,
        )
        assert (current.acknowledge_by, current.respond_by) == (
            expected.acknowledge_by,
            expected.respond_by,
        )
        assert case.deemed_received == expected.deemed_received
        times = [
            case.received_at,
            current.requested_at,
            current.acknowledged_at,
            current.responded_at,
            case.closed_at,
        ]
        known = [t for t in times if t is not None]
        assert known == sorted(known), case.reference
        status: dict[str, object] = {
            Status.CLOSED: case.closed_at,
            Status.RESPONDED: case.responded_at,
            Status.ACKNOWLEDGED: case.acknowledged_at,
        }
        if case.status in status:
            assert status[case.status] is not None
        for remedy in current.remedies.all():
            assert (remedy.amount is not None and remedy.amount > 0) == (remedy.kind == "financial")
        for number in range(1, case.stage_number):
            assert (
                records[(case.pk, number)].responded_at is not None
            )  # escalated only once answered


def test_every_step_is_in_the_action_log(demo):
    for case in Case.objects.prefetch_related("events")[:300]:
        actions = [e.action for e in case.events.all()]
        assert actions[0] == "received"
        if case.acknowledged_at:
            assert "acknowledged" in actions
        if case.status == Status.CLOSED:
            assert actions[-1] == "closed"
        assert actions.count("escalated") == case.stage_number - 1


def test_cases_created_after_the_demo_get_fresh_references(demo):
    officer = make_staff(Role.COMPLAINTS_TEAM)
    case = services.create_case(
        by=officer,
        kind="complaint",
        channel="phone",
        subject="Still waiting",
        customer=services.CustomerDetails(name="Ann Example"),
    )
    assert Case.objects.filter(reference=case.reference).count() == 1


def test_if_empty_leaves_an_existing_database_alone(demo):
    before = Case.objects.count()
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert Case.objects.count() == before
    assert "already has cases" in out.getvalue()
