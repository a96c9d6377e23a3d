import csv
import io
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from heard.cases.models import Case
from heard.core.errors import InvalidInput
from heard.learning.classification import record_classification
from heard.learning.models import ThemeModel
from heard.learning.suggestions import (
    commonest_theme,
    fit,
    measure,
    suggest_themes,
    train_theme_model,
)
from heard.testing import make_case

HISTORY = {
    "missed-bin-collection": [
        "Bin not collected again on our street",
        "The recycling bin was missed this week",
        "Bin lorry did not come, bins still full",
        "Missed collection of the green garden waste bin",
        "Our black bin has not been emptied for two weeks",
        "Bins missed on collection day again",
        "The food waste caddy was not collected",
        "Collection crew skipped our road, bin not emptied",
    ],
    "staff-attitude": [
        "The officer on the phone was rude and shouted at me",
        "Receptionist was dismissive and unhelpful",
        "The staff member was rude and hung up on me",
        "Housing officer was aggressive during the visit",
        "I was spoken to in a rude and patronising way",
        "The man at the counter was rude and laughed",
        "Advisor was impolite and would not listen",
        "Rude behaviour from the enforcement officer",
    ],
    "delay": [
        "I have waited six weeks for a reply to my letter",
        "Still waiting for a decision after two months",
        "No answer to my email for weeks",
        "The application has taken far too long",
        "Waiting months for the assessment to be done",
        "Response to my enquiry is long overdue",
        "I was promised a call back within a week and waited a month",
        "Very long wait for the refund",
    ],
}


def _case(by, text, theme):
    case = make_case(subject=text[:200])
    Case.objects.filter(pk=case.pk).update(description="")
    case.description = ""
    record_classification(case, by=by, themes=[theme])
    return case


@pytest.fixture
def history(complaints):
    for theme, texts in HISTORY.items():
        for text in texts:
            _case(complaints, text, theme)


@pytest.mark.django_db
def test_with_no_model_nothing_is_suggested_and_too_few_cases_cannot_train(complaints):
    assert suggest_themes("The bin was not collected") == []
    _case(complaints, "Bin not collected", "missed-bin-collection")
    with pytest.raises(InvalidInput, match="at least 10 cases"):
        train_theme_model()


@pytest.mark.django_db
def test_a_trained_model_suggests_the_theme_with_a_confidence_and_is_measured(history):
    model = train_theme_model()
    assert model.examples == 24
    assert model.held_out >= 5
    assert model.accuracy is not None and model.baseline_accuracy is not None
    suggested = suggest_themes("Nobody collected our recycling bin")
    assert suggested[0].theme.slug == "missed-bin-collection"
    assert 0 < suggested[0].confidence <= 1
    assert suggest_themes("The officer was very rude to me")[0].theme.slug == "staff-attitude"


@pytest.mark.django_db
def test_the_stored_model_is_plain_arrays_loadable_without_pickle(history):
    model = train_theme_model()
    with np.load(io.BytesIO(bytes(model.weights)), allow_pickle=False) as arrays:
        assert {"vocabulary", "idf", "coef", "intercept", "themes"} <= set(arrays.files)
        assert all(arrays[name].dtype != object for name in arrays.files)


@pytest.mark.django_db
def test_an_officers_correction_changes_the_next_suggestion_for_the_same_text(history, complaints):
    text = "Rubbish left all over the pavement after the bin collection"
    train_theme_model()
    before = suggest_themes(text)[0].theme.slug
    assert before == "missed-bin-collection"
    case = make_case(subject=text)
    Case.objects.filter(pk=case.pk).update(description="")
    record_classification(
        case,
        by=complaints,
        themes=["roads-and-pavements"],
        suggested=[s.as_dict() for s in suggest_themes(text)],
    )
    train_theme_model()
    assert suggest_themes(text)[0].theme.slug == "roads-and-pavements"
    assert ThemeModel.objects.filter(active=True).count() == 1


CFPB = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cfpb-complaints-sample.csv"


@pytest.mark.skipif(not CFPB.exists(), reason="needs ../shared/data/cfpb-complaints-sample.csv")
def test_on_real_cfpb_narratives_it_beats_always_picking_the_commonest_product():
    """Real data we did not write: CFPB Consumer Complaint Database sample (US public domain).

    Narrative -> Product; train on the older rows, test on the newer. Only 141 rows carry a
    narrative, so the figures are rough: a bootstrap interval is printed beside each.
    """
    from sklearn.metrics import f1_score

    with CFPB.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Consumer_complaint_narrative"].strip()]
    rows.sort(key=lambda r: datetime.strptime(r["Date_received"], "%d-%m-%Y"))
    cut = int(len(rows) * 0.7)
    train, test = rows[:cut], rows[cut:]
    texts = [r["Consumer_complaint_narrative"] for r in train]
    labels = [[r["Product"]] for r in train]
    fitted = fit(texts, labels)
    commonest = commonest_theme(labels)
    truth = [[r["Product"]] for r in test]
    measured = measure(
        fitted, [r["Consumer_complaint_narrative"] for r in test], truth, commonest=commonest
    )
    probabilities = fitted.probabilities([r["Consumer_complaint_narrative"] for r in test])
    predicted = [fitted.themes[i] for i in probabilities.argmax(axis=1)]
    actual = [t[0] for t in truth]
    macro_f1 = f1_score(actual, predicted, average="macro", zero_division=0)
    baseline_f1 = f1_score(actual, [commonest] * len(actual), average="macro", zero_division=0)

    rng = np.random.default_rng(11)
    hits = np.array([p == a for p, a in zip(predicted, actual, strict=True)], dtype=float)
    boot = [hits[rng.integers(0, len(hits), len(hits))].mean() for _ in range(1000)]
    low, high = np.percentile(boot, [2.5, 97.5])
    print(
        f"CFPB narratives: train {len(train)}, test {len(test)}; accuracy {measured.accuracy:.2f} "
        f"(95% bootstrap {low:.2f}-{high:.2f}), top-3 {measured.top3_accuracy:.2f}, macro-F1 "
        f"{macro_f1:.2f}; baseline accuracy {measured.baseline_accuracy:.2f}, macro-F1 {baseline_f1:.2f}"
    )
    assert measured.examples == len(test) == 43
    assert measured.top3_accuracy > measured.baseline_accuracy
    assert macro_f1 > baseline_f1
