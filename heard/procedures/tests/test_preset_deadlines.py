"""Every shipped procedure's deadlines at every stage, counted by hand.

October and November 2026 have no English bank holidays; Christmas 2026 falls on a
Friday with Boxing Day substituted on Monday 28 December.
"""

from datetime import UTC, date, datetime

import pytest

from heard.cases import services
from heard.core.errors import InvalidInput
from heard.org.models import Role
from heard.org.services import update_organisation
from heard.testing import make_case, make_staff

MONDAY_5_OCTOBER = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # 10:00 BST: day 0 is 5 October


@pytest.fixture
def officer(db):
    return make_staff(Role.COMPLAINTS_TEAM)


def answer(case, officer, at):
    return services.respond(
        case, by=officer, outcome="not_upheld", summary="No fault found.", at=at
    )


def test_council_three_stage(officer):
    case = make_case(procedure="council-3-stage", received_at=MONDAY_5_OCTOBER)
    # Stage 1: acknowledge within 5 (Mon 12 Oct), respond within 10 (Mon 19 Oct) of receipt.
    assert (case.deemed_received, case.acknowledge_by, case.respond_by) == (
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),
    )
    answer(case, officer, datetime(2026, 10, 16, 10, 0, tzinfo=UTC))
    # Escalation asked for at 18:00 BST on Friday 23 October: after the cut-off, so day 0 is
    # Monday 26 October. Acknowledge by Mon 2 Nov (5); respond by Mon 23 Nov (20).
    case = services.escalate(case, by=officer, at=datetime(2026, 10, 23, 17, 0, tzinfo=UTC))
    assert (case.stage_number, case.acknowledge_by, case.respond_by) == (
        2,
        date(2026, 11, 2),
        date(2026, 11, 23),
    )
    case = services.acknowledge(case, by=officer, at=datetime(2026, 10, 28, 10, 0, tzinfo=UTC))
    assert case.respond_by == date(
        2026, 11, 23
    )  # counted from the request, not the acknowledgement
    answer(case, officer, datetime(2026, 11, 2, 10, 0, tzinfo=UTC))
    # Stage 3 asked for on Monday 9 November: acknowledge by Mon 16 Nov, respond within 20
    # working days of the request: Mon 7 Dec.
    case = services.escalate(case, by=officer, at=datetime(2026, 11, 9, 10, 0, tzinfo=UTC))
    assert (case.stage_number, case.acknowledge_by, case.respond_by) == (
        3,
        date(2026, 11, 16),
        date(2026, 12, 7),
    )
    # An extension of up to 20 working days runs over Christmas Day and the Boxing Day
    # substitute (Monday 28 December) and New Year's Day: Thursday 7 January 2027.
    with pytest.raises(InvalidInput, match="7 January 2027"):
        services.extend(
            case, by=officer, new_date=date(2027, 1, 8), reason="Panel", customer_told_how="letter"
        )
    case = services.extend(
        case, by=officer, new_date=date(2027, 1, 7), reason="Panel", customer_told_how="letter"
    )
    assert case.respond_by == date(2027, 1, 7)


