"""The measurement harness (bench/learning_quality.py) and the rule it measures."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import learning_quality
from heard.learning import detection

DATA_PRESENT = learning_quality.FIXMYSTREET.exists() and learning_quality.CFPB.exists()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=13, max_size=40))
def test_the_vectorised_rule_fires_exactly_where_the_one_period_rule_does(counts):
    fired = detection.fires(np.array([counts]))[0]
    for period, value in enumerate(counts):
        expected = (
            period >= 12 and detection.detect(value, counts[period - 12 : period]) is not None
        )
        assert bool(fired[period]) == expected


def test_a_planted_rise_multiplies_only_its_months_and_the_naive_rule_compares_a_year_back():
    counts = np.array([4] * 12 + [4, 5, 6, 7])
    planted = learning_quality.plant(counts, 13, 2, 1.0)
    assert planted.tolist() == [4] * 12 + [4, 10, 12, 7]
    assert learning_quality.naive_fires(planted).tolist() == [False] * 13 + [True, True, True]
    assert learning_quality.naive_fires(counts, 2.0).tolist() == [False] * 16


@pytest.mark.skipif(not DATA_PRESENT, reason="needs ../shared/data (see its README)")
def test_the_harness_runs_on_a_slice_and_produces_numbers(tmp_path):
    assert (
        learning_quality.main(
            ["--seed", "7", "--series", "600", "--resamples", "50", "--out", str(tmp_path)]
        )
        == 0
    )
    written = list(tmp_path.glob("learning-quality-*.json"))
    assert len(written) == 1 and written[0].with_suffix(".md").exists()
    result = json.loads(written[0].read_text())
    warnings = result["early_warnings"]
    assert warnings["series_planted"] > 0 and warnings["series_untouched"] > 0
    assert len(warnings["detection"]) == 9
    for row in warnings["detection"]:
        for name in ("heard", "naive", "naive_matched"):
            assert 0 <= row[name]["rate"] <= 1
            assert row[name]["planted"] == warnings["series_planted"]
    # Tripling counts is found more often than adding half (on the same series).
    by_size = {(r["rise"], r["months"]): r["heard"]["detected"] for r in warnings["detection"]}
    assert by_size[(2.0, 3)] >= by_size[(0.5, 3)]
    assert warnings["false_alarms"]["heard"]["per_100_series_years"] >= 0
    themes = result["suggestions"]
    assert themes["train_rows"] + themes["test_rows"] == themes["rows_with_narrative"] == 141
    for figure in themes["figures"].values():
        low, high = figure["interval_95"]
        assert 0 <= low <= high <= 1
