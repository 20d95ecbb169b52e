"""Plan the home page's answer: how the outcomes of real evaluations came out, by certainty.

Only published and summary cases count; illustrative examples are left out, and the plan
says so. The words are the certainty rules' own (``figures.words.COUNT_ORDER``).
"""

from __future__ import annotations

from generator.charts.home_spec import effects_spec
from generator.charts.plans import ChartPlan
from generator.figures.catalogue import CaseEntry
from generator.figures.derive import OutcomeFigures
from generator.figures.words import count_group, effect_counts, effects_answer

GROUP_WORDS = {
    "improved": "Points to an improvement",
    "worsened": "Points to a worsening",
    "unclear": "No clear change",
}


def real_effects(cases: list[CaseEntry]) -> tuple[list[CaseEntry], list[OutcomeFigures]]:
    """Return the published and summary cases, and those of their outcomes with an effect."""
    real = [c for c in cases if not c.is_example]
    return real, [f for c in real for f in c.figures.outcomes if f.effect is not None]


def answer_sentence(cases: list[CaseEntry]) -> str:
    """Say in one sentence how the real evaluations' outcomes came out."""
    real, effects = real_effects(cases)
    return effects_answer(effects, len(real))


def plan_effects_chart(cases: list[CaseEntry]) -> ChartPlan | None:
    """Plan the bars of real outcomes by how their effect reads, or None when none has one."""
    real, effects = real_effects(cases)
    counts = effect_counts(effects)
    if not counts:
        return None
    rows = [
        {
            "words": words[0].upper() + words[1:],
            "outcomes": n,
            "group": GROUP_WORDS[count_group(words)],
        }
        for words, n in counts
    ]
    examples = len(cases) - len(real)
    return ChartPlan(
        "outcome-effects",
        "How the outcomes of real evaluations came out",
        _description(rows, len(effects), len(real)),
        ("How the effect reads", "Which way it points", "Outcomes"),
        tuple((str(r["words"]), str(r["group"]), str(r["outcomes"])) for r in rows),
        effects_spec(rows),
        example_note=(
            f"{examples} illustrative example{'s are' if examples != 1 else ' is'} left out: "
            "invented, not evidence."
            if examples
            else ""
        ),
        method=(
            "Each outcome is judged by its effect: the authors' own estimate where they report "
            "one, else against a comparison group where there is one, else by the change since "
            "its baseline. How certain that is follows GRADE (high, moderate, low or very low), "
            "worded “improved”, “probably improved”, “may have improved” and “very uncertain: "
            "may have improved”. “Unclear (could be chance)” means the effect's 95% range "
            "includes no change; “not tested for chance” means there were not the numbers to "
            "work one out."
        ),
        more=("method/", "certainty", "How certainty is judged"),
    )


def _description(rows: list[dict[str, object]], outcomes: int, evaluations: int) -> str:
    """Say what the bars show, bar by bar."""
    bars = "; ".join(f"{str(r['words']).lower()}: {r['outcomes']}" for r in rows)
    return (
        f"One bar for each way an effect can read, counting the {outcomes} outcomes with an "
        f"effect to judge in {evaluations} published and summary evaluations: {bars}. Bars "
        "that point to an improvement are blue, to a worsening orange, the rest grey; each is "
        "named and numbered."
    )
