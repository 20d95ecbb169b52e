"""`copro intake`: a case pasted into the issue form is found, checked, written or explained."""

from __future__ import annotations

import copy
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from generator.cases.load import load_case_bytes
from generator.cases.rules import HIDDEN_CHARACTERS
from generator.cli import main
from generator.contribute.intake import (
    FILE_LABEL,
    MARKER,
    MAX_BODY_BYTES,
    Verdict,
    fenced,
    find_case_file,
    take_issue,
)
from tests.conftest import VALID_EXAMPLE
from tests.whole_site.test_adversarial import HIDDEN, HOSTILE_TEXT, XSS

EXAMPLE_TEXT = VALID_EXAMPLE.read_text(encoding="utf-8")
EXAMPLE: dict[str, Any] = load_case_bytes(VALID_EXAMPLE.read_bytes(), VALID_EXAMPLE.name).data
EXAMPLE_ID = EXAMPLE["id"]
TITLE_LINE = EXAMPLE_TEXT.split("\n").index(f"title: {EXAMPLE['title']}") + 1
PROMISES = (
    "### Personal data\n\n- [X] My file does not name or identify anyone.\n\n"
    "### Permission to publish\n\n- [X] I am allowed to publish this evaluation.\n\n"
    "### Licence\n\n- [X] The case study may be published under the open licence.\n\n"
)


def form_body(file_text: str, *, newline: str = "\n") -> str:
    """Return an issue body as GitHub writes the submit-case form: the file last, fenced."""
    body = f"{PROMISES}### {FILE_LABEL}\n\n```yaml\n{file_text.rstrip(chr(10))}\n```\n"
    return body.replace("\n", newline)


def dump(case: dict[str, Any]) -> str:
    """Write a case as YAML text."""
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=10**6)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return an empty case folder inside a project folder of its own."""
    cases = tmp_path / "project" / "evaluations"
    cases.mkdir(parents=True)
    return cases


def intake(
    runner: CliRunner, folder: Path, body: str | bytes, *extra: str
) -> tuple[Result, str, Path]:
    """Run `copro intake` on a body and return the result, the comment and the comment file."""
    body_file = folder.parent / "issue.md"
    if isinstance(body, str):
        body_file.write_bytes(body.encode("utf-8", "surrogatepass"))
    else:
        body_file.write_bytes(body)
    comment_file = folder.parent / "comment.md"
    comment_file.unlink(missing_ok=True)
    args = ["intake", str(body_file), "--folder", str(folder), "--comment", str(comment_file)]
    result = runner.invoke(main, [*args, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result, comment_file.read_text(encoding="utf-8"), comment_file


def files_in(root: Path) -> dict[str, bytes]:
    """Return every file under a folder with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- finding the file


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_the_file_is_found_in_the_forms_yaml_block(newline: str) -> None:
    assert find_case_file(form_body(EXAMPLE_TEXT, newline=newline)) == EXAMPLE_TEXT


@pytest.mark.parametrize(
    "answer",
    ["_No response_", "", "```yaml\n```", "```yaml\n\n\n```", "   \n"],
    ids=["no-response", "empty", "empty-block", "blank-block", "spaces"],
)
def test_an_empty_answer_is_no_file(answer: str) -> None:
    assert find_case_file(f"{PROMISES}### {FILE_LABEL}\n\n{answer}\n") is None


@pytest.mark.parametrize(
    "body",
    [
        "",
        "I would like to add our evaluation. Who should I talk to?",
        f"{PROMISES}### Something else\n\nHello",
        "```python\nprint('hello')\n```",
        "\x00\x01\x02",
    ],
    ids=["empty", "a-question", "other-headings", "other-code", "binary"],
)
def test_a_body_without_a_case_has_no_file(body: str) -> None:
    assert find_case_file(body) is None


def test_a_file_pasted_without_fences_under_the_heading_is_found() -> None:
    assert find_case_file(f"### {FILE_LABEL}\n\n{EXAMPLE_TEXT}") == EXAMPLE_TEXT


def test_a_hand_written_body_with_a_yaml_block_or_a_bare_file_is_found() -> None:
    assert find_case_file(f"Here it is:\n\n~~~yml\n{EXAMPLE_TEXT}~~~\n\nThanks!") == EXAMPLE_TEXT
    assert find_case_file(EXAMPLE_TEXT) == EXAMPLE_TEXT


