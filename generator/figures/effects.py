"""The effect each outcome is judged by, chosen in the contract's order (1.2).

1. ``reported`` with an interval or a P value: the authors' own analysis, which can account for
   pairing, clustering and adjustment that the hub cannot see. The hub's own figure, where it
   can work one out, is kept beside it (``hub``).
2. A comparison group: the difference in differences when both groups have a baseline;
   otherwise the difference between the groups at the participants' latest result, paired by
   date with the comparison group's nearest result (more than 3 months apart: no effect).
3. A paired outcome with ``sd_change``: the mean change with Student's t on n - 1.
4. Otherwise, before and after: the change since baseline (contract 1.1).

Every figure here is a pure function of the numbers a case records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from generator.figures.dates import latest_result, months_between
from generator.figures.uncertainty import (
    Interval,
    certainty_of,
    change_interval,
    count_of,
    count_ratio,
    kind_of_data,
    mean_did,
    mean_difference,
    paired_change,
    pomp,
    proportion_did,
    proportion_difference,
    ratio_of_ratios,
    reported_interval,
    value_of,
)
from generator.vocabulary import DESIGNS_WITH_COMPARISON, RATIO_STATISTICS, Data

DECIMALS = 10
# Results of the two groups more than this far apart are not compared.
PAIRING_MONTHS = 3
P_CLEAR = 0.05  # a 95% interval excludes no change exactly when the two-sided P is below 0.05


@dataclass(frozen=True)
class Effect:
    """An outcome's effect: its value, 95% interval, what it is, and how it reads.

    ``design`` says what is compared: ``comparison`` (against a group that did not take part),
    ``change`` (before and after, the same or different people) or ``paired-change``.
    ``value`` is None when no value can be formed (a comparison count of 0).
    """

    value: float | None
    interval: Interval | None
    scale: str  # "difference" (no change is 0) or "ratio" (no change is 1)
    statistic: str
    source: str  # "reported" (the authors') or "hub"
    design: str
    verdict: str
    certainty: str
    pomp: float | None = None
    people: int | None = None  # behind the effect: the n of the measurements it compares
    events: int | None = None  # for percentages and counts: the counts it compares
    p: float | None = None
    p_below: float | None = None
    ci_level: int = 95
    ci_low: float | None = None  # the authors' interval as they print it, at ci_level
    ci_high: float | None = None
    adjusted_for: str = ""
    analysis: str = ""
    note: str = ""  # why it is not tested, where the figures say why


@dataclass(frozen=True)
class EffectChoice:
    """The effect an outcome is judged by, the hub's own beside a reported one, and why none."""

    effect: Effect | None
    hub: Effect | None = None
    why_none: str = ""


def judge(value: float, scale: str, better: str) -> str:
    """Return improved, worsened or no-change for an effect, given which direction is better."""
    difference = value - 1 if scale == "ratio" else value
    if difference == 0:
        return "no-change"
    return "improved" if (difference > 0) == (better == "higher") else "worsened"


def _round(value: float) -> float:
    return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def choose_effect(outcome: Data, design: str, analysed: int | None = None) -> EffectChoice:
    """Return the outcome's effect by the contract's order, and the hub's own beside a reported one."""
    hub, why_none = hub_effect(outcome, design)
    reported = reported_effect(outcome, design, analysed, hub)
    if reported is not None:
        return EffectChoice(reported, hub, why_none)
    return EffectChoice(hub, None, why_none)


def hub_effect(outcome: Data, design: str) -> tuple[Effect | None, str]:
    """Return the effect the hub works out from the figures (rules 2 to 4), or why there is none."""
    comparison: Data = outcome.get("comparison") or {}
    if comparison.get("results") and outcome.get("results"):
        return comparison_effect(outcome)
    if "baseline" in outcome and outcome.get("results"):
        if outcome.get("paired") and (latest_result(outcome) or {}).get("sd_change") is not None:
            return paired_effect(outcome), ""
        return change_effect(outcome), ""
    return None, ""


def _people(*items: Data) -> int | None:
    ns = [item.get("n") for item in items]
    return sum(int(n) for n in ns if n) if all(ns) else None


def _events(unit: str, *items: Data) -> int | None:
    if unit == "percent":
        if all(item.get("n") for item in items):
            return sum(count_of(item) for item in items)
        return None
    if unit == "count" and all(float(item["value"]).is_integer() for item in items):
        return sum(int(item["value"]) for item in items)
    return None


def _pomp(outcome: Data, value: float | None, scale: str) -> float | None:
    if outcome["unit"] != "score" or value is None or scale != "difference":
        return None
    return pomp(value, outcome.get("scale"))


