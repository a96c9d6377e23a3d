"""The Customer Service Excellence standard ships as data with seed 004's numbering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from heard.core.errors import InvalidInput, NotPermitted
from heard.improvement import services
from heard.improvement.framework import load_framework, shipped
from heard.improvement.models import Criterion, Element, Priority, SubCriterion

pytestmark = pytest.mark.django_db

SEED = Path("/work/shared/seeds/004_e728570153987ee9.txt")


def test_the_migration_loads_57_elements_in_5_criteria_and_15_sub_criteria(framework):
    assert Element.objects.count() == 57
    assert Criterion.objects.count() == 5
    assert SubCriterion.objects.count() == 15
    per_criterion = [Element.objects.filter(number__startswith=f"{n}.").count() for n in "12345"]
    assert per_criterion == [11, 11, 12, 13, 10]


def test_the_elements_have_seed_004s_numbers_in_order(framework):
    numbers = list(Element.objects.values_list("number", flat=True))
    assert numbers[:3] == ["1.1.1", "1.1.2", "1.1.3"]
    assert numbers[-1] == "5.3.3"
    assert "4.3.2" in numbers
    assert numbers == sorted(numbers, key=lambda n: tuple(int(p) for p in n.split(".")))


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not beside this checkout")
def test_every_element_of_seed_004_is_shipped_word_for_word(framework):
    _, _, body = SEED.read_text().partition("\n\n\n\nCriterion 1")
    in_seed = dict(re.findall(r"^(\d\.\d\.\d) (.+)$", body, re.M))
    assert len(in_seed) == 56  # 4.3.2 lost its wording in the seed's extraction
    for number, wording in in_seed.items():
        assert Element.objects.get(number=number).wording == wording


def test_element_4_3_2_says_where_its_wording_came_from(framework):
    element = Element.objects.get(number="4.3.2")
    assert element.wording.endswith("time limit.")
    assert "seed 004" in element.wording_source
    assert all(not e.wording_source for e in Element.objects.exclude(number="4.3.2"))


def test_the_cohorts_highlights_are_suggested_priorities(framework):
    assert framework["4.3.4"].suggested_priority
    assert not framework["4.3.2"].suggested_priority
    assert Element.objects.filter(suggested_priority=True).count() == 24


def test_loading_again_keeps_the_organisations_priorities_and_guidance(
    framework, performance_officer
):
    services.set_priority(
        framework["4.3.4"], by=performance_officer, priority=Priority.GOLD, guidance="Use the log"
    )
    assert load_framework(Criterion, SubCriterion, Element) == 57
    element = Element.objects.get(number="4.3.4")
    assert (element.priority, element.guidance) == (Priority.GOLD, "Use the log")


def test_only_editors_set_priorities(framework, front_line, performance_officer):
    with pytest.raises(NotPermitted):
        services.set_priority(framework["1.1.1"], by=front_line, priority="gold", guidance="")
    with pytest.raises(InvalidInput, match="gold, silver"):
        services.set_priority(
            framework["1.1.1"], by=performance_officer, priority="bronze", guidance=""
        )


def test_the_data_file_counts_57_elements():
    count = sum(len(s["elements"]) for c in shipped()["criteria"] for s in c["sub_criteria"])
    assert count == 57
