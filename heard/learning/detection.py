"""The early-warning rule as plain functions over counts: no Django, so that it can be measured
on any series (``python -m bench.learning_quality``) and used by heard.learning.early_warnings.

For one period's count and the counts of the periods before it (the baseline):

* the expected count λ is the baseline's average, at least ``LAMBDA_FLOOR`` (0.5);
* the threshold is the smallest n, and at least ``min_count``, such that n or more would
  happen by chance with probability under ``probability`` if the counts were Poisson with
  mean λ;
* the period raises a warning when its count reaches the threshold.

:func:`detect` judges one period; :func:`fires` judges every period of many series at once
with the same rule (it is what the measurement uses) and :func:`scan` lists where rises start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

LAMBDA_FLOOR = 0.5
PROBABILITY = 0.001
MIN_COUNT = 5
BASELINE_PERIODS = 12


@dataclass(frozen=True)
class Detection:
    observed: int
    expected: float
    threshold: int
    probability: float


def thresholds(
    expected: np.ndarray, *, probability: float = PROBABILITY, min_count: int = MIN_COUNT
) -> np.ndarray:
    """For each expected count λ, the smallest count that raises a warning."""
    expected = np.maximum(np.asarray(expected, dtype=float), LAMBDA_FLOOR)
    threshold = np.asarray(poisson.isf(probability, expected), dtype=np.int64) + 1
    # isf finds P(X > k) <= alpha; the rule wants P(X >= n) strictly under alpha.
    while True:
        short = poisson.sf(threshold - 1, expected) >= probability
        if not short.any():
            break
        threshold = threshold + short
    return np.maximum(threshold, min_count)


def detect(
    observed: int,
    baseline: Sequence[int],
    *,
    probability: float = PROBABILITY,
    min_count: int = MIN_COUNT,
) -> Detection | None:
    """A Detection when ``observed`` is beyond what chance explains after ``baseline``, else None."""
    expected = max(float(np.mean(baseline)) if len(baseline) else 0.0, LAMBDA_FLOOR)
    threshold = int(
        thresholds(np.array([expected]), probability=probability, min_count=min_count)[0]
    )
    if observed < threshold:
        return None
    return Detection(observed, expected, threshold, float(poisson.sf(observed - 1, expected)))


def fires(
    counts: np.ndarray,
    *,
    baseline_periods: int = BASELINE_PERIODS,
    probability: float = PROBABILITY,
    min_count: int = MIN_COUNT,
) -> np.ndarray:
    """Series x periods (2-D counts): True where that period raises a warning.

    The first ``baseline_periods`` periods of each series have no baseline and never fire.
    """
    counts = np.atleast_2d(np.asarray(counts, dtype=np.int64))
    result = np.zeros(counts.shape, dtype=bool)
    if counts.shape[1] <= baseline_periods:
        return result
    cumulative = np.concatenate(
        [np.zeros((counts.shape[0], 1), dtype=np.int64), np.cumsum(counts, axis=1)], axis=1
    )
    # The mean of the baseline_periods before each period from baseline_periods onwards.
    sums = cumulative[:, baseline_periods:-1] - cumulative[:, : -baseline_periods - 1]
    expected = sums / baseline_periods
    limit = thresholds(expected, probability=probability, min_count=min_count)
    result[:, baseline_periods:] = counts[:, baseline_periods:] >= limit
    return result


def starts(fired: Sequence[bool] | np.ndarray) -> list[int]:
    """The periods where a run of warnings begins (a continuing rise counts once)."""
    fired = np.asarray(fired, dtype=bool)
    previous = np.concatenate([[False], fired[:-1]])
    return np.flatnonzero(fired & ~previous).tolist()


def scan(
    counts: Sequence[int],
    *,
    baseline_weeks: int = BASELINE_PERIODS,
    probability: float = PROBABILITY,
    min_count: int = MIN_COUNT,
) -> list[int]:
    """The periods of one series in which a new rise starts (a continuing rise counts once)."""
    fired = fires(
        np.asarray([counts]),
        baseline_periods=baseline_weeks,
        probability=probability,
        min_count=min_count,
    )[0]
    return starts(fired)
