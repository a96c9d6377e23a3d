from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from heard.cases.models import Case
from heard.core.errors import InvalidInput, NotPermitted
from heard.learning import detection
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


# The same average, once steady and once swinging (a campaign week, a quiet one).
EVEN = [6, 5, 7, 6, 6, 5, 7, 6, 6, 5, 7, 6]
SWINGING = [1, 14, 2, 12, 0, 13, 3, 11, 1, 12, 2, 1]


def test_a_baseline_that_swung_needs_a_bigger_rise_before_it_warns():
    assert sum(EVEN) / 12 == pytest.approx(6) and sum(SWINGING) / 12 == pytest.approx(6)
    steady = detect(16, EVEN)
    assert steady is not None and steady.model == detection.POISSON
    # 16 after weeks that swung between 0 and 14 is not surprising enough.
    assert detect(16, SWINGING) is None
    swung = detect(40, SWINGING)
    assert swung is not None and swung.model == detection.NEGATIVE_BINOMIAL
    assert swung.threshold > steady.threshold and swung.probability < 0.001


def test_the_rule_before_the_variation_was_allowed_for_is_still_there_to_compare():
    assert detection.detect(16, SWINGING, dispersion=False) is not None
    assert detection.detect(16, SWINGING) is None


def test_judging_many_series_at_once_agrees_with_judging_each_period_alone():
    series = STEADY[:12] + SWINGING + [30, 5, 41, 6]
    fired = detection.fires(np.array([series]))[0]
    for period in range(12, len(series)):
        alone = detection.detect(series[period], series[period - 12 : period])
        assert bool(fired[period]) == (alone is not None), period


def test_a_warning_says_which_model_judged_it():
    from heard.learning.early_warnings import explain

    swung, steady = detect(40, SWINGING), detect(16, EVEN)
    assert swung is not None and steady is not None
    text = explain("flytipping", swung, weeks=12, period_end=timezone.localdate())
    assert "allowing for how much the weeks before varied" in text
    assert "(Poisson," in explain("flytipping", steady, weeks=12, period_end=timezone.localdate())


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


def test_by_the_day_only_the_same_day_of_the_week_is_the_baseline():
    import numpy as np

    from heard.learning.early_warnings import periods_ago

    ages = np.array([0.2, 0.99, 1.5, 7.1, 8.0, 14.5, 84.3, 91.0])
    assert periods_ago(ages, period="day", weeks=12).tolist() == [0, 0, -1, 1, -1, 2, 12, -1]
    assert periods_ago(ages, period="week", weeks=12).tolist() == [0, 0, 0, 1, 1, 2, 12, 12]


@pytest.mark.django_db
def test_service_requests_are_checked_by_the_day_and_not_in_the_weekly_count(head, client):
    service = make_service("lights-learning", "Street lighting")
    complaint = make_case(service=service, received_at=timezone.now() - timedelta(days=120))
    request = make_case(
        service=service,
        kind="service_request",
        received_at=timezone.now() - timedelta(days=120),
    )
    for week in range(1, 13):
        _clone(complaint, 3, days_ago=week * 7 + 2)
        _clone(request, 2, days_ago=week * 7)  # the same day of the week, 2 each time
    _clone(complaint, 3, days_ago=2)
    _clone(request, 14, days_ago=0)  # 14 street-light requests in the last 24 hours

    raised = [w for w in raise_early_warnings() if w.dimension == "service"]
    assert [(w.period, w.observed) for w in raised] == [("day", 14)]
    warning = raised[0]
    assert warning.label == "Service requests: Street lighting"
    assert warning.period_start == warning.period_end
    assert "14 service requests about Street lighting in the 24 hours" in warning.explanation
    assert "same day of the week" in warning.explanation
    assert warning.cases.count() == 14
    client.force_login(head)
    listed = client.get("/staff/learning/warnings/").content.decode()
    assert "Service requests: Street lighting" in listed and "24 hours to" in listed
