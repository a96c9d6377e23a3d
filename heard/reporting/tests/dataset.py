"""A small fixed set of cases whose figures are worked out by hand in the tests.

February 2026 in England (GMT, so UTC is local time); no bank holidays between 2 February
and 13 March. Council three-stage procedure: stage 1 acknowledged within 5 and answered
within 10 working days of receipt (extension up to 10); stage 2 acknowledged within 5 and
answered within 20 working days of the escalation request.

| case | kind, channel, service | what happened |
|---|---|---|
| A | complaint, email, waste | received Mon 2 Feb; acknowledged Wed 11 Feb (late: due 9 Feb); answered Fri 13 Feb (on time, 9 WD), upheld, £100 and an apology |
| B | complaint, letter, waste | received Tue 3 Feb; acknowledged Wed 4 Feb; extended from 17 Feb to 3 Mar; answered Fri 27 Feb (late, within extension, 18 WD), partly upheld |
| C | complaint, web, repairs | received Wed 4 Feb; acknowledged Thu 5 Feb; answered Wed 11 Feb (5 WD) not upheld; escalated Thu 12 Feb; stage 2 acknowledged Fri 13 Feb, answered Thu 5 Mar (15 WD), upheld, £250 |
| D | complaint, phone, waste | received Thu 5 Feb; acknowledged the same day; withdrawn Mon 9 Feb |
| E | compliment, email, waste | received Fri 6 Feb; acknowledged Mon 9 Feb; answered Tue 10 Feb (2 WD) |
| G | complaint, letter, repairs | received Mon 2 Feb; never acknowledged nor answered (overdue now) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from heard.cases import services
from heard.cases.models import Case
from heard.org.models import Role, Service
from heard.portal.models import SurveyResponse
from heard.testing import make_case, make_service, make_staff


def at(day: int, month: int = 2, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@dataclass
class Dataset:
    waste: Service
    repairs: Service
    officer: Any
    cases: dict[str, Case]


def build() -> Dataset:
    waste = make_service("waste", "Waste and recycling")
    repairs = make_service("repairs", "Housing repairs")
    officer = make_staff(Role.COMPLAINTS_TEAM, username="figures-officer")
    cases: dict[str, Case] = {}

    a = make_case(by=officer, channel="email", received_at=at(2), service=waste)
    a = services.acknowledge(a, by=officer, at=at(11))
    a = services.respond(
        a,
        by=officer,
        at=at(13),
        outcome="upheld",
        summary="Sorry.",
        remedies=[
            {"kind": "financial", "amount": Decimal("100.00")},
            {"kind": "apology", "description": "Apology"},
        ],
    )
    a = services.close(a, by=officer, at=at(13, hour=11))
    cases["A"] = a

    b = make_case(by=officer, channel="letter", received_at=at(3), service=waste)
    b = services.acknowledge(b, by=officer, at=at(4))
    b = services.extend(
        b,
        by=officer,
        at=at(16),
        new_date=date(2026, 3, 3),
        reason="Waiting for the contractor's report.",
        customer_told_how="letter",
    )
    b = services.respond(b, by=officer, at=at(27), outcome="partly_upheld", summary="Partly.")
    cases["B"] = b

    c = make_case(by=officer, channel="web", received_at=at(4), service=repairs)
    c = services.acknowledge(c, by=officer, at=at(5))
    c = services.respond(c, by=officer, at=at(11), outcome="not_upheld", summary="No.")
    c = services.escalate(c, by=officer, at=at(12), unresolved="Still leaking.")
    c = services.acknowledge(c, by=officer, at=at(13))
    c = services.respond(
        c,
        by=officer,
        at=at(5, month=3),
        outcome="upheld",
        summary="On review, yes.",
        remedies=[{"kind": "financial", "amount": Decimal("250.00")}],
    )
    cases["C"] = c

    d = make_case(by=officer, channel="phone", received_at=at(5), service=waste)
    d = services.acknowledge(d, by=officer, at=at(5, hour=11))
    d = services.respond(d, by=officer, at=at(9), outcome="withdrawn")
    cases["D"] = d

    e = make_case(
        by=officer,
        kind="compliment",
        procedure=None,
        channel="email",
        received_at=at(6),
        service=waste,
    )
    e = services.acknowledge(e, by=officer, at=at(9))
    e = services.respond(e, by=officer, at=at(10), summary="Thank you.")
    cases["E"] = e

    g = make_case(by=officer, channel="letter", received_at=at(2), service=repairs)
    cases["G"] = g

    survey = SurveyResponse.objects.create(
        case=a, handling=5, timeliness=4, outcome=2, ease_of_contact=3
    )
    SurveyResponse.objects.filter(pk=survey.pk).update(submitted_at=at(20))
    return Dataset(waste=waste, repairs=repairs, officer=officer, cases=cases)
