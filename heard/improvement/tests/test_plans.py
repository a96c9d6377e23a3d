"""Scrutiny action plans (seed 001) and their progress reviews, reported in seed 000's shape."""

from __future__ import annotations

from datetime import date

import pytest

from heard.core.errors import InvalidInput, NotPermitted
from heard.improvement import services
from heard.improvement.models import CompletionDateRevision, Progress
from heard.improvement.services import ActionDetails

pytestmark = pytest.mark.django_db


def seed_000(by):
    """Seed 000's recommendations 1, 5 and 7 with both of its review dates."""
    plan = services.create_plan(
        by=by, title="Customer First scrutiny review", owner_body="Scrutiny Committee"
    )
    first = services.add_action(
        plan,
        by=by,
        details=ActionDetails(
            text="Adopt the Cabinet Office's Customer Service Excellence Standard corporately.",
            lead_officers="D Hurwood, K Hornsey, J Robinson",
            starts_on=date(2008, 11, 1),
            ends_on=date(2010, 8, 31),
        ),
    )
    voicemail = services.add_action(
        plan,
        by=by,
        details=ActionDetails(
            text="Enhance the service standards and guidance for the use of voicemail.",
            lead_officers="K Hornsey, D Hurwood, J Robinson, S Stoker",
            starts_on=date(2008, 12, 1),
            ends_on=date(2010, 9, 30),
        ),
    )
    ideas = services.add_action(
        plan,
        by=by,
        details=ActionDetails(
            text="A corporate staff suggestion scheme be implemented with awards for the best.",
            lead_officers="TBC",
            elements=("2.1.6", "2.2.4"),
        ),
    )
    may, october = (
        services.add_review(plan, by=by, reviewed_on=day)
        for day in (date(2010, 5, 17), date(2010, 10, 4))
    )
    for review, action, category, evidence in [
        (may, first, 2, "All service blocks have been assessed."),
        (october, first, 1, "Assessed as achieving the full standard on 8th June 2010."),
        (may, voicemail, 2, "A roll-out plan is in place."),
        (october, voicemail, 3, "There has been a delay on 12 hunt groups."),
        (may, ideas, 2, "On track for completion by 30th June 2010."),
        (october, ideas, 1, '"Bright Ideas" staff suggestion scheme launched 1st July 2010.'),
    ]:
        services.record_progress(review, action, by=by, evidence=evidence, category=category)
    return plan


def test_seed_000_can_be_recreated_and_reported_in_its_shape(framework, performance_officer):
    plan = seed_000(performance_officer)
    reviews, rows = services.progress_report(plan, today=date(2010, 10, 5))
    assert [r.reviewed_on for r in reviews] == [date(2010, 5, 17), date(2010, 10, 4)]
    assert [r.action.number for r in rows] == [1, 2, 3]
    assert [[c.category if c else None for c in r.cells] for r in rows] == [[2, 1], [2, 3], [2, 1]]
    assert [r.latest for r in rows] == [1, 3, 1]
    # Only the voicemail action is past its date without being achieved fully.
    assert [r.overdue for r in rows] == [False, True, False]
    assert sorted(rows[2].action.elements.values_list("number", flat=True)) == ["2.1.6", "2.2.4"]


def test_the_four_categories_are_seed_000s():
    assert [label for _, label in Progress.choices] == [
        "1 - Achieved fully",
        "2 - On track",
        "3 - Slipped",
        "4 - Not achieved",
    ]


def test_an_action_not_past_its_date_is_not_overdue(framework, performance_officer):
    plan = seed_000(performance_officer)
    _, rows = services.progress_report(plan, today=date(2010, 9, 1))
    assert not any(r.overdue for r in rows)


def test_a_new_completion_date_keeps_the_old_one(framework, performance_officer):
    plan = seed_000(performance_officer)
    voicemail = plan.actions.get(number=2)
    services.change_action(
        voicemail,
        by=performance_officer,
        details=ActionDetails(
            text=voicemail.text,
            lead_officers=voicemail.lead_officers,
            starts_on=voicemail.starts_on,
            ends_on=date(2010, 12, 31),
        ),
    )
    revision = CompletionDateRevision.objects.get(action=voicemail)
    assert (revision.previous, revision.new) == (date(2010, 9, 30), date(2010, 12, 31))
    _, rows = services.progress_report(plan, today=date(2010, 10, 5))
    assert not rows[1].overdue


def test_actions_are_checked_with_messages_that_say_what_to_do(framework, performance_officer):
    plan = services.create_plan(by=performance_officer, title="Plan")
    with pytest.raises(InvalidInput, match="Enter the lead officer"):
        services.add_action(plan, by=performance_officer, details=ActionDetails("Do it", ""))
    with pytest.raises(InvalidInput, match="same as or after the start date"):
        services.add_action(
            plan,
            by=performance_officer,
            details=ActionDetails(
                "Do it", "Jo", starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1)
            ),
        )
    with pytest.raises(InvalidInput, match=r"no element 9\.9\.9; use numbers like 4\.3\.4"):
        services.add_action(
            plan, by=performance_officer, details=ActionDetails("Do it", "Jo", elements=("9.9.9",))
        )


def test_progress_needs_evidence_and_a_category(framework, performance_officer):
    plan = seed_000(performance_officer)
    review = plan.reviews.first()
    action = plan.actions.first()
    with pytest.raises(InvalidInput, match="1 achieved fully, 2 on track"):
        services.record_progress(review, action, by=performance_officer, evidence="x", category=5)
    with pytest.raises(InvalidInput, match="Enter the evidence of progress"):
        services.record_progress(review, action, by=performance_officer, evidence=" ", category=1)


def test_one_review_per_date(framework, performance_officer):
    plan = seed_000(performance_officer)
    with pytest.raises(InvalidInput, match="already has a review on 17/05/2010"):
        services.add_review(plan, by=performance_officer, reviewed_on=date(2010, 5, 17))


def test_only_editors_change_plans(framework, front_line):
    with pytest.raises(NotPermitted):
        services.create_plan(by=front_line, title="Mine")


def test_an_action_links_to_complaint_themes_and_lessons_learned(framework, performance_officer):
    from django.test import Client

    from heard.learning.models import Lesson, Theme

    theme = Theme.objects.create(name="Phone calls not answered", slug="phones-unanswered")
    lesson = Lesson.objects.create(
        title="Answer the phone within five rings", you_said="Nobody answered."
    )
    plan = services.create_plan(by=performance_officer, title="Telephony plan")
    action = services.add_action(
        plan,
        by=performance_officer,
        details=ActionDetails(
            text="Review voicemail standards.",
            lead_officers="K Hornsey",
            themes=(theme,),
            lessons=(lesson,),
        ),
    )
    assert list(action.themes.all()) == [theme] and list(action.lessons.all()) == [lesson]
    assert list(theme.plan_actions.all()) == [action]

    client = Client()
    client.force_login(performance_officer)
    page = client.get(f"/staff/improvement/plans/{plan.pk}/").content.decode()
    assert "Phone calls not answered" in page and "Answer the phone within five rings" in page
    url = f"/staff/improvement/plans/{plan.pk}/actions/{action.number}/"
    form = client.get(url).content.decode()
    assert f'value="{theme.pk}" checked' in form
    response = client.post(
        url, {"text": action.text, "lead_officers": action.lead_officers, "themes": []}
    )
    assert response.status_code == 302
    assert not action.themes.exists() and not action.lessons.exists()
