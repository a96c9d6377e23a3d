from datetime import timedelta

import pytest
from django.utils import timezone

from heard.cases.models import Case
from heard.core.errors import InvalidInput, NotPermitted
from heard.learning.early_warnings import decide, detect, raise_early_warnings, scan
from heard.learning.models import EarlyWarning, WarningStatus
from heard.notify.models import Message
from heard.org.models import Role
from heard.testing import make_case, make_service, make_staff

# A fixed, noisy weekly series around 4 a week (no randomness in the test).
STEADY = [4, 3, 5, 4, 6, 2, 4, 5, 3, 4, 5, 4, 3, 6, 4, 5, 3, 4, 2, 5, 4, 3, 5, 4, 4, 6, 3, 4, 5, 4]


def test_a_planted_spike_in_a_fixed_series_raises_exactly_one_alert():
    spiked = list(STEADY)
    spiked[20:23] = [16, 18, 15]  # a rise lasting three weeks
    assert scan(spiked) == [20]


def test_an_unchanged_series_raises_none():
    assert scan(STEADY) == []


def test_the_rule_needs_a_minimum_count_and_explains_its_threshold():
    assert detect(4, [0] * 12) is None  # quiet series: fewer than 5 is never a warning
    detection = detect(12, [3] * 12, probability=0.001, min_count=5)
    assert detection is not None and detection.threshold <= 12 and detection.probability < 0.001


@pytest.fixture
def head(db):
    return make_staff(Role.HEAD_OF_SERVICE, username="head-waste-learning")


def _clone(case, n, *, days_ago):
    now = timezone.now()
    rows = []
    for i in range(n):
        copy = Case.objects.get(pk=case.pk)
        copy.pk = None
        copy.reference = f"T{days_ago:03d}-{i:04d}-{case.pk}"
        copy.received_at = now - timedelta(days=days_ago, hours=i % 20)
        rows.append(copy)
    Case.objects.bulk_create(rows)


@pytest.mark.django_db
def test_a_rise_for_a_service_raises_one_warning_and_tells_its_head(head):
    head.email = "head@example.org"
    head.save()
    service = make_service("waste-learning", "Waste and recycling")
    service.head = head
    service.save()
    seed = make_case(service=service, received_at=timezone.now() - timedelta(days=120))
    for week in range(1, 13):
        _clone(seed, 2, days_ago=week * 7 + 2)
    _clone(seed, 14, days_ago=2)

    raised = raise_early_warnings()
    service_warnings = [w for w in raised if w.dimension == "service"]
    assert len(service_warnings) == 1
    warning = service_warnings[0]
    assert warning.observed == 14 and warning.cases.count() == 14
    assert "14 contacts about Waste and recycling" in warning.explanation
    assert Message.objects.filter(
        recipient="head@example.org", idempotency_key__startswith="early-warning:"
    ).exists()
    assert raise_early_warnings() == []  # the same rise is not raised twice


@pytest.mark.django_db
def test_a_steady_service_raises_no_warning(head):
    service = make_service("steady-learning")
    seed = make_case(service=service, received_at=timezone.now() - timedelta(days=120))
    for week in range(0, 13):
        _clone(seed, 3, days_ago=week * 7 + 2)
    assert [w for w in raise_early_warnings() if w.dimension == "service"] == []


@pytest.mark.django_db
def test_dismissing_needs_a_reason_and_a_role(head, complaints):
    warning = EarlyWarning.objects.create(
        dimension="theme",
        key="delay",
        label="Delay",
        period_start=timezone.now().date(),
        period_end=timezone.now().date(),
        observed=9,
        baseline_weeks=12,
        expected=2.0,
        threshold=8,
        probability=0.0005,
        explanation="…",
        raised_at=timezone.now(),
    )
    with pytest.raises(InvalidInput, match="Say why"):
        decide(warning, by=complaints, status=WarningStatus.DISMISSED)
    with pytest.raises(NotPermitted):
        decide(warning, by=make_staff(Role.FRONT_LINE_OFFICER), status=WarningStatus.ACKNOWLEDGED)
    decided = decide(
        warning, by=head, status=WarningStatus.ACKNOWLEDGED, note="Looking into rounds"
    )
    assert decided.status == WarningStatus.ACKNOWLEDGED and decided.decided_by == head
