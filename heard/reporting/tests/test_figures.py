"""Each figure against a hand-computed expectation on the fixed data set (see dataset.py)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from heard.cases.models import Case
from heard.org.calendars import organisation_calendar
from heard.reporting import figures
from heard.reporting.figures import ALL, Scope
from heard.reporting.periods import parse
from heard.reporting.tests.dataset import build
from heard.testing import make_case, make_service

TODAY = date(2026, 11, 2)


@pytest.fixture
def data(db):
    return build()


def scope(key: str = "2026-Q1", **filters) -> Scope:
    return Scope(period=parse(key), calendar=organisation_calendar(), today=TODAY, **filters)


def test_contacts_received_are_counted_by_kind_and_channel(data):
    volumes = figures.contacts_received(scope())[ALL]
    assert volumes.total == 6
    assert volumes.complaints == 5
    assert volumes.compliments == 1
    assert volumes.by_channel == {"email": 2, "letter": 2, "web": 1, "phone": 1}
    assert volumes.by_kind_and_channel[("complaint", "letter")] == 2


def test_contacts_outside_the_period_are_not_counted(data):
    assert figures.contacts_received(scope("2026-03")) == {}
    assert figures.contacts_received(scope("2026-02"))[ALL].total == 6


def test_contacts_received_split_by_service_and_directorate(data):
    by_service = figures.contacts_received(scope(), by="service")
    assert by_service[data.waste.pk].total == 4
    assert by_service[data.repairs.pk].total == 2
    by_directorate = figures.contacts_received(scope(), by="directorate")
    assert sum(v.total for v in by_directorate.values()) == 6


def test_stage_one_acknowledgement_counts_the_late_and_the_never_acknowledged(data):
    stage1, stage2 = figures.complaints_by_stage(scope())[ALL]
    assert stage1.stage == 1
    assert stage1.started == 5  # A, B, C, D, G
    assert stage1.acknowledgements_due == 5
    assert stage1.acknowledged_in_time == 3  # B, C, D; A was late, G never
    assert stage1.percent_acknowledged_in_time == 60.0
    assert stage2.started == 1
    assert stage2.percent_acknowledged_in_time == 100.0


def test_stage_one_timeliness_leaves_out_the_withdrawn_and_counts_the_extension(data):
    stage1 = figures.complaints_by_stage(scope())[ALL][0]
    assert stage1.answered == 3  # A, B, C (D withdrawn)
    assert stage1.answered_in_time == 2  # A acknowledged late but answered on time; C
    assert stage1.answered_within_extension == 3  # B within its extension
    assert stage1.extended == 1
    assert stage1.percent_answered_in_time == 66.7
    assert stage1.outcomes["upheld"] == 1
    assert stage1.outcomes["partly_upheld"] == 1
    assert stage1.outcomes["not_upheld"] == 1
    assert stage1.outcomes["withdrawn"] == 1
    assert stage1.percent_upheld == 66.7
    assert stage1.escalated == 1
    assert stage1.percent_escalated == 33.3


def test_working_days_to_respond_are_counted_from_each_stage_day_zero(data):
    stage1, stage2 = figures.complaints_by_stage(scope())[ALL]
    # A 9, B 18, C 5 working days.
    assert stage1.mean_working_days == 10.7
    assert stage1.working_days_bands == {
        "0 to 5": 1,
        "6 to 10": 1,
        "11 to 20": 1,
        "21 to 40": 0,
        "more than 40": 0,
    }
    # C's review: escalated Thu 12 Feb, answered Thu 5 Mar.
    assert stage2.answered == 1
    assert stage2.mean_working_days == 15.0
    assert stage2.percent_answered_in_time == 100.0


def test_overdue_now_is_the_open_stage_past_its_date(data):
    stage1, stage2 = figures.complaints_by_stage(scope())[ALL]
    assert stage1.overdue_now == 1  # G
    assert stage2.overdue_now == 0


def test_stage_figures_split_by_service(data):
    split = figures.complaints_by_stage(scope(), by="service")
    waste = split[data.waste.pk][0]
    assert (waste.started, waste.answered, waste.answered_in_time) == (3, 2, 1)
    repairs = split[data.repairs.pk]
    assert repairs[0].overdue_now == 1
    assert repairs[1].answered == 1


def test_a_scope_of_one_service_sees_only_its_cases(data):
    stage1 = figures.complaints_by_stage(scope(service_ids=frozenset({data.repairs.pk})))[ALL][0]
    assert stage1.started == 2  # C, G
    assert stage1.answered == 1


def test_totals_add_the_stages_and_weight_the_mean(data):
    total = figures.totals(figures.complaints_by_stage(scope())[ALL])
    assert total.answered == 4
    assert total.mean_working_days == round((10.7 * 3 + 15.0) / 4, 1)


def test_remedies_and_compensation(data):
    remedies = figures.remedies(scope())[ALL]
    assert remedies.financial_total == Decimal("350.00")
    assert remedies.financial_count == 2
    assert remedies.apologies == 1
    by_service = figures.remedies(scope(), by="service")
    assert by_service[data.repairs.pk].financial_total == Decimal("250.00")
    rows = figures.compensation_by_service_and_month(scope())
    assert [(r["service"], r["month"], r["total"]) for r in rows] == [
        ("Housing repairs", date(2026, 3, 1), Decimal("250.00")),
        ("Waste and recycling", date(2026, 2, 1), Decimal("100.00")),
    ]


def test_final_stage_complaints_for_the_panel(data):
    # The council procedure's final stage is 3: nothing reached it.
    assert figures.final_stage(scope()) is None


def test_satisfaction_from_survey_answers_in_the_period(data):
    result = figures.satisfaction(scope())
    assert result.responses == 1
    assert result.mean["handling"] == 5.0
    assert result.percent_satisfied("timeliness") == 100.0
    assert result.percent_satisfied("outcome") == 0.0
    assert figures.satisfaction(scope("2026-03")).responses == 0


def test_repeat_complainants_are_told_apart_by_email(data):
    # Every complaint in the data set came from ann@example.org.
    assert figures.repeat_complainants(scope()) == 1


def complaint_from(email: str, *, day: int = 2, month: int = 6, **details) -> Case:
    """A contact (a complaint unless ``kind`` says otherwise) from a customer with this address
    exactly as typed, received in 2025."""
    case = make_case(received_at=datetime(2025, month, day, 10, tzinfo=UTC), **details)
    case.customer.email = email
    case.customer.save()
    return case


def test_repeat_complainants_are_the_same_address_whatever_its_capitals_or_spaces(db):
    complaint_from("Jo@Example.com")
    complaint_from(" jo@example.com", day=3)
    complaint_from("sam@example.com")
    complaint_from("", day=3)  # two complaints with no address: nobody to count
    complaint_from("", day=4)
    assert figures.repeat_complainants(scope("2025-06")) == 1


def test_repeat_complainants_count_the_complaints_of_the_period_and_scope_only(db):
    waste, repairs = make_service("waste"), make_service("repairs")
    complaint_from("jo@example.com", service=waste, channel="email")
    complaint_from("jo@example.com", service=repairs, channel="letter")
    complaint_from("sam@example.com", service=waste, channel="email")
    complaint_from("sam@example.com", month=7, service=waste, channel="email")
    complaint_from("kim@example.com", kind="compliment", procedure=None, service=waste)
    complaint_from("kim@example.com", kind="compliment", procedure=None, service=waste)

    assert figures.repeat_complainants(scope("2025-06")) == 1  # Jo; Sam's second is in July
    assert figures.repeat_complainants(scope("2025-Q3")) == 0
    assert figures.repeat_complainants(scope("FY2025")) == 2
    assert figures.repeat_complainants(scope("FY2025", service_ids=frozenset({waste.pk}))) == 1
    assert figures.repeat_complainants(scope("FY2025", channel="email")) == 1
    assert figures.repeat_complainants(scope("FY2025", directorate_id=waste.directorate_id)) == 1
    assert figures.repeat_complainants(scope("FY2025", kind="compliment")) == 0


def test_another_kind_has_its_own_stage_figures(data):
    compliments = figures.complaints_by_stage(scope(kind="compliment"))[ALL]
    assert [(s.stage, s.answered, s.answered_in_time) for s in compliments] == [(1, 1, 1)]


@pytest.mark.parametrize("key", ["2026-Q1", "2026-02", "2026-03"])
def test_the_services_added_up_are_the_whole_organisations_figures(data, key):
    whole_stages = figures.complaints_by_stage(scope(key)).get(ALL, [])
    split_stages = figures.complaints_by_stage(scope(key), by="service", with_all=True)
    assert split_stages.get(ALL, []) == whole_stages
    assert set(split_stages) - {ALL} == set(figures.complaints_by_stage(scope(key), by="service"))
    whole = figures.contacts_received(scope(key)).get(ALL)
    assert figures.contacts_received(scope(key), by="service", with_all=True).get(ALL) == whole
    money = figures.remedies(scope(key)).get(ALL)
    assert figures.remedies(scope(key), by="service", with_all=True).get(ALL) == money


@pytest.mark.parametrize("key", ["2026-Q1", "2026-02", "2026-03"])
def test_working_days_for_the_whole_only_leave_the_rest_unchanged(data, key):
    """What the dashboard asks for: the whole's working days, the services' figures without."""
    full = figures.complaints_by_stage(scope(key), by="service", with_all=True)
    lean = figures.complaints_by_stage(
        scope(key), by="service", with_all=True, working_days_by_group=False
    )
    assert lean[ALL] == full[ALL]
    for key_ in set(full) - {ALL}:
        for kept, stage in zip(lean[key_], full[key_], strict=True):
            assert kept.mean_working_days is None
            assert (kept.answered, kept.answered_in_time, kept.escalated, kept.outcomes) == (
                stage.answered,
                stage.answered_in_time,
                stage.escalated,
                stage.outcomes,
            )
        assert figures.totals(lean[key_]).mean_working_days is None


@pytest.mark.parametrize("key", ["2026-Q1", "2026-02", "2026-03"])
def test_complaints_answered_is_the_answered_part_of_the_stage_totals(data, key):
    whole = figures.totals(figures.complaints_by_stage(scope(key)).get(ALL, []))
    answered = figures.complaints_answered(scope(key))
    for name in ("answered", "answered_in_time", "answered_within_extension", "extended"):
        assert getattr(answered, name) == getattr(whole, name)
    assert answered.outcomes == whole.outcomes
    assert answered.percent_upheld == whole.percent_upheld
    assert (answered.started, answered.escalated, answered.mean_working_days) == (0, 0, None)
