"""How good are early warnings and suggested themes on real data we did not write?

    python -m bench.learning_quality --seed 2026

1. Early warnings, on ``../shared/data/fixmystreet-monthly-by-council.csv.gz`` (real monthly
   FixMyStreet report counts per UK council and category, 2007-2020; "Contains FixMyStreet
   data from mySociety, made available under the ODC Attribution License"). Each council and
   category is one series, from the council's first report to December 2020 (months without
   a row are 0). Series averaging fewer than ``--min-mean`` reports a month are left out:
   a +50 % rise on 0.3 reports a month is not something any rule could see.
   A random share of the series (``--planted-share``) gets planted rises: for every rise size
   (+50 %, +100 %, +200 %) and length (1, 2 or 3 months) one independent rise at a random
   month, made by multiplying the real counts of those months by 1.5, 2 or 3 (rounded).
   A rise is detected when the rule fires in any of its months. The other series are left
   untouched, and every alert on them is a false alarm (counted per 100 series-years of
   months checked). Both are reported for Heard's rule (heard/learning/detection.py: Poisson
   upper limit over the mean of the 12 periods before, p < 0.001, at least 5) applied to the
   months, and for a naive baseline: alert when a count exceeds 1.5 times the same month a
   year earlier - as asked, and again with a larger factor (and Heard's minimum of 5) so that
   it alerts about as often as Heard's rule, to compare detection at the same false alarms.
2. Suggested themes, on ``../shared/data/cfpb-complaints-sample.csv`` (US CFPB Consumer
   Complaint Database sample, public domain): the rows with a narrative, narrative ->
   Product, trained with heard.learning.suggestions.fit on the oldest 70 % and tested on the
   newest 30 %. Macro-F1 and top-3 accuracy beside always picking the commonest product
   (top-3: the three commonest), each with a 95 % bootstrap interval over the test rows.

Writes bench/results/learning-quality-<date>.json and .md and prints the Markdown.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import os
import platform
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from heard.learning import detection

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
FIXMYSTREET = DATA / "fixmystreet-monthly-by-council.csv.gz"
CFPB = DATA / "cfpb-complaints-sample.csv"
RESULTS = ROOT / "bench" / "results"

RISES = (0.5, 1.0, 2.0)
LENGTHS = (1, 2, 3)
NAIVE_FACTOR = 1.5
BANDS = ((1.0, 5.0), (5.0, 20.0), (20.0, math.inf))


# -- early warnings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    council: str
    category: str
    counts: np.ndarray  # one per month, from the council's first report

    @property
    def mean(self) -> float:
        return float(self.counts.mean())


def load_fixmystreet(path: Path = FIXMYSTREET) -> list[Series]:
    """Every council-and-category series, zero-filled from the council's first month."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = [
            (r["month"], r["lad_code"], r["category_code"], int(r["reports"]))
            for r in csv.DictReader(handle)
        ]
    months = sorted({month for month, *_ in rows})
    index = {month: i for i, month in enumerate(months)}
    first: dict[str, int] = {}
    totals: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(len(months), np.int64))
    for month, council, category, reports in rows:
        i = index[month]
        first[council] = min(first.get(council, i), i)
        totals[(council, category)][i] += reports
    return [
        Series(council, category, counts[first[council] :])
        for (council, category), counts in sorted(totals.items())
    ]


def naive_fires(counts: np.ndarray, factor: float = NAIVE_FACTOR, min_count: int = 0) -> np.ndarray:
    """Alert when a month's count exceeds ``factor`` (1.5) times the same month a year earlier
    (and, for the matched variant, is at least ``min_count``)."""
    fired = np.zeros(len(counts), dtype=bool)
    fired[12:] = (counts[12:] > factor * counts[:-12]) & (counts[12:] >= min_count)
    return fired


def heard_fires(counts: np.ndarray) -> np.ndarray:
    return detection.fires(counts[None, :], baseline_periods=detection.BASELINE_PERIODS)[0]


def heard_poisson_fires(counts: np.ndarray) -> np.ndarray:
    """Heard's rule as it was before it allowed for the baseline's variation (Poisson only)."""
    return detection.fires(
        counts[None, :], baseline_periods=detection.BASELINE_PERIODS, dispersion=False
    )[0]


