"""The early-warning rule as plain functions over counts: no Django, so that it can be measured
on any series (``python -m bench.learning_quality``) and used by heard.learning.early_warnings.

For one period's count and the counts of the periods before it (the baseline):

* the expected count λ is the baseline's average, at least ``LAMBDA_FLOOR`` (0.5);
* how much the count varies by chance is judged from the baseline too: where the baseline
  varied more than a Poisson count would (its variance above its mean — campaigns, weather,
  trends), the count is taken to follow a negative binomial distribution with the baseline's
  mean and variance; otherwise a Poisson distribution with mean λ;
* the threshold is the smallest n, and at least ``min_count``, such that n or more would
  happen by chance with probability under ``probability`` under that distribution;
* the period raises a warning when its count reaches the threshold.

With ``dispersion=False`` the variance is ignored and every count is judged as Poisson (the
rule before the measurement in docs/learning-quality.md showed that real counts vary more:
it alerted about 40 times as often as its stated rate).

:func:`detect` judges one period; :func:`fires` judges every period of many series at once
with the same rule (it is what the measurement uses) and :func:`scan` lists where rises start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import nbinom, poisson

LAMBDA_FLOOR = 0.5
PROBABILITY = 0.001
MIN_COUNT = 5
BASELINE_PERIODS = 12
POISSON = "Poisson"
NEGATIVE_BINOMIAL = "negative binomial"


@dataclass(frozen=True)
class Detection:
    observed: int
    expected: float
    threshold: int
    probability: float
    model: str = POISSON  # the distribution the chance was worked out with


class _Chance:
    """Counts as chance would have them: Poisson with the expected mean, or negative binomial
    with the expected mean and a larger variance, element by element."""

    def __init__(self, expected: np.ndarray, variance: np.ndarray | None) -> None:
        self.expected = np.maximum(np.asarray(expected, dtype=float), LAMBDA_FLOOR)
        spread = self.expected if variance is None else np.asarray(variance, dtype=float)
        self.over = spread > self.expected
        # Negative binomial with mean m and variance v: size r = m² / (v - m), p = r / (r + m).
        excess = np.where(self.over, spread - self.expected, 1.0)
        self.size = np.where(self.over, self.expected**2 / excess, 1.0)
        self.p = self.size / (self.size + self.expected)

    def sf(self, k: np.ndarray) -> np.ndarray:
        """P(X > k) for each element."""
        result = np.asarray(poisson.sf(k, self.expected), dtype=float)
        if self.over.any():
            result = np.where(self.over, nbinom.sf(k, self.size, self.p), result)
        return result

    def isf(self, probability: float) -> np.ndarray:
        result = np.asarray(poisson.isf(probability, self.expected), dtype=float)
        if self.over.any():
            result = np.where(self.over, nbinom.isf(probability, self.size, self.p), result)
        return result

    def model(self) -> str:
        return NEGATIVE_BINOMIAL if bool(np.all(self.over)) else POISSON


def _thresholds(chance: _Chance, probability: float, min_count: int) -> np.ndarray:
    threshold = np.asarray(chance.isf(probability), dtype=np.int64) + 1
    # isf finds P(X > k) <= alpha; the rule wants P(X >= n) strictly under alpha.
    while True:
        short = chance.sf(threshold - 1) >= probability
        if not short.any():
            break
        threshold = threshold + short
    return np.maximum(threshold, min_count)


def thresholds(
    expected: np.ndarray,
    *,
    variance: np.ndarray | None = None,
    probability: float = PROBABILITY,
    min_count: int = MIN_COUNT,
) -> np.ndarray:
    """For each expected count λ (and the baseline's variance, if it is to be allowed for),
    the smallest count that raises a warning."""
    return _thresholds(_Chance(np.asarray(expected), variance), probability, min_count)


def detect(
    observed: int,
    baseline: Sequence[int],
    *,
    probability: float = PROBABILITY,
    min_count: int = MIN_COUNT,
    dispersion: bool = True,
) -> Detection | None:
    """A Detection when ``observed`` is beyond what chance explains after ``baseline``, else None."""
    counts = np.asarray(baseline, dtype=float)
    expected = max(float(counts.mean()) if len(counts) else 0.0, LAMBDA_FLOOR)
    variance = np.array([counts.var(ddof=1)]) if dispersion and len(counts) > 1 else None
    chance = _Chance(np.array([expected]), variance)
    threshold = int(_thresholds(chance, probability, min_count)[0])
    if observed < threshold:
        return None
    return Detection(
        observed,
        expected,
        threshold,
        float(chance.sf(np.array([observed - 1]))[0]),
        chance.model(),
    )


def fires(
    counts: np.ndarray,
    *,
    baseline_periods: int = BASELINE_PERIODS,
    probability: float = PROBABILITY,
    min_count: int = MIN_COUNT,
    dispersion: bool = True,
) -> np.ndarray:
    """Series x periods (2-D counts): True where that period raises a warning.

    The first ``baseline_periods`` periods of each series have no baseline and never fire.
    """
    counts = np.atleast_2d(np.asarray(counts, dtype=np.int64))
    result = np.zeros(counts.shape, dtype=bool)
    if counts.shape[1] <= baseline_periods:
        return result

    def window_sums(values: np.ndarray) -> np.ndarray:
        """The sum of the baseline_periods before each period from baseline_periods onwards."""
        cumulative = np.concatenate(
            [np.zeros((values.shape[0], 1), dtype=values.dtype), np.cumsum(values, axis=1)],
            axis=1,
        )
        return cumulative[:, baseline_periods:-1] - cumulative[:, : -baseline_periods - 1]

    sums = window_sums(counts)
    expected = sums / baseline_periods
    variance = None
    if dispersion and baseline_periods > 1:
        squares = window_sums(counts.astype(np.float64) ** 2)
        variance = (squares - sums.astype(np.float64) ** 2 / baseline_periods) / (
            baseline_periods - 1
        )
    limit = thresholds(expected, variance=variance, probability=probability, min_count=min_count)
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
    dispersion: bool = True,
) -> list[int]:
    """The periods of one series in which a new rise starts (a continuing rise counts once)."""
    fired = fires(
        np.asarray([counts]),
        baseline_periods=baseline_weeks,
        probability=probability,
        min_count=min_count,
        dispersion=dispersion,
    )[0]
    return starts(fired)
