"""The case-study builder page: a form generated from the schema, filled in and checked in the browser.

The schema is the only list of fields: this module walks it into a tree of form fields, in the
schema's order, and the template turns the tree into GOV.UK-style markup. The few fields that
apply only sometimes take their conditions from the cross-field rules (``generator.rules``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from generator.cases import measures, personal_data, provenance
from generator.cases.rules import (
    HIDDEN_CHARACTERS,
    HIDDEN_RANGES,
    RESERVED_IDS,
    VISIBLE_CATEGORIES,
    describe_character,
)
from generator.cases.validate import CaseValidator
from generator.schema import Code, codes_of, instruments, load_schema, resolve
from generator.settings import SiteSettings
from generator.site.templating import ENV, embed_json
from generator.vocabulary import (
    DESIGNS_WITH_COMPARISON,
    DOMAINS_FOR,
    PRINCIPLES,
    RATIO_STATISTICS,
    UNIT_WITH_SCALE,
    UNITS_WITH_SD,
)

FieldPath = tuple[str, ...]

RADIO_LIMIT = 6  # more codes than this are chosen from a select, as GOV.UK advises
LONG_TEXT = 500  # plain text allowed this long gets a text area
FIRST_SECTION_END = "coproduction"  # the fields before it are "about the case"
FIRST_SECTION_TITLE = "About the case"
# Added by a reviewer, never by the person writing the case; a loaded case keeps it untouched.
REVIEWER_FIELDS = ("allowed_personal_data",)
# A field filled in from another until the person types in it: the id from the title.
SUGGESTED_FROM: dict[FieldPath, str] = {("id",): "title"}
# "About the case" starts with what a person knows before they have a file: the title, the
# organisation and the summary; then the id, suggested from the title. The rest keep the
# schema's order, as does the file the page writes.
FIRST_QUESTIONS = ("title", "organisation", "summary", "id")
# Where the schema's words are for people writing the file, the page says it for the form.
PLAIN_HINTS: dict[FieldPath, str] = {
    ("id",): (
        "A short name for the case, made from the title as you type it; you can change it. "
        "It becomes the name of the case file and part of the case page's web address, so it "
        "stays the same once the case is published."
    ),
}
PLAIN_FORMAT_HINTS: dict[FieldPath, str] = {
    ("id",): (
        "Use lowercase letters (a to z), digits and single hyphens between them, at most 80 "
        "characters, e.g. riverside-day-centre-redesign."
    ),
}
# Checked as the person types, with what it means said beside it (the id: free, and the file name).
CHECKED_LIVE = (("id",),)
# Long lists of codes whose order means nothing to a reader: offered by label, as a person looks
# for them (countries by name, not by ISO code).
SORTED_BY_LABEL = (("service", "country"),)
# A yes-or-no field (``paired``) is asked as a choice; the page writes true or false.
YES_NO = (
    Code("true", "Yes", ""),
    Code("false", "No", ""),
)
# What a message asks for when an answer is missing, where "choose the <title>" would not be
# English ("choose the about", "choose the better"); keyed by the field's path, "*" for a list's
# items. Every other field is asked for by its title ("enter the title", "choose the country").
MISSING_ANSWER: dict[str, str] = {
    "id": "enter the identifier, a short name for the case made from its title",
    "service/kind": "choose whether an existing service was redesigned or a new one designed",
    "coproduction/start": "enter when the co-production started",
    "coproduction/participants/*/group": "choose which group took part",
    "evaluation/evaluator": "choose who did the evaluation",
    "evaluation/clusters/intervention": "enter how many groups took part",
    "evaluation/clusters/comparison": "enter how many groups were compared with",
    "evaluation/sample/recruited": "enter how many people were recruited",
    "evaluation/sample/analysed": "enter how many of them were in the analysis",
    **{
        f"principles/{name}/rating": "choose how well the principle was followed"
        for name in PRINCIPLES
    },
    **{f"principles/{name}/evidence": "enter how the rating is known" for name in PRINCIPLES},
    "experience/*/aspect": "choose which part of the experience was asked about",
    "experience/*/respondents": "enter how many participants answered",
    "experience/*/agree_percent": "enter the percentage who agreed",
    "outcomes/*/about": "choose whether this outcome is about the participants or the service",
    "outcomes/*/better": "choose whether higher or lower is better",
    "outcomes/*/paired": (
        "choose whether the same people were measured at the baseline and at the results"
    ),
    "outcomes/*/reported/statistic": "choose what the estimate is",
    "outcomes/*/source/ref": "enter the number of the source, counting from 1",
}
# How other messages name a field whose title is not a noun ("enter 100 or less for the
# percentage who agreed", not "for the agreeing (%)").
PLAIN_NAMES: dict[str, str] = {
    "evaluation/clusters/intervention": "the number of groups taking part",
    "evaluation/clusters/comparison": "the number of groups compared with",
    "evaluation/sample/recruited": "the number of people recruited",
    "evaluation/sample/analysed": "the number of people in the analysis",
    "experience/*/agree_percent": "the percentage who agreed",
    "outcomes/*/about": "whose outcome this is",
    "outcomes/*/better": "which direction is better",
    "outcomes/*/paired": "whether the same people were measured each time",
}
_DATE_REF = "#/$defs/date"
_URL_REF = "#/$defs/url"


@dataclass(frozen=True)
class Condition:
    """Show a field only while another field (``/``-rooted, or the nearest sibling) has a value."""

    field: str
    values: tuple[str, ...]
    required: bool = False  # when it applies, the rules require it


@dataclass(frozen=True)
class OptionGroup:
    """Codes shown together under a heading in a select."""

    label: str
    codes: tuple[Code, ...]
    fits: str = ""  # the code of ``about`` they fit, or "" for either


@dataclass(frozen=True)
class FormField:
    """One field of the form: how to ask for it, and where its answer goes in the case."""

    key: str
    path: FieldPath
    title: str
    hint: str
    kind: str
    required: bool
    codes: tuple[Code, ...] = ()
    option_groups: tuple[OptionGroup, ...] = ()
    children: tuple[FormField, ...] = ()
    item: FormField | None = None
    const: Any = None
    format_hint: str = ""
    min_items: int = 0
    max_length: int = 0
    when: Condition | None = None
    suggested_from: str = ""
    value_type: str = ""  # for a choice: "boolean" or "number" where its codes are not text
    checked_live: bool = False

    @property
    def rel_id(self) -> str:
        """Return the id suffix of this field within its list item (or the page)."""
        tail: list[str] = []
        for part in reversed(self.path):
            if part == "*":
                break
            tail.insert(0, part)
        return "-".join(p.replace("_", "-") for p in tail) or "item"

    @property
    def widget(self) -> str:
        """Return how a single code is chosen: ``radios`` or ``select``."""
        return "radios" if len(self.codes) <= RADIO_LIMIT else "select"


@dataclass(frozen=True)
class FormSection:
    """A section of the page, in the case's order."""

    anchor: str
    title: str
    description: str
    fields: tuple[FormField, ...]
    group: FormField | None = None


