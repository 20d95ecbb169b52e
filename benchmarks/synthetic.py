"""Write synthetic, valid and varied case files for benchmarks and scale tests.

Every case is ``status: example`` with an id like ``synthetic-case-00042``. Codes come from
the schema; text comes from the word lists below, so each case carries a few distinctive
words (its place and its group's nickname) that a search test can look for. Numbers in free
text stay at three digits or fewer, so no text looks like a phone number or other personal data.

Example:
    python benchmarks/synthetic.py /tmp/cases -n 1000 --seed 0
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.figures.uncertainty import MEAN_UNITS
from generator.schema import vocabulary
from generator.vocabulary import DOMAINS_FOR

# yaml.safe_dump's own dumper, built on libyaml where available: same output, about 7x faster.
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# The dates a case can reach: nothing later than this, so every case reads as past work.
LATEST = datetime.date(2025, 9, 30)
EARLIEST = datetime.date(2010, 1, 1)

COUNTRIES: dict[str, tuple[int, tuple[str, ...]]] = {
    # code: (weight, regions)
    "GB": (
        10,
        (
            "North West England",
            "Yorkshire and the Humber",
            "Wales",
            "Scotland",
            "Northern Ireland",
            "South West England",
            "London",
            "East Midlands",
        ),
    ),
    "IE": (2, ("Munster", "Leinster", "Connacht", "Ulster")),
    "NZ": (2, ("Tāmaki Makaurau", "Canterbury", "Otago", "Te Tai Tokerau")),
    "AU": (2, ("New South Wales", "Victoria", "Queensland", "Tasmania")),
    "CA": (1, ("Ontario", "British Columbia", "Nova Scotia", "Québec")),
    "NL": (2, ("South Holland", "Utrecht", "Groningen", "Gelderland")),
    "DK": (1, ("Syddanmark", "Hovedstaden", "Midtjylland")),
    "SE": (1, ("Skåne", "Västra Götaland", "Norrbotten")),
    "NO": (1, ("Vestland", "Trøndelag", "Nordland")),
    "DE": (1, ("Nordrhein-Westfalen", "Sachsen", "Bayern")),
    "US": (1, ("Oregon", "Minnesota", "Vermont")),
    "ZA": (1, ("Western Cape", "Gauteng", "KwaZulu-Natal")),
}
# fmt: off
# Word lists stay wrapped: one word a line would hide the data.
PLACE_STARTS = ("Ash", "Brack", "Carn", "Dun", "Elder", "Fern", "Glen", "Hollin", "Kings",
                "Lark", "Marsh", "Nether", "Oak", "Pen", "Red", "Salt", "Thorn", "Under",
                "Wyn", "Yar", "Brae", "Cold", "Stan", "Whit")
PLACE_ENDS = ("ford", "bury", "holt", "wick", "mere", "dale", "thorpe", "field", "stow",
              "haven", "ton", "combe", "ley", "brook", "gate")
# Distinctive words, one per case (its group's nickname), that search tests can look for.
NICKNAMES = ("Kestrel", "Lantern", "Bramble", "Compass", "Harbour", "Tidewater", "Saffron",
             "Quillwort", "Marigold", "Larkspur", "Driftwood", "Foxglove", "Juniper", "Mistral",
             "Wayfinder", "Cobblestone", "Moorhen", "Silverbirch", "Heron", "Wildflower",
             "Kingfisher", "Hearthstone", "Meadowsweet", "Skylark", "Tern", "Rowan", "Sorrel",
             "Woodsmoke", "Lodestar", "Bellwether", "Curlew", "Nightjar")
SURNAMES = ("Okafor", "Byrne", "Patel", "Nguyen", "Jansen", "Murphy", "Walker", "Kaur",
            "Hughes", "de Vries", "Ngata", "Larsen", "Schmidt", "Campbell", "Ahmed", "Evans",
            "O'Neill", "Mbeki", "Lindqvist", "Ferreira")
ROLES = ("Co-production lead", "Service manager", "Evaluation officer", "Peer researcher",
         "Commissioning manager", "Community development worker", "Research fellow",
         "Expert by experience", "Project coordinator")
# fmt: on

AREAS: dict[str, tuple[tuple[str, ...], str]] = {
    # area code: (service names, the people who use the service)
    "adult-social-care": (
        ("day centre", "home care service", "respite service", "shared lives scheme"),
        "people who use the service",
    ),
    "children-and-families": (
        ("family hub", "short breaks service", "early help service", "youth club"),
        "parents and young people",
    ),
    "health": (
        (
            "diabetes clinic",
            "physiotherapy service",
            "community pharmacy service",
            "GP surgery appointment system",
        ),
        "patients",
    ),
    "mental-health": (
        ("crisis café", "recovery college", "community mental health team", "peer support service"),
        "people using the service",
    ),
    "housing": (
        (
            "repairs service",
            "homelessness hostel",
            "tenancy sustainment service",
            "sheltered housing scheme",
        ),
        "tenants",
    ),
    "environment": (
        ("repair café", "household recycling centre", "community garden", "food waste collection"),
        "residents",
    ),
    "education": (
        (
            "adult learning service",
            "school inclusion unit",
            "homework club",
            "college transition programme",
        ),
        "learners",
    ),
    "employment": (
        (
            "job club",
            "supported employment service",
            "apprenticeship programme",
            "careers advice service",
        ),
        "jobseekers",
    ),
    "community-safety": (
        (
            "neighbourhood policing team",
            "street lighting programme",
            "victim support service",
            "youth diversion scheme",
        ),
        "residents",
    ),
    "transport": (
        (
            "neighbourhood bus route",
            "community transport scheme",
            "cycle hire scheme",
            "accessible taxi service",
        ),
        "passengers",
    ),
    "culture-and-leisure": (
        ("library", "local museum", "leisure centre", "community arts programme"),
        "visitors",
    ),
    "other": (
        (
            "council website",
            "advice centre",
            "participatory budgeting programme",
            "welcome service for new residents",
        ),
        "residents",
    ),
}
ORGANISATION_NAMES = {
    "local-authority": "{place} Borough Council",
    "nhs": "{place} Health Board",
    "charity": "{place} Community Trust",
    "social-enterprise": "{place} Works",
    "community-group": "Friends of {place}",
    "housing-association": "{place} Homes",
    "university": "University of {place}",
    "central-government": "Department for Communities, {place} office",
    "private-provider": "{place} Care Partners",
    "other": "{place} Partnership",
}


@dataclass(frozen=True)
class MeasureKind:
    """One way to measure an outcome: its wording, unit, direction and usual range."""

    measure: str
    unit: str
    better: str
    low: float
    high: float
    scale: tuple[int, int] | None = None


def _percent(measure: str, better: str = "higher") -> MeasureKind:
    return MeasureKind(measure, "percent", better, 15, 85)


def _score(measure: str, low: int, high: int) -> MeasureKind:
    return MeasureKind(measure, "score", "higher", low, high, (low, high))


MEASURES: dict[str, tuple[MeasureKind, ...]] = {
    "self-confidence": (
        _percent("Members rating their confidence 4 or 5 out of 5 (%)"),
        _score("Mean confidence score", 1, 10),
    ),
    "self-esteem": (_score("Mean self-esteem score", 10, 40),),
    "empowerment": (_percent("Members agreeing they can change how the service works (%)"),),
    "trust": (
        _percent("Members trusting the organisation to act on their views (%)"),
        _score("Trust in the service, mean rating", 1, 5),
    ),
    "engagement": (
        MeasureKind("Meetings attended per member", "count", "higher", 2, 30),
        _percent("Members still taking part a year later (%)"),
    ),
    "mutual-understanding": (_percent("Staff agreeing they understand users' needs (%)"),),
    "wellbeing": (_score("Mean short wellbeing scale score", 7, 35),),
    "skills": (
        MeasureKind("Members gaining an accredited qualification", "count", "higher", 0, 25),
        _percent("Members confident chairing a meeting (%)"),
    ),
    "satisfaction": (
        _percent("Users rating the service good or very good (%)"),
        _score("Mean satisfaction rating", 1, 5),
    ),
    "staff-feedback": (_percent("Staff agreeing the new way of working is better (%)"),),
    "complaints": (
        MeasureKind("Complaints a quarter", "count", "lower", 5, 120),
        MeasureKind("Complaints per thousand users", "rate", "lower", 1, 40),
    ),
    "goal-attainment": (
        _percent("Goals in the service plan met (%)"),
        MeasureKind("People moving into work or learning", "count", "higher", 5, 300),
    ),
    "access": (
        MeasureKind("Average wait for a first appointment", "days", "lower", 3, 90),
        MeasureKind("Weekly attendances", "count", "higher", 20, 2000),
    ),
    "quality": (
        _score("Inspection quality rating", 1, 4),
        _percent("Jobs done right first time (%)"),
    ),
    "environmental": (
        MeasureKind("Waste sent to landfill a year", "tonnes", "lower", 5, 900),
        MeasureKind("Car trips avoided a month", "count", "higher", 50, 5000),
    ),
    "cost": (MeasureKind("Cost per person supported", "currency", "lower", 80, 4000),),
    "recovery": (_score("Mean recovery questionnaire score", 0, 60),),
    "service-use": (_percent("People readmitted within a year (%)", better="lower"),),
    "employment": (_percent("People in paid work or training (%)"),),
    "other": (
        MeasureKind("Volunteer hours a month", "other", "higher", 10, 800),
        _percent("Users who would recommend the service (%)"),
    ),
}
DECIMALS = dict(percent=0, score=1, count=0, rate=1, currency=2, tonnes=1, days=0, other=0)

FILLER = (
    "Meetings moved between the {service} and a community room so that nobody had far to travel.",
    "Staff and {users} shared the chairing, and decisions were taken by agreement where possible.",
    "An easy-read summary went out after every session, with a note of what had changed since.",
    "Some ideas could not be afforded, and the group was told why at the next meeting.",
    "The {nick} group kept a shared log of what was decided and who would do it.",
    "Young people and older residents worked in pairs on the first drafts.",
    "Frontline staff said the sessions changed how they talk with {users} at the front desk.",
    "Two members later joined the interview panel for a new manager.",
    "The evaluation team fed back early findings to the group, who helped interpret them.",
    "Interest dipped over the summer and picked up again once the first changes were visible.",
    "A small budget for the group's own priorities made the work feel real to members.",
    "Members tested every new leaflet and form with friends and neighbours before it was used.",
)
AIMS = (
    "Make the {service} work for the {users} who rely on it, not only for the staff who run it.",
    "Find out why fewer {users} were using the {service}, and change it with them.",
    "Design a {service} for {place} around what {users} said they needed.",
    "Share decisions about the {service} with {users}, from planning to checking the results.",
)
EVIDENCE = {
    "not-met": (
        "Notes of meetings show managers set the agenda and decided on {principle} alone.",
        "Members said their views on {principle} were noted but never acted on.",
    ),
    "partly-met": (
        "Members said they were heard on {principle} for some topics but not the budget.",
        "Interviews show {principle} improved in the second half, after a slow start.",
    ),
    "mostly-met": (
        "Observation notes show {principle} held in most meetings, with a few lapses.",
        "Documents and interviews agree that {principle} was mostly respected.",
    ),
    "fully-met": (
        "Every member interviewed said {principle} was respected throughout.",
        "Observation of all sessions found no lapse in {principle}.",
    ),
    "unknown": (
        "The evaluation did not collect evidence on {principle}.",
        "Records of {principle} were lost when the project changed hands.",
    ),
}
PRINCIPLES = {
    "equality": "equality",
    "diversity": "diversity and inclusion",
    "accessibility": "accessibility",
    "reciprocity": "reciprocity",
}
WORKED_WELL = (
    "Paying members from the first meeting",
    "Meeting in places members already used",
    "Sharing the budget openly from the start",
    "Training staff and members together",
    "Feeding back after every session",
    "Pairing new members with experienced ones",
)
LESS_WELL = (
    "Payments took weeks to arrive",
    "Men and younger people were under-represented",
    "Too many meetings in working hours",
    "Staff turnover broke continuity",
    "The group heard nothing for months after the design phase",
)
CHANGES = (
    "Moved meetings to the evening after members asked",
    "Added an online option",
    "Paid travel in advance instead of afterwards",
    "Shortened the papers for each meeting",
)
ADJUSTMENTS = (
    "Easy-read papers sent a week before each meeting",
    "British Sign Language interpreters",
    "Transport paid or arranged",
    "Quiet room available at every session",
    "Childcare costs covered",
    "Hearing loop in the meeting room",
    "Papers in large print and in community languages",
)
LIMITATIONS = (
    "No comparison group, so other changes at the time may explain part of the results.",
    "The survey sample changed between rounds and response rates were low.",
    "The evaluators were close to the project, which may have coloured the interviews.",
    "Follow-up was short, so lasting effects are not yet known.",
)
SOURCE_TITLES = (
    "evaluation report",
    "survey results",
    "final presentation",
    "short film",
    "learning review",
    "data tables",
)
SOURCE_TYPES = {
    "evaluation report": "report",
    "survey results": "dataset",
    "final presentation": "presentation",
    "short film": "video",
    "learning review": "article",
    "data tables": "dataset",
}


EVALUATED_BY = {
    "internal": "the organisation's own staff",
    "independent": "an independent evaluator",
    "peer": "peer evaluators from another organisation",
    "participant-led": "the participants themselves",
    "mixed": "a team of staff and independent evaluators",
}


class RoundRobin:
    """Hand out codes so that every block of len(codes) cases uses each code once."""

    def __init__(self, codes: Sequence[str], rng: random.Random) -> None:
        self.codes, self.rng, self.queue = list(codes), rng, list[str]()

    def next(self) -> str:
        """Return the next code, reshuffling at the start of each block."""
        if not self.queue:
            self.queue = self.codes[:]
            self.rng.shuffle(self.queue)
        return self.queue.pop()


@cache
def _codes(*path: str) -> tuple[str, ...]:
    """Return the schema's codes at a field path pattern, in the schema's order."""
    codes = tuple(code.code for code in vocabulary().codes(path))
    if not codes:
        raise LookupError(f"The schema has no codes at {'.'.join(path)}.")
    return codes


def _label(path: tuple[str, ...], code: str) -> str:
    return vocabulary().label(path, code)


def _a(words: str) -> str:
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _sample(rng: random.Random, codes: Sequence[str], low: int, high: int) -> list[str]:
    """Pick between low and high distinct codes, kept in the schema's order."""
    picked = set(rng.sample(list(codes), rng.randint(low, min(high, len(codes)))))
    return [code for code in codes if code in picked]


