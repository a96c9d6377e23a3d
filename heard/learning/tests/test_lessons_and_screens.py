from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from heard.core.errors import InvalidInput, NotPermitted
from heard.learning.forms import ClassificationForm
from heard.learning.lessons import save_lesson
from heard.learning.models import LessonStatus, Theme
from heard.learning.panels import (
    case_panel_context,
    save_classification,
    triage_suggestions_context,
)
from heard.org.models import Role
from heard.testing import make_case, make_staff

pytestmark = pytest.mark.django_db


def _lesson(by, **changes):
    values: dict[str, Any] = {
        "title": "Bin collections on narrow streets",
        "you_said": "Bins on narrow streets were missed when cars blocked the lorry.",
        "we_did": "Smaller vehicles now collect from narrow streets.",
        "status": LessonStatus.DONE,
        "changed_on": date(2026, 3, 1),
        "evidence": "Route change notice, March 2026.",
        "themes": [Theme.objects.get(slug="missed-bin-collection")],
    }
    values.update(changes)
    return save_lesson(None, by=by, **values)


def test_a_lesson_marked_public_appears_on_the_public_page_and_one_not_marked_does_not(
    client, complaints
):
    _lesson(complaints, public=True)
    _lesson(complaints, title="Internal only lesson", public=False)
    page = client.get(reverse("you-said-we-did:index"))
    assert page.status_code == 200
    assert "Smaller vehicles now collect from narrow streets." in page.content.decode()
    assert "Internal only lesson" not in page.content.decode()


def test_personal_data_or_an_empty_we_did_cannot_be_published(complaints):
    with pytest.raises(InvalidInput, match="a case reference"):
        _lesson(complaints, public=True, you_said="As in CMP-2026-000123, bins were missed.")
    with pytest.raises(InvalidInput, match="an email address"):
        _lesson(complaints, public=True, we_did="Write to ann@example.org")
    with pytest.raises(InvalidInput, match="what we did"):
        _lesson(complaints, public=True, we_did="")
    with pytest.raises(InvalidInput, match="date the change was made"):
        _lesson(complaints, changed_on=None)


def test_a_front_line_officer_cannot_record_lessons():
    with pytest.raises(NotPermitted):
        _lesson(make_staff(Role.FRONT_LINE_OFFICER))


def test_staff_pages_need_sign_in_and_render_for_the_complaints_team(client, complaints):
    assert client.get(reverse("learning:index")).status_code == 302
    client.force_login(complaints)
    for name in ("learning:index", "learning:warnings", "learning:lessons", "learning:lesson-new"):
        assert client.get(reverse(name)).status_code == 200, name
    front_line = make_staff(Role.FRONT_LINE_OFFICER)
    client.force_login(front_line)
    assert client.get(reverse("learning:warnings")).status_code == 403


def test_recording_a_lesson_through_the_page(client, complaints):
    client.force_login(complaints)
    response = client.post(
        reverse("learning:lesson-new"),
        {
            "title": "Clearer letters",
            "you_said": "Letters were hard to follow.",
            "status": "identified",
        },
    )
    assert response.status_code == 302
    assert "Clearer letters" in client.get(reverse("learning:lessons")).content.decode()


def test_the_case_panel_and_its_themes_form_record_themes(client, complaints):
    case = make_case()
    context = case_panel_context(complaints, case)
    assert context["learning_classification"] is None and context["learning_may_classify"]
    client.force_login(complaints)
    response = client.post(
        reverse("learning:classify", args=[case.reference]),
        {"learning-themes": ["missed-bin-collection"], "learning-root_cause": "third-party"},
    )
    assert response.status_code == 302
    recorded = case_panel_context(complaints, case)["learning_classification"]
    assert [t.slug for t in recorded.themes.all()] == ["missed-bin-collection"]
    assert recorded.root_cause.slug == "third-party"


def test_the_partials_render(complaints, rf):
    from django.template.loader import render_to_string

    case = make_case()
    request = rf.get("/")
    request.user = complaints
    html = render_to_string(
        "learning/_case_panel.html", case_panel_context(complaints, case), request
    )
    assert "Themes and related cases" in html
    html = render_to_string(
        "learning/_triage_suggestions.html",
        triage_suggestions_context(complaints, "bins missed"),
        request,
    )
    assert "Missed bin collection" in html


def test_the_form_for_the_respond_step_saves_with_save_classification(complaints):
    case = make_case()
    form = ClassificationForm({"learning-themes": ["delay", "communication"]})
    assert form.is_valid(), form.errors
    saved = save_classification(form, case, by=complaints)
    assert sorted(t.slug for t in saved.themes.all()) == ["communication", "delay"]
    assert not ClassificationForm({}).is_valid()
