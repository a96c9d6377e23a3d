"""heard demo: a realistic council, reproducible from a seed, consistent with the services."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from heard.cases import deadlines, services
from heard.cases.models import (
    REFERENCE_PREFIXES,
    Case,
    CaseEvent,
    Channel,
    Customer,
    Extension,
    Kind,
    Outcome,
    ReferenceCounter,
    Remedy,
    RemedyKind,
    StageRecord,
    Status,
)
from heard.cases.normalise import email_key
from heard.demo.council import DEFAULT_PASSWORD
from heard.org import access
from heard.org.access import Permission
from heard.org.calendars import organisation_calendar
from heard.org.models import ClosureDay, Organisation, Role, RoleAssignment, Service
from heard.testing import make_staff

TODAY = date(2026, 11, 2)
CASES = 1500  # enough for every kind, channel, status and outcome, and a few stage-3 cases
SEED = 7

# The permission each logged action needs (heard.org.access), or None if the public may do it.
PERMISSION_FOR = {
    "received": Permission.CREATE_CASE,
    "allocated": Permission.ALLOCATE,
    "acknowledged": Permission.ACKNOWLEDGE,
    "extended": Permission.EXTEND,
    "responded": Permission.RESPOND,
    "escalated": Permission.ESCALATE,
    "closed": Permission.CLOSE,
    "linked": Permission.CREATE_CASE,
}


def load(cases: int = CASES, seed: int = SEED, **options: Any) -> str:
    out = StringIO()
    call_command("demo", cases=cases, seed=seed, today=TODAY, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return load()


def start_of_today() -> datetime:
    zone = organisation_calendar().timezone
    return datetime.combine(TODAY, time(0), tzinfo=zone).astimezone(UTC)


def test_the_council_has_its_services_staff_in_every_role_and_a_christmas_closure(demo):
    assert Organisation.objects.get().name == "Borough of Ashdown Council"
    assert Organisation.objects.get().nation == "england-and-wales"
    assert 18 <= Service.objects.count() <= 25
    assert all(service.head_id for service in Service.objects.all())
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(DEFAULT_PASSWORD)
    assert DEFAULT_PASSWORD in demo and "demo only" in demo
    assert ClosureDay.objects.filter(date__year=TODAY.year - 1, date__month=12).exists()


def test_every_kind_channel_status_and_outcome_appears(demo):
    kinds = Counter(Case.objects.values_list("kind", flat=True))
    # General enquiries are recorded at triage; the demo's two years of history predate them.
    assert set(kinds) == set(Kind.values) - {Kind.ENQUIRY}
    assert 0.40 < kinds[Kind.COMPLAINT] / CASES < 0.50
    assert 0.20 < kinds[Kind.SERVICE_REQUEST] / CASES < 0.30
    assert set(Case.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    outcomes = set(StageRecord.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    assert set(Case.objects.values_list("stage_number", flat=True)) == {1, 2, 3}
    assert set(
        Case.objects.filter(kind=Kind.COMPLAINT).values_list(
            "procedure_version__procedure__slug", flat=True
        )
    ) == {"council-3-stage", "hos-code-2024"}
    assert Extension.objects.exists()
    assert Remedy.objects.filter(kind=RemedyKind.FINANCIAL).exists()
    assert StageRecord.objects.exclude(lessons_learned="").exists()
    assert Case.objects.filter(kind=Kind.MP_ENQUIRY, representative_role="mp").exists()
    assert Case.objects.filter(originated_from__kind=Kind.SERVICE_REQUEST).exists()
    # Requests from the service catalogue follow their category's procedure.
    categorised = Case.objects.filter(category__isnull=False).select_related("category")
    assert categorised.exists()
    for case in categorised:
        assert case.kind == Kind.SERVICE_REQUEST
        assert case.category is not None
        assert case.service_id == case.category.service_id
        assert case.procedure_version.procedure_id == case.category.procedure_id
    # Older cases are mostly closed; recent ones are still being worked.
    old = Case.objects.filter(received_at__lt=start_of_today().replace(year=TODAY.year - 1))
    assert old.filter(status=Status.CLOSED).count() / old.count() > 0.95
    recent = Case.objects.filter(received_at__gte=start_of_today() - timedelta(days=14))
    assert recent.exclude(status=Status.CLOSED).count() / recent.count() > 0.3


def test_most_contacts_arrive_in_office_hours_on_working_days(demo):
    calendar = organisation_calendar()
    local = [r.astimezone(calendar.timezone) for r in received_times()]
    office = [t for t in local if t.weekday() < 5 and 8 <= t.hour < 17]
    assert 0.7 < len(office) / len(local) < 0.95


def received_times() -> list[datetime]:
    return list(Case.objects.values_list("received_at", flat=True))


def test_every_case_is_what_the_services_would_have_recorded(demo):
    calendar = organisation_calendar()
    now = start_of_today()
    records: dict[int, list[StageRecord]] = defaultdict(list)
    for record in StageRecord.objects.select_related("stage").order_by("case_id", "number"):
        records[record.case_id].append(record)
    extensions = {e.stage_record_id: e for e in Extension.objects.all()}
    assert len(extensions) == Extension.objects.count()  # at most one per stage
    for case in Case.objects.select_related("stage", "procedure_version"):
        stages = records[case.pk]
        assert [r.number for r in stages] == list(range(1, case.stage_number + 1)), case.reference
        current = stages[-1]
        # The case mirrors its current stage.
        assert case.stage_id == current.stage_id
        assert current.stage.version_id == case.procedure_version_id
        assert case.acknowledge_by == current.acknowledge_by
        assert case.respond_by == (current.extended_to or current.respond_by)
        assert case.acknowledged_at == current.acknowledged_at
        assert case.responded_at == current.responded_at
        expected_status = (
            Status.CLOSED
            if case.closed_at
            else Status.RESPONDED
            if current.responded_at
            else Status.ACKNOWLEDGED
            if current.acknowledged_at
            else Status.RECEIVED
        )
        assert case.status == expected_status, case.reference
        if case.closed_at:
            assert current.responded_at is not None
        assert case.reference.startswith(REFERENCE_PREFIXES[case.kind] + "-")
        assert case.reference.split("-")[1] == str(calendar.local_date(case.received_at).year)

        moments = [case.received_at]
        for record in stages:
            # Deadlines are the ones the vectorised rule gives for this stage.
            timing = deadlines.compute(
                calendar,
                record.stage,
                received_at=case.received_at,
                requested_at=record.requested_at,
                acknowledged_at=record.acknowledged_at,
            )
            assert case.deemed_received == timing.deemed_received
            assert record.deemed_received == timing.stage_deemed_received
            assert record.acknowledge_by == timing.acknowledge_by
            assert record.respond_by == timing.respond_by, case.reference
            # Times in order, all in the past.
            moments += [
                t
                for t in (record.requested_at, record.acknowledged_at, record.responded_at)
                if t is not None
            ]
            if record.number < case.stage_number:
                assert record.responded_at is not None  # escalated only once answered
                assert case.kind == Kind.COMPLAINT
            if record.responded_at and case.kind == Kind.COMPLAINT:
                assert record.outcome
            if record.outcome == Outcome.RESOLVED_AT_FIRST_CONTACT:
                assert record.number == 1
            extension = extensions.get(record.pk)
            assert (extension is not None) == (record.extended_to is not None)
            if extension is not None:
                assert extension.previous_date == record.respond_by
                assert extension.new_date == record.extended_to
                assert extension.new_date > record.respond_by
                assert calendar.is_working_day(extension.new_date)
                limit = calendar.add_working_days(
                    record.respond_by, record.stage.max_extension_days
                )
                assert extension.new_date <= limit
                assert extension.reason
                assert record.requested_at <= extension.at
                if record.acknowledged_at:
                    assert record.acknowledged_at <= extension.at
                if record.responded_at:
                    assert extension.at <= record.responded_at
        if case.closed_at:
            moments.append(case.closed_at)
        assert moments == sorted(moments), case.reference
        assert moments[-1] < now


def test_remedies_are_for_upheld_complaints_and_money_has_an_amount(demo):
    remedies = Remedy.objects.select_related("stage_record")
    assert remedies.exists()
    for remedy in remedies:
        assert remedy.stage_record.outcome in (Outcome.UPHELD, Outcome.PARTLY_UPHELD)
        if remedy.kind == RemedyKind.FINANCIAL:
            assert remedy.amount is not None and remedy.amount > 0
        else:
            assert remedy.amount is None


def test_every_step_is_in_the_action_log_by_someone_allowed_to_take_it(demo):
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.select_related("actor").order_by("at", "id"):
        events[event.case_id].append(event)
    records: dict[int, list[StageRecord]] = defaultdict(list)
    for record in StageRecord.objects.order_by("number"):
        records[record.case_id].append(record)
    extension_count = Counter(Extension.objects.values_list("stage_record__case_id", flat=True))
    users = {u.pk: u for u in get_user_model().objects.all()}
    for case in Case.objects.all():
        log = events[case.pk]
        actions = [e.action for e in log]
        stages = records[case.pk]
        assert actions[0] == "received"
        assert actions.count("received") == 1
        assert actions.count("escalated") == case.stage_number - 1
        assert actions.count("acknowledged") == sum(1 for r in stages if r.acknowledged_at)
        assert actions.count("responded") == sum(1 for r in stages if r.responded_at)
        assert actions.count("extended") == extension_count[case.pk]
        if case.status == Status.CLOSED:
            assert actions[-1] in ("closed", "linked")
        received = log[0]
        first = stages[0]
        assert received.at == case.received_at
        assert received.after["stage"] == 1
        assert received.after["status"] == "received"
        assert received.after["procedure"].startswith(case.procedure_version.procedure.slug)
        assert received.after["deemed_received"] == case.deemed_received.isoformat()
        if first.acknowledged_at is None:
            assert received.after["respond_by"] == first.respond_by.isoformat()
        for event in log:
            if event.action == "acknowledged":
                assert event.before["status"] == "received"
                assert event.after["status"] == "acknowledged"
            if event.action == "responded":
                assert event.after["status"] == "responded"
                assert "remedies" in event.after
            if event.action == "closed":
                assert event.before == {"status": "responded", "closed_at": None}
            if event.actor_id is None:
                # The public: a web contact, or an escalation from the tracking page.
                assert event.action in ("received", "escalated")
                if event.action == "received":
                    assert case.channel == Channel.WEB
                continue
            actor = users[event.actor_id]
            assert access.may(actor, PERMISSION_FOR[event.action]), (event.action, actor)
        for record, event in zip(
            stages, [e for e in log if e.action in ("received", "escalated")], strict=True
        ):
            assert event.at == record.requested_at
            if event.action == "escalated":
                assert event.after["stage_number"] == record.number
                assert record.acknowledge_by is not None
                assert event.after["acknowledge_by"] == record.acknowledge_by.isoformat()


def test_customers_are_synthetic_with_reserved_email_domains(demo):
    domains = {
        email.rsplit("@", 1)[1]
        for email in Customer.objects.exclude(email="").values_list("email", flat=True)
    }
    assert domains <= {"example.org", "example.com", "example.net"}
    assert Customer.objects.count() >= CASES


def test_customers_and_their_cases_carry_the_email_key_save_would_give(demo):
    keys = {}
    for pk, email, key in Customer.objects.values_list("pk", "email", "email_key"):
        assert key == email_key(email), pk
        keys[pk] = key
    assert any(key is None for key in keys.values()) and any(keys.values())
    for reference, customer, key in Case.objects.values_list(
        "reference", "customer_id", "customer_key"
    ):
        assert key == keys[customer], reference


def test_the_same_seed_gives_the_same_cases_and_another_seed_others(db):
    def snapshot(seed: int) -> list[tuple[Any, ...]]:
        with transaction.atomic():
            load(cases=400, seed=seed)
            rows = list(
                Case.objects.order_by("id").values_list(
                    "reference",
                    "subject",
                    "received_at",
                    "status",
                    "stage_number",
                    "respond_by",
                    "closed_at",
                    "customer__name",
                )
            )
            transaction.set_rollback(True)
        return rows

    first = snapshot(11)
    assert len(first) == 400
    assert snapshot(11) == first
    assert snapshot(12) != first


def test_cases_created_after_the_demo_continue_the_references(demo):
    officer = make_staff(Role.COMPLAINTS_TEAM)
    year = organisation_calendar().local_date(datetime.now(UTC)).year
    before = ReferenceCounter.objects.filter(prefix="CMP", year=year).first()
    case = services.create_case(
        by=officer,
        kind=Kind.COMPLAINT,
        channel=Channel.PHONE,
        subject="Still waiting",
        customer=services.CustomerDetails(name="Ann Example"),
    )
    assert Case.objects.filter(reference=case.reference).count() == 1
    expected = (before.last if before else 0) + 1
    assert case.reference == f"CMP-{year}-{expected:06d}"
    for prefix, year_, last in ReferenceCounter.objects.values_list("prefix", "year", "last"):
        used = Case.objects.filter(reference__startswith=f"{prefix}-{year_}-").count()
        assert last == used


def test_if_empty_leaves_an_existing_database_alone(demo):
    before = Case.objects.count()
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert Case.objects.count() == before
    assert "already has cases" in out.getvalue()


def test_a_second_run_adds_cases_whose_references_do_not_collide(demo):
    load(cases=200, seed=SEED + 1)
    assert Case.objects.count() == CASES + 200
    assert Case.objects.values("reference").distinct().count() == CASES + 200
    assert Service.objects.count() == len({s for s in Service.objects.values_list("slug")})


def test_if_empty_loads_an_empty_database(db):
    out = load(cases=50, if_empty=True)
    assert Case.objects.count() == 50
    assert "Loaded 50 cases" in out


def test_closed_complaints_were_rated_after_they_closed_and_upheld_ones_better(demo):
    from heard.portal.models import SurveyResponse

    surveys = list(SurveyResponse.objects.select_related("case"))
    closed = Case.objects.filter(kind=Kind.COMPLAINT, status=Status.CLOSED).count()
    assert 0.08 * closed < len(surveys) < 0.25 * closed
    upheld, not_upheld = [], []
    for survey in surveys:
        case = survey.case
        assert case.kind == Kind.COMPLAINT and case.status == Status.CLOSED
        assert case.closed_at is not None
        assert case.closed_at < survey.submitted_at < start_of_today()
        ratings = (survey.handling, survey.timeliness, survey.outcome, survey.ease_of_contact)
        assert all(1 <= r <= 5 for r in ratings)
        final = case.stage_records.get(number=case.stage_number).outcome
        if final in (Outcome.UPHELD, Outcome.PARTLY_UPHELD):
            upheld.append(survey.outcome)
        elif final == Outcome.NOT_UPHELD:
            not_upheld.append(survey.outcome)
    assert upheld and not_upheld
    assert sum(upheld) / len(upheld) > sum(not_upheld) / len(not_upheld) + 0.5
    assert any(s.comments for s in surveys)


def test_equality_answers_are_by_month_and_kind_only_and_look_like_a_population(demo):
    from heard.equality.models import EqualityResponse

    answers = list(EqualityResponse.objects.all())
    contacts = Case.objects.filter(kind__in=(Kind.COMPLAINT, Kind.SERVICE_REQUEST)).count()
    assert 0.03 * contacts < len(answers) < 0.12 * contacts
    assert {a.contact_kind for a in answers} <= {Kind.COMPLAINT, Kind.SERVICE_REQUEST}
    assert all(a.month.day == 1 and a.month < TODAY for a in answers)
    ethnicity = Counter(a.ethnicity for a in answers)
    assert ethnicity["white"] > len(answers) / 2 and ethnicity["asian"] > 0
    assert ethnicity["prefer_not_to_say"] + ethnicity[""] > 0
    # Nothing ties an answer to a case or a person.
    assert not {f.name for f in EqualityResponse._meta.get_fields()} & {"case", "customer"}


def test_a_second_run_adds_feedback_only_for_its_own_cases(demo):
    from heard.equality.models import EqualityResponse
    from heard.portal.models import SurveyResponse

    before = (SurveyResponse.objects.count(), EqualityResponse.objects.count())
    first_new = Case.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    load(cases=300, seed=SEED + 1)
    assert SurveyResponse.objects.filter(case_id__lt=first_new).count() == before[0]
    assert EqualityResponse.objects.count() >= before[1]