def _date_text(rng: random.Random, day: datetime.date) -> str:
    """Write a date as YYYY-MM-DD, YYYY-MM or YYYY (cutting keeps the order of dates)."""
    form = rng.choices(("day", "month", "year"), weights=(5, 4, 1))[0]
    if form == "day":
        return day.isoformat()
    return day.isoformat()[:7] if form == "month" else str(day.year)


def _add_days(day: datetime.date, days: int) -> datetime.date:
    return min(day + datetime.timedelta(days=days), LATEST)


@dataclass(frozen=True)
class Timeline:
    """The real dates of one case, before they are written at random precision."""

    start: datetime.date
    end: datetime.date | None
    follow_up_days: int

    @property
    def last(self) -> datetime.date:
        """Return the latest date a result may have."""
        return _add_days(self.end or self.start, self.follow_up_days)


def _timeline(rng: random.Random) -> Timeline:
    months = rng.randint(2, 30)
    follow_up = rng.choice((90, 180, 365, 540, 730, 1100))
    span = months * 30 + follow_up + 200
    latest_start = (LATEST - datetime.timedelta(days=span)).toordinal()
    start = datetime.date.fromordinal(rng.randint(EARLIEST.toordinal(), latest_start))
    ongoing = rng.random() < 0.15
    end = None if ongoing else start + datetime.timedelta(days=months * 30)
    return Timeline(start, end, follow_up)