DETECTORS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "heard": heard_fires,
    "heard_poisson": heard_poisson_fires,
    "naive": naive_fires,
}
# Factors tried for the naive rule made as quiet as Heard's on the untouched series (with Heard's
# minimum count, without which a month after a zero always alerts), so that the two can also be
# compared at about the same false-alarm rate.
MATCH_FACTORS = (1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0)


def plant(counts: np.ndarray, start: int, length: int, rise: float) -> np.ndarray:
    """The series with its counts in [start, start + length) multiplied by 1 + rise, rounded."""
    planted = counts.copy()
    window = slice(start, start + length)
    planted[window] = np.rint(counts[window] * (1.0 + rise)).astype(np.int64)
    return planted


def wilson(hits: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    if n == 0:
        return (math.nan, math.nan)
    z = 1.959964
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def band_of(mean: float) -> str:
    for low, high in BANDS:
        if low <= mean < high:
            return f"{low:g}-{high:g}" if high != math.inf else f"{low:g}+"
    return "below"


def false_alarms(
    untouched: Sequence[Series], fires: Any, *, base: int = detection.BASELINE_PERIODS
) -> dict[str, Any]:
    """Alerts on series nobody touched: every one is a false alarm (or a real rise in the data)."""
    series_years = sum(len(s.counts) - base for s in untouched) / 12
    alerts = runs = 0
    for each in untouched:
        fired = fires(each.counts)[base:]
        alerts += int(fired.sum())
        runs += len(detection.starts(fired))
    return {
        "alert_months": alerts,
        "alert_runs": runs,
        "per_100_series_years": 100 * alerts / series_years if series_years else math.nan,
        "runs_per_100_series_years": 100 * runs / series_years if series_years else math.nan,
    }


# Each rule at these probabilities (the setting HEARD_LEARNING_WARNING_PROBABILITY), to see
# what each finds at the same false-alarm rate rather than only at the default.
OPERATING_PROBABILITIES = (0.01, 0.005, 0.001, 0.0001, 0.00001, 0.000001)


def operating_points(
    planted: Sequence[Series], untouched: Sequence[Series], *, seed: int
) -> list[dict[str, Any]]:
    """False alarms and detection (every planted size and length pooled) of Heard's rule and
    of the Poisson rule before it, at each of OPERATING_PROBABILITIES."""
    base = detection.BASELINE_PERIODS
    rows = []
    for name, dispersion in (("heard", True), ("heard_poisson", False)):
        for probability in OPERATING_PROBABILITIES:

            def fires(counts: np.ndarray, p: float = probability, d: bool = dispersion) -> Any:
                return detection.fires(
                    counts[None, :], baseline_periods=base, probability=p, dispersion=d
                )[0]

            rng = np.random.default_rng(seed)  # the same planted rises for every rule
            hits = []
            for each in planted:
                for rise in RISES:
                    for length in LENGTHS:
                        start = int(rng.integers(base, len(each.counts) - length + 1))
                        window = slice(start - base, start + length)
                        after = plant(each.counts, start, length, rise)[window]
                        hits.append(bool(fires(after)[base:].any()))
            alarms = false_alarms(untouched, fires)
            rows.append(
                {
                    "rule": name,
                    "probability": probability,
                    "false_alarms_per_100_series_years": alarms["per_100_series_years"],
                    "detected": sum(hits) / len(hits) if hits else math.nan,
                }
            )
    return rows


def measure_early_warnings(
    series: Sequence[Series],
    *,
    seed: int,
    min_mean: float = 1.0,
    planted_share: float = 1 / 3,
) -> dict[str, Any]:
    """Detection of planted rises and false alarms on untouched series, for each detector."""
    rng = np.random.default_rng(seed)
    base = detection.BASELINE_PERIODS
    eligible = [s for s in series if s.mean >= min_mean and len(s.counts) >= base + 12]
    order = rng.permutation(len(eligible))
    n_planted = round(len(eligible) * planted_share)
    planted = [eligible[i] for i in order[:n_planted]]
    untouched = [eligible[i] for i in order[n_planted:]]

    alarms = {name: false_alarms(untouched, fires) for name, fires in DETECTORS.items()}
    # The naive rule with Heard's minimum count and the smallest factor that alerts no more
    # often than Heard's rule (or the quietest tried, if none is as quiet).
    heard_rate = alarms["heard"]["per_100_series_years"]
    minimum = detection.MIN_COUNT
    matched_factor = MATCH_FACTORS[-1]
    for factor in MATCH_FACTORS:
        trial = false_alarms(untouched, lambda c, f=factor: naive_fires(c, f, minimum))
        matched_factor = factor
        if trial["per_100_series_years"] <= heard_rate:
            break
    alarms["naive_matched"] = trial
    matched_quiet_enough = trial["per_100_series_years"] <= heard_rate
    detectors = dict(DETECTORS)
    detectors["naive_matched"] = lambda c: naive_fires(c, matched_factor, minimum)

    # Planted rises: one per series, size and length, at a random month with a full baseline.
    trials: dict[tuple[str, float, int], list[bool]] = defaultdict(list)
    background: dict[tuple[str, float, int], list[bool]] = defaultdict(list)
    by_band: dict[tuple[str, str, float], list[bool]] = defaultdict(list)
    for each in planted:
        band = band_of(each.mean)
        for rise in RISES:
            for length in LENGTHS:
                start = int(rng.integers(base, len(each.counts) - length + 1))
                # Only the rise's months and the year before them matter to any of the rules.
                window = slice(start - base, start + length)
                before = each.counts[window]
                after = plant(each.counts, start, length, rise)[window]
                for name, fires in detectors.items():
                    hit = bool(fires(after)[base:].any())
                    trials[(name, rise, length)].append(hit)
                    background[(name, rise, length)].append(bool(fires(before)[base:].any()))
                    by_band[(name, band, rise)].append(hit)

    detection_rows = []
    for rise in RISES:
        for length in LENGTHS:
            row: dict[str, Any] = {"rise": rise, "months": length}
            for name in detectors:
                hits = trials[(name, rise, length)]
                low, high = wilson(sum(hits), len(hits))
                row[name] = {
                    "detected": sum(hits),
                    "planted": len(hits),
                    "rate": sum(hits) / len(hits) if hits else math.nan,
                    "interval_95": [low, high],
                    "fired_anyway_without_the_rise": (
                        sum(background[(name, rise, length)]) / len(hits) if hits else math.nan
                    ),
                }
            detection_rows.append(row)

    band_rows = []
    bands = sorted(
        {band_of(s.mean) for s in planted}, key=lambda b: float(b.split("-")[0].rstrip("+"))
    )
    for band in bands:
        for rise in RISES:
            row = {
                "band": band,
                "rise": rise,
                "series": sum(1 for s in planted if band_of(s.mean) == band),
            }
            for name in detectors:
                hits = by_band[(name, band, rise)]
                row[name] = sum(hits) / len(hits) if hits else math.nan
            band_rows.append(row)

    return {
        "data": "fixmystreet-monthly-by-council.csv.gz (mySociety, ODC-By 1.0)",
        "series_in_file": len(series),
        "series_eligible": len(eligible),
        "min_mean_reports_a_month": min_mean,
        "series_planted": len(planted),
        "series_untouched": len(untouched),
        "rule": {
            "heard": (
                f"upper limit over the mean and variance of the {base} months before "
                "(negative binomial where they varied more than Poisson, else Poisson), "
                f"p < {detection.PROBABILITY}, at least {detection.MIN_COUNT} reports"
            ),
            "heard_poisson": (
                f"Poisson upper limit over the mean of the {base} months before, "
                f"p < {detection.PROBABILITY}, at least {detection.MIN_COUNT} reports "
                "(Heard's rule before it allowed for the variation)"
            ),
            "naive": f"count > {NAIVE_FACTOR} x the same month a year earlier",
            "naive_matched": (
                f"count > {matched_factor} x the same month a year earlier and at least "
                f"{minimum}: "
                + (
                    "the smallest factor tried that alerts no more often than Heard's rule "
                    "on the untouched series"
                    if matched_quiet_enough
                    else "the quietest factor tried; none was as quiet as Heard's rule"
                )
            ),
        },
        "naive_matched_factor": matched_factor,
        "naive_matched_as_quiet_as_heard": matched_quiet_enough,
        "detection": detection_rows,
        "detection_by_volume": band_rows,
        "operating_points": operating_points(planted, untouched, seed=seed),
        "false_alarms": {
            "series": len(untouched),
            "series_years": round(sum(len(s.counts) - base for s in untouched) / 12, 1),
            **alarms,
            "stated_heard_rate_per_100_series_years_if_poisson": round(
                100 * 12 * detection.PROBABILITY, 2
            ),
        },
    }


# -- suggested themes -------------------------------------------------------------------------


def load_cfpb(path: Path = CFPB) -> list[dict[str, str]]:
    """Rows with a narrative, oldest first."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Consumer_complaint_narrative"].strip()]
    rows.sort(key=lambda r: datetime.strptime(r["Date_received"], "%d-%m-%Y"))
    return rows


def macro_f1(actual: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-F1 over the products present in ``actual``."""
    from sklearn.metrics import f1_score

    labels = sorted(set(actual))
    return float(f1_score(actual, predicted, labels=labels, average="macro", zero_division=0))


def measure_suggestions(
    rows: Sequence[dict[str, str]], *, seed: int, train_share: float = 0.7, resamples: int = 2000
) -> dict[str, Any]:
    """Fit on the older rows, score on the newer ones, beside the commonest-product baseline."""
    from heard.learning.suggestions import fit

    cut = int(len(rows) * train_share)
    train, test = rows[:cut], rows[cut:]
    fitted = fit(
        [r["Consumer_complaint_narrative"] for r in train], [[r["Product"]] for r in train]
    )
    probabilities = fitted.probabilities([r["Consumer_complaint_narrative"] for r in test])
    ranked = np.argsort(-probabilities, axis=1)
    actual = [r["Product"] for r in test]
    predicted = [fitted.themes[i] for i in ranked[:, 0]]
    top3 = np.array(
        [a in {fitted.themes[i] for i in ranked[row, :3]} for row, a in enumerate(actual)]
    )
    commonest = [p for p, _ in Counter(r["Product"] for r in train).most_common(3)]
    baseline_predicted = [commonest[0]] * len(actual)
    baseline_top3 = np.array([a in commonest for a in actual])

    rng = np.random.default_rng(seed)
    boot: dict[str, list[float]] = defaultdict(list)
    for _ in range(resamples):
        pick = rng.integers(0, len(actual), len(actual))
        sample_actual = [actual[i] for i in pick]
        boot["macro_f1"].append(macro_f1(sample_actual, [predicted[i] for i in pick]))
        boot["baseline_macro_f1"].append(
            macro_f1(sample_actual, [baseline_predicted[i] for i in pick])
        )
        boot["top3"].append(float(top3[pick].mean()))
        boot["baseline_top3"].append(float(baseline_top3[pick].mean()))
        boot["accuracy"].append(float(np.mean([predicted[i] == actual[i] for i in pick])))
        boot["baseline_accuracy"].append(
            float(np.mean([baseline_predicted[i] == actual[i] for i in pick]))
        )

    def interval(name: str) -> list[float]:
        low, high = np.percentile(boot[name], [2.5, 97.5])
        return [round(float(low), 3), round(float(high), 3)]

    def difference(name: str) -> list[float]:
        gaps = np.array(boot[name]) - np.array(boot[f"baseline_{name}"])
        low, high = np.percentile(gaps, [2.5, 97.5])
        return [round(float(low), 3), round(float(high), 3)]

    figures = {
        "macro_f1": macro_f1(actual, predicted),
        "baseline_macro_f1": macro_f1(actual, baseline_predicted),
        "top3": float(top3.mean()),
        "baseline_top3": float(baseline_top3.mean()),
        "accuracy": float(np.mean([p == a for p, a in zip(predicted, actual, strict=True)])),
        "baseline_accuracy": float(np.mean([commonest[0] == a for a in actual])),
    }
    return {
        "data": "cfpb-complaints-sample.csv (US CFPB Consumer Complaint Database, public domain)",
        "rows_with_narrative": len(rows),
        "train_rows": len(train),
        "test_rows": len(test),
        "train_until": train[-1]["Date_received"] if train else "",
        "test_from": test[0]["Date_received"] if test else "",
        "products_in_test": len(set(actual)),
        "commonest_product": commonest[0] if commonest else "",
        "bootstrap_resamples": resamples,
        "figures": {
            name: {
                "value": round(value, 3),
                "interval_95": interval(name),
            }
            for name, value in figures.items()
        },
        "model_minus_baseline_95": {
            name: difference(name) for name in ("macro_f1", "top3", "accuracy")
        },
    }


# -- the report -------------------------------------------------------------------------------


def _percent(value: float) -> str:
    return "—" if value != value else f"{100 * value:.0f} %"


def markdown(result: dict[str, Any]) -> str:
    warnings = result["early_warnings"]
    lines = [
        f"### Early warnings on FixMyStreet (seed {result['seed']})",
        "",
        f"{warnings['series_eligible']:,} council-and-category series averaging at least "
        f"{warnings['min_mean_reports_a_month']:g} report a month (of {warnings['series_in_file']:,}); "
        f"rises planted on {warnings['series_planted']:,}, one of each size and length per series; "
        f"false alarms counted on the other {warnings['series_untouched']:,}.",
        "",
        "The naive rule is shown as asked (more than 1.5 times the same month a year earlier), "
        f"and again made about as quiet as Heard's rule - {warnings['rule']['naive_matched']} - "
        "so that detection can be compared at about the same false-alarm rate.",
        "",
        "Heard's rule allows for how much each series varied in its baseline (negative "
        "binomial); the rule before it, which took every series as Poisson, is shown beside it.",
        "",
        "| planted rise | months | Heard: detected (95 % interval) | Heard before (Poisson) "
        "| naive 1.5x: detected "
        f"| naive {warnings['naive_matched_factor']:g}x: detected | planted |",
        "|---|---|---|---|---|---|---|",
    ]
    names = ("heard", "heard_poisson", "naive", "naive_matched")
    for row in warnings["detection"]:
        cells = []
        for name in names:
            figure = row[name]
            low, high = figure["interval_95"]
            cells.append(f"{_percent(figure['rate'])} ({_percent(low)}-{_percent(high)})")
        lines.append(
            f"| +{row['rise'] * 100:.0f} % | {row['months']} | {' | '.join(cells)} | "
            f"{row['heard']['planted']:,} |"
        )
    alarms = warnings["false_alarms"]

    def across(key: str, form: str = "{:.1f}") -> str:
        return " | ".join(form.format(alarms[name][key]) for name in names)

    lines += [
        "",
        f"| false alarms on {alarms['series']:,} untouched series ({alarms['series_years']:,} "
        f"series-years) | Heard | Heard before (Poisson) | naive 1.5x | "
        f"naive {warnings['naive_matched_factor']:g}x |",
        "|---|---|---|---|---|",
        f"| alert months per 100 series-years | {across('per_100_series_years')} |",
        f"| separate rises (runs of alerts) per 100 series-years | "
        f"{across('runs_per_100_series_years')} |",
        f"| alert months in all | {across('alert_months', '{:,}')} |",
        "",
        f"The rate the Poisson rule states (if the counts were Poisson): "
        f"{alarms['stated_heard_rate_per_100_series_years_if_poisson']} per 100 series-years.",
        "",
        f"| volume (reports a month) | planted rise | Heard | Heard before (Poisson) | "
        f"naive 1.5x | naive {warnings['naive_matched_factor']:g}x |",
        "|---|---|---|---|---|---|",
    ]
    for row in warnings["detection_by_volume"]:
        lines.append(
            f"| {row['band']} ({row['series']} series) | +{row['rise'] * 100:.0f} % | "
            + " | ".join(_percent(row[name]) for name in names)
            + " |"
        )
    points = {(r["rule"], r["probability"]): r for r in warnings["operating_points"]}
    lines += [
        "",
        "Each rule at other settings of HEARD_LEARNING_WARNING_PROBABILITY: false alarms per "
        "100 series-years / share of all planted rises detected (every size and length).",
        "",
        "| probability | Heard | Heard before (Poisson) |",
        "|---|---|---|",
    ]
    for probability in OPERATING_PROBABILITIES:
        cells = []
        for rule in ("heard", "heard_poisson"):
            point = points[(rule, probability)]
            cells.append(
                f"{point['false_alarms_per_100_series_years']:.1f} / {_percent(point['detected'])}"
            )
        lines.append(f"| {probability:g} | {' | '.join(cells)} |")
    themes = result["suggestions"]
    figures = themes["figures"]

    def cell(name: str) -> str:
        figure = figures[name]
        low, high = figure["interval_95"]
        return f"{figure['value']:.2f} ({low:.2f}-{high:.2f})"

    gaps = themes["model_minus_baseline_95"]
    lines += [
        "",
        f"### Suggested themes on CFPB narratives (seed {result['seed']})",
        "",
        f"{themes['rows_with_narrative']} rows with a narrative: trained on the oldest "
        f"{themes['train_rows']} (to {themes['train_until']}), tested on the newest "
        f"{themes['test_rows']} (from {themes['test_from']}); {themes['products_in_test']} products "
        f"in the test rows. 95 % bootstrap intervals over the test rows "
        f"({themes['bootstrap_resamples']:,} resamples).",
        "",
        "| measure | Heard's suggestions | always the commonest product | difference (95 %) |",
        "|---|---|---|---|",
        f"| macro-F1 | {cell('macro_f1')} | {cell('baseline_macro_f1')} | "
        f"{gaps['macro_f1'][0]:+.2f} to {gaps['macro_f1'][1]:+.2f} |",
        f"| top-3 accuracy | {cell('top3')} | {cell('baseline_top3')} (three commonest) | "
        f"{gaps['top3'][0]:+.2f} to {gaps['top3'][1]:+.2f} |",
        f"| accuracy (top suggestion) | {cell('accuracy')} | {cell('baseline_accuracy')} | "
        f"{gaps['accuracy'][0]:+.2f} to {gaps['accuracy'][1]:+.2f} |",
        "",
    ]
    return "\n".join(lines)


def run(
    *,
    seed: int,
    fixmystreet: Path = FIXMYSTREET,
    cfpb: Path = CFPB,
    series_limit: int | None = None,
    min_mean: float = 1.0,
    planted_share: float = 1 / 3,
    resamples: int = 2000,
    command: str = "python -m bench.learning_quality",
) -> dict[str, Any]:
    """Both measurements; ``series_limit`` keeps a random slice of the series (for a quick run)."""
    series = load_fixmystreet(fixmystreet)
    if series_limit is not None and series_limit < len(series):
        pick = np.random.default_rng(seed).choice(len(series), series_limit, replace=False)
        series = [series[i] for i in sorted(pick)]
    import sklearn

    return {
        "seed": seed,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit_learn": sklearn.__version__,
        "early_warnings": measure_early_warnings(
            series, seed=seed, min_mean=min_mean, planted_share=planted_share
        ),
        "suggestions": measure_suggestions(load_cfpb(cfpb), seed=seed, resamples=resamples),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.learning_quality", description=__doc__.strip().splitlines()[0]
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fixmystreet", type=Path, default=FIXMYSTREET)
    parser.add_argument("--cfpb", type=Path, default=CFPB)
    parser.add_argument("--series", type=int, default=None, help="a random slice of the series")
    parser.add_argument("--min-mean", type=float, default=1.0)
    parser.add_argument("--planted-share", type=float, default=1 / 3)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    for path in (args.fixmystreet, args.cfpb):
        if not path.exists():
            parser.error(f"{path} is missing: see ../shared/data/README.md")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    import django

    django.setup()
    result = run(
        seed=args.seed,
        fixmystreet=args.fixmystreet,
        cfpb=args.cfpb,
        series_limit=args.series,
        min_mean=args.min_mean,
        planted_share=args.planted_share,
        resamples=args.resamples,
        command=" ".join(
            ["python -m bench.learning_quality", *(sys.argv[1:] if argv is None else argv)]
        ),
    )
    table = markdown(result)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"learning-quality-{datetime.now(UTC):%Y-%m-%d}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(table, encoding="utf-8")
    print(table)
    print(f"Written {stem}.json and {stem}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
