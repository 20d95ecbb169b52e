"""Like with like: effects on one instrument, pooled by random effects (the contract's worked check)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import t as student

from generator.figures.catalogue import CaseEntry
from generator.figures.derive import derive_case
from generator.figures.pooling import instrument_effects, pool, syntheses


def qpr_case(case_id: str, value: float, low: float, high: float, *, design: str = "randomised",
             status: str = "summary", people: int = 200) -> CaseEntry:  # fmt: skip
    """A case whose one outcome is a QPR-15 mean difference reported with its 95% interval."""
    data = {
        "id": case_id,
        "title": f"Peer course {case_id}",
        "status": status,
        "service": {"area": "mental-health", "country": "GB"},
        "organisation": {"name": f"Trust {case_id}"},
        "coproduction": {"start": "2020"},
        "evaluation": {"design": design, "evaluator": "independent",
                       "sample": {"recruited": people, "analysed": people}},
        "principles": {p: {"rating": "unknown"} for p in ("equality", "diversity", "accessibility", "reciprocity")},
        "outcomes": [{
            "about": "participants", "domain": "recovery", "measure": "QPR-15", "unit": "score",
            "scale": {"min": 0, "max": 60}, "instrument": "qpr-15", "better": "higher",
            "reported": {"statistic": "mean-difference", "value": value, "ci": {"low": low, "high": high}},
        }],
    }  # fmt: skip
    return CaseEntry(data, derive_case(data), Path(f"{case_id}.yaml"))


def with_se(case_id: str, value: float, se: float, **more: object) -> CaseEntry:
    return qpr_case(case_id, value, value - 1.96 * se, value + 1.96 * se, **more)  # type: ignore[arg-type]


def test_the_contracts_worked_check() -> None:
    """2.0 (SE 0.5), 3.0 (0.6), 1.0 (0.4) by DerSimonian-Laird: 1.93 (0.81 to 3.06), tau2 0.743,
    I2 75.3%, prediction interval with t on 1 degree of freedom -11.2 to 15.1."""
    cases = [with_se("a", 2.0, 0.5), with_se("b", 3.0, 0.6), with_se("c", 1.0, 0.4)]
    effects = instrument_effects(cases)["qpr-15"]
    assert [e.se for e in effects] == pytest.approx([0.5, 0.6, 0.4])
    pooled = pool("qpr-15", "randomised", effects)
    assert pooled is not None and pooled.k == 3 and pooled.cases == ("a", "b", "c")
    assert round(pooled.estimate, 2) == 1.93
    assert (round(pooled.low, 2), round(pooled.high, 2)) == (0.81, 3.06)
    assert round(pooled.tau2, 3) == 0.743 and round(pooled.i2, 1) == 75.3
    assert (round(pooled.pi_low, 1), round(pooled.pi_high, 1)) == (-11.2, 15.1)
    # Independent: DerSimonian-Laird by hand.
    y, v = np.array([2.0, 3.0, 1.0]), np.array([0.25, 0.36, 0.16])
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    tau2 = max(0.0, (q - 2) / (w.sum() - (w**2).sum() / w.sum()))
    w_re = 1 / (v + tau2)
    mean = (w_re * y).sum() / w_re.sum()
    se = math.sqrt(1 / w_re.sum())
    assert pooled.estimate == pytest.approx(mean, abs=1e-6)
    assert pooled.tau2 == pytest.approx(tau2, abs=1e-6)
    assert pooled.i2 == pytest.approx(100 * (q - 2) / q, abs=1e-4)
    half = float(student.ppf(0.975, 1)) * math.sqrt(tau2 + se**2)
    assert (pooled.pi_low, pooled.pi_high) == pytest.approx((mean - half, mean + half), abs=1e-6)
    # Inconsistency (I2 over 50%) takes the pooled certainty down a step.
    assert "inconsistency" in [domain for domain, _ in pooled.certainty.downs]


def test_examples_are_never_pooled_and_families_are_kept_apart() -> None:
    real = [with_se("a", 2.0, 0.5), with_se("b", 3.0, 0.6)]
    example = with_se("x", 1.0, 0.4, status="example")
    assert syntheses([*real, example]) == []  # two real cases: not enough
    mixed = [*real, with_se("c", 1.0, 0.4, design="before-after-with-comparison")]
    assert syntheses(mixed) == []  # one randomised family of 2, one other of 1
    assert len(syntheses([*real, with_se("c", 1.0, 0.4)])) == 1


def test_only_effects_in_the_instrument_s_own_units_are_set_side_by_side() -> None:
    smd = qpr_case("s", 0.4, 0.1, 0.7)
    smd.data["outcomes"][0]["reported"]["statistic"] = "standardised-mean-difference"
    assert instrument_effects([CaseEntry(smd.data, derive_case(smd.data), smd.source)]) == {}
