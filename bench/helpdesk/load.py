"""Bulk loader: N django-helpdesk tickets with their follow-ups, by COPY.

Runs in Heard's environment (it borrows the demo council's text from heard.demo.content and
writes with psycopg); the queues and staff users come first from setup_data.py, which runs in
django-helpdesk's own virtualenv. Tickets are spread over three years up to the demo's
"today" (2026-11-02) across the queues by each service's share of contacts; recent tickets
are mostly still open, older ones resolved or closed, like the demo council's cases.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import psycopg

from heard.demo import content

TODAY = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
SPAN_DAYS = 3 * 365
OPEN, REOPENED, RESOLVED, CLOSED = 1, 2, 3, 4
CHUNK = 50_000
STREETS = (
    "Station Road",
    "High Street",
    "Church Lane",
    "Mill Road",
    "Victoria Street",
    "Park Avenue",
    "Queens Road",
    "The Green",
    "Meadow Way",
    "Albert Terrace",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
BINS = ("green", "blue", "black", "brown")
FIRST = ("Amira", "Ben", "Chloe", "Dev", "Ellen", "Femi", "Grace", "Harry", "Ivy", "Jonah")
LAST = ("Patel", "Smith", "Okafor", "Jones", "Nowak", "Williams", "Khan", "Brown", "Evans")
TICKET_COLUMNS = (
    "id",
    "title",
    "queue_id",
    "created",
    "modified",
    "submitter_email",
    "assigned_to_id",
    "status",
    "on_hold",
    "description",
    "resolution",
    "priority",
    "due_date",
    "secret_key",
)
FOLLOWUP_COLUMNS = ("ticket_id", "date", "title", "comment", "public", "user_id", "new_status")


def queue_specs() -> list[tuple[str, str]]:
    return [(service.slug, service.name) for service in content.SERVICES]


def load(url: str, cases: int, ids: dict, *, seed: int = 7) -> dict[str, int]:
    """Put `cases` tickets into the helpdesk database at `url`; return row counts."""
    rng = random.Random(seed)
    services = {service.slug: service for service in content.SERVICES}
    slugs = list(ids["queues"])
    weights = [services[slug].weight for slug in slugs]
    fill: defaultdict[str, str] = defaultdict(str)
    followups = 0
    with psycopg.connect(url) as connection:
        with connection.cursor() as cursor:
            for first in range(1, cases + 1, CHUNK):
                rows: list[tuple[object, ...]] = []
                with cursor.copy(
                    f"COPY helpdesk_ticket ({', '.join(TICKET_COLUMNS)}) FROM STDIN"
                ) as tickets:
                    for ticket_id in range(first, min(first + CHUNK, cases + 1)):
                        slug = rng.choices(slugs, weights)[0]
                        service = services[slug]
                        texts = service.complaints + service.requests + service.compliments
                        subject, description = rng.choice(texts)
                        fill.update(
                            street=rng.choice(STREETS),
                            number=str(rng.randint(1, 180)),
                            day=rng.choice(DAYS),
                            bin=rng.choice(BINS),
                            weeks=str(rng.randint(2, 9)),
                        )
                        subject = subject.format_map(fill)
                        description = description.format_map(fill)
                        # ticket ids rise with time, as they would have been created
                        age = SPAN_DAYS * (1 - ticket_id / cases) + rng.random()
                        created = TODAY - timedelta(days=age, seconds=rng.randint(0, 36_000))
                        if age < 30:
                            status = rng.choices(
                                (OPEN, REOPENED, RESOLVED, CLOSED), (60, 5, 15, 20)
                            )[0]
                        else:
                            status = rng.choices(
                                (OPEN, REOPENED, RESOLVED, CLOSED), (3, 1, 16, 80)
                            )[0]
                        is_open = status in (OPEN, REOPENED)
                        officer = (
                            None
                            if is_open and rng.random() < 0.2
                            else rng.choice(ids["officers"][slug])
                        )
                        email = f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}{rng.randint(1, 9999)}@example.org"
                        resolution = (
                            None
                            if is_open
                            else rng.choice(content.CLOSING_NOTES[3:] + service.put_right)
                        )
                        closed_at = created + timedelta(days=rng.uniform(1, 25))
                        due = created + timedelta(days=10) if rng.random() < 0.3 else None
                        modified = created if is_open else min(closed_at, TODAY)
                        tickets.write_row(
                            (
                                ticket_id,
                                subject,
                                ids["queues"][slug],
                                created,
                                modified,
                                email,
                                officer,
                                status,
                                False,
                                description,
                                resolution,
                                rng.choices((1, 2, 3, 4, 5), (2, 8, 70, 15, 5))[0],
                                due,
                                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                            )
                        )
                        rows.append(
                            (
                                ticket_id,
                                created,
                                "Ticket Opened Via Web",
                                description,
                                True,
                                None,
                                None,
                            )
                        )
                        if officer and rng.random() < 0.5:
                            rows.append(
                                (
                                    ticket_id,
                                    created + timedelta(hours=rng.uniform(2, 72)),
                                    "Comment",
                                    rng.choice(content.EXTENSION_REASONS),
                                    False,
                                    officer,
                                    None,
                                )
                            )
                        if not is_open:
                            rows.append(
                                (
                                    ticket_id,
                                    min(closed_at, TODAY),
                                    "Closed" if status == CLOSED else "Resolved",
                                    resolution,
                                    True,
                                    officer,
                                    status,
                                )
                            )
                        elif status == REOPENED:
                            rows.append(
                                (
                                    ticket_id,
                                    created + timedelta(days=2),
                                    "Reopened",
                                    rng.choice(content.UNRESOLVED[1:]),
                                    True,
                                    None,
                                    REOPENED,
                                )
                            )
                with cursor.copy(
                    f"COPY helpdesk_followup ({', '.join(FOLLOWUP_COLUMNS)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
                followups += len(rows)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('helpdesk_ticket', 'id'), %s)", (cases,)
            )
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM (ANALYZE)")
    return {"tickets": cases, "followups": followups}
