import pytest

from heard.cases.models import CaseEvent
from heard.core.errors import InvalidInput, NotFound, NotPermitted
from heard.learning.classification import classification_of, record_classification
from heard.learning.models import RootCause, Theme
from heard.org.models import Role
from heard.testing import make_case, make_service, make_staff

pytestmark = pytest.mark.django_db


def test_the_shipped_taxonomy_has_themes_and_root_causes():
    assert Theme.objects.filter(slug="missed-bin-collection", active=True).exists()
    assert set(RootCause.objects.values_list("slug", flat=True)) >= {
        "process",
        "people",
        "policy",
        "system",
        "third-party",
    }


def test_recording_themes_at_a_stage_logs_it_on_the_case(complaints):
    case = make_case()
    record_classification(
        case, by=complaints, themes=["missed-bin-collection", "communication"], root_cause="process"
    )
    recorded = classification_of(case)
    assert recorded is not None
    assert sorted(t.slug for t in recorded.themes.all()) == [
        "communication",
        "missed-bin-collection",
    ]
    assert recorded.root_cause is not None
    assert recorded.root_cause.slug == "process"
    assert CaseEvent.objects.filter(case=case, action="classified").exists()


def test_recording_again_corrects_and_a_different_choice_from_the_suggestion_is_a_correction(
    complaints,
):
    case = make_case()
    record_classification(case, by=complaints, themes=["delay"])
    corrected = record_classification(
        case,
        by=complaints,
        themes=["staff-attitude"],
        suggested=[{"theme": "delay", "confidence": 0.7}],
    )
    assert [t.slug for t in corrected.themes.all()] == ["staff-attitude"]
    assert corrected.corrected is True
    assert CaseEvent.objects.filter(case=case, action="reclassified").exists()


def test_no_theme_an_unknown_one_or_a_retired_one_is_refused_with_what_to_do(complaints):
    case = make_case()
    with pytest.raises(InvalidInput, match="Choose at least one theme"):
        record_classification(case, by=complaints, themes=[])
    with pytest.raises(InvalidInput, match="no theme 'nonsense'"):
        record_classification(case, by=complaints, themes=["nonsense"])
    Theme.objects.filter(slug="policy").update(active=False)
    with pytest.raises(InvalidInput, match="no longer used"):
        record_classification(case, by=complaints, themes=["policy"])


def test_an_officer_who_cannot_see_the_case_or_has_no_role_is_refused(complaints):
    case = make_case(service=make_service("waste"))
    outsider = make_staff(Role.INVESTIGATING_OFFICER, services=[make_service("parks")])
    with pytest.raises(NotFound):
        record_classification(case, by=outsider, themes=["delay"])
    equality = make_staff(Role.EQUALITY_OFFICER)
    with pytest.raises(NotPermitted):
        record_classification(case, by=equality, themes=["delay"])