@dataclass
class FormWalker:
    """Turn the schema into form fields."""

    schema: dict[str, Any] = field(default_factory=load_schema)

    def sections(self) -> list[FormSection]:
        """Return "about the case", then a section per later top-level field."""
        fields = self.children(resolve(self.schema, self.schema), ())
        keys = [f.key for f in fields]
        cut = keys.index(FIRST_SECTION_END)
        about = first_questions_first(fields[:cut])
        sections = [FormSection("about-the-case", FIRST_SECTION_TITLE, "", about)]
        for f in fields[cut:]:
            if f.key in REVIEWER_FIELDS:
                continue
            sections.append(FormSection(_anchor(f.path), f.title, f.hint, (f,), group=f))
        return sections

    def children(self, node: dict[str, Any], path: FieldPath) -> tuple[FormField, ...]:
        """Return the fields of an object node, in the schema's order."""
        required = set(node.get("required", []))
        return tuple(
            self.field(name, raw, (*path, name), name in required)
            for name, raw in node.get("properties", {}).items()
        )

    def field(self, key: str, raw: dict[str, Any], path: FieldPath, required: bool) -> FormField:
        """Return the form field for one schema node."""
        node = resolve(self.schema, raw)
        when = condition_for(path)
        base: dict[str, Any] = {
            "key": key,
            "path": path,
            "title": str(node.get("title", key)),
            "hint": PLAIN_HINTS.get(path, str(node.get("description", ""))),
            "required": required or bool(when and when.required),
            "when": when,
            "format_hint": PLAIN_FORMAT_HINTS.get(path, self.format_hint(raw, node)),
            "suggested_from": SUGGESTED_FROM.get(path, ""),
            "checked_live": path in CHECKED_LIVE,
        }
        if "const" in node:
            return FormField(kind="const", const=node["const"], **base)
        if node.get("type") == "boolean":
            return FormField(kind="choice", codes=YES_NO, value_type="boolean", **base)
        codes = codes_of(node)
        if codes and path in SORTED_BY_LABEL:
            codes = sorted(codes, key=lambda code: sort_key(code.label))
        if codes:
            numeric = all(isinstance(c.code, (int, float)) for c in codes)
            return FormField(
                kind="choice",
                codes=tuple(codes),
                option_groups=option_groups(path, codes),
                value_type="number" if numeric else "",
                **base,
            )
        if node.get("type") == "array":
            return self.array(node, path, base)
        if "properties" in node:
            return FormField(kind="group", children=self.children(node, path), **base)
        return FormField(
            kind=text_kind(raw, node), max_length=int(node.get("maxLength", 0)), **base
        )

    def array(self, node: dict[str, Any], path: FieldPath, base: dict[str, Any]) -> FormField:
        """Return a list field: checkboxes for codes, else a repeating group."""
        item_node = resolve(self.schema, node["items"])
        codes = codes_of(item_node)
        if codes:
            return FormField(kind="choices", codes=tuple(codes), **base)
        item = self.field("", node["items"], (*path, "*"), True)
        if "title" not in node["items"]:  # a shared definition ("Measurement"): name it "Result"
            item = _retitled(item, base["title"])
        return FormField(kind="list", item=item, min_items=int(node.get("minItems", 0)), **base)

    def format_hint(self, raw: dict[str, Any], node: dict[str, Any]) -> str:
        """Return what a value must look like, for pattern messages (dates, web addresses, ids)."""
        defs = self.schema.get("$defs", {})
        if raw.get("$ref") == _DATE_REF:
            return str(defs["date"]["description"])
        if raw.get("$ref") == _URL_REF:
            return str(defs["url"]["description"])
        return str(node.get("description", "")) if "pattern" in node else ""