def _hub(outcome: Data, value: float | None, interval: Interval | None, **kind: Any) -> Effect:
    """Build the hub's effect; its verdict and certainty follow from the value and interval."""
    scale = kind.pop("scale", "difference")
    verdict = judge(value, scale, outcome["better"]) if value is not None else kind.pop("verdict")
    return Effect(
        value=None if value is None else _round(value),
        interval=interval,
        scale=scale,
        source="hub",
        verdict=verdict,
        certainty=certainty_of(interval),
        pomp=_pomp(outcome, value, scale),
        **kind,
    )


def change_effect(outcome: Data) -> Effect:
    """Rule 4: the change since baseline, with the contract 1.1 interval (the two samples apart)."""
    unit, before, after = outcome["unit"], outcome["baseline"], latest_result(outcome)
    assert after is not None
    interval = change_interval(unit, before, after)
    baseline = value_of(before, unit)
    if unit == "count" and baseline > 0:  # counts compare as a ratio: no change is 1
        value, scale, statistic = value_of(after, unit) / baseline, "ratio", "ratio"
    else:
        value, scale, statistic = value_of(after, unit) - baseline, "difference", "difference"
    return _hub(
        outcome,
        value,
        interval,
        scale=scale,
        statistic=statistic,
        design="change",
        people=_people(before, after),
        events=_events(unit, before, after),
    )


def paired_effect(outcome: Data) -> Effect:
    """Rule 3: a paired mean change, mean change +/- t(0.975, n - 1) x sd_change / sqrt(n)."""
    unit, before, after = outcome["unit"], outcome["baseline"], latest_result(outcome)
    assert after is not None
    value = value_of(after, unit) - value_of(before, unit)
    interval = paired_change(value, float(after["sd_change"]), int(after["n"]))
    return _hub(
        outcome,
        value,
        interval,
        statistic="difference",
        design="paired-change",
        people=int(after["n"]),
    )


def paired_results(outcome: Data) -> tuple[Data, Data] | str:
    """Return the participants' latest result and the comparison result nearest its date.

    A pair more than ``PAIRING_MONTHS`` apart is no pair: the reason is returned instead.
    """
    latest = latest_result(outcome)
    assert latest is not None
    results = outcome["comparison"]["results"]
    nearest = min(
        reversed(results),  # of two as near, the later listed
        key=lambda r: abs(months_between(str(latest["date"]), str(r["date"]))),
    )
    apart = abs(months_between(str(latest["date"]), str(nearest["date"])))
    if apart > PAIRING_MONTHS:
        return (
            f"the participants' latest result ({latest['date']}) and the comparison group's "
            f"nearest ({nearest['date']}) are {apart} months apart, so they are not compared"
        )
    return latest, nearest


def comparison_effect(outcome: Data) -> tuple[Effect | None, str]:
    """Rule 2: against the comparison group, by difference in differences or at the latest result."""
    paired = paired_results(outcome)
    if isinstance(paired, str):
        return None, paired
    after, c_after = paired
    comparison = outcome["comparison"]
    if "baseline" in outcome and "baseline" in comparison:
        return did_effect(outcome, outcome["baseline"], after, comparison["baseline"], c_after), ""
    return post_only_effect(outcome, after, c_after), ""


def did_effect(outcome: Data, before: Data, after: Data, c_before: Data, c_after: Data) -> Effect:
    """The difference in differences (ratio of ratios for counts), with its interval."""
    unit = outcome["unit"]
    items = (before, after, c_before, c_after)
    kinds = {kind_of_data(unit, before, after), kind_of_data(unit, c_before, c_after)}
    kind = kinds.pop() if len(kinds) == 1 else None
    common = {"design": "comparison", "people": _people(*items), "events": _events(unit, *items)}
    if unit == "count":
        a, b, c, d = (float(m["value"]) for m in (after, before, c_after, c_before))
        if not (b and d):
            return _hub(outcome, None, None, scale="ratio", statistic="ratio-of-ratios",
                        verdict="no-change", note="a baseline count is 0, so no ratio can be formed",
                        **common)  # fmt: skip
        if not c:
            # The comparison group fell to 0: no ratio, never the participants' change alone.
            verdict = "worsened" if outcome["better"] == "lower" and a > 0 else "improved"
            if a == 0:
                verdict = "no-change"
            return _hub(outcome, None, None, scale="ratio", statistic="ratio-of-ratios",
                        verdict=verdict, note="the comparison group's count fell to 0, so no "
                        "ratio can be formed and the effect is not tested", **common)  # fmt: skip
        value = (a / b) / (c / d)
        interval = ratio_of_ratios(int(a), int(b), int(c), int(d)) if kind == "count" else None
        return _hub(outcome, value, interval, scale="ratio", statistic="ratio-of-ratios", **common)
    value = (value_of(after, unit) - value_of(before, unit)) - (
        value_of(c_after, unit) - value_of(c_before, unit)
    )
    interval = None
    if kind == "proportion":
        interval = proportion_did(before, after, c_before, c_after)
    elif kind == "mean":
        interval = mean_did(before, after, c_before, c_after)
    return _hub(outcome, value, interval, statistic="difference-in-differences", **common)


