"""Repeat contacts: the same customer about the same thing again within a few days.

A repeat contact is failure demand — demand caused by a failure to do something, or to do it
right, the first time. A contact repeats an earlier one when, within
``HEARD_LEARNING_REPEAT_DAYS`` (28) days before it,

* the same customer (their record, email address or phone number) contacted us, and
* it was about the same thing: the same service, the same category, a theme in common (as
  recorded, or as Heard suggests it) or similar wording (TF-IDF cosine of at least
  ``HEARD_LEARNING_REPEAT_SIMILARITY``, 0.3).

Compliments, comments and suggestions are neither repeats nor repeated.
:func:`repeat_of` answers for one case (the case page, triage); the daily job
:func:`flag_repeat_contacts` records them so they can be counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from heard.cases.models import Case, Customer, Kind
from heard.cases.normalise import email_forms, phone_digits, postcode_in
from heard.learning.models import Classification, RepeatContact

NOT_COUNTED = (Kind.COMPLIMENT, Kind.COMMENT, Kind.SUGGESTION)
REPEAT_DAYS = 28
REPEAT_SIMILARITY = 0.3
CANDIDATES = 50
# Customer records sharing one address or number looked at (a shared family or office address
# can have many; the newest contacts of the first few are enough to spot a repeat).
SAME_PERSON_LIMIT = 20


def repeat_days() -> int:
    return int(getattr(settings, "HEARD_LEARNING_REPEAT_DAYS", REPEAT_DAYS))


@dataclass(frozen=True)
class Contact:
    """What is compared: one contact's service, category, themes and words."""

    service_id: int | None
    category_id: int | None
    themes: frozenset[str]
    text: str


@dataclass
class Repeat:
    earlier: Case
    days_after: int
    reasons: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


def same_thing(contact: Contact, earlier: Contact, *, similarity: float = 0.0) -> list[str]:
    """Why two contacts are about the same thing (empty when they are not)."""
    reasons = []
    if contact.service_id and contact.service_id == earlier.service_id:
        reasons.append("same service")
    if contact.category_id and contact.category_id == earlier.category_id:
        reasons.append("same category")
    shared = sorted(contact.themes & earlier.themes)
    if shared:
        reasons.append(f"same theme ({', '.join(shared)})")
    threshold = float(getattr(settings, "HEARD_LEARNING_REPEAT_SIMILARITY", REPEAT_SIMILARITY))
    if similarity >= threshold:
        reasons.append(f"similar wording ({round(similarity * 100)}% alike)")
    return reasons


def customer_from(data: Any) -> Customer | None:
    """An unsaved customer from a contact being recorded (email, phone, address), for matching."""
    if data is None:
        return None
    email = (data.get("email") or "").strip()
    phone = (data.get("phone") or "").strip()
    address = (data.get("address") or "").strip()
    if not (email or phone):
        return None
    return Customer(
        name=data.get("name") or "",
        email=email,
        phone=phone,
        phone_digits=phone_digits(phone),
        postcode=postcode_in(address),
    )


def repeat_of(
    case: Case | None = None,
    *,
    customer: Customer | None = None,
    contact: Contact | None = None,
    at: datetime | None = None,
    within: QuerySet[Case] | None = None,
) -> Repeat | None:
    """The customer's latest earlier contact about the same thing within the window, if any.

    Pass a saved ``case``, or for a contact being recorded its ``customer`` and ``contact``.
    ``within`` limits the earlier cases looked at (e.g. to those an officer may see).
    """
    if case is not None:
        if case.kind in NOT_COUNTED:
            return None
        customer = case.customer
        contact = _contact_of(case)
        at = case.received_at
    if customer is None or contact is None:
        return None
    at = at or timezone.now()
    candidates = _earlier_of(customer, at=at, within=within, exclude=case)
    if not candidates:
        return None
    themes = _themes_of([c.pk for c in candidates])
    scores = _similarities(contact.text, [f"{c.subject}\n{c.description}" for c in candidates])
    for other, score in zip(candidates, scores, strict=True):  # newest first
        earlier = Contact(
            other.service_id, other.category_id, themes.get(other.pk, frozenset()), ""
        )
        reasons = same_thing(contact, earlier, similarity=score)
        if reasons:
            reasons = [_theme_names(reason) for reason in reasons]
            days = (at - other.received_at).days
            return Repeat(other, days, reasons)
    return None


