"""Turn JSON Schema errors into messages an evaluator can act on, without schema jargon."""

from __future__ import annotations

import difflib
import re
from collections.abc import Set as AbstractSet
from typing import Any

from jsonschema.exceptions import ValidationError

from generator.cases.load import DataPath, LoadedDocument
from generator.errors import Problem, format_path
from generator.schema import Code, codes_of, load_schema, pattern_of, resolve

DATE_FORMS = "Write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2024-09-30, 2024-09 or 2024."
_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "object": "a section of fields",
    "array": "a list",
    "boolean": "true or false",
    "null": "empty",
}
_LIST_LIMIT = 14


def describe_value(value: Any) -> str:
    """Name a value's kind in plain words."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if isinstance(value, dict):
        return "a section of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f'"{_shorten(str(value))}"'


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _title(node: dict[str, Any], path: DataPath) -> str:
    name = path[-1] if path and isinstance(path[-1], str) else "this item"
    return f"`{name}`"


def translate(error: ValidationError, doc: LoadedDocument) -> Problem | None:
    """Return one located problem for one schema error, or None when another covers it."""
    path: DataPath = tuple(error.absolute_path)
    handler = _HANDLERS.get(str(error.validator), _generic)
    result = handler(error, path)
    if result is None:
        return None
    message, hint, key = result
    return doc.problem(path if not key else (*path, key), message, hint, key=bool(key))


Result = tuple[str, str, str] | None


def _required(error: ValidationError, path: DataPath) -> Result:
    missing = re.search(r"'([^']+)' is a required property", error.message)
    name = missing.group(1) if missing else str(error.message)
    node = resolve(load_schema(), error.schema.get("properties", {}).get(name, {}))
    where = f"`{format_path(path)}`" if path else "the file"
    what = node.get("description", "")
    return f"`{name}` is missing from {where}.", f"Add `{name}:` ({what.rstrip('.')}).", ""


def _additional(error: ValidationError, path: DataPath) -> Result:
    allowed = list(error.schema.get("properties", {}))
    extras = (
        [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
    )
    name = extras[0] if extras else "?"
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if " " in name.strip():
        hint = (
            "A colon followed by a space starts a new field: if this is part of the text before it, "
            "put that whole text in double quotes."
        )
    elif close:
        hint = f"Did you mean `{close[0]}`?"
    else:
        hint = "Fields allowed here: " + ", ".join(f"`{a}`" for a in allowed) + "."
    return (
        f"`{name}` is not a field {'in `' + format_path(path) + '`' if path else 'of a case study'}.",
        hint,
        name,
    )


def _type(error: ValidationError, path: DataPath) -> Result:
    wanted = error.validator_value
    wanted = wanted if isinstance(wanted, str) else wanted[0]
    value = error.instance
    field = _title(error.schema, path)
    want_words = _TYPE_WORDS.get(wanted, wanted)
    if wanted in ("number", "integer") and isinstance(value, str):
        return _number_as_text(field, value, wanted)
    if value is None:
        return (
            f"This is empty; it should be {want_words}.",
            "Write a value after the colon, or delete the line if the field is optional.",
            "",
        )
    if wanted == "array":
        return (
            f"This should be a list, not {describe_value(value)}.",
            "Write each item on its own line starting with `- `.",
            "",
        )
    if wanted == "object":
        return (
            f"This should be a section with its own fields, not {describe_value(value)}.",
            "Put its fields on the lines below, indented by two spaces.",
            "",
        )
    if wanted == "string" and isinstance(value, (int, float)):
        return (
            f"This should be text, not {describe_value(value)}.",
            "Put the value in double quotes.",
            "",
        )
    return f"This should be {want_words}, not {describe_value(value)}.", "", ""


def _number_as_text(field: str, value: str, wanted: str) -> Result:
    stripped = value.strip().rstrip("%").replace(",", "").strip()
    if stripped.lstrip("+-").replace(".", "", 1).isdigit():
        number = stripped
        if value.strip().endswith("%"):
            return (
                f'"{value}" is text, not a number.',
                f"Write {number} without the % sign: the unit says it is a percentage.",
                "",
            )
        return f'"{value}" is text, not a number.', f"Write {number} without quotes or commas.", ""
    word = "a whole number" if wanted == "integer" else "a number"
    return (
        f'This should be {word}, not "{_shorten(value)}".',
        "Write only the number; put any explanation in a note.",
        "",
    )


def _one_of(error: ValidationError, path: DataPath) -> Result:
    codes = codes_of(error.schema)
    if not codes:
        return _generic(error, path)
    value = error.instance
    if not isinstance(value, str):
        return (
            f"This should be one of the codes below, not {describe_value(value)}.",
            _code_list(codes),
            "",
        )
    if value.strip().upper() == "TODO":
        return (
            "This still holds the template's placeholder `TODO`.",
            "Replace it. " + _code_list(codes),
            "",
        )
    close = _suggest(value, codes)
    lead = f"Did you mean `{close}`? " if close else ""
    return f"`{_shorten(value)}` is not one of the allowed codes.", lead + _code_list(codes), ""


def _suggest(value: str, codes: list[Code]) -> str | None:
    by_label = {c.label.lower(): c.code for c in codes}
    lowered = value.strip().lower()
    if lowered in by_label:
        return by_label[lowered]
    if lowered.replace(" ", "-").replace("_", "-") in {c.code.lower() for c in codes}:
        return next(
            c.code for c in codes if c.code.lower() == lowered.replace(" ", "-").replace("_", "-")
        )
    if lowered in (
        "uk",
        "great britain",
        "england",
        "scotland",
        "wales",
        "northern ireland",
    ) and any(c.code == "GB" for c in codes):
        return "GB"
    close = difflib.get_close_matches(value, [c.code for c in codes], n=1, cutoff=0.6)
    return close[0] if close else None


def _code_list(codes: list[Code]) -> str:
    if len(codes) > _LIST_LIMIT:
        sample = (
            ", ".join(c.code for c in codes if c.code in ("GB", "IE", "NZ", "AU", "CA", "US"))
            or codes[0].code
        )
        return f"Write one of the {len(codes)} codes, e.g. {sample} (see the field reference)."
    return "Write one of: " + "; ".join(f"`{c.code}` ({c.label})" for c in codes) + "."


def _pattern(error: ValidationError, path: DataPath) -> Result:
    _title(error.schema, path)
    value = _shorten(str(error.instance))
    pattern = str(error.validator_value)
    if pattern.startswith("^[0-9]{4}"):
        return f'"{value}" is not a date.', date_hint(str(error.instance)), ""
    if pattern.startswith("^https?"):
        return (
            f'"{value}" is not a full web address.',
            "Write the whole address, starting https://, e.g. https://www.example.org/report.",
            "",
        )
    if pattern.startswith("^[a-z0-9]+"):
        return (
            f'"{value}" is not a valid identifier.',
            "Use lowercase letters, digits and single hyphens only, e.g. riverside-day-centre.",
            "",
        )
    return f'"{value}" is not in the expected form.', "", ""


_MONTHS = {
    name: n
    for n, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


def date_hint(value: str) -> str:
    """Say the accepted date forms, with the nearest correct form of ``value`` where one is clear."""
    suggestion = suggest_date(value.strip())
    if suggestion:
        return f"Write YYYY-MM-DD, YYYY-MM or YYYY, e.g. {suggestion}."
    return DATE_FORMS


def suggest_date(value: str) -> str | None:
    """Guess the ISO form of a date written another way ("2022-Q4" -> "2022-12")."""
    quarter = re.fullmatch(r"(\d{4})[- ]?Q([1-4])", value, re.IGNORECASE)
    if quarter:
        return f"{quarter.group(1)}-{int(quarter.group(2)) * 3:02d}"
    dmy = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if dmy:
        return f"{dmy.group(3)}-{int(dmy.group(2)):02d}-{int(dmy.group(1)):02d}"
    short = re.fullmatch(r"(\d{4})-(\d)(?:-(\d{1,2}))?", value)
    if short:
        day = f"-{int(short.group(3)):02d}" if short.group(3) else ""
        return f"{short.group(1)}-{int(short.group(2)):02d}{day}"
    named = re.fullmatch(r"([A-Za-z]+)\.?,? (\d{4})", value)
    if named and named.group(1)[:3].lower() in _MONTHS:
        return f"{named.group(2)}-{_MONTHS[named.group(1)[:3].lower()]:02d}"
    return None


def _length(error: ValidationError, path: DataPath) -> Result:
    _title(error.schema, path)
    size = len(error.instance) if isinstance(error.instance, (str, list)) else 0
    limit = error.validator_value
    unit = "characters" if isinstance(error.instance, str) else "items"
    if str(error.validator).startswith("min"):
        if size == 0:
            return (
                "This is empty.",
                f"Write at least {limit} {unit if limit != 1 else unit[:-1]}.",
                "",
            )
        return (
            f"This has {size} {unit}; it needs at least {limit}.",
            "Add more." if unit == "items" else "Say a little more.",
            "",
        )
    return (
        f"This has {size} {unit}; the limit is {limit}.",
        "Shorten it, or put the detail in a report listed under sources."
        if unit == "characters"
        else "Keep the most important ones.",
        "",
    )


def _bound(error: ValidationError, path: DataPath) -> Result:
    _title(error.schema, path)
    word = "at least" if error.validator == "minimum" else "at most"
    return (
        f"{error.instance} is too {'low' if word == 'at least' else 'high'}: it must be {word} {error.validator_value}.",
        "",
        "",
    )


def _const(error: ValidationError, path: DataPath) -> Result:
    _title(error.schema, path)
    return (
        f"This must be {error.validator_value}, not {describe_value(error.instance)}.",
        f"Write `{error.validator_value}`.",
        "",
    )


def _unique(error: ValidationError, path: DataPath) -> Result:
    _title(error.schema, path)
    items = error.instance if isinstance(error.instance, list) else []
    repeated = next((str(i) for n, i in enumerate(items) if i in items[:n]), "an item")
    return f"This lists `{repeated}` more than once.", "Keep one of them.", ""


def _generic(error: ValidationError, path: DataPath) -> Result:
    return (
        f"`{format_path(path) or 'the file'}` is not valid here ({error.validator}).",
        "See the field reference on the Contribute page.",
        "",
    )


_HANDLERS = {
    "required": _required,
    "additionalProperties": _additional,
    "type": _type,
    "oneOf": _one_of,
    "pattern": _pattern,
    "minLength": _length,
    "maxLength": _length,
    "minItems": _length,
    "maxItems": _length,
    "minimum": _bound,
    "maximum": _bound,
    "const": _const,
    "uniqueItems": _unique,
}


def keep_written_text(doc: LoadedDocument, patterns: AbstractSet[tuple[str, ...]]) -> None:
    """Where a field must be text, put back what the author wrote (``start: 2023`` stays "2023")."""
    for path, text in doc.source_text.items():
        if pattern_of(path) in patterns:
            _assign(doc.data, path, text)


def _assign(data: Any, path: DataPath, text: str) -> None:
    target = data
    for part in path[:-1]:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    try:
        current = target[last]
    except (KeyError, IndexError, TypeError):
        return
    if isinstance(current, (int, float)):  # bool is an int too
        target[last] = text
