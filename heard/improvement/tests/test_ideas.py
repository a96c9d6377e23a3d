"""The staff suggestion scheme, "Bright Ideas" (seed 000, recommendation 7)."""

from __future__ import annotations

import pytest

from heard.core.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from heard.improvement import evidence, services
from heard.improvement.models import SuggestionStatus
from heard.improvement.services import ActionDetails

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(front_line):
    return services.submit_suggestion(
        by=front_line,
        title="Call-back slots",
        idea="Let callers book a call-back time instead of waiting on hold.",
        anonymous=True,
    )


def test_anyone_signed_in_may_suggest(idea, front_line):
    assert idea.status == SuggestionStatus.SUBMITTED
    assert idea.submitted_by == front_line


def test_an_anonymous_suggestion_hides_its_author_from_the_panel_only(
    idea, front_line, performance_officer
):
    assert services.suggester_name(idea, viewer=performance_officer) == "Anonymous"
    assert services.suggester_name(idea, viewer=front_line) == front_line.username


def test_the_panel_reviews_adopts_and_implements(idea, performance_officer):
    services.decide_suggestion(idea, by=performance_officer, status="under_review")
    services.decide_suggestion(idea, by=performance_officer, status="adopted")
    idea = services.decide_suggestion(idea, by=performance_officer, status="implemented")
    assert idea.status == SuggestionStatus.IMPLEMENTED
    assert idea.decided_by == performance_officer


def test_not_adopting_needs_a_reason_the_suggester_sees(idea, performance_officer):
    with pytest.raises(InvalidInput, match="the person who made the suggestion will see") as error:
        services.decide_suggestion(idea, by=performance_officer, status="not_adopted")
    assert error.value.field == "reason"
    idea = services.decide_suggestion(
        idea, by=performance_officer, status="not_adopted", reason="Telephony cannot do it yet."
    )
    assert idea.decision_reason == "Telephony cannot do it yet."


def test_a_suggestion_moves_only_along_the_scheme(idea, performance_officer):
    with pytest.raises(TransitionNotAllowed, match="submitted cannot be marked implemented"):
        services.decide_suggestion(idea, by=performance_officer, status="implemented")
    assert services.next_statuses(idea) == [
        SuggestionStatus.UNDER_REVIEW,
        SuggestionStatus.ADOPTED,
        SuggestionStatus.NOT_ADOPTED,
    ]


def test_only_the_panel_decides(idea, front_line):
    with pytest.raises(NotPermitted):
        services.decide_suggestion(idea, by=front_line, status="adopted")


def test_awards_go_to_adopted_suggestions(idea, performance_officer):
    with pytest.raises(TransitionNotAllowed):
        services.record_award(
            idea, by=performance_officer, award="Best idea", award_round="2026 Q1"
        )
    services.decide_suggestion(idea, by=performance_officer, status="adopted")
    idea = services.record_award(
        idea, by=performance_officer, award="Best idea of the quarter", award_round="2026 Q1"
    )
    assert (idea.award, idea.award_round) == ("Best idea of the quarter", "2026 Q1")


def test_an_adopted_suggestion_becomes_one_action_in_a_plan(idea, performance_officer, framework):
    plan = services.create_plan(by=performance_officer, title="Customer access plan")
    details = ActionDetails(text=idea.idea, lead_officers="Contact centre manager")
    with pytest.raises(TransitionNotAllowed, match="Only an adopted suggestion"):
        services.make_action(idea, by=performance_officer, plan=plan, details=details)
    services.decide_suggestion(idea, by=performance_officer, status="adopted")
    action = services.make_action(idea, by=performance_officer, plan=plan, details=details)
    assert action.from_suggestion == idea
    assert action.number == 1
    with pytest.raises(TransitionNotAllowed, match="already an action"):
        services.make_action(idea, by=performance_officer, plan=plan, details=details)


def test_bright_ideas_are_live_evidence(idea, performance_officer):
    services.decide_suggestion(idea, by=performance_officer, status="adopted")
    figure = evidence.compute("bright_ideas")
    assert figure.value == "1 staff suggestions"
    assert ("Adopted (including implemented)", "1") in figure.details


def test_the_panel_scores_against_the_published_criteria(idea, performance_officer):
    from heard.improvement.models import ScoringCriterion
    from heard.org.models import Role
    from heard.testing import make_staff

    colleague = make_staff(Role.COMPLAINTS_TEAM, username="panel2")
    every = {c.value: 4 for c in ScoringCriterion}
    services.score_suggestion(idea, by=performance_officer, scores=every)
    services.score_suggestion(idea, by=performance_officer, scores={**every, "ease": 5})  # again
    services.score_suggestion(idea, by=colleague, scores={c.value: 2 for c in ScoringCriterion})
    scores = services.panel_scores(idea)
    assert scores.members == 2
    assert dict(scores.by_criterion) == {
        "Benefit to customers": 3.0,
        "Benefit to staff and how we work": 3.0,
        "Saves time or money": 3.0,
        "Easy to put in place": 3.5,
    }
    assert scores.average == 3.1


def test_a_score_must_be_one_to_five_for_every_criterion(idea, performance_officer, front_line):
    with pytest.raises(InvalidInput, match="Score “Saves time or money” from 1"):
        services.score_suggestion(
            idea,
            by=performance_officer,
            scores={"customers": 5, "staff": 3, "saving": 6, "ease": 1},
        )
    with pytest.raises(NotPermitted):
        services.score_suggestion(
            idea, by=front_line, scores={"customers": 5, "staff": 3, "saving": 2, "ease": 1}
        )
    services.decide_suggestion(idea, by=performance_officer, status="adopted")
    with pytest.raises(TransitionNotAllowed, match="before deciding"):
        services.score_suggestion(
            idea,
            by=performance_officer,
            scores={"customers": 5, "staff": 3, "saving": 2, "ease": 1},
        )
    assert services.panel_scores(idea).members == 0


def test_scores_are_given_on_the_suggestion_page_and_hidden_from_the_suggester(
    idea, performance_officer, front_line
):
    from django.test import Client

    panel = Client()
    panel.force_login(performance_officer)
    url = f"/staff/improvement/ideas/{idea.pk}/"
    response = panel.post(url, {"form": "score", "score-customers": "5", "score-staff": "4"})
    page = response.content.decode()
    assert "Score “Saves time or money” from 1 (not at all) to 5 (very much)." in page
    response = panel.post(
        url,
        {
            "form": "score",
            "score-customers": "5",
            "score-staff": "4",
            "score-saving": "3",
            "score-ease": "2",
        },
    )
    assert response.status_code == 302
    assert "Average of 1 panel member" in panel.get(url).content.decode()

    suggester = Client()
    suggester.force_login(front_line)
    assert "panel member" not in suggester.get(url).content.decode()
    response = suggester.post(url, {"form": "score", "score-customers": "5"})
    assert response.status_code == 403
    assert "Benefit to customers" in suggester.get("/staff/improvement/ideas/new").content.decode()