def first_questions_first(fields: Iterable[FormField]) -> tuple[FormField, ...]:
    """Return the fields with ``FIRST_QUESTIONS`` first, in that order; hidden constants lead."""
    fields = tuple(fields)
    constants = [f for f in fields if f.kind == "const"]
    first = [f for key in FIRST_QUESTIONS for f in fields if f.key == key]
    rest = [f for f in fields if f not in first and f not in constants]
    return (*constants, *first, *rest)


def sort_key(label: str) -> str:
    """Return how a label sorts for a reader: accents and case aside (Åland with the A's)."""
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _retitled(item: FormField, list_title: str) -> FormField:
    return replace(item, title=list_title.removesuffix("s"))


def text_kind(raw: dict[str, Any], node: dict[str, Any]) -> str:
    """Return the input a scalar needs: date, url, number, integer, textarea or text."""
    if raw.get("$ref") == _DATE_REF:
        return "date"
    if raw.get("$ref") == _URL_REF:
        return "url"
    if node.get("type") in ("number", "integer"):
        return str(node["type"])
    long_text = int(node.get("maxLength", 0)) >= LONG_TEXT
    if node.get("contentMediaType") == "text/markdown" or long_text:
        return "textarea"
    return "text"


def condition_for(path: FieldPath) -> Condition | None:
    """Return when a field applies, from the cross-field rules, or None when it always does."""
    if path[:1] != ("outcomes",):
        return None
    if path == ("outcomes", "*", "scale"):
        return Condition("unit", (UNIT_WITH_SCALE,), required=True)
    if path == ("outcomes", "*", "comparison"):
        return Condition("/evaluation/design", DESIGNS_WITH_COMPARISON)
    if path[-1] == "sd":
        return Condition("unit", UNITS_WITH_SD)
    if path[-1] == "count":  # the people behind a percentage
        return Condition("unit", ("percent",))
    if path[-1] == "sd_change":  # each person's change, on a paired outcome
        return Condition("paired", ("true",))
    if path == ("outcomes", "*", "instrument"):
        return Condition("unit", (UNIT_WITH_SCALE,))
    if path == ("outcomes", "*", "source"):  # a summary's figures say where they come from
        return Condition("/status", ("summary",))
    return None