def test_a_fenced_file_pasted_into_the_fenced_box_is_unwrapped() -> None:
    assert find_case_file(form_body(f"```yaml\n{EXAMPLE_TEXT}```")) == EXAMPLE_TEXT


def test_backtick_lines_and_headings_inside_the_file_stay_in_it() -> None:
    """The closing fence is the last one: a file's own ``` line or `### ` comment is kept."""
    text = EXAMPLE_TEXT.replace("sources:\n", "### Sources\nsources:\n") + "# ```\n```\n"
    found = find_case_file(form_body(text))
    assert found == text


def test_an_unclosed_block_runs_to_the_end() -> None:
    assert find_case_file(f"### {FILE_LABEL}\n\n```yaml\n{EXAMPLE_TEXT}") == EXAMPLE_TEXT


# ---------------------------------------------------------------- the four outcomes


def test_a_valid_file_is_written_and_the_comment_says_a_pull_request_follows(
    runner: CliRunner, folder: Path
) -> None:
    result, comment, _ = intake(runner, folder, form_body(EXAMPLE_TEXT, newline="\r\n"))
    assert result.exit_code == Verdict.VALID == 0
    written = folder / f"{EXAMPLE_ID}.yaml"
    assert result.output.strip() == written.as_posix()
    assert written.read_text(encoding="utf-8") == EXAMPLE_TEXT  # LF, byte for byte
    assert files_in(folder) == {f"{EXAMPLE_ID}.yaml": EXAMPLE_TEXT.encode()}
    assert comment.startswith(MARKER + "\n")
    assert "passed every check" in comment and "pull request" in comment
    assert f"`{written.as_posix()}`" in comment and "updates" not in comment
    assert runner.invoke(main, ["validate", str(written)]).exit_code == 0


def test_an_existing_id_is_an_update(runner: CliRunner, folder: Path) -> None:
    (folder / f"{EXAMPLE_ID}.yaml").write_text(EXAMPLE_TEXT, encoding="utf-8")
    changed = EXAMPLE_TEXT.replace("kept rising a year on", "kept rising two years on")
    result, comment, _ = intake(runner, folder, form_body(changed))
    assert result.exit_code == 0
    assert (folder / f"{EXAMPLE_ID}.yaml").read_text(encoding="utf-8") == changed
    assert len(files_in(folder)) == 1
    assert "updates the case study already published" in comment
    assert "shows your changes" in comment


def test_the_same_file_again_changes_nothing(runner: CliRunner, folder: Path) -> None:
    (folder / f"{EXAMPLE_ID}.yaml").write_text(EXAMPLE_TEXT, encoding="utf-8")
    before = (folder / f"{EXAMPLE_ID}.yaml").stat().st_mtime_ns
    result, comment, _ = intake(runner, folder, form_body(EXAMPLE_TEXT, newline="\r\n"))
    assert result.exit_code == 0
    assert (folder / f"{EXAMPLE_ID}.yaml").stat().st_mtime_ns == before
    assert "same as the published case study" in comment and "no pull request" in comment


def test_an_invalid_file_writes_nothing_and_each_problem_has_its_line_in_the_pasted_file(
    runner: CliRunner, folder: Path
) -> None:
    text = EXAMPLE_TEXT.replace(f"title: {EXAMPLE['title']}", "title: Redesign").replace(
        "licence: CC-BY-4.0", "licence: CC-BY"
    )
    body = form_body(text)
    result, comment, _ = intake(runner, folder, body)
    assert result.exit_code == Verdict.INVALID == 1
    assert result.output == "" and files_in(folder) == {}
    licence_line = text.split("\n").index("licence: CC-BY") + 1
    assert "found 2 problems" in comment and "Nothing has been added yet" in comment
    assert f"1. Line {TITLE_LINE}, column 8, field title\n" in comment
    assert "This has 8 characters; it needs at least 10." in comment
    assert f"2. Line {licence_line}, column 10, field licence\n" in comment
    # The body's own line numbers are further down: the comment counts the file's.
    assert body.split("\n").index("title: Redesign") + 1 != TITLE_LINE
    assert "tmp" not in comment and "issue.md" not in comment


