"""Uncertainty: 95% intervals, certainty and POMP for each change and effect (contracts 1.1, 1.2).

Pure functions of the numbers a case records. Each names the library call it uses, as the
contract requires: statsmodels and scipy do the statistics, nothing here re-implements them.
Both libraries load only when a figure is first derived (``copro validate`` never loads them).

References: Newcombe (1998) for the difference of two proportions; the exact conditional
(binomial) interval for a ratio of two Poisson counts; Welch's t with Welch-Satterthwaite degrees
of freedom for a difference of means, and of changes in means; Student's t on n - 1 for a paired
change; Zou and Donner (2008) for a difference of two Newcombe differences (MOVER); Wilson's
interval for one proportion; Cohen et al. (1999) for POMP.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from generator.vocabulary import UNITS_WITH_SD, Data

Z_95 = 1.96  # the contract's normal approximation for the difference in differences
DECIMALS = 6
SCALE_NULL = {"difference": 0.0, "ratio": 1.0}  # "percent" (one proportion's range) has none
MEAN_UNITS = UNITS_WITH_SD  # the units whose measurements may carry an sd: means
# What a difference of percentages can be: one difference, or a difference of two differences.
PERCENT_DIFFERENCE_LIMIT = 100.0


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
    """Return how many of n respondents a percentage stands for: value x n / 100, half rounded up.

    Python's ``round`` rounds half to even (12.5 to 12); a count of people rounds half up (13).
    """
    exact = Decimal(repr(float(value))) * n / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def count_of(item: Data) -> int:
    """Return the people behind a percentage measurement: its count, else from value and n."""
    if item.get("count") is not None:
        return int(item["count"])
    return percent_count(item["value"], item["n"])


def value_of(item: Data, unit: str) -> float:
    """Return a measurement's value as written; a percentage given as count of n is 100 x count / n."""
    if item.get("value") is not None:
        value: float = item["value"]
        return value
    if unit == "percent" and item.get("count") is not None and item.get("n"):
        return 100 * int(item["count"]) / int(item["n"])
    raise ValueError("a measurement without a value or a count of n")  # validation refuses it


def clipped(interval: Interval | None, limit: float) -> Interval | None:
    """Return the interval with its ends inside -limit to limit (what the unit allows)."""
    if interval is None:
        return None
    return Interval(max(interval.low, -limit), min(interval.high, limit), interval.scale)


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
    return clipped(_interval(100 * low, 100 * high, "difference"), PERCENT_DIFFERENCE_LIMIT)


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
    """Welch's interval for a difference of means: d +/- t(0.975, Welch df) x SE (scipy's t).

    None when both standard deviations are 0: no honest interval has width 0.
    """
    return welch_interval(
        mean_after - mean_before,
        [(sd_after**2 / n_after, n_after), (sd_before**2 / n_before, n_before)],
    )


def welch_interval(difference: float, parts: Sequence[tuple[float, int]]) -> Interval | None:
    """Return difference +/- t(0.975, df) x SE, where each part is (variance of a mean, its n).

    SE is the square root of the parts' sum; df is Welch-Satterthwaite's (the sum squared over
    the sum of each squared over its n - 1), which is Welch's for two parts and serves for a
    difference in differences, four parts. t comes from scipy.
    """
    from scipy.stats import t

    total = sum(variance for variance, _ in parts)
    if total == 0 or any(n < 2 for _, n in parts):
        return None
    df = total**2 / sum(variance**2 / (n - 1) for variance, n in parts if variance > 0)
    margin = float(t.ppf(0.975, df)) * math.sqrt(total)
    return _interval(difference - margin, difference + margin, "difference")


def paired_change(mean_change: float, sd_change: float, n: int) -> Interval | None:
    """A paired change: mean change +/- t(0.975, n - 1) x sd_change / sqrt(n) (scipy's t)."""
    from scipy.stats import t

    if n < 2 or sd_change == 0:
        return None
    margin = float(t.ppf(0.975, n - 1)) * sd_change / math.sqrt(n)
    return _interval(mean_change - margin, mean_change + margin, "difference")


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
        return proportion_difference(count_of(after), after["n"], count_of(before), before["n"])
    if kind == "count":
        return count_ratio(int(after["value"]), int(before["value"]))
    if kind == "mean":
        return mean_difference(
            after["value"], after["sd"], after["n"], before["value"], before["sd"], before["n"]
        )
    return None


