"""What each step demands, what it refuses, and that a refusal writes nothing."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from heard.cases import services
from heard.cases.models import Case, CaseEvent, Customer, ReferenceCounter, Remedy, StageRecord
from heard.core.errors import InvalidInput, NotPermitted
from heard.org.models import Role
from heard.testing import make_case, make_service, make_staff

# Monday 5 October 2026, 10:00 BST.
RECEIVED = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def at(days: int) -> datetime:
    return RECEIVED + timedelta(days=days)


@pytest.fixture
def officer(db):
    return make_staff(Role.COMPLAINTS_TEAM)


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Case, Customer, StageRecord, CaseEvent, Remedy, ReferenceCounter)
    )


# -- acknowledging ---------------------------------------------------------------------------


def test_acknowledging_under_the_ombudsman_code_re_times_the_response_from_the_day_it_was_sent(
    officer,
):
    case = make_case(procedure="hos-code-2024", received_at=RECEIVED)
    # Before it is sent the response counts from the acknowledgement due date, Monday 12 October.
    assert case.acknowledge_by == date(2026, 10, 12)
    assert case.respond_by == date(2026, 10, 26)
    # Sent on Wednesday 7 October: ten working days later is Wednesday 21 October.
    case = services.acknowledge(case, by=officer, at=at(2))
    assert case.acknowledged_at == at(2)
    assert case.respond_by == date(2026, 10, 21)


def test_an_acknowledgement_cannot_be_in_the_future_or_before_receipt(officer):
    case = make_case(received_at=RECEIVED)
    with pytest.raises(InvalidInput) as future:
        services.acknowledge(case, by=officer, at=timezone.now() + timedelta(minutes=5))
    assert future.value.field == "at"
    with pytest.raises(InvalidInput, match="before") as early:
        services.acknowledge(case, by=officer, at=RECEIVED - timedelta(hours=1))
    assert early.value.field == "at"
    with pytest.raises(InvalidInput, match="UTC offset"):
        services.acknowledge(case, by=officer, at=datetime(2026, 10, 6, 9, 0))


# -- extending -------------------------------------------------------------------------------


def test_an_extension_needs_a_reason_a_later_working_day_and_how_the_customer_was_told(officer):
    case = make_case(received_at=RECEIVED)  # council stage 1: respond by Monday 19 October
    assert case.respond_by == date(2026, 10, 19)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"reason": "", "new_date": date(2026, 10, 23), "customer_told_how": "email"}, "reason"),
        (
            {
                "reason": "Awaiting a report.",
                "new_date": date(2026, 10, 16),
                "customer_told_how": "email",
            },
            "new_date",
        ),
        (
            {
                "reason": "Awaiting a report.",
                "new_date": date(2026, 10, 24),
                "customer_told_how": "email",
            },
            "new_date",
        ),
        (
            {
                "reason": "Awaiting a report.",
                "new_date": date(2026, 10, 23),
                "customer_told_how": "pigeon",
            },
            "customer_told_how",
        ),
        # Ten more working days at most: no later than Monday 2 November.
        (
            {
                "reason": "Awaiting a report.",
                "new_date": date(2026, 11, 3),
                "customer_told_how": "email",
            },
            "new_date",
        ),
    ]
    for arguments, field in cases:
        with pytest.raises(InvalidInput) as refusal:
            services.extend(case, by=officer, at=at(3), **arguments)
        assert refusal.value.field == field, arguments
    case = services.extend(
        case,
        by=officer,
        at=at(3),
        reason="Awaiting a report.",
        new_date=date(2026, 11, 2),
        customer_told_how="phone",
    )
    assert case.respond_by == date(2026, 11, 2)
    record = StageRecord.objects.get(case=case, number=1)
    assert record.extended_to == date(2026, 11, 2)
    assert record.extensions.get().customer_told_how == "phone"


def test_a_stage_without_an_extension_allowance_cannot_be_extended(officer):
    from heard.procedures.services import define_procedure

    define_procedure(
        slug="strict",
        name="Strict",
        stages=[
            {
                "name": "Only",
                "acknowledge_days": 2,
                "respond_days": 5,
                "max_extension_days": 0,
                "handler_role": "complaints_team",
            }
        ],
    )
    case = make_case(procedure="strict", received_at=RECEIVED)
    from heard.core.errors import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed, match="allows no extension"):
        services.extend(
            case, by=officer, new_date=date(2026, 10, 20), reason="x", customer_told_how="email"
        )


# -- responding ------------------------------------------------------------------------------


def test_a_complaint_response_needs_an_outcome_and_a_summary(officer):
    case = make_case(received_at=RECEIVED)
    with pytest.raises(InvalidInput) as no_outcome:
        services.respond(case, by=officer, summary="Sorry.", at=at(3))
    assert no_outcome.value.field == "outcome"
    with pytest.raises(InvalidInput) as no_summary:
        services.respond(case, by=officer, outcome="upheld", at=at(3))
    assert no_summary.value.field == "summary"
    withdrawn = services.respond(case, by=officer, outcome="withdrawn", at=at(3))
    assert withdrawn.status == "responded"


def test_remedies_are_validated_and_financial_redress_carries_an_amount(officer):
    case = make_case(received_at=RECEIVED)
    bad: list[tuple[list[dict[str, Any]], str]] = [
        ([{"kind": "financial", "description": "For the delay"}], "remedies[0].amount"),
        ([{"kind": "financial", "amount": Decimal("-5")}], "remedies[0].amount"),
        ([{"kind": "financial", "amount": Decimal("10.001")}], "remedies[0].amount"),
        ([{"kind": "apology"}, {"kind": "apology", "amount": Decimal("5")}], "remedies[1].amount"),
        ([{"kind": "voucher"}], "remedies[0].kind"),
    ]
    for remedies, field in bad:
        with pytest.raises(InvalidInput) as refusal:
            services.respond(
                case, by=officer, outcome="upheld", summary="Sorry.", remedies=remedies, at=at(3)
            )
        assert refusal.value.field == field
    assert Remedy.objects.count() == 0
    services.respond(
        case,
        by=officer,
        outcome="upheld",
        summary="Sorry.",
        remedies=[
            {"kind": "apology"},
            {"kind": "financial", "description": "Time and trouble", "amount": "50.00"},
        ],
        lessons_learned="Crews now photograph blocked access.",
        at=at(3),
    )
    record = StageRecord.objects.get(case=case, number=1)
    assert sorted((r.kind, r.amount) for r in record.remedies.all()) == [
        ("apology", None),
        ("financial", Decimal("50.00")),
    ]
    assert record.lessons_learned == "Crews now photograph blocked access."


def test_resolved_at_first_contact_is_only_for_the_first_stage(officer):
    case = make_case(received_at=RECEIVED)
    services.respond(case, by=officer, outcome="not_upheld", summary="No fault.", at=at(3))
    services.escalate(case, by=officer, at=at(4))
    with pytest.raises(InvalidInput, match="first stage"):
        services.respond(
            case, by=officer, outcome="resolved_at_first_contact", summary="Done.", at=at(5)
        )


# -- independence under the ombudsman codes ------------------------------------------------


def test_stage_two_cannot_go_to_the_officer_who_answered_stage_one(officer):
    waste = make_service(slug="housing-repairs", name="Housing repairs")
    investigator = make_staff(Role.INVESTIGATING_OFFICER, services=[waste])
    case = make_case(procedure="hos-code-2024", received_at=RECEIVED, service=waste)
    services.allocate(case, by=officer, officer=investigator, at=at(0))
    services.respond(case, by=investigator, outcome="not_upheld", summary="No fault.", at=at(3))
    services.escalate(case, by=officer, at=at(5))
    with pytest.raises(InvalidInput, match="someone else") as refusal:
        services.allocate(case, by=officer, officer=investigator)
    assert refusal.value.field == "officer"
    services.allocate(case, by=officer, officer=officer)


def test_an_officer_must_work_in_the_service_they_are_given(officer):
    repairs = make_service(slug="repairs", name="Repairs")
    parking = make_service(slug="parking", name="Parking")
    outsider = make_staff(Role.INVESTIGATING_OFFICER, services=[parking])
    case = make_case(received_at=RECEIVED, service=repairs)
    with pytest.raises(InvalidInput, match="does not work in"):
        services.allocate(case, by=officer, officer=outsider)


# -- nothing partial -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"procedure": "no-such-procedure"}, "procedure"),
        ({"subject": "x" * 1_000_000}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"kind": "grumble"}, "kind"),
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"customer": services.CustomerDetails(name=" ")}, "customer.name"),
        ({"received_at": "future"}, "received_at"),
    ],
)
def test_a_refused_case_leaves_nothing_behind(officer, changes, field):
    arguments = {
        "by": officer,
        "kind": "complaint",
        "channel": "email",
        "subject": "Bins",
        "customer": services.CustomerDetails(name="Ann Example"),
        "procedure": "council-3-stage",
    }
    if changes.get("received_at") == "future":
        changes = {"received_at": timezone.now() + timedelta(days=1)}
    arguments.update(changes)
    before = counts()
    with pytest.raises(InvalidInput) as refusal:
        services.create_case(**arguments)
    assert refusal.value.field == field
    assert counts() == before
    # The reference sequence was not consumed either.
    assert make_case().reference.endswith("-000001")


def test_only_roles_that_may_create_cases_can(db):
    performance = make_staff(Role.PERFORMANCE_OFFICER)
    with pytest.raises(NotPermitted, match="may create a case"):
        make_case(by=performance)
