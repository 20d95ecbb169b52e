"""The words figures are said in: the home page's answer keeps each count's certainty."""

from __future__ import annotations

import pytest

from generator.figures import words


@pytest.mark.parametrize(
    ("counts", "evaluations", "expected"),
    [
        (
            [
                ("probably improved", 9),
                ("very uncertain: may have improved", 10),
                ("unclear (could be chance)", 15),
                (words.NOT_TESTED, 3),
            ],
            17,
            "Of 37 outcomes with an effect to judge in 17 real evaluations: 9 probably improved, "
            "10 may have improved (very uncertain), none point to a worsening, 15 are unclear "
            "(could be chance), 3 were not tested for chance.",
        ),
        (
            [("unclear (could be chance)", 1)],
            1,
            "Of 1 outcome with an effect to judge in 1 real evaluation: none point to an "
            "improvement, none point to a worsening, 1 is unclear (could be chance).",
        ),
        (
            [("may have worsened", 1), ("no change", 2)],
            2,
            "Of 3 outcomes with an effect to judge in 2 real evaluations: none point to an "
            "improvement, 1 may have worsened, 2 showed no change.",
        ),
        ([], 4, "None of the outcomes in 4 real evaluations has an effect to judge yet."),
    ],
)
def test_the_answer_names_every_count_in_its_certainty_words(
    monkeypatch: pytest.MonkeyPatch, counts: list[tuple[str, int]], evaluations: int, expected: str
) -> None:
    monkeypatch.setattr(words, "effect_counts", lambda outcomes: counts)
    assert words.effects_answer([], evaluations) == expected


def test_every_count_has_a_clause_and_the_answer_never_says_significant() -> None:
    assert set(words.ANSWER_CLAUSES) == set(words.COUNT_ORDER)
    assert not any("significant" in clause for clause in words.ANSWER_CLAUSES.values())