@dataclass(frozen=True)
class Setting:
    """What one case is about: the codes handed out evenly plus its place and names."""

    index: int
    area: str
    design: str
    evaluator: str
    kind: str
    place: str
    nickname: str
    service: str
    users: str
    country: str


def _setting(index: int, picks: dict[str, RoundRobin], rng: random.Random) -> Setting:
    area = picks["area"].next()
    services, users = AREAS.get(area, AREAS["other"])
    codes = [code for code in COUNTRIES if code in _codes("service", "country")]
    country = rng.choices(codes, weights=[COUNTRIES[c][0] for c in codes])[0]
    return Setting(
        index=index,
        area=area,
        design=picks["design"].next(),
        evaluator=picks["evaluator"].next(),
        kind=picks["kind"].next(),
        place=rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS),
        nickname=rng.choice(NICKNAMES),
        service=rng.choice(services),
        users=users,
        country=country,
    )


def _fill(template: str, s: Setting) -> str:
    return template.format(service=s.service, users=s.users, place=s.place, nick=s.nickname)


def _round(value: float, unit: str) -> int | float:
    places = DECIMALS[unit]
    return round(value) if places == 0 else round(value, places)


def _bounds(kind: MeasureKind) -> tuple[float, float]:
    if kind.unit == "percent":
        return 0, 100
    if kind.scale:
        return kind.scale
    return 0, kind.high * 3


