from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.cases import services
from heard.cases.services import CustomerDetails
from heard.learning.classification import record_classification
from heard.learning.insight import bars, insight, month_starts, rising_themes
from heard.learning.repeats import flag_repeat_contacts
from heard.org.models import Role
from heard.testing import make_service, make_staff


def test_month_starts_run_back_across_a_year_end():
    assert month_starts(date(2026, 2, 14), 4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_rising_themes_are_those_above_their_usual_most_surprising_first():
    found = rising_themes({"Delay": [4, 5, 3, 12], "Repairs": [1, 1, 1, 3], "Policy": [6, 6, 6, 2]})
    assert [r.name for r in found] == ["Delay", "Repairs"]
    assert found[0].usual == 4.0 and found[0].change == 200 and found[0].beyond_chance
    assert not found[1].beyond_chance


def test_bars_are_widths_of_the_largest_with_their_figures():
    assert [(b.width, b.text) for b in bars([("a", 5), ("b", 10), ("c", 0)])] == [
        (50.0, "5"),
        (100.0, "10"),
        (0, "0"),
    ]


def _contact(by, subject, *, service, days_ago, kind="complaint", email="", address=""):
    return services.create_case(
        by=by,
        kind=kind,
        channel="web",
        subject=subject,
        description="",
        customer=CustomerDetails(name="Pat Example", email=email, address=address),
        procedure="council-3-stage",
        received_at=timezone.now() - timedelta(days=days_ago),
        service=service,
    )


@pytest.fixture
def council(complaints):
    waste, roads = make_service("waste-insight", "Waste"), make_service("roads-insight", "Roads")
    for days_ago in (2, 3, 5):
        case = _contact(complaints, "Bins missed", service=waste, days_ago=days_ago)
        record_classification(
            case, by=complaints, themes=["missed-bin-collection"], root_cause="process"
        )
    case = _contact(complaints, "Rude crew", service=waste, days_ago=70)
    record_classification(case, by=complaints, themes=["staff-attitude"], root_cause="people")
    first = _contact(complaints, "Pothole", service=roads, days_ago=9, email="r@example.org")
    record_classification(first, by=complaints, themes=["roads-and-pavements"])
    _contact(complaints, "Pothole still there", service=roads, days_ago=1, email="r@example.org")
    for n, postcode in enumerate(["TN2 3AB", "TN2 4CD", "TN2 3AB", "TN9 1ZZ"]):
        _contact(
            complaints,
            f"Streetlight out {n}",
            service=roads,
            days_ago=4 + n,
            kind="service_request",
            address=f"{n} High St, Town, {postcode}",
        )
    flag_repeat_contacts(lookback_days=30)
    return waste, roads


@pytest.mark.django_db
def test_the_insight_figures_count_themes_causes_repeats_and_hot_spots(council):
    waste, _roads = council
    figures = insight(months=6)
    themes = {t.name: t.total for t in figures.themes}
    assert themes == {"Missed bin collection": 3, "Staff attitude": 1, "Roads and pavements": 1}
    assert figures.rising[0].name == "Missed bin collection" and figures.rising[0].recent == 3
    rows = {r.service: dict(zip(figures.causes, r.counts, strict=True)) for r in figures.cause_rows}
    assert rows["Waste"] == {"Process": 3, "People": 1, "Not known yet": 0}
    assert rows["Roads"]["Not known yet"] == 1
    assert sum(m.repeats for m in figures.repeats) == 1
    assert figures.repeats_by_service == [("Roads", 1)]
    assert [(h.district, h.requests) for h in figures.hot_spots] == [("TN2", 3), ("TN9", 1)]
    only_waste = insight(months=6, service=waste)
    assert {t.name for t in only_waste.themes} == {"Missed bin collection", "Staff attitude"}
    assert only_waste.hot_spots == []


@pytest.mark.django_db
def test_the_insight_page_shows_a_table_beside_every_chart_and_refuses_others(
    client, council, complaints
):
    client.force_login(complaints)
    page = client.get(reverse("learning:insight"))
    assert page.status_code == 200
    html = page.content.decode()
    for caption in (
        "Cases by theme and month received",
        "Cases by service and root cause recorded",
        "Repeat contacts by month received",
        "Service requests by postcode district",
    ):
        assert caption in html
    assert html.count('class="reporting-chart ') == 4
    wrong = client.get(reverse("learning:insight"), {"months": "5"}).content.decode()
    assert "Choose 3, 6, 12 or 24 months." in wrong
    client.force_login(make_staff(Role.FRONT_LINE_OFFICER))
    assert client.get(reverse("learning:insight")).status_code == 403
