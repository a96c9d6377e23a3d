"""Suggested themes for a contact from its words, learned from the organisation's own history.

The model is TF-IDF over words and word pairs with one logistic regression per theme
(scikit-learn, trained by a background job; nothing is downloaded). What is stored is plain
arrays — the vocabulary, the IDF weights and the coefficients — in a NumPy ``.npz`` loaded with
``allow_pickle=False``, so a database row can never run code. Suggesting uses NumPy only.

Each case's latest recorded themes are one training example; an officer's correction of a
suggestion counts ``HEARD_LEARNING_CORRECTION_WEIGHT`` times, so the next model learns from it.
Before the final fit the newest fifth of the cases is held back to measure the model.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heard.core.errors import InvalidInput
from heard.learning.models import Classification, Theme, ThemeModel

MIN_EXAMPLES = 10
HELD_OUT_SHARE = 0.2
MIN_HELD_OUT = 5
KEEP_OLD_MODELS = 3


@dataclass(frozen=True)
class Fitted:
    """A trained model as plain arrays."""

    themes: list[str]
    vocabulary: np.ndarray  # str, one per feature
    idf: np.ndarray  # float32, one per feature
    coef: np.ndarray  # float32, themes x features
    intercept: np.ndarray  # float32, one per theme

    def vectorizer(self) -> Any:
        vectorizer = _vectorizer(vocabulary={t: i for i, t in enumerate(self.vocabulary)})
        vectorizer.idf_ = self.idf
        return vectorizer

    def probabilities(self, texts: Sequence[str], vectorizer: Any = None) -> np.ndarray:
        """Texts x themes: how likely each theme is, each between 0 and 1."""
        features = (vectorizer or self.vectorizer()).transform(list(texts))
        scores = np.asarray(features @ self.coef.T) + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))


@dataclass(frozen=True)
class SuggestedTheme:
    theme: Theme
    confidence: float

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)

    def as_dict(self) -> dict[str, Any]:
        return {"theme": self.theme.slug, "confidence": round(self.confidence, 3)}


# -- training and measuring (plain functions of data) --------------------------------------


def fit(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    *,
    weights: Sequence[float] | None = None,
) -> Fitted:
    """Fit TF-IDF and one logistic regression per theme seen in ``labels``."""
    from sklearn.linear_model import LogisticRegression

    themes = sorted({theme for row in labels for theme in row})
    if len(themes) < 2:
        raise InvalidInput(
            "Suggestions need cases recorded with at least two different themes. Record themes "
            "on more cases, then train again."
        )
    vectorizer = _vectorizer(min_df=2 if len(texts) >= 2000 else 1)
    features = vectorizer.fit_transform(list(texts))
    sample_weight = np.asarray(weights if weights is not None else [1.0] * len(texts))
    coef = np.zeros((len(themes), features.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(themes), dtype=np.float32)
    for row, theme in enumerate(themes):
        target = np.array([theme in label for label in labels], dtype=np.int8)
        positives = int(target.sum())
        if positives == len(target):
            intercept[row] = 6.0
            continue
        model = LogisticRegression(C=10.0, solver="liblinear", max_iter=200)
        model.fit(features, target, sample_weight=sample_weight)
        coef[row] = model.coef_[0]
        intercept[row] = model.intercept_[0]
    return Fitted(
        themes=themes,
        vocabulary=np.asarray(vectorizer.get_feature_names_out(), dtype=str),
        idf=vectorizer.idf_.astype(np.float32),
        coef=coef,
        intercept=intercept,
    )


@dataclass(frozen=True)
class Measured:
    examples: int
    accuracy: float  # the top suggestion is one of the true themes
    top3_accuracy: float
    baseline_accuracy: float  # always the commonest theme of the training rows


def measure(
    fitted: Fitted, texts: Sequence[str], labels: Sequence[Sequence[str]], *, commonest: str
) -> Measured:
    """How often the top (and any of the top three) suggestions is right, beside the baseline."""
    probabilities = fitted.probabilities(texts)
    ranked = np.argsort(-probabilities, axis=1)
    top1 = top3 = baseline = 0
    for row, truth in enumerate(labels):
        names = [fitted.themes[i] for i in ranked[row, :3]]
        top1 += names[0] in truth
        top3 += any(name in truth for name in names)
        baseline += commonest in truth
    n = max(len(labels), 1)
    return Measured(len(labels), top1 / n, top3 / n, baseline / n)


def commonest_theme(labels: Sequence[Sequence[str]]) -> str:
    counts = Counter(theme for row in labels for theme in row)
    return counts.most_common(1)[0][0] if counts else ""


# -- the organisation's model ---------------------------------------------------------------


def training_examples(
    limit: int | None = None,
) -> tuple[list[str], list[list[str]], list[float]]:
    """Each classified case's text and latest themes, oldest first, corrections weighted."""
    limit = limit or settings.HEARD_LEARNING_MAX_TRAINING_CASES
    rows = (
        Classification.objects.order_by("-case__received_at", "-case_id", "-stage_number")
        .values_list(
            "id", "case_id", "corrected", "case__subject", "case__description", "case__received_at"
        )
        .iterator(chunk_size=5000)
    )
    latest: dict[int, tuple[int, bool, str]] = {}
    for classification_id, case_id, corrected, subject, description, _ in rows:
        if case_id in latest:
            continue
        latest[case_id] = (classification_id, corrected, f"{subject}\n{description}")
        if len(latest) >= limit:
            break
    through = Classification.themes.through
    themes: dict[int, list[str]] = {}
    ids = [value[0] for value in latest.values()]
    for start in range(0, len(ids), 5000):
        for classification_id, slug in through.objects.filter(
            classification_id__in=ids[start : start + 5000]
        ).values_list("classification_id", "theme__slug"):
            themes.setdefault(classification_id, []).append(slug)
    texts, labels, weights = [], [], []
    correction_weight = settings.HEARD_LEARNING_CORRECTION_WEIGHT
    for classification_id, corrected, text in reversed(list(latest.values())):
        if classification_id not in themes:
            continue
        texts.append(text)
        labels.append(sorted(themes[classification_id]))
        weights.append(correction_weight if corrected else 1.0)
    return texts, labels, weights