def _series(rng: random.Random, kind: MeasureKind, count: int) -> list[int | float]:
    """Return a baseline and ``count`` results that mostly improve, sometimes not."""
    low, high = _bounds(kind)
    value = rng.uniform(kind.low, kind.low + (kind.high - kind.low) * 0.7)
    sign = 1 if kind.better == "higher" else -1
    trend = rng.choices((1, 0, -1), weights=(7, 1, 2))[0] * sign
    values = [value]
    for _ in range(count):
        value += trend * rng.uniform(0.02, 0.2) * (kind.high - kind.low)
        values.append(value)
    return [_round(min(max(v, low), high), kind.unit) for v in values]


def _result_days(rng: random.Random, t: Timeline, count: int) -> list[datetime.date]:
    first = t.start.toordinal() + 30
    last = max(t.last.toordinal(), first)
    return [
        datetime.date.fromordinal(d) for d in sorted(rng.randint(first, last) for _ in range(count))
    ]


def _measurement(
    rng: random.Random, value: float, day: datetime.date, s: Setting, big: bool, kind: MeasureKind
) -> dict[str, Any]:
    item: dict[str, Any] = {"value": value, "date": _date_text(rng, day)}
    if rng.random() < 0.7:
        item["n"] = rng.randint(20, 400) if big else rng.randint(2, 60)
        if kind.unit in MEAN_UNITS and rng.random() < 0.6:
            item["sd"] = _round(rng.uniform(0.1, 0.3) * (kind.high - kind.low), kind.unit) or 1
    if rng.random() < 0.1:
        item["note"] = f"Measured during the {s.nickname} group's review week"
    return item