def test_no_file_exits_2_and_says_what_to_paste_where(runner: CliRunner, folder: Path) -> None:
    result, comment, _ = intake(runner, folder, f"{PROMISES}### {FILE_LABEL}\n\n_No response_\n")
    assert result.exit_code == Verdict.NO_FILE == 2
    assert files_in(folder) == {}
    assert comment.startswith(MARKER + "\n")
    assert "No case study file was found" in comment
    assert f"into the box under **{FILE_LABEL}**" in comment and "schema_version: 1" in comment


def test_without_comment_file_the_comment_is_printed(runner: CliRunner, folder: Path) -> None:
    body = folder.parent / "issue.md"
    body.write_text("Hello", encoding="utf-8")
    result = runner.invoke(main, ["intake", str(body), "--folder", str(folder)])
    assert result.exit_code == 2 and result.output.startswith(MARKER)


def test_a_missing_body_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["intake", str(tmp_path / "nothing.md")])
    assert result.exit_code == 2 and "Cannot read" in result.output
    assert "Traceback" not in result.output


def test_an_unwritable_comment_file_is_reported(runner: CliRunner, folder: Path) -> None:
    body = folder.parent / "issue.md"
    body.write_text("Hello", encoding="utf-8")
    result = runner.invoke(main, ["intake", str(body), "--comment", str(folder / "no" / "c.md")])
    assert result.exit_code == 1 and "Cannot write" in result.output


# ---------------------------------------------------------------- hostile issues


def test_an_id_cannot_choose_where_the_file_goes(runner: CliRunner, folder: Path) -> None:
    root = folder.parent
    for case_id in ("../outside", "/etc/x", "a/../../b", "..", "index", "X"):
        case = copy.deepcopy(EXAMPLE) | {"id": case_id}
        result, comment, _ = intake(runner, folder, form_body(dump(case)))
        assert result.exit_code == 1, case_id
        assert "differs from the file name" not in comment  # the id names the file here
        assert "field id" in comment
    assert set(files_in(root)) == {"issue.md", "comment.md"}


def test_a_link_in_place_of_the_case_is_replaced_not_followed(
    runner: CliRunner, folder: Path
) -> None:
    outside = folder.parent / "outside.yaml"
    outside.write_text("keep me", encoding="utf-8")
    (folder / f"{EXAMPLE_ID}.yaml").symlink_to(outside)
    result, _, _ = intake(runner, folder, form_body(EXAMPLE_TEXT))
    assert result.exit_code == 0
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not (folder / f"{EXAMPLE_ID}.yaml").is_symlink()


LAUGHS = "\n".join(
    [
        'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)),
    ]
)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (form_body(LAUGHS), "anchors"),
        (form_body("[" * 10_000), "nested"),
        (form_body("!!python/object/apply:os.system ['touch /tmp/pwned']"), "tag"),
        (form_body(EXAMPLE_TEXT + "---\n" + EXAMPLE_TEXT), "more than one YAML document"),
        (form_body("id: x\ntitle: [unclosed\n"), "cannot be read"),
        (form_body("id: \x00\x07\x1b[2J"), "cannot be read"),
        (form_body("title: " + "W" * 100_000), "the limit is 140"),
        (form_body("- just\n- a list\n"), "set of fields"),
        ("### Case study file\n\n" + "x" * (MAX_BODY_BYTES + 1), "longer than"),
    ],
    ids=[
        "billion-laughs",
        "deep",
        "python-tag",
        "two-docs",
        "broken",
        "controls",
        "big",
        "list",
        "huge",
    ],
)
def test_hostile_yaml_gets_a_plain_comment(
    body: str, words: str, runner: CliRunner, folder: Path
) -> None:
    result, comment, _ = intake(runner, folder, body)
    assert result.exit_code == 1
    assert words in comment
    assert files_in(folder) == {}
    assert not Path("/tmp/pwned").exists()


