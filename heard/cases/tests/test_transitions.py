"""Every lifecycle step, from every status: allowed ones work, refused ones say why and change nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from heard.cases import services
from heard.cases.lifecycle import ALLOWED_FROM, Step
from heard.cases.models import Case, CaseEvent, StageRecord, Status
from heard.core.errors import InvalidInput, TransitionNotAllowed
from heard.org.models import Role
from heard.testing import make_case, make_staff

RECEIVED = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # Monday 5 October 2026, 10:00 BST


def moment(days: int, hours: int = 0) -> datetime:
    return RECEIVED + timedelta(days=days, hours=hours)


def case_in(status: str, officer) -> Case:
    case = make_case(received_at=RECEIVED)
    if status == Status.RECEIVED:
        return case
    case = services.acknowledge(case, by=officer, at=moment(1))
    if status == Status.ACKNOWLEDGED:
        return case
    case = services.respond(
        case, by=officer, outcome="not_upheld", summary="We found no fault.", at=moment(7)
    )
    if status == Status.RESPONDED:
        return case
    return services.close(case, by=officer, at=moment(8))


def take(step: Step, case: Case, officer, other_case: Case | None = None) -> Case:
    """Take ``step`` with valid input, so that only the transition rule can refuse it."""
    if step is Step.ACKNOWLEDGE:
        return services.acknowledge(case, by=officer, at=moment(9))
    if step is Step.ALLOCATE:
        return services.allocate(case, by=officer, officer=officer, at=moment(9))
    if step is Step.EXTEND:
        return services.extend(
            case,
            by=officer,
            new_date=date(2026, 10, 26),
            reason="Awaiting a contractor's report.",
            customer_told_how="email",
            at=moment(9),
        )
    if step is Step.RESPOND:
        return services.respond(
            case, by=officer, outcome="upheld", summary="We got it wrong.", at=moment(9)
        )
    if step is Step.ESCALATE:
        return services.escalate(case, by=officer, at=moment(10))
    if step is Step.CLOSE:
        return services.close(case, by=officer, at=moment(10))
    if step is Step.REOPEN:
        return services.reopen(case, by=officer, reason="Closed by mistake.", at=moment(10))
    assert other_case is not None
    return services.link_to_complaint(other_case, by=officer, complaint=case)


PAIRS = [(step, status) for step in Step if step is not Step.LINK for status in Status.values]


@pytest.mark.django_db
@pytest.mark.parametrize(("step", "status"), PAIRS, ids=[f"{s.value}-from-{t}" for s, t in PAIRS])
def test_each_step_is_allowed_exactly_from_the_statuses_in_the_table(step, status):
    officer = make_staff(Role.COMPLAINTS_TEAM)
    case = case_in(status, officer)
    events = CaseEvent.objects.filter(case=case).count()
    if status in ALLOWED_FROM[step]:
        take(step, case, officer)
        assert CaseEvent.objects.filter(case=case).count() == events + 1
        return
    snapshot = Case.objects.filter(pk=case.pk).values().get()
    with pytest.raises(TransitionNotAllowed) as refusal:
        take(step, case, officer)
    assert refusal.value.message.endswith(".")
    assert len(refusal.value.message) > 20
    assert Case.objects.filter(pk=case.pk).values().get() == snapshot
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.django_db
def test_acknowledging_a_closed_case_is_refused_with_the_reason(complaints_officer):
    case = case_in(Status.CLOSED, complaints_officer)
    with pytest.raises(TransitionNotAllowed, match="A closed case cannot be acknowledged"):
        services.acknowledge(case, by=complaints_officer)


@pytest.mark.django_db
def test_escalating_beyond_the_final_stage_points_to_the_ombudsman(complaints_officer):
    case = make_case(procedure="hos-code-2024", received_at=RECEIVED)
    case = services.respond(
        case, by=complaints_officer, outcome="not_upheld", summary="No fault.", at=moment(3)
    )
    case = services.escalate(case, by=complaints_officer, at=moment(5))
    case = services.respond(
        case, by=complaints_officer, outcome="not_upheld", summary="No fault.", at=moment(9)
    )
    with pytest.raises(TransitionNotAllowed, match="ombudsman"):
        services.escalate(case, by=complaints_officer, at=moment(10))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["compliment", "service_request", "comment", "mp_enquiry"])
def test_only_complaints_are_escalated(complaints_officer, kind):
    case = make_case(kind=kind, procedure=None, received_at=RECEIVED)
    case = services.respond(case, by=complaints_officer, summary="Thank you.", at=moment(2))
    with pytest.raises(TransitionNotAllowed, match="Only complaints"):
        services.escalate(case, by=complaints_officer, at=moment(3))


@pytest.mark.django_db
def test_escalation_keeps_the_history_and_records_only_what_remains(complaints_officer):
    case = make_case(received_at=RECEIVED)
    services.allocate(case, by=complaints_officer, officer=complaints_officer, at=moment(0, 1))
    services.acknowledge(case, by=complaints_officer, at=moment(1))
    services.respond(
        case, by=complaints_officer, outcome="partly_upheld", summary="Partly.", at=moment(7)
    )
    case = services.escalate(
        case, by=complaints_officer, unresolved="Still no apology.", at=moment(9)
    )
    assert case.stage_number == 2
    assert case.status == Status.RECEIVED
    assert case.assigned_officer is None
    stages = list(StageRecord.objects.filter(case=case).order_by("number"))
    assert [s.number for s in stages] == [1, 2]
    assert stages[0].outcome == "partly_upheld"
    assert stages[1].unresolved == "Still no apology."
    assert stages[1].outcome == ""
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["received", "allocated", "acknowledged", "responded", "escalated"]


@pytest.mark.django_db
def test_reopening_sets_a_new_response_date_and_keeps_the_old_outcome_in_the_log(
    complaints_officer,
):
    case = case_in(Status.CLOSED, complaints_officer)
    case = services.reopen(case, by=complaints_officer, reason="The customer sent new evidence.")
    assert case.status == Status.ACKNOWLEDGED
    assert case.closed_at is None and case.responded_at is None
    assert case.respond_by > timezone.now().date()
    reopened = CaseEvent.objects.filter(case=case, action="reopened").get()
    assert reopened.before["outcome"] == "not_upheld"


@pytest.mark.django_db
def test_a_service_request_is_linked_to_the_complaint_it_became(complaints_officer):
    request = make_case(kind="service_request", procedure=None, received_at=RECEIVED)
    complaint = make_case(received_at=moment(20))
    services.link_to_complaint(request, by=complaints_officer, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.originated_from == request
    assert CaseEvent.objects.filter(case=request, action="linked").exists()
    assert CaseEvent.objects.filter(case=complaint, action="linked").exists()
    with pytest.raises(InvalidInput, match="already linked"):
        services.link_to_complaint(
            make_case(kind="service_request", procedure=None),
            by=complaints_officer,
            complaint=complaint,
        )
    with pytest.raises(InvalidInput, match="cannot become another complaint"):
        services.link_to_complaint(make_case(), by=complaints_officer, complaint=make_case())


@pytest.mark.django_db
def test_a_complaint_can_be_created_from_the_request_it_grew_out_of(complaints_officer):
    request = make_case(kind="service_request", procedure=None, received_at=RECEIVED)
    complaint = services.create_case(
        by=complaints_officer,
        kind="complaint",
        channel="phone",
        subject="Light still out",
        customer=services.CustomerDetails(name="Ann Example"),
        originated_from=request,
    )
    assert complaint.originated_from == request
    assert list(request.became.all()) == [complaint]