def _comparison(
    rng: random.Random, outcome: dict[str, Any], kind: MeasureKind, s: Setting
) -> dict[str, Any]:
    """Return the same measure in a group that did not take part, changing less."""
    low, high = _bounds(kind)

    def like(item: dict[str, Any], drift: float) -> dict[str, Any]:
        value = _round(min(max(item["value"] + drift, low), high), kind.unit)
        copy = {**item, "value": value}
        copy.pop("note", None)
        return copy

    start = outcome["baseline"]["value"]
    return {
        "label": f"People using the service in the {s.place} comparison area",
        "baseline": like(outcome["baseline"], 0),
        "results": [
            like(r, (r["value"] - start) * rng.uniform(-0.2, 0.8)) for r in outcome["results"]
        ],
    }


def _numbers_for(s: Setting, rng: random.Random) -> tuple[bool, int]:
    """Decide whether an outcome has a baseline and how many results it has."""
    if s.design == "qualitative":
        return False, rng.choice((0, 0, 0, 1))
    has_baseline = s.design != "post-only" and (s.kind == "existing" or rng.random() < 0.3)
    return has_baseline, rng.choices((1, 2, 3, 4), weights=(5, 4, 2, 1))[0]


def _outcome(rng: random.Random, s: Setting, t: Timeline, about: str) -> dict[str, Any]:
    domain = rng.choice(DOMAINS_FOR[about])
    kind = rng.choice(MEASURES[domain])
    outcome: dict[str, Any] = {"about": about, "domain": domain}
    if about == "participants" or rng.random() < 0.1:
        outcome["group"] = rng.choice(_codes("outcomes", "*", "group"))
    outcome.update(measure=kind.measure, unit=kind.unit)
    if kind.scale:
        outcome["scale"] = {"min": kind.scale[0], "max": kind.scale[1]}
    outcome["better"] = kind.better
    has_baseline, count = _numbers_for(s, rng)
    values = _series(rng, kind, count)
    days = _result_days(rng, t, count)
    big = about == "service"
    if has_baseline and count:
        base_day = t.start - datetime.timedelta(days=rng.randint(0, 120))
        outcome["baseline"] = _measurement(rng, values[0], base_day, s, big, kind)
    if count:
        outcome["results"] = [
            _measurement(rng, v, d, s, big, kind) for v, d in zip(values[1:], days, strict=True)
        ]
    compared = s.design in ("before-after-with-comparison", "randomised")
    if compared and has_baseline and count and rng.random() < 0.6:
        outcome["comparison"] = _comparison(rng, outcome, kind, s)
    if s.kind == "new" or domain == "goal-attainment":
        outcome["target"] = _target(rng, kind, values[0])
    outcome["finding"] = _finding(rng, s, kind, values if count else [], has_baseline)
    if rng.random() < 0.5:
        outcome["attribution"] = _attribution(s)
    return outcome