def test_bytes_that_are_not_utf8_are_located_in_the_file(runner: CliRunner, folder: Path) -> None:
    lines = EXAMPLE_TEXT.split("\n")
    lines[TITLE_LINE - 1] = "title: Caf\xe9 R\xe9design"
    body = form_body("\n".join(lines)).encode("utf-8", "surrogateescape")
    body = body.replace("Caf\xe9 R\xe9design".encode(), b"Caf\xe9 R\xe9design")  # Latin-1
    result, comment, _ = intake(runner, folder, body)
    assert result.exit_code == 1
    assert f"1. Line {TITLE_LINE}, column 11" in comment and "not saved as UTF-8" in comment


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_never_crash(seed: int, runner: CliRunner, folder: Path) -> None:
    import random

    noise = random.Random(seed).randbytes(5000)
    for body in (noise, f"### {FILE_LABEL}\n\n```yaml\n".encode() + noise):
        result, comment, _ = intake(runner, folder, body)
        assert result.exit_code in (1, 2) and comment.startswith(MARKER)
    assert files_in(folder) == {}


@pytest.mark.parametrize(
    "body",
    [
        "# " + "#" * 200_000 + "x\n",
        f"### {FILE_LABEL}\n\n" + "```\n" * 30_000 + "```\n" * 30_000,
        "".join("~" * (3 + n % 50) + "\n" for n in range(60_000)),
        "```\n" * 100_000,
        f"### {FILE_LABEL}\n\n" + "`" * 200_000,
    ],
    ids=["long-heading", "nested-fences", "unclosed-fences", "fences", "one-long-fence"],
)
def test_bodies_built_to_be_slow_are_fast(body: str, runner: CliRunner, folder: Path) -> None:
    """A backtracking heading regex took about two minutes on the first; nesting overflowed."""
    started = time.monotonic()
    result, comment, _ = intake(runner, folder, body)
    assert time.monotonic() - started < 5
    assert result.exit_code in (1, 2) and comment.startswith(MARKER)


def test_a_str_with_stray_surrogates_never_crashes(folder: Path) -> None:
    result = take_issue(form_body("id: a\ntitle: \ud800 and \udcff\n"), folder)
    assert result.verdict == Verdict.INVALID and "UTF-8" in result.comment


def test_thousands_of_problems_fit_one_comment(runner: CliRunner, folder: Path) -> None:
    # Each field name with a hidden character is a problem, and is echoed 6 times longer.
    text = EXAMPLE_TEXT + "".join(f"extra\u200b\u200b\u200b{n}: {n}\n" for n in range(5000))
    result, comment, _ = intake(runner, folder, form_body(text))
    assert result.exit_code == 1
    assert len(comment) < 65_536
    assert "more: fix these first" in comment


# ---------------------------------------------------------------- the comment stays inert


