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
    "recovery",
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
    "wellbeing",
    "service-use",
    "employment",
    "other",
)
DOMAINS_FOR = {"participants": PARTICIPANT_DOMAINS, "service": SERVICE_DOMAINS}

UNIT_WITH_SCALE = "score"
# Contract 1.1: a standard deviation belongs to a mean; percentages and counts get their range from n.
UNITS_WITH_SD = ("score", "rate", "currency", "days", "other")

# Designs that may record a comparison group; the first three allocate at random (GRADE starts
# their evidence at high certainty).
RANDOMISED_DESIGNS = ("randomised", "cluster-randomised", "stepped-wedge")
DESIGNS_WITH_COMPARISON = (
    "before-after-with-comparison",
    *RANDOMISED_DESIGNS,
    "interrupted-time-series",
)

# Statuses of real evidence; `example` marks an invented, illustrative case.
REAL_STATUSES = ("published", "summary")

# The authors' own estimates (`reported.statistic`): ratios, where no change is 1, and the rest,
# where no change is 0.
RATIO_STATISTICS = ("odds-ratio", "risk-ratio", "rate-ratio", "hazard-ratio")

PRINCIPLES = ("equality", "diversity", "accessibility", "reciprocity")
RATING_VALUES = {"not-met": 1, "partly-met": 2, "mostly-met": 3, "fully-met": 4}