def train_theme_model(*, now: datetime | None = None) -> ThemeModel:
    """Measure on the newest cases held back, fit on every case, and make the new model active."""
    texts, labels, weights = training_examples()
    if len(texts) < MIN_EXAMPLES:
        raise InvalidInput(
            f"Suggestions need at least {MIN_EXAMPLES} cases with themes recorded; there are "
            f"{len(texts)}. Record themes when answering cases, then train again."
        )
    held_out = max(MIN_HELD_OUT, int(len(texts) * HELD_OUT_SHARE))
    measured: Measured | None = None
    if len(texts) - held_out >= MIN_EXAMPLES:
        cut = len(texts) - held_out
        try:
            trial = fit(texts[:cut], labels[:cut], weights=weights[:cut])
        except InvalidInput:
            trial = None
        if trial is not None:
            measured = measure(
                trial, texts[cut:], labels[cut:], commonest=commonest_theme(labels[:cut])
            )
    fitted = fit(texts, labels, weights=weights)
    with transaction.atomic():
        ThemeModel.objects.filter(active=True).update(active=False)
        model = ThemeModel.objects.create(
            trained_at=now or timezone.now(),
            weights=dumps(fitted),
            themes=fitted.themes,
            examples=len(texts),
            held_out=measured.examples if measured else 0,
            accuracy=measured.accuracy if measured else None,
            top3_accuracy=measured.top3_accuracy if measured else None,
            baseline_accuracy=measured.baseline_accuracy if measured else None,
            active=True,
        )
        old = ThemeModel.objects.filter(active=False).values_list("pk", flat=True)
        ThemeModel.objects.filter(pk__in=list(old[KEEP_OLD_MODELS:])).delete()
    return model


def dumps(fitted: Fitted) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        themes=np.asarray(fitted.themes, dtype=str),
        vocabulary=fitted.vocabulary,
        idf=fitted.idf,
        coef=fitted.coef,
        intercept=fitted.intercept,
    )
    return buffer.getvalue()


def loads(data: bytes) -> Fitted:
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as arrays:
        return Fitted(
            themes=[str(t) for t in arrays["themes"]],
            vocabulary=arrays["vocabulary"],
            idf=arrays["idf"],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
        )


_loaded: dict[int, tuple[Fitted, Any]] = {}


def active_model() -> tuple[Fitted, Any] | None:
    """The active model and its vectorizer, loaded once per process and model."""
    model_id = ThemeModel.objects.filter(active=True).values_list("pk", flat=True).first()
    if model_id is None:
        return None
    if model_id not in _loaded:
        row = ThemeModel.objects.only("weights").get(pk=model_id)
        fitted = loads(row.weights)
        _loaded.clear()
        _loaded[model_id] = (fitted, fitted.vectorizer())
    return _loaded[model_id]


def suggest_themes(text: str, *, limit: int = 3) -> list[SuggestedTheme]:
    """The likeliest current themes for this text, most likely first (none without a model)."""
    if not (text or "").strip():
        return []
    loaded = active_model()
    if loaded is None:
        return []
    fitted, vectorizer = loaded
    probabilities = fitted.probabilities([text], vectorizer)[0]
    order = np.argsort(-probabilities)
    by_slug = {t.slug: t for t in Theme.objects.filter(active=True, slug__in=fitted.themes)}
    minimum = settings.HEARD_LEARNING_SUGGEST_MIN_CONFIDENCE
    suggested = []
    for index in order:
        theme = by_slug.get(fitted.themes[index])
        if theme is None or probabilities[index] < minimum:
            continue
        suggested.append(SuggestedTheme(theme, float(probabilities[index])))
        if len(suggested) >= limit:
            break
    return suggested


def top_themes(texts: Sequence[str], *, minimum: float = 0.5) -> list[str]:
    """For many texts at once, the likeliest theme's slug ('' when below ``minimum``)."""
    loaded = active_model()
    if loaded is None or not texts:
        return [""] * len(texts)
    fitted, vectorizer = loaded
    probabilities = fitted.probabilities(texts, vectorizer)
    best = probabilities.argmax(axis=1)
    return [
        fitted.themes[i] if probabilities[row, i] >= minimum else "" for row, i in enumerate(best)
    ]


def _vectorizer(**kwargs: Any) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        stop_words="english",
        strip_accents="unicode",
        max_features=50_000,
        dtype=np.float32,
        **kwargs,
    )