def post_only_effect(outcome: Data, after: Data, c_after: Data) -> Effect:
    """The difference between the groups at one time: Newcombe, Welch, or the exact count ratio."""
    unit = outcome["unit"]
    common = {"design": "comparison", "people": _people(after, c_after),
              "events": _events(unit, after, c_after)}  # fmt: skip
    if unit == "count":
        a, c = float(after["value"]), float(c_after["value"])
        whole = a.is_integer() and c.is_integer() and a >= 0
        if c == 0:
            verdict = (
                "no-change"
                if a == 0
                else ("worsened" if outcome["better"] == "lower" else "improved")
            )
            return _hub(outcome, None, None, scale="ratio", statistic="ratio", verdict=verdict,
                        note="the comparison group's count is 0, so no ratio can be formed and "
                        "the effect is not tested", **common)  # fmt: skip
        interval = count_ratio(int(a), int(c)) if whole else None
        return _hub(outcome, a / c, interval, scale="ratio", statistic="ratio", **common)
    value = value_of(after, unit) - value_of(c_after, unit)
    interval = None
    kind = kind_of_data(unit, c_after, after)
    if kind == "proportion":
        interval = proportion_difference(
            count_of(after), after["n"], count_of(c_after), c_after["n"]
        )
    elif kind == "mean":
        interval = mean_difference(
            after["value"], after["sd"], after["n"], c_after["value"], c_after["sd"], c_after["n"]
        )
    statistic = "risk-difference" if unit == "percent" else "difference"
    return _hub(outcome, value, interval, statistic=statistic, **common)


def reported_effect(
    outcome: Data, design: str, analysed: int | None, hub: Effect | None
) -> Effect | None:
    """Rule 1: the authors' estimate, when it has an interval or a P value; else None."""
    reported: Data = outcome.get("reported") or {}
    ci: Data = reported.get("ci") or {}
    p, p_below = reported.get("p"), reported.get("p_below")
    if "value" not in reported or not (ci or p is not None or p_below is not None):
        return None
    statistic = str(reported["statistic"])
    ratio = statistic in RATIO_STATISTICS
    scale = "ratio" if ratio else "difference"
    level = int(ci.get("level", 95))
    interval = reported_interval(ci["low"], ci["high"], level, ratio) if ci else None
    if interval is not None:
        certainty = certainty_of(interval)
    else:
        shown = p if p is not None else p_below
        certainty = "clear" if shown is not None and shown < P_CLEAR else "could-be-chance"
        if p is None and p_below is not None and p_below > P_CLEAR:
            certainty = "not-tested"  # "p < 0.1" says nothing either way at 95%
    value = float(reported["value"])
    compared = design in DESIGNS_WITH_COMPARISON or bool(outcome.get("comparison"))
    people = hub.people if hub is not None and hub.people else analysed
    events = hub.events if hub is not None else None
    return Effect(
        value=value,
        interval=interval,
        scale=scale,
        statistic=statistic,
        source="reported",
        design="comparison"
        if compared
        else ("paired-change" if outcome.get("paired") else "change"),
        verdict=judge(value, scale, outcome["better"]),
        certainty=certainty,
        pomp=_pomp(outcome, value, scale) if statistic in ("mean-difference",) else None,
        people=people,
        events=events,
        p=p,
        p_below=p_below,
        ci_level=level,
        ci_low=ci.get("low"),
        ci_high=ci.get("high"),
        adjusted_for=str(reported.get("adjusted_for", "")),
        analysis=str(reported.get("analysis", "")),
    )


def effect_from_record(record: Data | None) -> Effect | None:
    """Rebuild an effect from ``dataclasses.asdict`` of it (for the figures cache)."""
    if not record:
        return None
    interval = Interval(**record["interval"]) if record["interval"] else None
    return replace(Effect(**{**record, "interval": None}), interval=interval)