def option_groups(path: FieldPath, codes: list[Code]) -> tuple[OptionGroup, ...]:
    """Group outcome domains by whose outcome they fit; other fields have no groups."""
    if path != ("outcomes", "*", "domain"):
        return ()
    schema = load_schema()
    outcome = resolve(schema, schema["$defs"]["outcome"])
    abouts = codes_of(resolve(schema, outcome["properties"]["about"]))
    shared = set.intersection(*(set(DOMAINS_FOR[a.code]) for a in abouts))
    groups = [
        OptionGroup(
            f"For {about.label.lower()}",
            tuple(c for c in codes if c.code in DOMAINS_FOR[about.code] and c.code not in shared),
            about.code,
        )
        for about in abouts
    ]
    groups.append(OptionGroup("For either", tuple(c for c in codes if c.code in shared)))
    return tuple(g for g in groups if g.codes)


def _anchor(path: FieldPath) -> str:
    return "section-" + "-".join(p.replace("_", "-") for p in path)


def form_sections() -> list[FormSection]:
    """Return the builder's sections, walked from the schema."""
    return FormWalker().sections()


ISSUE_TEMPLATE = "submit-case.yml"
BUILDER_URI = "contribute/builder/index.md"
# The page's first link, past the header, the navigation and the page's own contents list.
SKIP_LINK = ("#about-the-case", "Skip to the form")


def issue_form_url(repo_url: str) -> str:
    """Return the address of the repository's "submit a case" issue form, or "" without one."""
    return f"{repo_url.rstrip('/')}/issues/new?template={ISSUE_TEMPLATE}" if repo_url else ""


def new_file_url(repo_url: str, branch: str, folder: str, case_id: str = "") -> str:
    """Return GitHub's new-file page in the cases folder, with the file name filled in."""
    if not repo_url:
        return ""
    query = f"?filename={case_id}.yaml" if case_id else ""
    return f"{repo_url.rstrip('/')}/new/{branch}/{folder}{query}"


# Python's \w and \d match any script's letters and digits; JavaScript's only ASCII ones.
_JS_CLASS_ESCAPES = {"w": r"\p{L}\p{N}_", "d": r"\p{Nd}"}


def js_regex(pattern: re.Pattern[str]) -> dict[str, str]:
    """Return a Python regex as the source and flags of the same JavaScript ``u`` regex.

    Handles what the project's patterns use: named groups and back-references, ``\\w`` and
    ``\\d`` (made Unicode-wide, as Python's are), escaped quotes, and IGNORECASE. Characters
    beyond ASCII are written as ``\\u{...}`` so the page holds no invisible character.
    """
    source = pattern.pattern
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            escaped = source[index + 1]
            index += 2
            if escaped in _JS_CLASS_ESCAPES:
                inner = _JS_CLASS_ESCAPES[escaped]
                out.append(inner if in_class or escaped == "d" else f"[{inner}]")
            elif escaped in "\"'":
                out.append(escaped)  # Python allows escaping any character; u-mode JavaScript not
            else:
                out.append("\\" + escaped)
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char if char.isascii() else f"\\u{{{ord(char):x}}}")
        index += 1
    text = "".join(out).replace("(?P<", "(?<")
    text = re.sub(r"\(\?P=(\w+)\)", r"\\k<\1>", text)
    return {"source": text, "flags": "iu" if pattern.flags & re.IGNORECASE else "u"}


