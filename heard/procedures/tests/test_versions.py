"""Procedures are versioned: a case keeps the version it began under."""

from datetime import UTC, date, datetime

import pytest

from heard.core.errors import InvalidInput
from heard.procedures.models import Procedure, ProcedureVersion, Stage
from heard.procedures.services import define_procedure, draft_from, publish
from heard.testing import make_case

RECEIVED = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_editing_a_procedure_leaves_cases_under_way_on_their_version():
    before = make_case(procedure="council-3-stage", received_at=RECEIVED)
    current = Procedure.objects.get(slug="council-3-stage").current_version()
    draft = draft_from(current)
    Stage.objects.filter(version=draft, number=1).update(respond_days=15)
    publish(draft)

    after = make_case(procedure="council-3-stage", received_at=RECEIVED)
    before.refresh_from_db()
    assert before.procedure_version == current
    assert before.respond_by == date(2026, 10, 19)
    assert after.procedure_version == draft
    assert after.respond_by == date(2026, 10, 26)
    assert draft.number == current.number + 1


@pytest.mark.django_db
def test_an_empty_or_gapped_draft_cannot_be_published():
    procedure = Procedure.objects.create(slug="own", name="Our own")
    empty = ProcedureVersion.objects.create(procedure=procedure, number=1)
    with pytest.raises(InvalidInput, match="no stages"):
        publish(empty)
    Stage.objects.create(
        version=empty, number=2, name="Two", respond_days=10, handler_role="complaints_team"
    )
    with pytest.raises(InvalidInput, match="without gaps"):
        publish(empty)


@pytest.mark.django_db
def test_administrators_can_define_their_own_procedure():
    version = define_procedure(
        slug="university",
        name="University student complaints",
        stages=[
            {"name": "Early resolution", "respond_days": 10, "handler_role": "front_line_officer"},
            {
                "name": "Formal",
                "acknowledge_days": 3,
                "acknowledge_counted_from": "escalation_request",
                "respond_days": 30,
                "respond_counted_from": "escalation_request",
                "max_extension_days": 10,
                "handler_role": "investigating_officer",
            },
        ],
    )
    assert version.is_published
    case = make_case(procedure="university", received_at=RECEIVED)
    assert case.acknowledge_by is None
    assert case.respond_by == date(2026, 10, 19)


@pytest.mark.django_db
def test_a_draft_newer_than_the_published_version_is_not_followed_until_published():
    current = Procedure.objects.get(slug="council-3-stage").current_version()
    draft = draft_from(current)
    Stage.objects.filter(version=draft, number=1).update(respond_days=15)

    case = make_case(procedure="council-3-stage", received_at=RECEIVED)

    assert draft.number > current.number
    assert case.procedure_version == current and case.stage.version == current
    assert case.stage.number == 1
    assert case.respond_by == date(2026, 10, 19)