def _target(rng: random.Random, kind: MeasureKind, start: float) -> int | float:
    """Return a goal a little better than where the measure started."""
    low, high = _bounds(kind)
    step = rng.uniform(0.05, 0.3) * (kind.high - kind.low)
    goal = start + step if kind.better == "higher" else start - step
    return _round(min(max(goal, low), high), kind.unit)


def _finding(
    rng: random.Random, s: Setting, kind: MeasureKind, values: list[int | float], baseline: bool
) -> str:
    """Say what was found in words; numbers only where they are short."""
    words = {"higher": ("rose", "fell"), "lower": ("fell", "rose")}[kind.better]
    quoted = kind.unit in ("percent", "score")
    if not values:
        text = (
            f"{s.users.capitalize()} described the change in interviews; no figures were collected."
        )
    elif baseline and quoted and values[-1] != values[0]:
        moved = words[0] if _improved(kind, values) else words[1]
        text = f"The measure {moved} from {values[0]} to {values[-1]} by the last follow-up."
    elif baseline:
        text = (
            "The measure improved." if _improved(kind, values) else "The measure did not improve."
        )
    else:
        text = "Only results after the change were collected, so there is no baseline to compare."
    return f"{text} {_fill(rng.choice(FILLER), s)}"


def _improved(kind: MeasureKind, values: list[int | float]) -> bool:
    return (values[-1] > values[0]) == (kind.better == "higher") and values[-1] != values[0]


def _attribution(s: Setting) -> str:
    if s.design in ("before-after-with-comparison", "randomised"):
        return "The comparison group, measured at the same times, makes a link to the co-production likely."
    return "Other changes happened at the same time, so the link to the co-production is uncertain."


def _summary(rng: random.Random, s: Setting, t: Timeline, outcomes: list[dict[str, Any]]) -> str:
    """Build a summary of 300 to 1200 characters from the case's own facts."""
    months = "" if t.end is None else f" over {max(1, (t.end - t.start).days // 30)} months"
    sentences = [
        f"{s.users.capitalize()}, staff and partners in {s.place} redesigned the {s.service}{months}, "
        f"working as the {s.nickname} group.",
        f"It was evaluated by {EVALUATED_BY.get(s.evaluator, 'an evaluation team')} "
        f"with {_a(_label(('evaluation', 'design'), s.design).lower())} design.",
        f"It reports {len(outcomes)} outcome{'s' if len(outcomes) != 1 else ''}, "
        f"for the people who took part and for the {s.service}.",
    ]
    sentences += _headline(outcomes)
    if t.end is None:
        sentences.append("The co-production is still going on and results will be added.")
    target = rng.randint(300, 1200)
    pool = list(FILLER)
    rng.shuffle(pool)
    while len(" ".join(sentences)) < target and pool:
        sentences.append(_fill(pool.pop(), s))
    while len(" ".join(sentences)) > 1200:
        sentences.pop()
    return " ".join(sentences)


def _headline(outcomes: list[dict[str, Any]]) -> list[str]:
    """Return a sentence on the first outcome with a short before-and-after figure."""
    for outcome in outcomes:
        if outcome["unit"] in ("percent", "score") and "baseline" in outcome:
            before, after = outcome["baseline"]["value"], outcome["results"][-1]["value"]
            if before != after:
                measure = outcome["measure"].removesuffix(" (%)")
                moved = "went up" if after > before else "went down"
                return [f"{measure} {moved} from {before} to {after}."]
    return []


def _description(rng: random.Random, s: Setting, count: int) -> str:
    paragraphs = [
        f"About {count} people met {rng.choice(('weekly', 'fortnightly', 'monthly'))} "
        f"to work on the {s.service}. " + _fill(rng.choice(FILLER), s),
        "What the group did:\n\n" + "\n".join(f"- {_fill(f, s)}" for f in rng.sample(FILLER, 3)),
    ]
    if rng.random() < 0.5:
        paragraphs.append(f"The *{s.nickname}* sessions ended with a shared meal.")
    return "\n\n".join(paragraphs)