def flag_repeat_contacts(*, now: datetime | None = None, lookback_days: int = 7) -> int:
    """Record the repeat contacts among the cases received in the last ``lookback_days``.

    Safe to run again: a case already recorded is not looked at twice. Returns how many were found.
    """
    now = now or timezone.now()
    cases = (
        Case.objects.filter(
            received_at__gt=now - timedelta(days=lookback_days),
            received_at__lte=now,
            repeat_contact__isnull=True,
        )
        .exclude(kind__in=NOT_COUNTED)
        .select_related("customer")
        .order_by("received_at")
    )
    found = 0
    for case in cases.iterator(chunk_size=500):
        repeat = repeat_of(case)
        if repeat is None:
            continue
        try:
            with transaction.atomic():
                RepeatContact.objects.create(
                    case=case,
                    earlier=repeat.earlier,
                    days_after=repeat.days_after,
                    reasons=repeat.why[:300],
                    found_at=now,
                )
        except IntegrityError:  # another run recorded it meanwhile
            continue
        found += 1
    return found


def _theme_names(reason: str) -> str:
    if not reason.startswith("same theme ("):
        return reason
    from heard.learning.models import Theme

    slugs = reason.removeprefix("same theme (").removesuffix(")").split(", ")
    names = dict(Theme.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return f"same theme ({', '.join(names.get(s, s) for s in slugs)})"


def _contact_of(case: Case) -> Contact:
    themes = _themes_of([case.pk]).get(case.pk, frozenset())
    return Contact(case.service_id, case.category_id, themes, f"{case.subject}\n{case.description}")


def _earlier_of(
    customer: Customer, *, at: datetime, within: QuerySet[Case] | None, exclude: Case | None
) -> list[Case]:
    # The customer records that are the same person, each found through its own index, then
    # their cases through the customer index: one OR across the customer table's columns
    # would make PostgreSQL read every customer (0.7 s at a million).
    people: set[int] = {customer.pk} if customer.pk else set()
    if customer.email:
        people.update(
            Customer.objects.filter(email__in=email_forms(customer.email)).values_list(
                "pk", flat=True
            )[:SAME_PERSON_LIMIT]
        )
    if customer.phone_digits and len(customer.phone_digits) >= 7:
        people.update(
            Customer.objects.filter(phone_digits=customer.phone_digits).values_list(
                "pk", flat=True
            )[:SAME_PERSON_LIMIT]
        )
    if not people:
        return []
    cases = (within if within is not None else Case.objects.all()).filter(
        customer_id__in=sorted(people),
        received_at__gte=at - timedelta(days=repeat_days()),
        received_at__lt=at,
    )
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    return list(
        cases.exclude(kind__in=NOT_COUNTED)
        .select_related("service")
        .order_by("-received_at")[:CANDIDATES]
    )


def _themes_of(case_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Recorded themes of each case; else Heard's confident suggestion."""
    from heard.learning.suggestions import top_themes

    ids = list(case_ids)
    recorded: dict[int, set[str]] = {}
    for case_id, slug in (
        Classification.themes.through.objects.filter(classification__case_id__in=ids)
        .values_list("classification__case_id", "theme__slug")
        .distinct()
    ):
        recorded.setdefault(case_id, set()).add(slug)
    missing = [pk for pk in ids if pk not in recorded]
    if missing:
        texts = {
            pk: f"{subject}\n{description}"
            for pk, subject, description in Case.objects.filter(pk__in=missing).values_list(
                "pk", "subject", "description"
            )
        }
        order = [pk for pk in missing if pk in texts]
        for pk, slug in zip(order, top_themes([texts[pk] for pk in order]), strict=True):
            if slug:
                recorded[pk] = {slug}
    return {pk: frozenset(slugs) for pk, slugs in recorded.items()}


def _similarities(text: str, others: list[str]) -> list[float]:
    """TF-IDF cosine of ``text`` with each of ``others`` (0 when there is nothing to compare)."""
    if not others or not text.strip():
        return [0.0] * len(others)
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform([text, *others])
    except ValueError:  # nothing but stop words
        return [0.0] * len(others)
    scores = np.asarray((matrix[1:] @ matrix[0].T).todense()).ravel()
    return [float(s) for s in scores]