class _Tags(HTMLParser):
    """Collect the tags, comments and text (outside code) of rendered Markdown."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.comments: list[str] = []
        self.text: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.in_code += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self.in_code -= tag in ("code", "pre")

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        if not self.in_code:
            self.text.append(data)


def assert_inert(comment: str) -> None:
    """Rendered as Markdown with raw HTML allowed, the comment holds only its own markup."""
    html = MarkdownIt("commonmark", {"html": True}).render(comment)
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags <= {"h3", "p", "strong", "code", "pre"}, (parsed.tags, comment)
    assert parsed.comments == [" copro-intake "], comment
    outside = "".join(parsed.text)
    assert not re.search(r"@\w", outside), outside  # no mention outside code
    assert not re.search(r"#\d", outside), outside  # no issue reference either
    assert not HIDDEN_CHARACTERS.search(comment)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", comment)
    assert len(re.findall(r"^`{3,}text$", comment, re.MULTILINE)) <= 1


def hostile_bodies(text: str) -> list[str]:
    """Return bodies that put hostile text where a comment could echo it."""
    echoed = copy.deepcopy(EXAMPLE)
    echoed["licence"] = text  # "`...` is not one of the allowed codes"
    echoed["submitted"] = text  # "... is not a date"
    echoed[text[:60] or "x"] = 1  # "`...` is not a field of a case study"
    echoed["organisation"]["url"] = text  # not a web address
    valid = copy.deepcopy(EXAMPLE)
    valid["title"] = (text + " padding" * 2)[:140]
    return [
        form_body(dump(echoed)),
        form_body(dump(valid)),
        f"{text}\n\n### {FILE_LABEL}\n\n{text}\n",
        text,
    ]


CORPUS = list(dict.fromkeys([*XSS, *HOSTILE_TEXT, *HIDDEN, "@maintainer #1 ````x````"]))


def test_the_hostile_corpus_through_intake(runner: CliRunner, folder: Path) -> None:
    """Every payload, as field values, field names and the whole body: no traceback,
    nothing written outside the folder, and the comment renders only its own markup."""
    root = folder.parent
    verdicts = set()
    for text in CORPUS:
        for body in hostile_bodies(text):
            result, comment, _ = intake(runner, folder, body)
            verdicts.add(result.exit_code)
            assert result.exit_code in (0, 1, 2), (text, result.output)
            assert_inert(comment)
            if result.exit_code == 0:
                written = Path(result.output.strip())
                assert written.parent == folder and written.name == f"{EXAMPLE_ID}.yaml"
    assert verdicts == {0, 1, 2}
    assert set(files_in(root)) <= {"issue.md", "comment.md", f"evaluations/{EXAMPLE_ID}.yaml"}


def test_hidden_characters_are_refused_and_shown_as_escapes(
    runner: CliRunner, folder: Path
) -> None:
    case = copy.deepcopy(EXAMPLE)
    case["title"] = "Riverside \u202egnp.exe\u202c centre redesign"
    case["key\u2066"] = 1
    result, comment, _ = intake(runner, folder, form_body(dump(case)))
    assert result.exit_code == 1
    words = " ".join(comment.split())
    assert "(U+202E RIGHT-TO-LEFT OVERRIDE) at character 11." in words
    assert "field key\\u2066" in words
    assert_inert(comment)


def test_the_fence_is_longer_than_any_backtick_run() -> None:
    block = fenced("a ``` b\n`````\nc")
    assert block.startswith("``````text\n") and block.endswith("\n``````")
    assert fenced("plain").startswith("```text\n")


@pytest.mark.parametrize(
    "leak",
    [
        "<img src=x onerror=alert(1)>",
        "<!-- hidden -->",
        "thanks @maintainer",
        "see #12",
        "```text\nopen\n```\n<b>closed</b>",
        "[link](https://evil.example)",
        "right \u202e left",
    ],
)
def test_the_inertness_check_catches_markup_outside_code(leak: str) -> None:
    with pytest.raises(AssertionError):
        assert_inert(f"{MARKER}\n### Heading\n\n{leak}\n")


# ---------------------------------------------------------------- issue #22: waivers and authors

WITH_CONTACT = EXAMPLE_TEXT.replace(
    "and participants reported more confidence.",
    "and participants reported more confidence. Ask jane.doe@example.org or ring 07700 900123.",
)
SELF_GRANTED = (
    "allowed_personal_data:\n"
    "  - field: summary\n"
    "    reason: The contact details are public and may be published.\n"
)


def waiver_problems(comment: str) -> int:
    words = " ".join(comment.split())  # the comment wraps its lines
    return words.count("Only a maintainer may add or change `allowed_personal_data`")


def test_a_self_granted_waiver_is_refused_and_the_data_it_hides_is_reported(
    runner: CliRunner, folder: Path
) -> None:
    """Issue #22's reproducer: an email and a phone number in the summary, and its own waiver."""
    text = WITH_CONTACT + SELF_GRANTED
    assert "jane.doe@example.org" in text
    result, comment, _ = intake(runner, folder, form_body(text))
    assert result.exit_code == Verdict.INVALID
    assert files_in(folder) == {}
    assert "passed every check" not in comment
    assert waiver_problems(comment) == 1
    waiver_line = text.split("\n").index("  - field: summary") + 1
    assert f"Line {waiver_line}, column 5, field allowed_personal_data[0]" in comment
    assert "say so in a comment on this issue" in " ".join(comment.split())  # wrapped
    assert "an email address" in comment and "a UK phone number" in comment
    assert "found 3 problems" in comment


@pytest.mark.parametrize(
    "pasted",
    [
        SELF_GRANTED.replace("summary", "title"),
        SELF_GRANTED.replace("are public", "are public, honestly,"),
        SELF_GRANTED + "  - field: title\n    reason: A second entry nobody reviewed.\n",
    ],
    ids=["other-field", "other-reason", "added-entry"],
)
def test_an_update_that_changes_the_reviewed_entries_is_refused(
    pasted: str, runner: CliRunner, folder: Path
) -> None:
    published = folder / f"{EXAMPLE_ID}.yaml"
    published.write_text(WITH_CONTACT + SELF_GRANTED, encoding="utf-8")  # reviewed on main
    assert runner.invoke(main, ["validate", str(published)]).exit_code == 0
    result, comment, _ = intake(runner, folder, form_body(WITH_CONTACT + pasted))
    assert result.exit_code == Verdict.INVALID
    assert waiver_problems(comment) == 1
    assert published.read_text(encoding="utf-8") == WITH_CONTACT + SELF_GRANTED