def _participants(rng: random.Random) -> list[dict[str, Any]]:
    groups = _sample(rng, _codes("coproduction", "participants", "*", "group"), 1, 4)
    entries: list[dict[str, Any]] = []
    for group in groups:
        entry: dict[str, Any] = {"group": group}
        if rng.random() < 0.85:
            entry["count"] = rng.randint(0, 40)
        if rng.random() < 0.3:
            entry["description"] = (
                f"Recruited through {rng.choice(('leaflets', 'staff', 'a local radio slot', 'word of mouth'))}"
            )
        entries.append(entry)
    return entries


def _coproduction(rng: random.Random, s: Setting, t: Timeline) -> dict[str, Any]:
    participants = _participants(rng)
    total = sum(p.get("count", 0) for p in participants) or rng.randint(5, 30)
    copro: dict[str, Any] = {"aim": _fill(rng.choice(AIMS), s), "start": _date_text(rng, t.start)}
    if t.end is not None:
        copro["end"] = _date_text(rng, t.end)
    copro["level"] = rng.choice(_codes("coproduction", "level"))
    copro["stages"] = _sample(rng, _codes("coproduction", "stages", "*"), 1, 4)
    copro["description"] = _description(rng, s, total)
    copro["participants"] = participants
    if rng.random() < 0.8:
        copro["reciprocity"] = _reciprocity(rng)
    if rng.random() < 0.7:
        copro["accessibility"] = rng.sample(ADJUSTMENTS, rng.randint(1, 4))
    if rng.random() < 0.6:
        copro["inclusion"] = (
            f"Invitations went out through {s.place} groups that {s.users} already knew."
        )
    return copro


def _reciprocity(rng: random.Random) -> list[str]:
    codes = _codes("coproduction", "reciprocity", "*")
    if rng.random() < 0.1:
        return ["none"]
    return _sample(rng, [c for c in codes if c != "none"], 1, 4)


def _principles(rng: random.Random) -> dict[str, Any]:
    ratings = _codes("principles", "equality", "rating")
    weights = [1 if r in ("not-met", "unknown") else 3 for r in ratings]
    principles = {}
    for key, words in PRINCIPLES.items():
        rating = rng.choices(ratings, weights=weights)[0]
        evidence = rng.choice(EVIDENCE[rating]).format(principle=words)
        principles[key] = {"rating": rating, "evidence": evidence}
    return principles


def _experience(rng: random.Random, s: Setting) -> list[dict[str, Any]]:
    entries = []
    for aspect in _sample(rng, _codes("experience", "*", "aspect"), 1, 3):
        entry: dict[str, Any] = {"aspect": aspect}
        if rng.random() < 0.5:
            entry["question"] = f"Taking part in the {s.nickname} group was worth my time"
        entry.update(respondents=rng.randint(1, 60), agree_percent=rng.randint(30, 100))
        entries.append(entry)
    return entries


def _authors(rng: random.Random, organisation: str) -> list[dict[str, str]]:
    authors = []
    for _ in range(rng.choices((1, 2, 3), weights=(5, 3, 1))[0]):
        author = {"name": f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(SURNAMES)}"}
        if rng.random() < 0.8:
            author["organisation"] = organisation
        if rng.random() < 0.7:
            author["role"] = rng.choice(ROLES)
        authors.append(author)
    return authors


def _sources(rng: random.Random, s: Setting, year: int) -> list[dict[str, Any]]:
    sources = []
    for title in rng.sample(SOURCE_TITLES, rng.randint(1, 3)):
        source: dict[str, Any] = {"title": f"{s.place} {s.service}: {title}"}
        if rng.random() < 0.5:
            source["url"] = f"https://example.org/{s.place.lower()}/{title.replace(' ', '-')}"
        if rng.random() < 0.8:
            source["year"] = year
        source["type"] = SOURCE_TYPES[title]
        sources.append(source)
    return sources


