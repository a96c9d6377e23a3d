"""Who sees which cases and who may do what: role and service rules, in one place."""

from datetime import UTC, datetime

import pytest

from heard.cases import services
from heard.core.errors import NotFound, NotPermitted
from heard.org import access
from heard.org.models import Role
from heard.procedures.services import define_procedure
from heard.testing import make_case, make_service, make_staff

RECEIVED = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(db):
    waste = make_service(slug="waste", name="Waste")
    parking = make_service(slug="parking", name="Parking")
    central = make_staff(Role.COMPLAINTS_TEAM, username="central")
    cases = {
        "waste": make_case(by=central, service=waste, received_at=RECEIVED),
        "parking": make_case(by=central, service=parking, received_at=RECEIVED),
        "unallocated": make_case(by=central, received_at=RECEIVED),
    }
    return waste, parking, central, cases


def refs(user) -> set[str]:
    return set(access.visible_cases(user).values_list("reference", flat=True))


@pytest.mark.parametrize(
    "role", [Role.COMPLAINTS_TEAM, Role.ADMINISTRATOR, Role.PERFORMANCE_OFFICER]
)
def test_central_roles_see_every_case(world, role):
    *_, cases = world
    assert refs(make_staff(role)) == {c.reference for c in cases.values()}


@pytest.mark.parametrize(
    "role", [Role.INVESTIGATING_OFFICER, Role.HEAD_OF_SERVICE, Role.FRONT_LINE_OFFICER]
)
def test_service_roles_see_only_their_services_cases(world, role):
    waste, _, _, cases = world
    assert refs(make_staff(role, services=[waste])) == {cases["waste"].reference}


def test_an_officer_also_sees_a_case_allocated_to_them(world):
    waste, _parking, central, cases = world
    investigator = make_staff(Role.INVESTIGATING_OFFICER, services=[waste])
    services.allocate(cases["unallocated"], by=central, officer=investigator)
    assert refs(investigator) == {cases["waste"].reference, cases["unallocated"].reference}


def test_a_front_line_officer_sees_the_contacts_they_logged(world):
    waste, _, _, cases = world
    front_line = make_staff(Role.FRONT_LINE_OFFICER, services=[waste])
    logged = make_case(by=front_line, received_at=RECEIVED)
    assert refs(front_line) == {cases["waste"].reference, logged.reference}


def test_a_panel_member_sees_only_cases_at_a_stage_the_panel_handles(world):
    _, _, central, _ = world
    define_procedure(
        slug="with-panel",
        name="With a panel",
        stages=[
            {
                "name": "Response",
                "acknowledge_days": 5,
                "respond_days": 10,
                "handler_role": "investigating_officer",
            },
            {
                "name": "Panel",
                "acknowledge_days": 5,
                "acknowledge_counted_from": "escalation_request",
                "respond_days": 20,
                "respond_counted_from": "escalation_request",
                "handler_role": "panel_member",
            },
        ],
    )
    panel_member = make_staff(Role.PANEL_MEMBER)
    case = make_case(by=central, procedure="with-panel", received_at=RECEIVED)
    assert refs(panel_member) == set()
    services.respond(
        case,
        by=central,
        outcome="not_upheld",
        summary="No fault.",
        at=datetime(2026, 10, 8, tzinfo=UTC),
    )
    services.escalate(case, by=central, at=datetime(2026, 10, 9, tzinfo=UTC))
    assert refs(panel_member) == {case.reference}
    services.respond(case, by=panel_member, outcome="upheld", summary="The panel upholds it.")


@pytest.mark.parametrize("role", [Role.EQUALITY_OFFICER, None])
def test_equality_officers_and_people_without_a_role_see_no_case(world, role):
    user = make_staff(role) if role else make_staff()
    assert refs(user) == set()


def test_a_disabled_account_sees_nothing(world):
    *_, _cases = world
    user = make_staff(Role.COMPLAINTS_TEAM)
    user.is_active = False
    user.save()
    assert refs(user) == set()


def test_a_case_out_of_sight_is_not_found(world):
    waste, _, _, cases = world
    investigator = make_staff(Role.INVESTIGATING_OFFICER, services=[waste])
    with pytest.raises(NotFound):
        access.access_case(investigator, cases["parking"].reference)
    assert access.access_case(investigator, cases["waste"].reference.lower()) == cases["waste"]


def test_permission_refusals_name_who_may(world):
    waste, _, central, cases = world
    performance = make_staff(Role.PERFORMANCE_OFFICER)
    with pytest.raises(NotPermitted, match="complaints team"):
        services.acknowledge(cases["waste"], by=performance)
    investigator = make_staff(Role.INVESTIGATING_OFFICER, services=[waste])
    services.respond(cases["waste"], by=central, outcome="upheld", summary="Sorry.")
    services.close(cases["waste"], by=central)
    with pytest.raises(NotPermitted, match="may reopen"):
        services.reopen(cases["waste"], by=investigator, reason="Why not")


def test_a_front_line_officer_resolves_at_first_contact_but_does_not_answer_later_stages(world):
    waste, _, _central, cases = world
    front_line = make_staff(Role.FRONT_LINE_OFFICER, services=[waste])
    with pytest.raises(NotPermitted, match="investigating officer"):
        services.respond(cases["waste"], by=front_line, outcome="upheld", summary="Sorry.")
    services.respond(
        cases["waste"],
        by=front_line,
        outcome="resolved_at_first_contact",
        summary="Collected today.",
    )
    services.escalate(cases["waste"], by=front_line)
    with pytest.raises(NotPermitted):
        services.respond(cases["waste"], by=front_line, outcome="upheld", summary="Sorry.")


def test_a_head_of_service_answers_for_investigating_officers_and_allocates_only_in_their_services(
    world,
):
    waste, parking, _central, cases = world
    head = make_staff(Role.HEAD_OF_SERVICE, services=[waste])
    services.respond(cases["waste"], by=head, outcome="partly_upheld", summary="Partly.")
    with pytest.raises(NotPermitted, match="services you belong to"):
        services.allocate(cases["waste"], by=head, service=parking)