def proportion_change_variance(before: Data, after: Data) -> float | None:
    """Wald variance of one arm's change in percentage points, or None where it collapses.

    statsmodels ``effectsize_2proportions(..., statistic="diff")`` x 100 squared; at 0% or 100%
    a proportion's Wald variance is 0, which would make the interval too narrow (or nothing).
    """
    from statsmodels.stats.meta_analysis import effectsize_2proportions

    counts = ((count_of(after), after["n"]), (count_of(before), before["n"]))
    if any(count in (0, n) for count, n in counts):
        return None
    _, variance = effectsize_2proportions(*counts[0], *counts[1], statistic="diff")
    return float(variance) * 100**2


def proportion_did(before: Data, after: Data, c_before: Data, c_after: Data) -> Interval | None:
    """Interval for a difference in differences of percentages, in percentage points.

    The contract's normal approximation: the effect +/- 1.96 x sqrt(the two arms' Wald variances
    of change). Where a proportion is 0% or 100% that variance collapses, so the arms' Newcombe
    intervals are combined instead (MOVER, Zou and Donner 2008). Ends stay within -200 to 200.
    """
    effect = (value_of(after, "percent") - value_of(before, "percent")) - (
        value_of(c_after, "percent") - value_of(c_before, "percent")
    )
    variances = (
        proportion_change_variance(before, after),
        proportion_change_variance(c_before, c_after),
    )
    if None not in variances:
        margin = Z_95 * math.sqrt(sum(v for v in variances if v is not None))
        return clipped(
            _interval(effect - margin, effect + margin, "difference"), 2 * PERCENT_DIFFERENCE_LIMIT
        )
    arms = [
        proportion_difference(count_of(a), a["n"], count_of(b), b["n"])
        for b, a in ((before, after), (c_before, c_after))
    ]
    if arms[0] is None or arms[1] is None:
        return None
    d1 = value_of(after, "percent") - value_of(before, "percent")
    d2 = value_of(c_after, "percent") - value_of(c_before, "percent")
    low = effect - math.sqrt((d1 - arms[0].low) ** 2 + (arms[1].high - d2) ** 2)
    high = effect + math.sqrt((arms[0].high - d1) ** 2 + (d2 - arms[1].low) ** 2)
    return clipped(_interval(low, high, "difference"), 2 * PERCENT_DIFFERENCE_LIMIT)


def mean_did(before: Data, after: Data, c_before: Data, c_after: Data) -> Interval | None:
    """Interval for a difference in differences of means: Welch's t on four parts."""
    effect = (after["value"] - before["value"]) - (c_after["value"] - c_before["value"])
    parts = [(m["sd"] ** 2 / m["n"], m["n"]) for m in (after, before, c_after, c_before)]
    return welch_interval(effect, parts)


def ratio_of_ratios(a: int, b: int, c: int, d: int) -> Interval | None:
    """Counts: (a / b) / (c / d) with a log-scale interval, variance 1/a + 1/b + 1/c + 1/d."""
    if min(a, b, c, d) < 1:
        return None
    log_ratio = math.log((a / b) / (c / d))
    margin = Z_95 * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return _interval(math.exp(log_ratio - margin), math.exp(log_ratio + margin), "ratio")


def reported_interval(low: float, high: float, level: int, ratio: bool) -> Interval | None:
    """Return an authors' interval at 95%: as given, or rescaled from 90% or 99%.

    A 90% or 99% interval is taken as normal (on the log scale for a ratio) and its half-width
    rescaled by z(0.975) / z of its own level.
    """
    from scipy.stats import norm

    scale = "ratio" if ratio else "difference"
    if level == 95:
        return _interval(low, high, scale)
    if ratio and (low <= 0 or high <= 0):
        return None
    lo, hi = (math.log(low), math.log(high)) if ratio else (low, high)
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    half *= float(norm.ppf(0.975) / norm.ppf(0.5 + level / 200))
    lo, hi = centre - half, centre + half
    return _interval(math.exp(lo), math.exp(hi), scale) if ratio else _interval(lo, hi, scale)