def _header(rng: random.Random, s: Setting, t: Timeline, org_type: str) -> dict[str, Any]:
    organisation = ORGANISATION_NAMES[org_type].format(place=s.place)
    submitted = _add_days(t.last, rng.randint(0, 120))
    case: dict[str, Any] = {
        "schema_version": 1,
        "id": f"synthetic-case-{s.index:05d}",
        "title": f"The {s.nickname} group: redesigning the {s.place} {s.service}",
        "summary": "",
        "status": "example",
    }
    if rng.random() < 0.3 and submitted > t.start + datetime.timedelta(days=60):
        first = datetime.date.fromordinal(
            rng.randint(t.start.toordinal() + 30, submitted.toordinal())
        )
        case.update(submitted=_date_text(rng, first), updated=_date_text(rng, submitted))
    else:
        case["submitted"] = _date_text(rng, submitted)
    case["licence"] = rng.choice(_codes("licence"))
    case["authors"] = _authors(rng, organisation)
    case["organisation"] = {"name": organisation, "type": org_type}
    if rng.random() < 0.6:
        case["organisation"]["url"] = f"https://www.example.org/{s.place.lower()}"
    return case


def _service(rng: random.Random, s: Setting) -> dict[str, Any]:
    service = {
        "name": f"{s.place} {s.service}",
        "area": s.area,
        "kind": s.kind,
        "country": s.country,
    }
    if rng.random() < 0.8:
        service["region"] = rng.choice(COUNTRIES[s.country][1])
    return service


def _evaluation(rng: random.Random, s: Setting) -> dict[str, Any]:
    evaluation: dict[str, Any] = {"evaluator": s.evaluator, "design": s.design}
    evaluation["methods"] = _sample(rng, _codes("evaluation", "methods", "*"), 1, 5)
    if rng.random() < 0.8:
        compared = s.design in ("before-after-with-comparison", "randomised")
        choices = LIMITATIONS[1:] if compared else LIMITATIONS
        evaluation["limitations"] = " ".join(rng.sample(choices, rng.randint(1, len(choices) - 1)))
    return evaluation


def build_case(index: int, picks: dict[str, RoundRobin], rng: random.Random) -> dict[str, Any]:
    """Build one synthetic case as plain data, fields in the contract's order."""
    s = _setting(index, picks, rng)
    t = _timeline(rng)
    case = _header(rng, s, t, rng.choice(_codes("organisation", "type")))
    case["service"] = _service(rng, s)
    case["coproduction"] = _coproduction(rng, s, t)
    case["evaluation"] = _evaluation(rng, s)
    case["principles"] = _principles(rng)
    if rng.random() < 0.7:
        case["experience"] = _experience(rng, s)
    abouts = rng.choices(("participants", "service"), k=rng.randint(1, 12))
    case["outcomes"] = [_outcome(rng, s, t, about) for about in abouts]
    case["summary"] = _summary(rng, s, t, case["outcomes"])
    case["learning"] = {
        "worked_well": rng.sample(WORKED_WELL, rng.randint(1, 3)),
        "less_well": rng.sample(LESS_WELL, rng.randint(1, 3)),
    }
    if rng.random() < 0.5:
        case["learning"]["changes_made"] = rng.sample(CHANGES, rng.randint(1, 2))
    if rng.random() < 0.6:
        case["sources"] = _sources(rng, s, t.last.year)
    return case


def write_cases(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic case files into ``folder`` and return their paths, sorted.

    The same seed gives byte-identical files, and the first k cases of a larger run are the
    same as a run of k cases.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    fields = {
        "area": ("service", "area"),
        "design": ("evaluation", "design"),
        "evaluator": ("evaluation", "evaluator"),
        "kind": ("service", "kind"),
    }
    picks = {
        name: RoundRobin(_codes(*path), random.Random(rng.getrandbits(64)))
        for name, path in fields.items()
    }
    paths = []
    for index in range(1, n + 1):
        case = build_case(index, picks, random.Random(rng.getrandbits(64)))
        path = folder / f"{case['id']}.yaml"
        text = yaml.dump(case, Dumper=_SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(
            f"# Synthetic case (benchmarks/synthetic.py, seed {seed}).\n{text}", encoding="utf-8"
        )
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    """Write synthetic cases from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the case files into")
    parser.add_argument("-n", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write_cases(args.out_dir, args.n, args.seed)
    print(f"Wrote {len(paths)} cases to {args.out_dir} in {time.perf_counter() - started:.2f} s.")


if __name__ == "__main__":
    main()
