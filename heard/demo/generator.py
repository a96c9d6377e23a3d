"""Two years of a council's contacts, simulated in bulk and reproducible from a seed.

Each case is what the lifecycle services (:mod:`heard.cases.services`) would have left
behind had officers worked it step by step: a stage record per stage reached, deadlines
from the one vectorised rule (:func:`heard.cases.deadlines.compute_many`) on the
organisation's calendar, times in order, the case's mirror fields equal to its current
stage, extensions within the stage's limit, remedies, and an action-log entry shaped like
the service's for every step, by a member of staff whose role allows it.

Cases are made a chunk at a time with numpy: every chunk draws all its cases' steps at
once, stage by stage, and is written in one transaction with explicit primary keys
(:mod:`heard.demo.writer`). Only the text of rows is put together in Python.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction

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
from heard.cases.normalise import email_key, phone_digits, postcode_in
from heard.cases.references import format_reference
from heard.demo import content
from heard.demo.council import Council
from heard.demo.people import People
from heard.demo.volumes import (
    CHANNELS,
    KINDS,
    VIA_REPRESENTATIVE,
    WEB,
    LocalClock,
    arrivals,
)
from heard.demo.writer import analyse, next_id, reset_sequences, write_rows
from heard.org.models import Role
from heard.procedures.models import Procedure
from heard.workdays.engine import Calendar

CHUNK = 20_000
HISTORY_DAYS = 730

Times = npt.NDArray[np.datetime64]  # datetime64[s], naive UTC
Days = npt.NDArray[np.datetime64]  # datetime64[D]
Ints = npt.NDArray[np.int64]

NAT = np.datetime64("NaT", "s")
NAT_DAY = np.datetime64("NaT", "D")
MINUTE = np.timedelta64(60, "s")

COMPLAINT, REQUEST, DISSATISFACTION, COMPLIMENT, COMMENT, SUGGESTION, MEMBER, MP = range(8)
QUICK_KINDS = (COMPLIMENT, COMMENT, SUGGESTION)

OUTCOMES: tuple[str, ...] = (
    "",
    Outcome.UPHELD,
    Outcome.PARTLY_UPHELD,
    Outcome.NOT_UPHELD,
    Outcome.RESOLVED_AT_FIRST_CONTACT,
    Outcome.WITHDRAWN,
)
NONE, UPHELD, PARTLY, NOT_UPHELD, FIRST_CONTACT, WITHDRAWN = range(len(OUTCOMES))
FIRST_STAGE_OUTCOMES = (
    [UPHELD, PARTLY, NOT_UPHELD, FIRST_CONTACT, WITHDRAWN],
    [0.22, 0.26, 0.38, 0.08, 0.06],
)
LATER_STAGE_OUTCOMES = {
    2: ([UPHELD, PARTLY, NOT_UPHELD, WITHDRAWN], [0.14, 0.22, 0.58, 0.06]),
    3: ([UPHELD, PARTLY, NOT_UPHELD, WITHDRAWN], [0.10, 0.20, 0.66, 0.04]),
}
# Chance that the customer takes an answered complaint to the next stage, by its outcome.
ESCALATION = {
    1: {UPHELD: 0.04, PARTLY: 0.12, NOT_UPHELD: 0.20},
    2: {UPHELD: 0.06, PARTLY: 0.15, NOT_UPHELD: 0.25},
}
# Who handles a stage: the stage's handler role, as a code (see Generator._officers).
FRONT_LINE, INVESTIGATOR, HEAD, CENTRAL, PANEL = range(5)
ROLE_CODES = {
    Role.FRONT_LINE_OFFICER: FRONT_LINE,
    Role.INVESTIGATING_OFFICER: INVESTIGATOR,
    Role.HEAD_OF_SERVICE: HEAD,
    Role.COMPLAINTS_TEAM: CENTRAL,
    Role.PANEL_MEMBER: PANEL,
    Role.ADMINISTRATOR: CENTRAL,
    Role.PERFORMANCE_OFFICER: CENTRAL,
    Role.EQUALITY_OFFICER: CENTRAL,
}
# Roles that may extend and close (heard.org.access.GRANTS); others' cases are done centrally.
MAY_EXTEND_AND_CLOSE = (INVESTIGATOR, HEAD, CENTRAL)
LATE_BY_SERVICE = {
    "housing-repairs": 0.08,
    "adult-social-care": 0.05,
    "childrens-social-care": 0.05,
}
AMOUNTS = {
    1: np.array([25, 50, 50, 75, 100, 100, 150, 200, 250]),
    2: np.array([100, 150, 200, 250, 300, 400, 500, 750]),
    3: np.array([250, 300, 500, 750, 1000, 1500]),
}


@dataclass
class ProcedureTable:
    """The stages of the procedures the demo uses, as arrays indexed [procedure, stage number]."""

    slugs: list[str]
    version_ids: Ints
    labels: list[str]  # "council-3-stage v1", as the received event names it
    stage_count: Ints
    stage_id: Ints
    acknowledge_days: Ints
    acknowledge_from: npt.NDArray[np.str_]
    respond_days: Ints
    respond_from: npt.NDArray[np.str_]
    max_extension: Ints
    role: Ints
    names: list[list[str]]

    @classmethod
    def load(cls, slugs: list[str]) -> ProcedureTable:
        versions = [Procedure.objects.get(slug=slug).current_version() for slug in slugs]
        stages = [list(v.stages.order_by("number")) for v in versions]
        width = max(len(s) for s in stages) + 1
        shape = (len(slugs), width)
        table = cls(
            slugs=slugs,
            version_ids=np.array([v.pk for v in versions]),
            labels=[f"{v.procedure.slug} v{v.number}" for v in versions],
            stage_count=np.array([len(s) for s in stages]),
            stage_id=np.zeros(shape, dtype=np.int64),
            acknowledge_days=np.full(shape, NO_TARGET, dtype=np.int64),
            acknowledge_from=np.full(shape, "receipt", dtype="<U20"),
            respond_days=np.zeros(shape, dtype=np.int64),
            respond_from=np.full(shape, "receipt", dtype="<U20"),
            max_extension=np.zeros(shape, dtype=np.int64),
            role=np.zeros(shape, dtype=np.int64),
            names=[[""] * width for _ in slugs],
        )
        for p, procedure_stages in enumerate(stages):
            for number, stage in enumerate(procedure_stages, start=1):
                table.stage_id[p, number] = stage.pk
                if stage.acknowledge_days is not None:
                    table.acknowledge_days[p, number] = stage.acknowledge_days
                table.acknowledge_from[p, number] = stage.acknowledge_counted_from
                table.respond_days[p, number] = stage.respond_days
                table.respond_from[p, number] = stage.respond_counted_from
                table.max_extension[p, number] = stage.max_extension_days
                table.role[p, number] = ROLE_CODES[Role(stage.handler_role)]
                table.names[p][number] = stage.name
        return table


@dataclass
class StageRun:
    """One stage for the cases of a chunk that reached it; arrays are parallel to ``case``."""

    number: int
    case: Ints  # index into the chunk
    requested: Times
    escalated_by: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    came_from: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # previous run
    unresolved: list[str] = field(default_factory=list)
    ids: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    deemed_case: Days = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    day0: Days = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    acknowledge_by: Days = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    first_respond_by: Days = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    respond_by: Days = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    officer: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    role: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    allocated: Times = field(default_factory=lambda: np.zeros(0, dtype="datetime64[s]"))
    allocated_by: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    acknowledged: Times = field(default_factory=lambda: np.zeros(0, dtype="datetime64[s]"))
    acknowledged_by: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    extended: Times = field(default_factory=lambda: np.zeros(0, dtype="datetime64[s]"))
    extended_by: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    extended_to: Days = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    extension_reason: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    customer_told_how: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    responded: Times = field(default_factory=lambda: np.zeros(0, dtype="datetime64[s]"))
    outcome: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    closed: Times = field(default_factory=lambda: np.zeros(0, dtype="datetime64[s]"))
    closed_by: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    closing_note: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    summaries: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    remedies: list[list[tuple[str, str, Decimal | None]]] = field(default_factory=list)

    def status(self) -> npt.NDArray[np.object_]:
        return np.select(
            [~np.isnat(self.closed), ~np.isnat(self.responded), ~np.isnat(self.acknowledged)],
            [Status.CLOSED.value, Status.RESPONDED.value, Status.ACKNOWLEDGED.value],
            default=Status.RECEIVED.value,
        ).astype(object)

    def due(self) -> Days:
        return np.where(np.isnat(self.extended_to), self.respond_by, self.extended_to)


@dataclass
class Chunk:
    """The cases of one chunk, as parallel arrays and lists."""

    ids: Ints
    received: Times
    service: Ints
    kind: Ints
    channel: Ints
    procedure: Ints
    created_by: Ints  # 0: the public, on the web
    category: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    references: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    customer_ids: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    representative_ids: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    representative_roles: list[str] = field(default_factory=list)
    representative_names: list[str] = field(default_factory=list)
    originated_from: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    stages: list[StageRun] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)  # (request index, complaint index)


class Generator:
    """Makes and writes the demo cases; the same seed and day give the same cases."""

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
        self.now = np.datetime64(now.astimezone(UTC).replace(tzinfo=None), "s")
        self.today = calendar.local_date(now)
        self.first_day = self.today - timedelta(days=HISTORY_DAYS)
        self.rng = np.random.default_rng(seed)
        self.people = People(seed)
        self.say = say
        self.busdays = np.busdaycalendar(
            weekmask="1111100", holidays=np.array(calendar.non_working_days, dtype="datetime64[D]")
        )
        self.clock = LocalClock(
            calendar.timezone, self.first_day - timedelta(days=5), self.today + timedelta(days=400)
        )
        self.specs = content.SERVICES
        self.service_ids = np.array([s.pk for s in council.services])
        self.service_slugs = [s.slug for s in council.services]
        self.procedures = ProcedureTable.load(
            [
                *sorted({spec.procedure for spec in self.specs}),
                "correspondence-standard",
                *sorted({procedure for _, procedure in council.categories.values()}),
            ]
        )
        # Service requests from the catalogue follow their category's own procedure.
        self.categories = {
            slug: (category_id, self.procedures.slugs.index(procedure))
            for slug, (category_id, procedure) in council.categories.items()
        }
        correspondence = self.procedures.slugs.index("correspondence-standard")
        self.complaint_procedure = np.array(
            [self.procedures.slugs.index(spec.procedure) for spec in self.specs]
        )
        self.correspondence_procedure = correspondence
        self.staff = {
            FRONT_LINE: np.array(council.front_line),
            CENTRAL: np.array(council.complaints_team),
            PANEL: np.array(council.panel),
        }
        self.investigators = np.array(council.investigating_officers)
        self.heads = np.array(council.heads)
        self.usernames = council.usernames
        self.counters: dict[tuple[str, int], int] = {
            (c.prefix, c.year): c.last for c in ReferenceCounter.objects.all()
        }

    # -- the whole run --------------------------------------------------------------------

    def run(self, total: int) -> int:
        contacts = arrivals(
            self.rng,
            total,
            first_day=self.first_day,
            days=HISTORY_DAYS,
            services=self.specs,
            busdays=self.busdays,
            clock=self.clock,
        )
        written = 0
        for first in range(0, total, CHUNK):
            part = slice(first, first + CHUNK)
            chunk = self._plan(
                contacts.received[part],
                contacts.service[part],
                contacts.kind[part],
                contacts.channel[part],
            )
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # A demo load need not wait for each chunk to reach the disk.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                self._write(chunk)
                self._save_counters()
                reset_sequences(Customer, Case, StageRecord, Extension, Remedy, CaseEvent)
            written += len(chunk.ids)
            self.say(f"  {written:,} of {total:,} cases written")
        analyse(Customer, Case, StageRecord, Extension, Remedy, CaseEvent, ReferenceCounter)
        return written

    # -- one chunk ------------------------------------------------------------------------

    def _plan(self, received: Times, service: Ints, kind: Ints, channel: Ints) -> Chunk:
        rng = self.rng
        n = len(received)
        complaint = kind == COMPLAINT
        procedure = np.where(
            complaint, self.complaint_procedure[service], self.correspondence_procedure
        )
        created_by = np.select(
            [
                channel == WEB,
                np.isin(
                    channel, [CHANNELS.index(Channel.PHONE), CHANNELS.index(Channel.IN_PERSON)]
                ),
                channel == VIA_REPRESENTATIVE,
            ],
            [0, self._pick(FRONT_LINE, n), self._pick(CENTRAL, n)],
            default=np.where(
                rng.random(n) < 0.5, self._pick(FRONT_LINE, n), self._pick(CENTRAL, n)
            ),
        )
        chunk = Chunk(
            ids=next_id(Case) + np.arange(n),
            received=received,
            service=service,
            kind=kind,
            channel=channel,
            procedure=procedure,
            created_by=created_by,
            category=np.zeros(n, dtype=np.int64),
        )
        self._people(chunk)
        self._texts(chunk)
        self._references(chunk)

        # Stage by stage, every case at once, so deadlines come from the vectorised rule.
        run = StageRun(number=1, case=np.arange(n), requested=received)
        run.escalated_by = np.zeros(n, dtype=np.int64)
        run.unresolved = [""] * n
        while True:
            self._simulate(chunk, run)
            chunk.stages.append(run)
            if run.number == 1:
                self._link_to_requests(chunk, run)
            self._answers(chunk, run)
            following = self._escalations(chunk, run)
            if following is None:
                break
            run = following
        first_stage_record = next_id(StageRecord)
        for stage in chunk.stages:
            stage.ids = first_stage_record + np.arange(len(stage.case))
            first_stage_record += len(stage.case)
        return chunk

    def _pick(self, role: int, size: int) -> Ints:
        staff = self.staff[role]
        return staff[self.rng.integers(len(staff), size=size)]

    def _people(self, chunk: Chunk) -> None:
        rng = self.rng
        n = len(chunk.ids)
        roles = np.full(n, "", dtype=object)
        roles[chunk.kind == MEMBER] = RepresentativeRole.ELECTED_MEMBER.value
        roles[chunk.kind == MP] = RepresentativeRole.MP.value
        helped = (chunk.kind == COMPLAINT) & (rng.random(n) < 0.03)
        roles[helped] = np.where(
            rng.random(int(helped.sum())) < 0.7,
            RepresentativeRole.RELATIVE.value,
            RepresentativeRole.ADVOCATE.value,
        )
        self.customers = self.people.customers(rng, n)
        represented = np.flatnonzero(roles != "")
        self.representatives, names = self.people.representatives(
            rng, [str(r) for r in roles[represented]]
        )
        first = next_id(Customer)
        chunk.customer_ids = first + np.arange(n)
        chunk.representative_ids = np.zeros(n, dtype=np.int64)
        chunk.representative_ids[represented] = first + n + np.arange(len(represented))
        chunk.representative_roles = [str(r) for r in roles]
        chunk.representative_names = [""] * n
        for i, name in zip(represented.tolist(), names, strict=True):
            chunk.representative_names[i] = name
        chunk.originated_from = np.zeros(n, dtype=np.int64)

    def _texts(self, chunk: Chunk) -> None:
        rng = self.rng
        n = len(chunk.ids)
        topic = rng.integers(1_000_000, size=n).tolist()
        street = rng.integers(len(self.people.streets), size=n).tolist()
        number = rng.integers(1, 181, size=n).tolist()
        weekday = rng.integers(5, size=n).tolist()
        colour = rng.integers(4, size=n).tolist()
        weeks = rng.integers(2, 9, size=n).tolist()
        days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
        colours = ("green", "black", "blue", "brown")
        services, kinds = chunk.service.tolist(), chunk.kind.tolist()
        for i in range(n):
            spec = self.specs[services[i]]
            k = kinds[i]
            topics = (
                spec.requests
                if k == REQUEST
                else spec.compliments
                if k == COMPLIMENT
                else spec.ideas
                if k in (COMMENT, SUGGESTION)
                else spec.complaints
            )
            subject, description = topics[topic[i] % len(topics)]
            if k == REQUEST and subject in content.REQUEST_CATEGORIES:
                category = self.categories.get(content.REQUEST_CATEGORIES[subject])
                if category is not None:
                    chunk.category[i], chunk.procedure[i] = category
            values = {
                "street": self.people.streets[street[i]],
                "number": number[i],
                "day": days[weekday[i]],
                "bin": colours[colour[i]],
                "weeks": weeks[i],
            }
            subject = subject.format(**values)
            description = description.format(**values)
            if k in (MEMBER, MP):
                who = "a resident" if k == MEMBER else "a constituent"
                description = (
                    f"{chunk.representative_names[i]} writes on behalf of {who}: {description}"
                )
            chunk.subjects.append(subject[:200])
            chunk.descriptions.append(description)

    def _references(self, chunk: Chunk) -> None:
        years = self.calendar.local_times(chunk.received).astype("datetime64[Y]").astype(np.int64)
        for k, year in zip(chunk.kind.tolist(), (years + 1970).tolist(), strict=True):
            prefix = REFERENCE_PREFIXES[KINDS[k]]
            number = self.counters.get((prefix, year), 0) + 1
            self.counters[(prefix, year)] = number
            chunk.references.append(format_reference(prefix, year, number))

    # -- one stage ------------------------------------------------------------------------

    def _simulate(self, chunk: Chunk, run: StageRun) -> None:
        """Draw what happened at this stage, in the order the services allow it."""
        rng = self.rng
        m = len(run.case)
        number = run.number
        case = run.case
        kind = chunk.kind[case]
        service = chunk.service[case]
        procedure = chunk.procedure[case]
        complaint = kind == COMPLAINT
        quick = np.isin(kind, QUICK_KINDS)

        # Outcome first: a contact resolved at first contact is handled differently.
        outcome = np.zeros(m, dtype=np.int64)
        if number == 1:
            choices, weights = FIRST_STAGE_OUTCOMES
            outcome[complaint] = rng.choice(choices, size=int(complaint.sum()), p=weights)
            dissatisfied = kind == DISSATISFACTION
            outcome[dissatisfied] = np.where(
                rng.random(int(dissatisfied.sum())) < 0.95, FIRST_CONTACT, WITHDRAWN
            )
        else:
            choices, weights = LATER_STAGE_OUTCOMES[min(number, 3)]
            outcome = rng.choice(choices, size=m, p=weights)
        first_contact = outcome == FIRST_CONTACT

        # Who handles it: the stage's handler role; other kinds of contact go to the front
        # line, and member and MP enquiries to the head of service.
        role = self.procedures.role[procedure, number]
        if number == 1:
            role = np.where(
                complaint, role, np.where(np.isin(kind, (MEMBER, MP)), HEAD, FRONT_LINE)
            )
        officer = self._officers(role, service)
        creator = chunk.created_by[case]
        front_line_creator = np.isin(creator, self.staff[FRONT_LINE])
        officer = np.where(
            first_contact,
            np.where(front_line_creator, creator, self._pick(FRONT_LINE, m)),
            officer,
        )
        role = np.where(first_contact, FRONT_LINE, role)

        deadlines = self._deadlines(chunk, run, procedure, np.full(m, NAT))
        run.deemed_case, run.day0, run.acknowledge_by, run.first_respond_by = deadlines
        day0 = run.day0

        # Allocation to the officer, on the day of receipt or soon after.
        allocated = self._later(
            self._office(self._shift(day0, rng.choice([0, 0, 0, 1, 1, 2], size=m))), run.requested
        )
        allocated = np.where(first_contact, NAT, allocated)

        # Acknowledgement, mostly within the target, some late; a compliment is often
        # answered without one, and a contact put right at once needs none.
        ack_days = self.procedures.acknowledge_days[procedure, number]
        on_time = np.minimum(rng.choice(6, size=m, p=[0.3, 0.3, 0.15, 0.12, 0.08, 0.05]), ack_days)
        on_time = np.where(chunk.channel[case] == WEB, np.minimum(on_time, 1), on_time)
        late = rng.random(m) < 0.06
        offset = np.where(late, ack_days + rng.integers(1, 7, size=m), on_time)
        acknowledged = self._later(
            self._office(self._shift(day0, np.maximum(offset, 0))), run.requested
        )
        no_acknowledgement = (
            first_contact | (ack_days == NO_TARGET) | (quick & (rng.random(m) < 0.5))
        )
        acknowledged = np.where(no_acknowledgement, NAT, acknowledged)
        # Not acknowledged yet: nothing after it has happened either.
        waiting = ~np.isnat(acknowledged) & (acknowledged >= self.now)
        acknowledged = np.where(waiting, NAT, acknowledged)
        acknowledged_by = np.where(
            ~np.isnat(allocated) & (acknowledged >= allocated) & (role != PANEL),
            officer,
            self._pick(CENTRAL, m),
        )
        run.acknowledged = acknowledged
        run.respond_by = self._deadlines(chunk, run, procedure, acknowledged)[3]

        # Work starts once the case is allocated and acknowledged.
        start = np.where(np.isnat(acknowledged), run.requested, acknowledged)
        start = np.where(np.isnat(allocated), start, np.maximum(start, allocated))

        # Extension: with a reason, agreed with the customer, within the stage's limit.
        limit = self.procedures.max_extension[procedure, number]
        chance = np.where(complaint, 0.08 if number == 1 else 0.14, 0.03)
        extend = (limit > 0) & ~first_contact & ~quick & ~waiting & (rng.random(m) < chance)
        extended = self._later(
            self._office(
                np.maximum(
                    self._shift(run.respond_by, -rng.integers(1, 4, size=m)), self._day(start)
                )
            ),
            start,
        )
        extend &= extended < self.now
        run.extended = np.where(extend, extended, NAT)
        longer_by = rng.integers(np.clip(limit, 1, 3), np.maximum(limit, 1) + 1)
        run.extended_to = np.where(extend, self._shift(run.respond_by, longer_by), NAT_DAY)
        run.extended_by = np.where(
            np.isin(role, MAY_EXTEND_AND_CLOSE), officer, self._pick(CENTRAL, m)
        )
        run.extension_reason = rng.integers(len(content.EXTENSION_REASONS), size=m)
        run.customer_told_how = rng.choice(
            [CHANNELS.index(c) for c in (Channel.EMAIL, Channel.PHONE, Channel.LETTER)],
            size=m,
            p=[0.6, 0.3, 0.1],
        )
        start = np.where(extend, np.maximum(start, extended), start)

        # The response: most before the (extended) due date, some late.
        due = run.due()
        late_chance = np.where(complaint, 0.10 if number == 1 else 0.15, 0.08)
        late_chance = (
            late_chance
            + np.array(
                [LATE_BY_SERVICE.get(self.specs[s].slug, 0.0) for s in range(len(self.specs))]
            )[service]
        )
        late_chance = np.where(quick, 0.03, late_chance)
        late = rng.random(m) < late_chance
        early_by = np.minimum(rng.geometric(0.25, size=m) - 1, 15)
        answer_day = np.where(
            late,
            self._shift(due, np.minimum(rng.geometric(0.3, size=m), 25)),
            self._shift(due, -early_by),
        )
        answer_day = np.where(quick, self._shift(day0, rng.integers(0, 4, size=m)), answer_day)
        answer_day = self._shift(np.maximum(answer_day, self._day(start)), 0)
        responded = self._later(self._office(answer_day), start)
        # Put right at first contact: within the hour if it came in during office hours.
        local_received = self.calendar.local_times(run.requested)
        hour_received = local_received - local_received.astype("datetime64[D]")
        in_hours = (
            (self._day(run.requested) == day0)
            & (hour_received >= np.timedelta64(8, "h"))
            & (hour_received < np.timedelta64(16, "h"))
        )
        at_once = run.requested + rng.integers(3, 50, size=m) * MINUTE
        responded = np.where(
            first_contact,
            np.where(in_hours, at_once, self._later(self._office(day0), run.requested)),
            responded,
        )
        stuck = ~first_contact & ~quick & (rng.random(m) < 0.003)
        responded = np.where(waiting | stuck | (responded >= self.now), NAT, responded)
        run.responded = responded
        answered = ~np.isnat(responded)

        # Closing, by whoever may close it, a few days after the response.
        close_day = self._shift(
            self._day(np.where(answered, responded, run.requested)),
            np.where(
                quick | first_contact,
                rng.integers(0, 2, size=m),
                rng.choice(4, size=m, p=[0.45, 0.3, 0.15, 0.1]),
            ),
        )
        closed = self._later(self._office(close_day), np.where(answered, responded, run.requested))
        stays_open = rng.random(m) < 0.015
        run.closed = np.where(answered & ~stays_open & (closed < self.now), closed, NAT)
        run.closed_by = np.where(
            np.isin(role, MAY_EXTEND_AND_CLOSE), officer, self._pick(CENTRAL, m)
        )
        run.closing_note = rng.integers(len(content.CLOSING_NOTES), size=m)

        run.officer = officer
        run.role = role
        run.allocated = np.where(~np.isnat(allocated) & (allocated < self.now), allocated, NAT)
        run.allocated_by = self._pick(CENTRAL, m)
        run.acknowledged_by = acknowledged_by
        run.outcome = np.where(answered, outcome, NONE)

    def _officers(self, role: Ints, service: Ints) -> Ints:
        m = len(role)
        investigator = self.investigators[
            service, self.rng.integers(self.investigators.shape[1], size=m)
        ]
        return np.select(
            [role == INVESTIGATOR, role == HEAD, role == FRONT_LINE, role == PANEL],
            [investigator, self.heads[service], self._pick(FRONT_LINE, m), self._pick(PANEL, m)],
            default=self._pick(CENTRAL, m),
        )

    def _deadlines(
        self, chunk: Chunk, run: StageRun, procedure: Ints, acknowledged: Times
    ) -> tuple[Days, Days, Days, Days]:
        number = run.number
        deemed, day0, acknowledge_by, respond_by = compute_many(
            self.calendar,
            received_at=chunk.received[run.case].astype("datetime64[us]"),
            requested_at=run.requested.astype("datetime64[us]"),
            acknowledged_at=acknowledged.astype("datetime64[us]"),
            acknowledge_days=self.procedures.acknowledge_days[procedure, number],
            acknowledge_from=self.procedures.acknowledge_from[procedure, number],
            respond_days=self.procedures.respond_days[procedure, number],
            respond_from=self.procedures.respond_from[procedure, number],
        )
        return deemed, day0, acknowledge_by, respond_by

    def _answers(self, chunk: Chunk, run: StageRun) -> None:
        """The words of each response: summary, remedies and lessons learned."""
        rng = self.rng
        m = len(run.case)
        pick = rng.integers(1_000_000, size=(m, 6)).tolist()
        draws = rng.random((m, 5)).tolist()
        cases, outcomes = run.case.tolist(), run.outcome.tolist()
        answered = (~np.isnat(run.responded)).tolist()
        services, kinds = chunk.service.tolist(), chunk.kind.tolist()
        for j in range(m):
            i = cases[j]
            outcome = outcomes[j]
            if not answered[j]:
                run.summaries.append("")
                run.lessons.append("")
                run.remedies.append([])
                continue
            spec = self.specs[services[i]]
            k = kinds[i]
            put_right = spec.put_right[pick[j][0] % len(spec.put_right)]
            key = (
                OUTCOMES[outcome]
                if outcome != NONE
                else {
                    REQUEST: "service_request",
                    COMPLIMENT: "compliment",
                    COMMENT: "comment",
                    SUGGESTION: "suggestion",
                }.get(k, "enquiry")
            )
            templates = content.RESPONSES[key]
            run.summaries.append(
                templates[pick[j][1] % len(templates)].format(
                    topic=chunk.subjects[i][:1].lower() + chunk.subjects[i][1:],
                    put_right=put_right,
                    put_right_lower=put_right[:1].lower() + put_right[1:],
                    team=spec.teams[pick[j][2] % len(spec.teams)].lower(),
                    service=spec.name,
                    representative=chunk.representative_names[i] or "the customer",
                )
            )
            remedies: list[tuple[str, str, Decimal | None]] = []
            lessons = ""
            if outcome in (UPHELD, PARTLY):
                if draws[j][0] < 0.8:
                    apology = content.APOLOGIES[pick[j][3] % len(content.APOLOGIES)]
                    remedies.append((RemedyKind.APOLOGY.value, apology, None))
                if draws[j][1] < 0.55:
                    remedies.append((RemedyKind.ACTION.value, put_right, None))
                housing = spec.procedure == "hos-code-2024"
                chance = (0.15 if run.number == 1 else 0.35) + (0.15 if housing else 0.0)
                if draws[j][2] < chance:
                    amounts = AMOUNTS[min(run.number, 3)]
                    amount = Decimal(int(amounts[pick[j][4] % len(amounts)])).quantize(
                        Decimal("0.01")
                    )
                    reason = content.FINANCIAL[pick[j][5] % len(content.FINANCIAL)]
                    remedies.append((RemedyKind.FINANCIAL.value, reason, amount))
                if draws[j][3] < 0.03:
                    other = content.OTHER_REMEDIES[pick[j][5] % len(content.OTHER_REMEDIES)]
                    remedies.append((RemedyKind.OTHER.value, other, None))
                if not remedies:
                    remedies.append((RemedyKind.APOLOGY.value, content.APOLOGIES[1], None))
                if draws[j][4] < 0.6:
                    lessons = spec.lessons[pick[j][2] % len(spec.lessons)]
            run.lessons.append(lessons)
            run.remedies.append(remedies)

    def _escalations(self, chunk: Chunk, run: StageRun) -> StageRun | None:
        """The complaints whose customers remain unhappy, as the next stage's run."""
        rng = self.rng
        m = len(run.case)
        stages = self.procedures.stage_count[chunk.procedure[run.case]]
        chance = np.zeros(m)
        for outcome, p in ESCALATION.get(min(run.number, 2), {}).items():
            chance[run.outcome == outcome] = p
        answered = ~np.isnat(run.responded)
        going = (
            (chunk.kind[run.case] == COMPLAINT)
            & answered
            & (run.number < stages)
            & (rng.random(m) < chance)
        )
        after = np.where(np.isnat(run.closed), run.responded, run.closed)
        wait = rng.integers(1, 36, size=m)
        local_hour = np.where(
            rng.random(m) < 0.7, rng.integers(9, 17, size=m), rng.integers(17, 23, size=m)
        )
        local = (self._day(after) + wait.astype("timedelta64[D]")).astype("datetime64[s]") + (
            local_hour * 3600 + rng.integers(3600, size=m)
        ).astype("timedelta64[s]")
        by_customer = rng.random(m) < 0.35  # from their tracking page, at any time
        escalated_by = np.where(by_customer, 0, self._pick(CENTRAL, m))
        when = np.where(
            by_customer,
            self.clock.to_utc(local),
            self._office(self._shift(self._day(after) + wait.astype("timedelta64[D]"), 0)),
        )
        requested = self._later(when, after)
        going &= requested < self.now
        if not going.any():
            return None
        chosen = np.flatnonzero(going)
        following = StageRun(
            number=run.number + 1, case=run.case[chosen], requested=requested[chosen]
        )
        following.escalated_by = escalated_by[chosen]
        following.came_from = chosen
        unresolved = rng.integers(len(content.UNRESOLVED), size=len(chosen))
        following.unresolved = [content.UNRESOLVED[u] for u in unresolved]
        return following

    def _link_to_requests(self, chunk: Chunk, run: StageRun) -> None:
        """Some complaints grow out of an earlier service request that was not put right."""
        rng = self.rng
        requests: dict[int, tuple[list[np.datetime64], list[int]]] = {}
        answered_requests = np.flatnonzero((chunk.kind == REQUEST) & ~np.isnat(run.responded))
        answered_requests = answered_requests[
            np.argsort(run.responded[answered_requests], kind="stable")
        ]
        for i in answered_requests.tolist():
            times, indices = requests.setdefault(int(chunk.service[i]), ([], []))
            times.append(run.responded[i])
            indices.append(i)
        local_days = self._day(chunk.received)
        used: set[int] = set()
        candidates = np.flatnonzero(
            (chunk.kind == COMPLAINT)
            & (chunk.created_by != 0)  # staff record the link; the web form cannot
            & (run.outcome != FIRST_CONTACT)
            & (rng.random(len(chunk.ids)) < 0.06)
        )
        for c in candidates.tolist():
            found = requests.get(int(chunk.service[c]))
            if not found:
                continue
            times, indices = found
            received = chunk.received[c]
            last = bisect_left(times, received - np.timedelta64(1, "D")) - 1
            first = bisect_left(times, received - np.timedelta64(60, "D"))
            options = [indices[x] for x in range(first, last + 1) if indices[x] not in used]
            if not options:
                continue
            r = options[int(rng.integers(len(options)))]
            used.add(r)
            chunk.originated_from[c] = chunk.ids[r]
            chunk.links.append((r, c))
            for column in self.customers.values():
                column[c] = column[r]
            reported: date = local_days[r].item()
            chunk.subjects[c] = f"Still not done: {chunk.subjects[r]}"[:200]
            chunk.descriptions[c] = (
                f"I reported this on {reported:%d %B %Y} (reference {chunk.references[r]}) "
                f"and was told it had been dealt with, but it has not. {chunk.descriptions[r]}"
            )

    # -- time helpers ---------------------------------------------------------------------

    def _shift(self, days: Days, working_days: Any) -> Days:
        """The working day ``working_days`` after (or before) each day, from the next working day."""
        return np.busday_offset(
            days.astype("datetime64[D]"), working_days, roll="forward", busdaycal=self.busdays
        )

    def _day(self, times: Times) -> Days:
        """The local date of each UTC time."""
        return self.calendar.local_times(times).astype("datetime64[D]")

    def _office(self, days: Days) -> Times:
        """A time during office hours (09:00-17:00 local) on each day."""
        seconds = 9 * 3600 + self.rng.integers(8 * 3600, size=len(days))
        local = days.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
        return self.clock.to_utc(local)

    def _later(self, times: Times, earliest: Times) -> Times:
        """Each time, or a little after ``earliest`` where it would come before it."""
        nudge = earliest + self.rng.integers(5, 121, size=len(times)) * MINUTE
        return np.where(times > earliest, times, nudge)

    # -- writing --------------------------------------------------------------------------

    def _write(self, chunk: Chunk) -> None:
        customers = self.customers
        n = len(chunk.ids)
        people = {name: customers[name] + self.representatives[name] for name in customers}
        # Rows are written directly, so the normalised columns save() keeps are filled here,
        # and the cases' copies of their customers' email keys (the first n are the customers).
        people["postcode"] = [postcode_in(str(address)) for address in people["address"]]
        people["phone_digits"] = [phone_digits(str(phone)) for phone in people["phone"]]
        people["email_key"] = [email_key(str(email)) for email in people["email"]]
        write_rows(
            Customer,
            {
                "id": np.concatenate(
                    [chunk.customer_ids, chunk.representative_ids[chunk.representative_ids > 0]]
                ),
                **people,
                "created_at": np.concatenate(
                    [chunk.received, chunk.received[chunk.representative_ids > 0]]
                ),
            },
        )
        # Where each case's current stage is: (run, position in the run).
        run_of = np.zeros(n, dtype=np.int64)
        position = np.zeros(n, dtype=np.int64)
        for s, stage in enumerate(chunk.stages):
            run_of[stage.case] = s
            position[stage.case] = np.arange(len(stage.case))

        def mirror(values: list[npt.NDArray[Any]]) -> npt.NDArray[Any]:
            result = values[0].copy()
            for s in range(1, len(values)):
                here = run_of == s
                result[here] = values[s][position[here]]
            return result

        stages = chunk.stages
        events = self._events(chunk)
        updated = chunk.received.copy()
        np.maximum.at(updated, events["case_index"], events["at"])
        status = mirror([s.status() for s in stages])
        officer = mirror([np.where(np.isnat(s.allocated), 0, s.officer) for s in stages])
        number = mirror([np.full(len(s.case), s.number) for s in stages])
        write_rows(
            Case,
            {
                "id": chunk.ids,
                "reference": chunk.references,
                "kind": [KINDS[k] for k in chunk.kind],
                "channel": [CHANNELS[c] for c in chunk.channel],
                "procedure_version_id": self.procedures.version_ids[chunk.procedure],
                "stage_id": self.procedures.stage_id[chunk.procedure, number],
                "stage_number": number,
                "status": list(status),
                "subject": chunk.subjects,
                "description": chunk.descriptions,
                "customer_id": chunk.customer_ids,
                "customer_key": people["email_key"][:n],
                "representative_id": chunk.representative_ids,
                "representative_role": chunk.representative_roles,
                "service_id": self.service_ids[chunk.service],
                "assigned_officer_id": officer,
                "category_id": chunk.category,
                "originated_from_id": chunk.originated_from,
                "received_at": chunk.received,
                "deemed_received": chunk.stages[0].deemed_case,
                "acknowledge_by": mirror([s.acknowledge_by for s in stages]),
                "respond_by": mirror([s.due() for s in stages]),
                "acknowledged_at": mirror([s.acknowledged for s in stages]),
                "responded_at": mirror([s.responded for s in stages]),
                "closed_at": mirror([s.closed for s in stages]),
                "created_by_id": chunk.created_by,
                "created_at": chunk.received,
                "updated_at": updated,
            },
        )
        for stage in chunk.stages:
            procedure = chunk.procedure[stage.case]
            answered = ~np.isnat(stage.responded)
            write_rows(
                StageRecord,
                {
                    "id": stage.ids,
                    "case_id": chunk.ids[stage.case],
                    "stage_id": self.procedures.stage_id[procedure, stage.number],
                    "number": np.full(len(stage.case), stage.number),
                    "requested_at": stage.requested,
                    "deemed_received": stage.day0,
                    "unresolved": stage.unresolved,
                    "acknowledge_by": stage.acknowledge_by,
                    "respond_by": stage.respond_by,
                    "extended_to": stage.extended_to,
                    "acknowledged_at": stage.acknowledged,
                    "responded_at": stage.responded,
                    "responded_by_id": np.where(answered, stage.officer, 0),
                    "outcome": [OUTCOMES[o] for o in stage.outcome],
                    "response_summary": stage.summaries,
                    "lessons_learned": stage.lessons,
                    "case_kind": [KINDS[k] for k in chunk.kind[stage.case]],
                    "case_channel": [CHANNELS[c] for c in chunk.channel[stage.case]],
                    "case_service_id": self.service_ids[chunk.service[stage.case]],
                },
            )
            extended = np.flatnonzero(~np.isnat(stage.extended))
            write_rows(
                Extension,
                {
                    "id": next_id(Extension) + np.arange(len(extended)),
                    "stage_record_id": stage.ids[extended],
                    "at": stage.extended[extended],
                    "by_id": stage.extended_by[extended],
                    "reason": [
                        content.EXTENSION_REASONS[r] for r in stage.extension_reason[extended]
                    ],
                    "previous_date": stage.respond_by[extended],
                    "new_date": stage.extended_to[extended],
                    "customer_told_at": stage.extended[extended],
                    "customer_told_how": [CHANNELS[c] for c in stage.customer_told_how[extended]],
                },
            )
            owners = [stage.ids[j] for j, remedies in enumerate(stage.remedies) for _ in remedies]
            flat = [r for remedies in stage.remedies for r in remedies]
            write_rows(
                Remedy,
                {
                    "id": next_id(Remedy) + np.arange(len(flat)),
                    "stage_record_id": np.array(owners, dtype=np.int64),
                    "kind": [r[0] for r in flat],
                    "description": [r[1] for r in flat],
                    "amount": [None if r[2] is None else str(r[2]) for r in flat],
                },
            )
        order = np.lexsort((events["rank"], events["at"]))
        write_rows(
            CaseEvent,
            {
                "id": next_id(CaseEvent) + np.arange(len(order)),
                "case_id": chunk.ids[events["case_index"][order]],
                "action": [events["action"][x] for x in order],
                "at": events["at"][order],
                "recorded_at": events["at"][order],
                "actor_id": events["actor"][order],
                "summary": [events["summary"][x] for x in order],
                "before": [events["before"][x] for x in order],
                "after": [events["after"][x] for x in order],
            },
        )

    def _events(self, chunk: Chunk) -> dict[str, Any]:
        """The action log of the chunk, each entry shaped as the service that writes it.

        Built one kind of step at a time over all the cases that took it; the JSON of
        ``before`` and ``after`` is put together from pieces already encoded, which is
        several times faster than a dict and json.dumps per entry.
        """
        parts: list[tuple[Any, ...]] = []
        q = json.dumps
        slugs = [q(slug) for slug in self.service_slugs]
        users = {pk: q(name) for pk, name in self.usernames.items()}
        kind_labels = [Kind(k).label for k in KINDS]
        channel_labels = [Channel(c).label.lower() for c in CHANNELS]
        reasons = [q(r) for r in content.EXTENSION_REASONS]
        notes = [q(n) for n in content.CLOSING_NOTES]

        def add(
            cases: Ints, at: Times, rank: int, actor: Ints, action: str, summary: list[str],
            before: list[str], after: list[str],
        ) -> None:  # fmt: skip
            parts.append((cases, at, rank, actor, action, summary, before, after))

        for s, stage in enumerate(chunk.stages):
            n = stage.number
            case = stage.case
            service = chunk.service[case].tolist()
            procedure = chunk.procedure[case].tolist()
            acknowledge_by = _json_days(stage.acknowledge_by)
            first_respond_by = _json_days(stage.first_respond_by)
            respond_by = _json_days(stage.respond_by)
            everyone = np.arange(len(case))
            if n == 1:
                deemed = _json_days(stage.deemed_case)
                kinds = chunk.kind[case].tolist()
                channels = chunk.channel[case].tolist()
                add(
                    case, chunk.received[case], 0, chunk.created_by[case], "received",
                    [f"{kind_labels[k]} received by {channel_labels[c]}." for k, c in zip(kinds, channels, strict=True)],
                    ["{}"] * len(case),
                    [
                        f'{{"stage": 1, "status": "received", "procedure": {q(self.procedures.labels[procedure[j]])}, '
                        f'"deemed_received": {deemed[j]}, "acknowledge_by": {acknowledge_by[j]}, '
                        f'"respond_by": {first_respond_by[j]}, "service": {slugs[service[j]]}}}'
                        for j in everyone.tolist()
                    ],
                )  # fmt: skip
            else:
                old = chunk.stages[s - 1]
                k = stage.came_from
                old_status = old.status()[k].tolist()
                old_officer = np.where(np.isnat(old.allocated[k]), 0, old.officer[k]).tolist()
                old_acknowledge_by = _json_days(old.acknowledge_by[k])
                old_due = _json_days(old.due()[k])
                add(
                    case, stage.requested, 0, stage.escalated_by, "escalated",
                    [f"Escalated to stage {n} ({self.procedures.names[p][n]})." for p in procedure],
                    [
                        f'{{"stage_number": {n - 1}, "status": "{old_status[j]}", '
                        f'"assigned_officer": {users.get(old_officer[j], "null")}, '
                        f'"acknowledge_by": {old_acknowledge_by[j]}, "respond_by": {old_due[j]}}}'
                        for j in everyone.tolist()
                    ],
                    [
                        f'{{"stage_number": {n}, "status": "received", "assigned_officer": null, '
                        f'"acknowledge_by": {acknowledge_by[j]}, "respond_by": {first_respond_by[j]}, '
                        f'"unresolved": {q(stage.unresolved[j])}}}'
                        for j in everyone.tolist()
                    ],
                )  # fmt: skip

            done = np.flatnonzero(~np.isnat(stage.allocated))
            officer = stage.officer[done].tolist()
            add(
                case[done], stage.allocated[done], 1, stage.allocated_by[done], "allocated",
                [f"Allocated to {self.service_slugs[service[j]]} and {self.usernames.get(o)}." for j, o in zip(done.tolist(), officer, strict=True)],
                [f'{{"service": {slugs[service[j]]}, "assigned_officer": null}}' for j in done.tolist()],
                [f'{{"service": {slugs[service[j]]}, "assigned_officer": {users.get(o, "null")}}}' for j, o in zip(done.tolist(), officer, strict=True)],
            )  # fmt: skip

            done = np.flatnonzero(~np.isnat(stage.acknowledged))
            when = _json_times(stage.acknowledged[done])
            add(
                case[done], stage.acknowledged[done], 2, stage.acknowledged_by[done], "acknowledged",
                [f"Stage {n} acknowledged."] * len(done),
                [f'{{"status": "received", "acknowledged_at": null, "respond_by": {first_respond_by[j]}}}' for j in done.tolist()],
                [f'{{"status": "acknowledged", "acknowledged_at": {w}, "respond_by": {respond_by[j]}}}' for j, w in zip(done.tolist(), when, strict=True)],
            )  # fmt: skip

            done = np.flatnonzero(~np.isnat(stage.extended))
            when = _json_times(stage.extended[done])
            new_dates = stage.extended_to[done].tolist()
            extended_to = _json_days(stage.extended_to[done])
            reason = stage.extension_reason[done].tolist()
            how = [CHANNELS[c] for c in stage.customer_told_how[done].tolist()]
            add(
                case[done], stage.extended[done], 3, stage.extended_by[done], "extended",
                [
                    f"Response date moved to {d:%d %B %Y}: {content.EXTENSION_REASONS[r]} "
                    f"(customer told by {Channel(h).label.lower()})."
                    for d, r, h in zip(new_dates, reason, how, strict=True)
                ],
                [f'{{"respond_by": {respond_by[j]}}}' for j in done.tolist()],
                [
                    f'{{"respond_by": {extended_to[x]}, "reason": {reasons[reason[x]]}, '
                    f'"customer_told_how": "{how[x]}", "customer_told_at": {when[x]}}}'
                    for x in range(len(done))
                ],
            )  # fmt: skip

            done = np.flatnonzero(~np.isnat(stage.responded))
            when = _json_times(stage.responded[done])
            outcome = stage.outcome[done].tolist()
            acknowledged = (~np.isnat(stage.acknowledged[done])).tolist()
            add(
                case[done], stage.responded[done], 4, stage.officer[done], "responded",
                [
                    f"Stage {n} answered: {Outcome(OUTCOMES[o]).label.lower()}." if o else f"Stage {n} answered."
                    for o in outcome
                ],
                [
                    f'{{"status": "{"acknowledged" if a else "received"}", "responded_at": null}}'
                    for a in acknowledged
                ],
                [
                    f'{{"status": "responded", "responded_at": {when[x]}, "outcome": "{OUTCOMES[outcome[x]]}", '
                    f'"remedies": {_json_remedies(stage.remedies[j])}, "lessons_learned": {q(stage.lessons[j])}}}'
                    for x, j in enumerate(done.tolist())
                ],
            )  # fmt: skip

            done = np.flatnonzero(~np.isnat(stage.closed))
            when = _json_times(stage.closed[done])
            note = stage.closing_note[done].tolist()
            add(
                case[done], stage.closed[done], 5, stage.closed_by[done], "closed",
                [("Case closed. " + content.CLOSING_NOTES[x]).strip() for x in note],
                ['{"status": "responded", "closed_at": null}'] * len(done),
                [
                    f'{{"status": "closed", "closed_at": {w}, "note": {notes[x]}}}'
                    for w, x in zip(when, note, strict=True)
                ],
            )  # fmt: skip

        if chunk.links:
            requests, complaints = (
                np.array(x, dtype=np.int64) for x in zip(*chunk.links, strict=True)
            )
            references = [chunk.references[c] for c in complaints.tolist()]
            add(
                requests, chunk.received[complaints], 6, chunk.created_by[complaints], "linked",
                [f"Became complaint {r}." for r in references],
                ["{}"] * len(references),
                [f'{{"became": "{r}"}}' for r in references],
            )  # fmt: skip

        return {
            "case_index": np.concatenate([p[0] for p in parts]),
            "at": np.concatenate([p[1] for p in parts]).astype("datetime64[s]"),
            "rank": np.concatenate([np.full(len(p[0]), p[2]) for p in parts]),
            "actor": np.concatenate([p[3] for p in parts]),
            "action": [p[4] for p in parts for _ in range(len(p[0]))],
            "summary": [text[:500] for p in parts for text in p[5]],
            "before": [text for p in parts for text in p[6]],
            "after": [text for p in parts for text in p[7]],
        }

    # -- references -----------------------------------------------------------------------

    def _save_counters(self) -> None:
        """Leave each counter at the highest number used, so new cases continue the sequence."""
        for (prefix, year), last in self.counters.items():
            counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
            if counter.last < last:
                ReferenceCounter.objects.filter(pk=counter.pk).update(last=last)


def _json_days(days: Days) -> list[str]:
    """Each date as JSON: "2026-11-02", or null."""
    text = np.datetime_as_string(days.astype("datetime64[D]")).tolist()
    return ["null" if t == "NaT" else f'"{t}"' for t in text]


def _json_times(times: Times) -> list[str]:
    """Each UTC time as JSON, ISO 8601 with its offset as the services write it."""
    return [f'"{t}+00:00"' for t in np.datetime_as_string(times.astype("datetime64[s]")).tolist()]


def _json_remedies(remedies: list[tuple[str, str, Decimal | None]]) -> str:
    if not remedies:
        return "[]"
    return json.dumps(
        [
            {"kind": k, "description": d, "amount": None if a is None else str(a)}
            for k, d, a in remedies
        ]
    )
