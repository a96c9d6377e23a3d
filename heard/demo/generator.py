"""Two years of a council's contacts, generated in bulk and reproducible from a seed.

Each case is simulated the way the lifecycle services would have recorded it: a stage
record per stage reached, deadlines from the one vectorised rule
(:func:`heard.cases.deadlines.compute_many`), times in order, the case's mirror fields
matching its current stage, and an action-log entry for every step. Rows are written in
chunks with COPY (PostgreSQL) or executemany (SQLite), never one save() per case.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max

from heard.cases.deadlines import NO_TARGET, compute_many
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
    RepresentativeRole,
    StageRecord,
    Status,
)
from heard.cases.references import format_reference
from heard.demo.council import FIRST_NAMES, LAST_NAMES, Council, ServiceSpec
from heard.demo.writer import analyse, next_id, reset_sequences, write_rows
from heard.procedures.models import Procedure, Stage
from heard.workdays.engine import Calendar

CHUNK = 20_000

KINDS = [
    (Kind.COMPLAINT, 45),
    (Kind.SERVICE_REQUEST, 25),
    (Kind.DISSATISFACTION, 8),
    (Kind.COMPLIMENT, 8),
    (Kind.COMMENT, 4),
    (Kind.SUGGESTION, 3),
    (Kind.MEMBER_ENQUIRY, 5),
    (Kind.MP_ENQUIRY, 2),
]
CHANNELS = [
    (Channel.WEB, 35),
    (Channel.EMAIL, 25),
    (Channel.PHONE, 25),
    (Channel.LETTER, 5),
    (Channel.IN_PERSON, 5),
    (Channel.SOCIAL_MEDIA, 5),
]
FIRST_STAGE_OUTCOMES = [
    (Outcome.UPHELD, 25),
    (Outcome.PARTLY_UPHELD, 25),
    (Outcome.NOT_UPHELD, 35),
    (Outcome.RESOLVED_AT_FIRST_CONTACT, 8),
    (Outcome.WITHDRAWN, 7),
]
LATER_STAGE_OUTCOMES = [
    (Outcome.UPHELD, 15),
    (Outcome.PARTLY_UPHELD, 20),
    (Outcome.NOT_UPHELD, 60),
    (Outcome.WITHDRAWN, 5),
]
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Victoria Street",
    "Park Avenue",
    "Queens Road",
    "Manor Way",
    "The Green",
    "Orchard Close",
    "Meadow View",
    "King Street",
)
LESSONS = (
    "Crews reminded to report access problems rather than skip the street.",
    "Appointment reminders now sent the day before by text.",
    "Letters rewritten in plain English after this complaint.",
    "Team briefed on returning calls within one working day.",
    "Process changed so that refunds are issued within ten working days.",
    "Inspection checklist updated to include ventilation.",
)
ESCALATION = {1: 0.12, 2: 0.25}


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


@dataclass
class StagePlan:
    id: int
    stage: Stage
    requested_at: datetime
    unresolved: str = ""
    officer_id: int | None = None
    allocated_at: datetime | None = None
    deemed_case: date | None = None
    day0: date | None = None
    acknowledge_by: date | None = None
    respond_by: date | None = None
    acknowledged_at: datetime | None = None
    extension: tuple[datetime, str, date, date, str] | None = None  # at, reason, previous, new, how
    responded_at: datetime | None = None
    outcome: str = ""
    summary: str = ""
    lessons: str = ""
    remedies: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    closed_at: datetime | None = None


@dataclass
class CasePlan:
    id: int
    kind: str
    channel: str
    spec: ServiceSpec
    service_id: int
    procedure_version_id: int
    stages: list[Stage]
    received_at: datetime
    subject: str
    description: str
    customer_id: int
    representative_id: int | None
    representative_role: str
    created_by: int
    reference: str = ""
    plans: list[StagePlan] = field(default_factory=list)


class WorkdayTable:
    """O(1) working-day arithmetic for simulating officers' behaviour (not for deadlines)."""

    def __init__(self, calendar: Calendar, start: date, end: date) -> None:
        self.days = list(calendar.working_days_in(start, end))
        self.position: dict[date, int] = {}
        index = 0
        day = start
        while day <= end:
            while index < len(self.days) and self.days[index] < day:
                index += 1
            self.position[day] = index  # the working day on or after ``day``
            day += timedelta(days=1)

    def shift(self, day: date, working_days: int) -> date:
        index = self.position[day] + working_days
        return self.days[max(0, min(index, len(self.days) - 1))]


