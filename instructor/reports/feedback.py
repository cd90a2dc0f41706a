"""Render one submission's grade as a Markdown feedback file, safe to hand out.

Two rules hold for every message a student reads, here and on Gradescope:

* it teaches without giving a hidden case away: the case's name says what
  was checked and the check's message the likely mistake, but any list or
  array in it shows its first few values only (:data:`MAX_VALUES`), a
  message holds a few numbers at most (:data:`MAX_NUMBERS`) and a bounded
  number of characters (:data:`MAX_MESSAGE`);
* nothing a student controls (the id in the file name, an exception's text,
  anything their code echoes) can become formatting: it is put on one line,
  control characters are replaced, and Markdown and HTML are escaped.
"""

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the grader imports this module
    from instructor.grading.grader import Grade

#: Values shown from any one list or array in a hidden case's message.
MAX_VALUES = 4
#: Numbers shown in one hidden case's message; the rest of it is cut.
MAX_NUMBERS = 16
#: Characters of one message, after which it is cut.
MAX_MESSAGE = 400
#: Characters of a student id or status line.
MAX_LINE = 200
ELLIPSIS = "\u2026"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf")
#: Characters that start or end Markdown formatting anywhere in a line
#: (emphasis, code, tables, strikethrough, math, e-mail links, escapes).
_MARKDOWN = re.compile(r"([\\`*|~$@])")
#: An underscore that could open or close emphasis: not inside a word.
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def points_text(value: float) -> str:
    """Points as every file the grader writes shows them: ``10``, ``2.5``."""
    return f"{value:g}"


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` on one line, control characters replaced, at most ``limit`` long.

    Every kind of line break and run of white space becomes one space, and
    control and format characters (escape sequences, bidirectional
    overrides) become U+FFFD, so nothing can start a new line or hide text.
    """
    words = str(text).split()
    cleaned = "".join(
        "\ufffd" if unicodedata.category(c) in ("Cc", "Cf") else c
        for c in " ".join(words)
    )
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + ELLIPSIS
    return cleaned


def _numbers(text: str) -> list[re.Match[str]]:
    """The numbers in ``text``, not counting digits inside a word (``float32``)."""
    return [
        match
        for match in _NUMBER.finditer(text)
        if match.start() == 0 or not text[match.start() - 1].isalnum()
    ]


def _closing_bracket(text: str, start: int) -> int | None:
    """The index of the ``]`` that closes the ``[`` at ``start``, or None."""
    depth = 0
    for index in range(start, len(text)):
        depth += {"[": 1, "]": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return None


def _shorten_list(listed: str) -> str:
    """The list ``listed`` ("[...]") cut after :data:`MAX_VALUES` numbers."""
    numbers = _numbers(listed)
    if len(numbers) <= MAX_VALUES:
        return listed
    end = numbers[MAX_VALUES - 1].end()
    while end < len(listed) and listed[end] in " ]":  # keep whole rows whole
        end += 1
    shown = listed[:end].rstrip()
    depth = shown.count("[") - shown.count("]")
    return f"{shown}, {ELLIPSIS}" + "]" * depth


def hide_values(text: str) -> str:
    """``text`` with each list cut to a few values and a few numbers in all.

    For a hidden case's message: "rows [5, 17, 63] are NaN" stays whole, but
    "expected [0, 3, 3, 1, 7, ...]" keeps only its first :data:`MAX_VALUES`
    values, so no message gives a hidden case's expected answer away.
    """
    text = str(text)
    pieces, position = [], 0
    while (start := text.find("[", position)) >= 0:
        close = _closing_bracket(text, start)
        if close is None:  # never closed: left to the overall limits
            break
        pieces += [text[position:start], _shorten_list(text[start : close + 1])]
        position = close + 1
    pieces.append(text[position:])
    text = "".join(pieces)
    numbers = _numbers(text)
    if len(numbers) > MAX_NUMBERS:
        text = text[: numbers[MAX_NUMBERS - 1].end()] + " " + ELLIPSIS
    return text


def case_message(message: str, hidden: bool) -> str:
    """What a student reads about one case, in plain text (before any escaping).

    A case the course marks as not hidden (its result's ``hidden``) keeps
    its values; a hidden case's message has them cut.
    """
    if hidden:
        message = hide_values(message)
    return one_line(message)


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: it renders as itself, never as formatting.

    Brackets stay readable ("rows [5, 17, 63]"): with no reference
    definitions in the file, only ``](`` and ``][`` can make a link or an
    image, and those are broken up; an underscore inside a word cannot make
    emphasis and stays too.
    """
    text = _MARKDOWN.sub(r"\\\1", one_line(text))
    text = _UNDERSCORE.sub(r"\\_", text)
    text = "".join(_HTML.get(char, char) for char in text)
    text = text.replace("](", r"]\(").replace("][", r"]\[")
    # Bare web addresses become links in GitHub's Markdown: break them.
    return text.replace("://", r":\/\/").replace("www.", r"www\.")


def render_feedback(grade: "Grade") -> str:
    """Return the Markdown feedback for ``grade`` (a grader ``Grade``)."""
    student = escape_markdown(one_line(grade.student, MAX_LINE))
    status = escape_markdown(one_line(grade.status, MAX_LINE))
    lines = [
        f"# Feedback for {student}",
        "",
        f"**Total: {points_text(grade.total)} / {points_text(grade.max_total)} "
        "points.** "
        f"Status: {status}.",
        "",
    ]
    for function in grade.functions:
        bonus = " (optional: bonus points)" if function.optional else ""
        lines += [
            f"## {function.name}: {points_text(function.points)} / "
            f"{points_text(function.max_points)} points{bonus}",
            "",
        ]
        if function.note:
            lines += [f"Note: {escape_markdown(function.note)}.", ""]
        if function.problem:
            lines += [f"Could not be graded: {escape_markdown(function.problem)}.", ""]
        for test in function.tests:
            mark = "passed" if test.passed else "failed"
            message = case_message(test.message, test.hidden)
            lines.append(
                f"- {mark} ({points_text(test.points)} / "
                f"{points_text(test.max_points)}): "
                f"{escape_markdown(test.name)}"
                + ("" if test.message == "passed" else f": {escape_markdown(message)}")
            )
        if not function.tests:
            lines.append("- no tests were run")
        lines.append("")
    return "\n".join(lines)