def test_an_update_keeping_the_reviewed_entries_or_dropping_them_is_checked_as_usual(
    runner: CliRunner, folder: Path
) -> None:
    published = folder / f"{EXAMPLE_ID}.yaml"
    published.write_text(WITH_CONTACT + SELF_GRANTED, encoding="utf-8")
    kept = WITH_CONTACT.replace("kept rising a year on", "kept rising two years on")
    result, comment, _ = intake(runner, folder, form_body(kept + SELF_GRANTED))
    assert result.exit_code == Verdict.VALID, comment
    assert published.read_text(encoding="utf-8") == kept + SELF_GRANTED
    # Without the entry, the summary's contact details are flagged again.
    result, comment, _ = intake(runner, folder, form_body(kept))
    assert result.exit_code == Verdict.INVALID
    assert waiver_problems(comment) == 0 and "an email address" in comment


def with_authors(text: str, *handles: str) -> str:
    lines = "".join(
        f"  - name: Author {n}\n    github: {handle}\n" for n, handle in enumerate(handles, 1)
    )
    return text.replace(
        "authors:\n  - name: A. Evaluator\n    organisation: Riverside Borough Council\n"
        "    role: Co-production lead\n",
        f"authors:\n{lines}",
    )


@pytest.mark.parametrize(
    ("published_handles", "submitter", "noted"),
    [
        (("a-evaluator", "b-reviewer"), "mallory", True),
        (("a-evaluator", "b-reviewer"), "B-Reviewer", False),  # GitHub ignores case in logins
        ((), "mallory", True),
    ],
    ids=["stranger", "author", "no-handles"],
)
def test_an_update_from_someone_not_among_the_authors_is_noted(
    published_handles: tuple[str, ...],
    submitter: str,
    noted: bool,
    runner: CliRunner,
    folder: Path,
) -> None:
    published = (
        with_authors(EXAMPLE_TEXT, *published_handles) if published_handles else EXAMPLE_TEXT
    )
    (folder / f"{EXAMPLE_ID}.yaml").write_text(published, encoding="utf-8")
    # The pasted file may list the submitter: only the published file's authors count.
    pasted = with_authors(EXAMPLE_TEXT, *published_handles, submitter).replace(
        "kept rising a year on", "kept rising two years on"
    )
    result, comment, _ = intake(runner, folder, form_body(pasted), "--submitter", submitter)
    assert result.exit_code == Verdict.VALID, comment
    note = f"its submitter, `{submitter}`,\nis not among its authors' GitHub names"
    assert (note in comment) is noted
    if noted:
        shown = ", ".join(f"`{h}`" for h in published_handles) or "it gives none"
        assert f"({shown})" in comment
        assert "@" not in comment  # names in code, so nobody is mentioned


def test_a_new_case_or_no_submitter_gets_no_note(runner: CliRunner, folder: Path) -> None:
    result, comment, _ = intake(runner, folder, form_body(EXAMPLE_TEXT), "--submitter", "mallory")
    assert result.exit_code == Verdict.VALID and "For the reviewers" not in comment
    changed = EXAMPLE_TEXT.replace("kept rising a year on", "kept rising two years on")
    result, comment, _ = intake(runner, folder, form_body(changed))
    assert result.exit_code == Verdict.VALID and "For the reviewers" not in comment


@pytest.mark.parametrize("login", ["-leading-hyphen", "two--hyphens", "a b", "x" * 40, "@mallory"])
def test_a_submitter_that_is_not_a_login_is_a_usage_error(
    login: str, runner: CliRunner, folder: Path
) -> None:
    body = folder.parent / "issue.md"
    body.write_text(form_body(EXAMPLE_TEXT), encoding="utf-8")
    result = runner.invoke(main, ["intake", str(body), "--submitter", login])
    assert result.exit_code == 2 and "is not a GitHub login" in result.output
    assert "Traceback" not in result.output