class Generator:
    def __init__(
        self,
        *,
        council: Council,
        calendar: Calendar,
        now: datetime,
        seed: int,
        say: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.council = council
        self.calendar = calendar
        self.now = now
        self.today = calendar.local_date(now)
        self.start_day = self.today - timedelta(days=730)
        self.rng = random.Random(seed)
        self.say = say
        self.zone = calendar.timezone
        self.table = WorkdayTable(
            calendar, self.start_day - timedelta(days=10), self.today + timedelta(days=200)
        )
        procedures = {
            p.slug: p.current_version()
            for p in Procedure.objects.filter(
                slug__in=["council-3-stage", "hos-code-2024", "correspondence-standard"]
            )
        }
        self.versions = {
            slug: (v.pk, list(v.stages.order_by("number"))) for slug, v in procedures.items()
        }
        self.counters: dict[tuple[str, int], int] = {
            (c.prefix, c.year): c.last for c in ReferenceCounter.objects.all()
        }
        self.service_weights = [council.specs[s.pk].weight for s in council.services]

    # -- the whole run --------------------------------------------------------------------

    def run(self, total: int) -> int:
        receipt_times = self._receipt_times(total)
        self._make_representatives()
        written = 0
        for first in range(0, total, CHUNK):
            chunk = receipt_times[first : first + CHUNK]
            with transaction.atomic():
                cases = self._plan_chunk(chunk)
                self._write(cases)
            written += len(chunk)
            self.say(f"  {written:,} of {total:,} cases")
        with transaction.atomic():
            self._save_counters()
            reset_sequences(Customer, Case, StageRecord, Extension, Remedy, CaseEvent)
        analyse(Customer, Case, StageRecord, Extension, Remedy, CaseEvent, ReferenceCounter)
        return written

    def _receipt_times(self, total: int) -> list[datetime]:
        """Receipt times over two years, busier on weekdays, in office hours and in late winter."""
        times: list[datetime] = []
        days = (self.today - self.start_day).days
        while len(times) < total:
            day = self.start_day + timedelta(days=self.rng.randrange(days + 1))
            weekend = day.weekday() >= 5
            season = 1.0 + 0.25 * np.cos((day.timetuple().tm_yday - 20) / 365 * 2 * np.pi)
            if self.rng.random() > (0.25 if weekend else 1.0) * season / 1.25:
                continue
            if self.rng.random() < 0.85:
                moment = time(
                    8 + self.rng.randrange(9), self.rng.randrange(60), self.rng.randrange(60)
                )
            else:
                moment = time(
                    17 + self.rng.randrange(6), self.rng.randrange(60), self.rng.randrange(60)
                )
            at = self._utc(day, moment)
            if at < self.now:
                times.append(at)
        times.sort()
        return times

    def _make_representatives(self) -> None:
        self.councillors: list[int] = []
        self.mps: list[int] = []
        first = next_id(Customer)
        rows: list[tuple[Any, ...]] = []
        for i in range(24):
            name = f"Cllr {FIRST_NAMES[i % 20]} {LAST_NAMES[(i * 7) % 20]}"
            rows.append(
                (
                    first + i,
                    name,
                    f"cllr{i}@ashdown.example.gov.uk",
                    "",
                    "Town Hall, Ashdown",
                    "en",
                    "email",
                    [],
                    "",
                    "",
                    self.now,
                )
            )
            self.councillors.append(first + i)
        for j in range(3):
            i = 24 + j
            name = f"{FIRST_NAMES[(j * 3) % 20]} {LAST_NAMES[(j * 11) % 20]} MP"
            rows.append(
                (
                    first + i,
                    name,
                    f"mp{j}@parliament.example.org",
                    "",
                    "House of Commons",
                    "en",
                    "email",
                    [],
                    "",
                    "",
                    self.now,
                )
            )
            self.mps.append(first + i)
        write_rows(
            Customer,
            [
                "id",
                "name",
                "email",
                "phone",
                "address",
                "language",
                "contact_preference",
                "access_formats",
                "access_language",
                "adjustments",
                "created_at",
            ],
            rows,
        )

    # -- planning a chunk -----------------------------------------------------------------

    def _plan_chunk(self, receipt_times: list[datetime]) -> list[CasePlan]:
        rng = self.rng
        case_id, customer_id = next_id(Case), next_id(Customer)
        stage_id = next_id(StageRecord)
        cases: list[CasePlan] = []
        for offset, received_at in enumerate(receipt_times):
            kind = weighted(rng, KINDS)
            service = rng.choices(self.council.services, weights=self.service_weights)[0]
            spec = self.council.specs[service.pk]
            if kind == Kind.COMPLAINT:
                slug = "hos-code-2024" if spec.housing and rng.random() < 0.7 else "council-3-stage"
            else:
                slug = "correspondence-standard"
            version_id, stages = self.versions[slug]
            representative_id, representative_role = None, ""
            channel = weighted(rng, CHANNELS)
            if kind == Kind.MEMBER_ENQUIRY:
                representative_id, representative_role = (
                    rng.choice(self.councillors),
                    RepresentativeRole.ELECTED_MEMBER,
                )
                channel = Channel.VIA_REPRESENTATIVE
            elif kind == Kind.MP_ENQUIRY:
                representative_id, representative_role = rng.choice(self.mps), RepresentativeRole.MP
                channel = Channel.VIA_REPRESENTATIVE
            subject, description = rng.choice(spec.topics)
            cases.append(
                CasePlan(
                    id=case_id + offset,
                    kind=kind,
                    channel=channel,
                    spec=spec,
                    service_id=service.pk,
                    procedure_version_id=version_id,
                    stages=stages,
                    received_at=received_at,
                    subject=self._fill(subject),
                    description=self._fill(description),
                    customer_id=customer_id + offset,
                    representative_id=representative_id,
                    representative_role=representative_role,
                    created_by=rng.choice(self.council.front_line + self.council.complaints_team),
                )
            )
            cases[-1].reference = self._reference(kind, received_at)
        # Stage by stage, all cases at once, so that deadlines come from the vectorised rule.
        active = cases
        for number in (1, 2, 3):
            plans: list[tuple[CasePlan, StagePlan]] = []
            for case in active:
                if number > len(case.stages):
                    continue
                requested = case.received_at if number == 1 else self._escalation_time(case)
                if requested is None:
                    continue
                plan = StagePlan(id=stage_id, stage=case.stages[number - 1], requested_at=requested)
                stage_id += 1
                if number > 1:
                    plan.unresolved = rng.choice(
                        (
                            "",
                            "The customer remains unhappy that the problem is still not fixed.",
                            "The customer does not accept the explanation given and asks for compensation.",
                        )
                    )
                case.plans.append(plan)
                plans.append((case, plan))
            if not plans:
                break
            self._simulate_stage(plans)
            active = [case for case, _ in plans]
        self._customers = self._customer_rows(cases, customer_id)
        return cases

    def _escalation_time(self, case: CasePlan) -> datetime | None:
        last = case.plans[-1] if case.plans else None
        if case.kind != Kind.COMPLAINT or last is None or last.closed_at is None:
            return None
        if last.outcome in (Outcome.WITHDRAWN, Outcome.RESOLVED_AT_FIRST_CONTACT):
            return None
        if self.rng.random() >= ESCALATION.get(last.stage.number, 0):
            return None
        at = last.closed_at + timedelta(days=self.rng.randint(2, 30), hours=self.rng.randint(0, 5))
        return at if at < self.now else None

    def _simulate_stage(self, plans: list[tuple[CasePlan, StagePlan]]) -> None:
        rng = self.rng
        first_pass = self._deadlines(plans)
        for (case, plan), (deemed, day0, ack_by, _) in zip(plans, first_pass, strict=True):
            plan.deemed_case, plan.day0, plan.acknowledge_by = deemed, day0, ack_by
            plan.officer_id = self._officer_for(case, plan)
            allocated = plan.requested_at + timedelta(minutes=rng.randint(20, 300))
            plan.allocated_at = allocated if allocated < self.now else None
            if plan.allocated_at is None:
                plan.officer_id = None
            if ack_by is not None:
                late = rng.random() < 0.07
                day = (
                    self.table.shift(ack_by, rng.randint(1, 4))
                    if late
                    else self.table.shift(max(day0, self._back(ack_by, rng.randint(0, 4))), 0)
                )
                plan.acknowledged_at = self._after(self._office(day), plan.requested_at)
                if plan.acknowledged_at >= self.now:
                    plan.acknowledged_at = None
        second_pass = self._deadlines(plans)
        for (case, plan), (_, _, _, respond_by) in zip(plans, second_pass, strict=True):
            plan.respond_by = respond_by
            due = respond_by
            stage = plan.stage
            start = plan.acknowledged_at or plan.requested_at
            if stage.max_extension_days and rng.random() < 0.06:
                new_date = self.table.shift(respond_by, rng.randint(2, stage.max_extension_days))
                at = self._after(self._office(self._back(respond_by, 2)), start)
                if at < self.now:
                    how = rng.choice((Channel.EMAIL, Channel.PHONE, Channel.LETTER))
                    reason = rng.choice(
                        (
                            "Waiting for the contractor's report.",
                            "The investigating officer is on leave.",
                            "Further information needed from the customer.",
                            "A site visit is needed.",
                        )
                    )
                    plan.extension = (at, reason, respond_by, new_date, how)
                    due = new_date
                    start = at
            late = rng.random() < 0.12
            if late:
                day = self.table.shift(due, rng.randint(1, 8))
            else:
                earliest = self.calendar.local_date(start)
                day = max(self._back(due, rng.randint(0, 6)), self.table.shift(earliest, 0))
            responded = self._after(self._office(day), start)
            if responded >= self.now:
                continue
            plan.responded_at = responded
            plan.outcome, plan.summary = self._outcome(case, plan)
            plan.remedies = self._remedies(plan)
            if plan.outcome in (Outcome.UPHELD, Outcome.PARTLY_UPHELD) and rng.random() < 0.6:
                plan.lessons = rng.choice(LESSONS)
            closed_day = self.table.shift(self.calendar.local_date(responded), rng.randint(0, 3))
            closed = self._after(self._office(closed_day), responded)
            if closed < self.now and rng.random() < 0.97:
                plan.closed_at = closed

    def _deadlines(
        self, plans: list[tuple[CasePlan, StagePlan]]
    ) -> list[tuple[date, date, date | None, date]]:
        def utc(values: list[datetime | None]) -> np.ndarray:
            return np.array(
                [None if v is None else v.astimezone(UTC).replace(tzinfo=None) for v in values],
                dtype="datetime64[us]",
            )

        stages = [plan.stage for _, plan in plans]
        deemed, day0, ack_by, respond_by = compute_many(
            self.calendar,
            received_at=utc([case.received_at for case, _ in plans]),
            requested_at=utc([plan.requested_at for _, plan in plans]),
            acknowledged_at=utc([plan.acknowledged_at for _, plan in plans]),
            acknowledge_days=np.array(
                [NO_TARGET if s.acknowledge_days is None else s.acknowledge_days for s in stages],
                dtype=np.int64,
            ),
            acknowledge_from=np.array([s.acknowledge_counted_from for s in stages]),
            respond_days=np.array([s.respond_days for s in stages], dtype=np.int64),
            respond_from=np.array([s.respond_counted_from for s in stages]),
        )
        return [
            (
                deemed[i].item(),
                day0[i].item(),
                None if np.isnat(ack_by[i]) else ack_by[i].item(),
                respond_by[i].item(),
            )
            for i in range(len(plans))
        ]

    def _officer_for(self, case: CasePlan, plan: StagePlan) -> int:
        rng = self.rng
        if case.kind != Kind.COMPLAINT:
            if case.kind in (Kind.SERVICE_REQUEST, Kind.MEMBER_ENQUIRY, Kind.MP_ENQUIRY):
                return rng.choice(self.council.officers[case.service_id])
            return rng.choice(self.council.front_line)
        role = plan.stage.handler_role
        if role == "head_of_service":
            return self.council.heads[case.service_id]
        if role == "complaints_team":
            return rng.choice(self.council.complaints_team)
        return rng.choice(self.council.officers[case.service_id])

    def _outcome(self, case: CasePlan, plan: StagePlan) -> tuple[str, str]:
        rng = self.rng
        if case.kind == Kind.COMPLAINT:
            outcome = weighted(
                rng, FIRST_STAGE_OUTCOMES if plan.stage.number == 1 else LATER_STAGE_OUTCOMES
            )
        elif case.kind == Kind.DISSATISFACTION:
            outcome = Outcome.RESOLVED_AT_FIRST_CONTACT
        else:
            outcome = ""
        summaries = {
            Outcome.UPHELD: "We have looked into this and agree that our service fell short. We apologise.",
            Outcome.PARTLY_UPHELD: "Some of the points raised were justified and we have put them right.",
            Outcome.NOT_UPHELD: "We have investigated and found the service was delivered as it should have been.",
            Outcome.RESOLVED_AT_FIRST_CONTACT: "Put right when the customer first contacted us.",
            Outcome.WITHDRAWN: "",
            "": "Thank you for contacting us; we have recorded and passed this on.",
        }
        return outcome, summaries[outcome]

    def _remedies(self, plan: StagePlan) -> list[tuple[str, str, Decimal | None]]:
        rng = self.rng
        if plan.outcome not in (Outcome.UPHELD, Outcome.PARTLY_UPHELD):
            return []
        remedies: list[tuple[str, str, Decimal | None]] = []
        if rng.random() < 0.8:
            remedies.append((RemedyKind.APOLOGY, "A written apology.", None))
        if rng.random() < 0.5:
            remedies.append(
                (RemedyKind.ACTION, "The work has been booked and will be completed.", None)
            )
        if rng.random() < (0.2 if plan.stage.number == 1 else 0.45):
            amounts = (
                (25, 50, 75, 100, 150, 250)
                if plan.stage.number == 1
                else (100, 250, 400, 750, 1200)
            )
            remedies.append(
                (
                    RemedyKind.FINANCIAL,
                    "Compensation for time and trouble.",
                    Decimal(rng.choice(amounts)).quantize(Decimal("0.01")),
                )
            )
        return remedies

    def _customer_rows(self, cases: list[CasePlan], first_id: int) -> list[tuple[Any, ...]]:
        rng = self.rng
        rows: list[tuple[Any, ...]] = []
        for i, case in enumerate(cases):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            domain = rng.choice(("example.org", "example.com", "example.net"))
            email = (
                f"{first}.{last}{rng.randint(1, 999)}@{domain}".lower()
                if rng.random() < 0.8
                else ""
            )
            phone = f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.6 else ""
            address = f"{rng.randint(1, 180)} {rng.choice(STREETS)}, Ashdown AS{rng.randint(1, 9)} {rng.randint(1, 9)}XY"
            preference = "email" if email else "phone" if phone else "letter"
            rows.append(
                (
                    first_id + i,
                    f"{first} {last}",
                    email,
                    phone,
                    address,
                    "en",
                    preference,
                    [],
                    "",
                    "",
                    case.received_at,
                )
            )
        return rows

    # -- writing a chunk ------------------------------------------------------------------

    def _write(self, cases: list[CasePlan]) -> None:
        write_rows(
            Customer,
            [
                "id",
                "name",
                "email",
                "phone",
                "address",
                "language",
                "contact_preference",
                "access_formats",
                "access_language",
                "adjustments",
                "created_at",
            ],
            self._customers,
        )
        write_rows(
            Case,
            [
                "id",
                "reference",
                "kind",
                "channel",
                "procedure_version_id",
                "stage_id",
                "stage_number",
                "status",
                "subject",
                "description",
                "customer_id",
                "representative_id",
                "representative_role",
                "service_id",
                "assigned_officer_id",
                "originated_from_id",
                "received_at",
                "deemed_received",
                "acknowledge_by",
                "respond_by",
                "acknowledged_at",
                "responded_at",
                "closed_at",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            (self._case_row(case) for case in cases),
        )
        write_rows(
            StageRecord,
            [
                "id",
                "case_id",
                "stage_id",
                "number",
                "requested_at",
                "deemed_received",
                "unresolved",
                "acknowledge_by",
                "respond_by",
                "extended_to",
                "acknowledged_at",
                "responded_at",
                "responded_by_id",
                "outcome",
                "response_summary",
                "lessons_learned",
            ],
            (
                (
                    p.id,
                    case.id,
                    p.stage.pk,
                    p.stage.number,
                    p.requested_at,
                    p.day0,
                    p.unresolved,
                    p.acknowledge_by,
                    p.respond_by,
                    p.extension[3] if p.extension else None,
                    p.acknowledged_at,
                    p.responded_at,
                    p.officer_id if p.responded_at else None,
                    p.outcome,
                    p.summary if p.responded_at else "",
                    p.lessons,
                )
                for case in cases
                for p in case.plans
            ),
        )
        extension_id = next_id(Extension)
        extensions = [(case, p) for case in cases for p in case.plans if p.extension]
        write_rows(
            Extension,
            [
                "id",
                "stage_record_id",
                "at",
                "by_id",
                "reason",
                "previous_date",
                "new_date",
                "customer_told_at",
                "customer_told_how",
            ],
            (
                (
                    extension_id + i,
                    p.id,
                    p.extension[0],
                    p.officer_id,
                    p.extension[1],
                    p.extension[2],
                    p.extension[3],
                    p.extension[0],
                    p.extension[4],
                )
                for i, (case, p) in enumerate(extensions)
                if p.extension
            ),
        )
        remedy_id = next_id(Remedy)
        remedies = [(p.id, r) for case in cases for p in case.plans for r in p.remedies]
        write_rows(
            Remedy,
            ["id", "stage_record_id", "kind", "description", "amount"],
            (
                (remedy_id + i, stage_record, r[0], r[1], r[2])
                for i, (stage_record, r) in enumerate(remedies)
            ),
        )
        event_id = next_id(CaseEvent)
        write_rows(
            CaseEvent,
            [
                "id",
                "case_id",
                "action",
                "at",
                "recorded_at",
                "actor_id",
                "summary",
                "before",
                "after",
            ],
            ((event_id + i, *event) for i, event in enumerate(self._events(cases))),
        )

    def _case_row(self, case: CasePlan) -> tuple[Any, ...]:
        current = case.plans[-1]
        status = (
            Status.CLOSED
            if current.closed_at
            else Status.RESPONDED
            if current.responded_at
            else Status.ACKNOWLEDGED
            if current.acknowledged_at
            else Status.RECEIVED
        )
        respond_by = current.extension[3] if current.extension else current.respond_by
        last_change = max(
            t
            for t in (
                current.requested_at,
                current.acknowledged_at,
                current.responded_at,
                current.closed_at,
            )
            if t
        )
        return (
            case.id,
            case.reference,
            case.kind,
            case.channel,
            case.procedure_version_id,
            current.stage.pk,
            current.stage.number,
            status,
            case.subject,
            case.description,
            case.customer_id,
            case.representative_id,
            case.representative_role,
            case.service_id,
            current.officer_id,
            None,
            case.received_at,
            case.plans[0].deemed_case,
            current.acknowledge_by,
            respond_by,
            current.acknowledged_at,
            current.responded_at,
            current.closed_at,
            case.created_by,
            case.received_at,
            last_change,
        )

    def _events(self, cases: list[CasePlan]) -> Iterator[tuple[Any, ...]]:
        """The action log, shaped as the lifecycle services write it."""
        for case in cases:
            officer_names = self.council.usernames
            for p in case.plans:
                stage = p.stage
                if stage.number == 1:
                    yield (
                        case.id,
                        "received",
                        case.received_at,
                        case.received_at,
                        case.created_by,
                        f"{Kind(case.kind).label} received by {Channel(case.channel).label.lower()}.",
                        {},
                        {
                            "stage": 1,
                            "status": "received",
                            "deemed_received": _iso(p.deemed_case),
                            "acknowledge_by": _iso(p.acknowledge_by),
                            "respond_by": _iso(p.respond_by),
                            "service": case.spec.slug,
                        },
                    )
                else:
                    yield (
                        case.id,
                        "escalated",
                        p.requested_at,
                        p.requested_at,
                        self.rng.choice(self.council.complaints_team),
                        f"Escalated to stage {stage.number} ({stage.name}).",
                        {"stage_number": stage.number - 1, "status": "closed"},
                        {
                            "stage_number": stage.number,
                            "status": "received",
                            "acknowledge_by": _iso(p.acknowledge_by),
                            "respond_by": _iso(p.respond_by),
                            "unresolved": p.unresolved,
                            "assigned_officer": None,
                        },
                    )
                if p.allocated_at and p.officer_id:
                    who = officer_names.get(p.officer_id, "")
                    yield (
                        case.id,
                        "allocated",
                        p.allocated_at,
                        p.allocated_at,
                        self.rng.choice(self.council.complaints_team),
                        f"Allocated to {case.spec.name} and {who}.",
                        {"service": case.spec.slug, "assigned_officer": None},
                        {"service": case.spec.slug, "assigned_officer": who},
                    )
                if p.acknowledged_at:
                    yield (
                        case.id,
                        "acknowledged",
                        p.acknowledged_at,
                        p.acknowledged_at,
                        p.officer_id,
                        f"Stage {stage.number} acknowledged.",
                        {"status": "received"},
                        {
                            "status": "acknowledged",
                            "acknowledged_at": p.acknowledged_at.isoformat(),
                            "respond_by": _iso(p.respond_by),
                        },
                    )
                if p.extension:
                    at, reason, previous, new, how = p.extension
                    yield (
                        case.id,
                        "extended",
                        at,
                        at,
                        p.officer_id,
                        f"Response date moved to {new:%d %B %Y}: {reason} (customer told by {Channel(how).label.lower()}).",
                        {"respond_by": _iso(previous)},
                        {
                            "respond_by": _iso(new),
                            "reason": reason,
                            "customer_told_how": how,
                            "customer_told_at": at.isoformat(),
                        },
                    )
                if p.responded_at:
                    label = f": {Outcome(p.outcome).label.lower()}" if p.outcome else ""
                    yield (
                        case.id,
                        "responded",
                        p.responded_at,
                        p.responded_at,
                        p.officer_id,
                        f"Stage {stage.number} answered{label}.",
                        {"status": "acknowledged" if p.acknowledged_at else "received"},
                        {
                            "status": "responded",
                            "responded_at": p.responded_at.isoformat(),
                            "outcome": p.outcome,
                            "remedies": [
                                {"kind": k, "description": d, "amount": str(a) if a else None}
                                for k, d, a in p.remedies
                            ],
                            "lessons_learned": p.lessons,
                        },
                    )
                if p.closed_at:
                    yield (
                        case.id,
                        "closed",
                        p.closed_at,
                        p.closed_at,
                        p.officer_id,
                        "Case closed.",
                        {"status": "responded"},
                        {"status": "closed", "closed_at": p.closed_at.isoformat(), "note": ""},
                    )

    # -- helpers --------------------------------------------------------------------------

    def _reference(self, kind: str, received_at: datetime) -> str:
        prefix = REFERENCE_PREFIXES[kind]
        year = self.calendar.local_date(received_at).year
        number = self.counters.get((prefix, year), 0) + 1
        self.counters[(prefix, year)] = number
        return format_reference(prefix, year, number)

    def _save_counters(self) -> None:
        for (prefix, year), last in self.counters.items():
            counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
            if counter.last < last:
                ReferenceCounter.objects.filter(pk=counter.pk).update(last=last)

    def _fill(self, text: str) -> str:
        rng = self.rng
        return text.format(
            bin=rng.choice(("green", "black", "blue", "brown")),
            day=rng.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
            street=rng.choice(STREETS),
            number=rng.randint(1, 180),
            weeks=rng.randint(2, 6),
        )

    def _utc(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone).astimezone(UTC)

    def _office(self, day: date) -> datetime:
        rng = self.rng
        return self._utc(day, time(9 + rng.randrange(8), rng.randrange(60), rng.randrange(60)))

    def _after(self, at: datetime, earliest: datetime) -> datetime:
        """``at``, or shortly after ``earliest`` if ``at`` would come before it."""
        if at > earliest:
            return at
        return earliest + timedelta(minutes=self.rng.randint(10, 120))

    def _back(self, day: date, working_days: int) -> date:
        """The working day ``working_days`` before ``day`` (``day`` is a working day)."""
        return self.table.shift(day, -working_days)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def highest_case_id() -> int:
    return Case.objects.aggregate(top=Max("id"))["top"] or 0
