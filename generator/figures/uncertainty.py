"""Uncertainty: 95% intervals, certainty and POMP for each change (contract 1.1).

Pure functions of the numbers a case records. Each names the library call it uses, as the
contract requires: statsmodels and scipy do the statistics, nothing here re-implements them.
Both libraries load only when a figure is first derived (``copro validate`` never loads them).

References: Newcombe (1998) for the difference of two proportions; the exact conditional
(binomial) interval for a ratio of two Poisson counts; Welch's t for a difference of means;
Wilson's interval for one proportion; Cohen et al. (1999) for POMP.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.vocabulary import UNITS_WITH_SD

Z_95 = 1.96  # the contract's normal approximation for the difference in differences
DECIMALS = 6
SCALE_NULL = {"difference": 0.0, "ratio": 1.0}  # "percent" (one proportion's range) has none
MEAN_UNITS = UNITS_WITH_SD  # the units whose measurements may carry an sd: means

Data = Mapping[str, Any]


@dataclass(frozen=True)
class Interval:
    """A 95% interval on a difference (null 0), a ratio (null 1) or one percentage."""

    low: float
    high: float
    scale: str

    def excludes_null(self) -> bool:
        """Return whether the interval leaves out "no change"."""
        null = SCALE_NULL.get(self.scale)
        return null is not None and (self.low > null or self.high < null)


def certainty_of(interval: Interval | None) -> str:
    """Return ``clear``, ``could-be-chance`` or ``not-tested`` for an interval."""
    if interval is None:
        return "not-tested"
    return "clear" if interval.excludes_null() else "could-be-chance"


def _interval(low: float, high: float, scale: str) -> Interval | None:
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return Interval(round(float(low), DECIMALS) + 0.0, round(float(high), DECIMALS) + 0.0, scale)


def percent_count(value: float, n: int) -> int:
    """Return how many of n respondents a percentage stands for: round(value x n / 100)."""
    return round(value * n / 100)


def proportion_difference(
    count_after: int, n_after: int, count_before: int, n_before: int
) -> Interval | None:
    """Newcombe's interval for after minus before, in percentage points.

    statsmodels ``confint_proportions_2indep(..., method="newcomb", compare="diff")`` x 100.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(
        count_after, n_after, count_before, n_before, method="newcomb", compare="diff"
    )
    return _interval(100 * low, 100 * high, "difference")


def count_ratio(latest: int, baseline: int) -> Interval | None:
    """Exact conditional interval for the ratio latest / baseline of two Poisson counts.

    scipy ``binomtest(latest, latest + baseline).proportion_ci(method="exact")`` gives (pl, ph)
    for latest's share; the ratio's interval is pl / (1 - pl) to ph / (1 - ph).
    """
    from scipy.stats import binomtest

    if baseline < 1 or latest < 0:
        return None
    ci = binomtest(latest, latest + baseline).proportion_ci(confidence_level=0.95, method="exact")
    low, high = float(ci.low), float(ci.high)
    if high >= 1:
        return None
    return _interval(low / (1 - low), high / (1 - high), "ratio")


def mean_difference(
    mean_after: float,
    sd_after: float,
    n_after: int,
    mean_before: float,
    sd_before: float,
    n_before: int,
) -> Interval | None:
    """Welch's interval for a difference of means: d +/- t(0.975, Welch df) x SE (scipy's t)."""
    from scipy.stats import t

    var_after, var_before = sd_after**2 / n_after, sd_before**2 / n_before
    se = math.sqrt(var_after + var_before)
    difference = mean_after - mean_before
    if se == 0:
        return _interval(difference, difference, "difference")
    df = (var_after + var_before) ** 2 / (
        var_after**2 / (n_after - 1) + var_before**2 / (n_before - 1)
    )
    margin = float(t.ppf(0.975, df)) * se
    return _interval(difference - margin, difference + margin, "difference")


# Results of the calls on whole counts below, by call: a build's cache folder keeps them
# (casecache.remembered_counts), so a build whose counts were all seen before imports neither
# statsmodels nor scipy (about 1.5 s). Values are plain JSON: [low, high] or a P value.
REMEMBERED: dict[str, Any] = {}


def wilson(count: int, n: int) -> Interval | None:
    """Wilson's interval for count of n, as percentages (statsmodels ``proportion_confint``)."""
    key = f"wilson {count} {n}"
    if key not in REMEMBERED:
        from statsmodels.stats.proportion import proportion_confint

        low, high = proportion_confint(count, n, alpha=0.05, method="wilson")
        interval = _interval(100 * low, 100 * high, "percent")
        REMEMBERED[key] = None if interval is None else [interval.low, interval.high]
    ends = REMEMBERED[key]
    return None if ends is None else Interval(ends[0], ends[1], "percent")