@pytest.mark.parametrize("procedure", ["hos-code-2024", "lgsco-code"])
def test_ombudsman_codes(officer, procedure):
    case = make_case(procedure=procedure, received_at=MONDAY_5_OCTOBER)
    # Stage 1: acknowledge by Mon 12 Oct; until it is sent the response counts from that
    # date: ten working days to Mon 26 Oct.
    assert (case.acknowledge_by, case.respond_by) == (date(2026, 10, 12), date(2026, 10, 26))
    # Acknowledged Wednesday 7 October: the response is due ten working days later, Wed 21 Oct.
    case = services.acknowledge(case, by=officer, at=datetime(2026, 10, 7, 14, 0, tzinfo=UTC))
    assert case.respond_by == date(2026, 10, 21)
    # Extension: at most 10 more working days, to Wednesday 4 November.
    with pytest.raises(InvalidInput, match="4 November 2026"):
        services.extend(
            case, by=officer, new_date=date(2026, 11, 5), reason="Survey", customer_told_how="email"
        )
    case = services.extend(
        case, by=officer, new_date=date(2026, 11, 4), reason="Survey", customer_told_how="email"
    )
    answer(case, officer, datetime(2026, 10, 30, 10, 0, tzinfo=UTC))
    # Stage 2 asked for on Monday 2 November: acknowledge by Mon 9 Nov; the response counts
    # 20 working days from that due date until the acknowledgement is sent: Mon 7 Dec.
    case = services.escalate(case, by=officer, at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC))
    assert (case.acknowledge_by, case.respond_by) == (date(2026, 11, 9), date(2026, 12, 7))
    # Acknowledged on Saturday 7 November: Monday 9 is working day 1, so 20 ends Fri 4 Dec.
    case = services.acknowledge(case, by=officer, at=datetime(2026, 11, 7, 11, 0, tzinfo=UTC))
    assert case.respond_by == date(2026, 12, 4)
    # Extension: at most 20 more working days, over Christmas and New Year: Wed 6 Jan 2027.
    with pytest.raises(InvalidInput, match="6 January 2027"):
        services.extend(
            case, by=officer, new_date=date(2027, 1, 7), reason="Survey", customer_told_how="phone"
        )
    case = services.extend(
        case, by=officer, new_date=date(2027, 1, 6), reason="Survey", customer_told_how="phone"
    )
    assert case.respond_by == date(2027, 1, 6)


def test_spso_model_complaints_handling_procedure(officer):
    case = make_case(procedure="spso-mchp", received_at=MONDAY_5_OCTOBER)
    # Frontline: no acknowledgement target; respond within 5 working days (Mon 12 Oct),
    # extendable to 10 in all (Mon 19 Oct).
    assert (case.acknowledge_by, case.respond_by) == (None, date(2026, 10, 12))
    with pytest.raises(InvalidInput, match="19 October 2026"):
        services.extend(
            case, by=officer, new_date=date(2026, 10, 20), reason="Visit", customer_told_how="phone"
        )
    services.extend(
        case, by=officer, new_date=date(2026, 10, 19), reason="Visit", customer_told_how="phone"
    )
    answer(case, officer, datetime(2026, 10, 13, 10, 0, tzinfo=UTC))
    # Investigation asked for on Wednesday 14 October: acknowledge within 3 (Mon 19 Oct),
    # respond within 20 (Wed 11 Nov).
    case = services.escalate(case, by=officer, at=datetime(2026, 10, 14, 11, 0, tzinfo=UTC))
    assert (case.acknowledge_by, case.respond_by) == (date(2026, 10, 19), date(2026, 11, 11))


def test_spso_in_scotland_skips_st_andrews_day(officer):
    admin = make_staff(Role.ADMINISTRATOR)
    update_organisation(by=admin, nation="scotland")
    # Monday 23 November 2026; Monday 30 November is St Andrew's Day in Scotland.
    case = make_case(procedure="spso-mchp", received_at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert case.respond_by == date(2026, 12, 1)


def test_correspondence_standard(officer):
    case = make_case(
        kind="compliment", procedure="correspondence-standard", received_at=MONDAY_5_OCTOBER
    )
    assert (case.acknowledge_by, case.respond_by) == (date(2026, 10, 12), date(2026, 10, 19))


def test_a_case_without_a_procedure_follows_the_organisations_defaults(officer):
    complaint = make_case(procedure=None, received_at=MONDAY_5_OCTOBER)
    request = make_case(kind="service_request", procedure=None, received_at=MONDAY_5_OCTOBER)
    assert complaint.procedure_version.procedure.slug == "council-3-stage"
    assert request.procedure_version.procedure.slug == "correspondence-standard"
