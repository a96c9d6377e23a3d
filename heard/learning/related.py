"""Related cases: the same customer or address recently, and the same problem in other words.

Each match says why, so an officer can judge it and link the cases (heard.cases.services.link_cases)
or merge the customers (heard.cases.customers.merge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from heard.cases.models import Case, CaseLink, Customer
from heard.cases.normalise import email_forms
from heard.org.access import visible_cases

LIMIT = 20


@dataclass
class Related:
    case: Case
    reasons: list[str] = field(default_factory=list)
    similarity: float = 0.0
    linked: bool = False

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)

    @property
    def same_person(self) -> bool:
        """Matched by email address or phone number: perhaps two records of one customer."""
        return any(r.startswith(("Same email", "Same phone")) for r in self.reasons)


def related_cases(
    user: Any,
    case: Case | None = None,
    *,
    text: str = "",
    customer: Customer | None = None,
    window_days: int | None = None,
    duplicate_days: int | None = None,
) -> list[Related]:
    """Cases the user may see that look related to ``case`` (or to a contact being recorded).

    Same customer (their record, email or phone) or same postcode within ``window_days``;
    similar wording within ``duplicate_days`` of the contact. Strongest first.
    """
    window = window_days if window_days is not None else settings.HEARD_LEARNING_RELATED_DAYS
    duplicate_window = (
        duplicate_days if duplicate_days is not None else settings.HEARD_LEARNING_DUPLICATE_DAYS
    )
    if case is not None:
        customer = customer or case.customer
        text = text or f"{case.subject}\n{case.description}"
    around = case.received_at if case is not None else timezone.now()
    visible = visible_cases(user)
    if case is not None:
        visible = visible.exclude(pk=case.pk)
    found: dict[int, Related] = {}

    def add(other: Case, reason: str) -> Related:
        entry = found.setdefault(other.pk, Related(other))
        if reason and reason not in entry.reasons:
            entry.reasons.append(reason)
        return entry

    if customer is not None:
        recent = visible.filter(
            received_at__gte=around - timedelta(days=window),
            received_at__lte=around + timedelta(days=window),
        )
        rules: list[tuple[str, Q]] = []
        if customer.pk:
            rules.append(("Same customer", Q(customer_id=customer.pk)))
        if customer.email:
            rules.append(
                (
                    f"Same email address ({customer.email})",
                    Q(customer__email__in=email_forms(customer.email)),
                )
            )
        if customer.phone_digits:
            rules.append(
                (
                    f"Same phone number ({customer.phone})",
                    Q(customer__phone_digits=customer.phone_digits),
                )
            )
        if customer.postcode:
            rules.append(
                (f"Same postcode ({customer.postcode})", Q(customer__postcode=customer.postcode))
            )
        for reason, condition in rules:
            for other in _with_details(recent.filter(condition))[:LIMIT]:
                add(other, reason)
        _merge_same_customer_reasons(found)

    if text.strip():
        # Only the words of the candidates are read (thousands of them in a busy window);
        # whole cases are loaded for the few that match.
        candidates = list(
            visible.filter(
                received_at__gte=around - timedelta(days=duplicate_window),
                received_at__lte=around + timedelta(days=duplicate_window),
            )
            .order_by("-received_at")
            .values_list("pk", "subject", "description")[
                : settings.HEARD_LEARNING_DUPLICATE_CANDIDATES
            ]
        )
        matches = _similar(
            text, [(pk, f"{subject}\n{description}") for pk, subject, description in candidates]
        )
        matched = _with_details(Case.objects.filter(pk__in=[pk for pk, _ in matches])).in_bulk()
        for pk, score in matches:
            entry = add(matched[pk], f"Similar wording ({round(score * 100)}% alike)")
            entry.similarity = score

    for entry in found.values():
        if (
            case is not None
            and entry.case.channel != case.channel
            and any(r.startswith("Same") for r in entry.reasons)
        ):
            entry.reasons.append(f"on another channel ({entry.case.get_channel_display().lower()})")
    if case is not None and found:
        linked = set(
            CaseLink.objects.filter(from_case=case, to_case_id__in=found).values_list(
                "to_case_id", flat=True
            )
        ) | set(
            CaseLink.objects.filter(to_case=case, from_case_id__in=found).values_list(
                "from_case_id", flat=True
            )
        )
        for pk in linked:
            found[pk].linked = True
    ordered = sorted(
        found.values(),
        key=lambda r: (-len(r.reasons), -r.similarity, -r.case.received_at.timestamp()),
    )
    return ordered[:LIMIT]


def _with_details(cases: Any) -> Any:
    return cases.select_related("customer", "service", "stage")


def _merge_same_customer_reasons(found: dict[int, Related]) -> None:
    """'Same customer' already says it all; drop the email or phone that made it so."""
    for entry in found.values():
        if "Same customer" in entry.reasons:
            entry.reasons = [
                r for r in entry.reasons if not r.startswith(("Same email", "Same phone"))
            ]


def _similar(text: str, candidates: list[tuple[int, str]]) -> list[tuple[int, float]]:
    """The ids of the candidates (id, wording) at least HEARD_LEARNING_DUPLICATE_SIMILARITY
    alike (TF-IDF cosine), most alike first, with how alike."""
    if not candidates:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    documents = [text] + [words for _, words in candidates]
    vectorizer = TfidfVectorizer(
        sublinear_tf=True, ngram_range=(1, 2), stop_words="english", dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # nothing but stop words
        return []
    scores = np.asarray((matrix[1:] @ matrix[0].T).todense()).ravel()
    threshold = settings.HEARD_LEARNING_DUPLICATE_SIMILARITY
    return [
        (candidates[i][0], float(scores[i])) for i in np.argsort(-scores) if scores[i] >= threshold
    ][:LIMIT]
