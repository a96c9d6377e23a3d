"""The standards Heard ships with: seed 002's corporate customer-service standards.

Loaded by a data migration; administrators edit targets and wording afterwards. Seed 002 gives
no percentage target, so the targets here are starting points to review: 95% where the
standard is a firm promise, 90% where it says "usually", 80% for calls answered in 15 seconds.
"""

from __future__ import annotations

from typing import Any

SHIPPED: list[dict[str, Any]] = [
    {
        "code": "main-lines-15s",
        "name": "Our main advertised contact numbers are answered within 15 seconds during opening hours",
        "channel": "phone",
        "measure": "calls_answered_within",
        "threshold": 15,
        "target_percent": "80.0",
        "monitoring": "Main reception areas: existing telephony systems (call logs imported).",
        "frequency": "quarterly",
        "source": "telephony",
    },
    {
        "code": "other-phones-15s",
        "name": "Other phones are answered within 15 seconds wherever possible, with messaging or call divert when staff are out",
        "channel": "phone",
        "measure": "checks_met",
        "threshold": 15,
        "target_percent": "80.0",
        "monitoring": "Where telephony data is not available: mystery shopping.",
        "frequency": "quarterly",
        "source": "mystery_shopping",
    },
    {
        "code": "letters-acknowledged-5wd",
        "name": "Letters, faxes and emails from the public are acknowledged within 5 working days of receipt",
        "channel": "writing",
        "measure": "acknowledged_within",
        "threshold": 5,
        "target_percent": "95.0",
        "monitoring": "Managers auditing correspondence received and the date it was responded to; measured from the case data.",
        "frequency": "quarterly",
        "source": "case_data",
    },
    {
        "code": "letters-answered-10wd",
        "name": "A full response to letters, faxes and emails is usually given within 10 working days",
        "channel": "writing",
        "measure": "answered_within",
        "threshold": 10,
        "target_percent": "90.0",
        "monitoring": "Managers auditing correspondence received and the date it was responded to; measured from the case data.",
        "frequency": "quarterly",
        "source": "case_data",
    },
    {
        "code": "callers-greeted-promptly",
        "name": "Reception staff greet personal callers promptly",
        "channel": "in_person",
        "measure": "checks_met",
        "threshold": None,
        "target_percent": "95.0",
        "monitoring": "Checks using customer representatives; mystery shopping; customer feedback forms at reception, interview points and the website.",
        "frequency": "quarterly",
        "source": "mystery_shopping",
    },
    {
        "code": "callers-contacted-next-working-day",
        "name": "If the right person is not available, the enquirer is contacted within 24 hours or the next working day",
        "channel": "in_person",
        "measure": "checks_met",
        "threshold": 1,
        "target_percent": "95.0",
        "monitoring": "Mystery shopping; customer feedback forms (continuously available, sampled quarterly).",
        "frequency": "continuous",
        "source": "mystery_shopping",
    },
    {
        "code": "call-backs-next-working-day",
        "name": "Voicemail messages and promised call backs are returned within 24 hours or by the end of the next working day",
        "channel": "phone",
        "measure": "called_back_in_time",
        "threshold": None,
        "target_percent": "95.0",
        "monitoring": "Calls and voicemails logged in Heard (triage, the call log, or imported call records), with the time each call back was made.",
        "frequency": "monthly",
        "source": "call_records",
    },
    {
        "code": "access-for-all",
        "name": "Access for all: interpretation, hearing enhancement, alternative formats and accessible reception areas",
        "channel": "all",
        "measure": "checks_met",
        "threshold": None,
        "target_percent": "100.0",
        "monitoring": "Working with community partners (e.g. Dialability, Age Concern) to gain feedback on their experience of access, with the Communities Team and Access Officers.",
        "frequency": "annually",
        "source": "mystery_shopping",
    },
]


def load_standards(standard_model: Any) -> None:
    """Create any shipped standard that does not exist yet (an edited one is left alone)."""
    for position, values in enumerate(SHIPPED, start=1):
        standard_model.objects.get_or_create(
            code=values["code"],
            defaults={**{k: v for k, v in values.items() if k != "code"}, "position": position},
        )
