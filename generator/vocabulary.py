"""The codes every stage shares: outcome domains by whom they are about, units, designs, principles.

The schema lists each code with its label; this module says what the rules and the figures do
with them, once, so that no stage imports another's internals to learn a list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# A case, or any part of one, as loaded and validated: plain dicts, lists, strings and numbers.
Data = Mapping[str, Any]

PARTICIPANT_DOMAINS = (
    "self-confidence",
    "self-esteem",
    "empowerment",
    "trust",
    "engagement",
    "mutual-understanding",
    "wellbeing",
    "skills",
    "other",
)
SERVICE_DOMAINS = (
    "satisfaction",
    "staff-feedback",
    "complaints",
    "goal-attainment",
    "access",
    "quality",
    "environmental",
    "cost",
    "other",
)
DOMAINS_FOR = {"participants": PARTICIPANT_DOMAINS, "service": SERVICE_DOMAINS}

UNIT_WITH_SCALE = "score"
# Contract 1.1: a standard deviation belongs to a mean; percentages and counts get their range from n.
UNITS_WITH_SD = ("score", "rate", "currency", "days", "other")

DESIGNS_WITH_COMPARISON = ("before-after-with-comparison", "randomised")

PRINCIPLES = ("equality", "diversity", "accessibility", "reciprocity")
RATING_VALUES = {"not-met": 1, "partly-met": 2, "mostly-met": 3, "fully-met": 4}