def class_characters(pattern: re.Pattern[str]) -> list[str]:
    """Return every character of a one-class pattern such as ``[a-cx]``, in order."""
    body = pattern.pattern
    if not (body.startswith("[") and body.endswith("]")) or "\\" in body:
        raise ValueError(f"not a plain character class: {body!r}")
    body = body[1:-1]
    found: list[str] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            found += [chr(c) for c in range(ord(body[index]), ord(body[index + 2]) + 1)]
            index += 3
        else:
            found.append(body[index])
            index += 1
    return found


def evidence_settings() -> dict[str, Any]:
    """Return the settings of the contract 1.2 rules (summaries, counts, pairs, estimates)."""
    return {
        "number": js_regex(provenance.NUMBER),
        **provenance.NUMBER_SETTINGS,
        "measurement_figures": list(provenance.MEASUREMENT_FIGURES),
        "reported_figures": [list(keys) for keys in provenance.REPORTED_FIGURES],
        "percent_tolerance": measures.PERCENT_TOLERANCE,
        "ratio_statistics": list(RATIO_STATISTICS),
        "instruments": {
            code: {"name": i.name, "min": i.min, "max": i.max, "better": i.better}
            for code, i in instruments().items()
        },
    }


def check_settings(existing_ids: Iterable[str]) -> dict[str, Any]:
    """Return what the page's cross-field checks need, taken from the rules, not retyped in JS."""
    hidden = class_characters(HIDDEN_CHARACTERS)
    return {
        "existing_ids": sorted(set(existing_ids)),
        "reserved_ids": sorted(RESERVED_IDS),
        "hidden": js_regex(HIDDEN_CHARACTERS),
        # The same list as code point ranges, for reading text without them (as the
        # personal-data check does, generator.cases.personal_data.as_read).
        "hidden_ranges": [list(pair) for pair in HIDDEN_RANGES],
        "hidden_names": {f"{ord(c):04X}": describe_character(c) for c in hidden},
        "visible_categories": VISIBLE_CATEGORIES,
        "unit_with_scale": UNIT_WITH_SCALE,
        "units_with_sd": list(UNITS_WITH_SD),
        "evidence": evidence_settings(),
        "wording": {"missing": MISSING_ANSWER, "names": PLAIN_NAMES},
        "personal_data": {
            "patterns": {kind: js_regex(p) for kind, p in personal_data.PATTERNS.items()},
            "url": js_regex(personal_data.URL_PATTERN),
            "labels": personal_data.LABELS,
            "phone_first_digits": "".join(sorted(personal_data.PHONE_FIRST_DIGITS)),
            "free_text": sorted("/".join(p) for p in CaseValidator().free_text_patterns),
            "markdown": sorted("/".join(p) for p in CaseValidator().markdown_patterns),
            "extra_dashes": personal_data.EXTRA_DASHES,
        },
    }


def builder_page(settings: SiteSettings, existing_ids: Iterable[str] = ()) -> str:
    """Render the builder page: the form, the schema it is checked against, the links to submit."""
    return ENV.get_template("builder.html").render(
        here="contribute/builder/",
        sections=form_sections(),
        file_order=list(load_schema()["properties"]),
        schema_json=embed_json(load_schema()),
        checks_json=embed_json(check_settings(existing_ids)),
        repo_url=settings.repo_url.rstrip("/"),
        branch=settings.branch,
        cases_folder=settings.cases_folder,
        issue_template=ISSUE_TEMPLATE,
        issue_url=issue_form_url(settings.repo_url),
        new_file_url=new_file_url(settings.repo_url, settings.branch, settings.cases_folder),
    )