def sign_test(improved: int, total: int) -> float:
    """Two-sided sign test P of improved of total (scipy ``binomtest(k, m, 0.5)``)."""
    key = f"sign {improved} {total}"
    if key not in REMEMBERED:
        from scipy.stats import binomtest

        REMEMBERED[key] = float(binomtest(improved, total, 0.5, alternative="two-sided").pvalue)
    return float(REMEMBERED[key])


def pomp(change: float, scale: Data | None) -> float | None:
    """Return a score change as percent of the scale's range (Cohen et al. 1999)."""
    if not scale or scale["max"] <= scale["min"]:
        return None
    return round(float(change) * 100 / float(scale["max"] - scale["min"]), DECIMALS) + 0.0


def _is_whole(value: Any) -> bool:
    return float(value).is_integer() and value >= 0


def kind_of_data(unit: str, before: Data, after: Data) -> str | None:
    """Return which interval rule two measurements allow: proportion, count, mean or None."""
    if unit == "percent":
        return "proportion" if before.get("n") and after.get("n") else None
    if unit == "count":
        whole = _is_whole(before["value"]) and _is_whole(after["value"])
        return "count" if whole and before["value"] >= 1 else None
    if unit in MEAN_UNITS:
        has = all(m.get("sd") is not None and (m.get("n") or 0) >= 2 for m in (before, after))
        return "mean" if has else None
    return None


def change_interval(unit: str, before: Data, after: Data) -> Interval | None:
    """Return the 95% interval for the change from before to after, by the contract's rules."""
    kind = kind_of_data(unit, before, after)
    if kind == "proportion":
        return proportion_difference(
            percent_count(after["value"], after["n"]),
            after["n"],
            percent_count(before["value"], before["n"]),
            before["n"],
        )
    if kind == "count":
        return count_ratio(int(after["value"]), int(before["value"]))
    if kind == "mean":
        return mean_difference(
            after["value"], after["sd"], after["n"], before["value"], before["sd"], before["n"]
        )
    return None


def _change_variance(kind: str, before: Data, after: Data) -> float:
    """Variance of one arm's change, for the difference in differences."""
    if kind == "proportion":
        from statsmodels.stats.meta_analysis import effectsize_2proportions

        _, variance = effectsize_2proportions(
            percent_count(after["value"], after["n"]),
            after["n"],
            percent_count(before["value"], before["n"]),
            before["n"],
            statistic="diff",
        )
        return float(variance) * 100**2
    return float(after["sd"] ** 2 / after["n"] + before["sd"] ** 2 / before["n"])


@dataclass(frozen=True)
class Effect:
    """Participants' change against the comparison group's: a difference in differences."""

    value: float
    interval: Interval | None
    scale: str


def comparison_effect(
    unit: str, before: Data, after: Data, comparison_before: Data, comparison_after: Data
) -> Effect | None:
    """Return the effect: difference in differences, or ratio of ratios for counts."""
    kinds = {
        kind_of_data(unit, before, after),
        kind_of_data(unit, comparison_before, comparison_after),
    }
    kind = kinds.pop() if len(kinds) == 1 else None
    if unit == "count":
        return _ratio_of_ratios(before, after, comparison_before, comparison_after, kind)
    change = after["value"] - before["value"]
    comparison_change = comparison_after["value"] - comparison_before["value"]
    value = round(change - comparison_change, 10) + 0.0
    if kind not in ("proportion", "mean"):
        return Effect(value, None, "difference")
    margin = Z_95 * math.sqrt(
        _change_variance(kind, before, after)
        + _change_variance(kind, comparison_before, comparison_after)
    )
    return Effect(value, _interval(value - margin, value + margin, "difference"), "difference")


def _ratio_of_ratios(
    before: Data, after: Data, comparison_before: Data, comparison_after: Data, kind: str | None
) -> Effect | None:
    """Counts: (a / b) / (c / d) with a log-scale interval, variance 1/a + 1/b + 1/c + 1/d."""
    a, b = after["value"], before["value"]
    c, d = comparison_after["value"], comparison_before["value"]
    if not (b and c and d):
        return None  # a ratio with nothing to divide by has no value
    value = round((a / b) / (c / d), 10) + 0.0
    if kind != "count" or min(a, b, c, d) < 1:
        return Effect(value, None, "ratio")
    log_ratio = math.log(value)
    margin = Z_95 * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    interval = _interval(math.exp(log_ratio - margin), math.exp(log_ratio + margin), "ratio")
    return Effect(value, interval, "ratio")
