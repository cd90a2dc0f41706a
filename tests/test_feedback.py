"""Feedback teaches without giving hidden cases away, and nothing a student wrote
becomes formatting.

The leak checks feed the hidden cases' own checks with wrong answers a
student might give and read the message the student would get.  The
escaping checks render the Markdown with a real renderer and look at the
HTML: a student's text must come out as that text, never as tags.
"""

import re

import nbformat
import numpy as np
import pytest
from rendered import markdown_html, markdown_text, tags
from submissions import FIND_ONE_BASED, notebook

import public_tests
from instructor.course import exercises
from instructor.grading import grader
from instructor.grading.sandbox import Limits
from instructor.reports.feedback import (
    MAX_MESSAGE,
    MAX_NUMBERS,
    MAX_VALUES,
    case_message,
    escape_markdown,
    hide_values,
    one_line,
    render_feedback,
)

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def bracket_groups(text):
    """The outermost [...] groups of ``text``."""
    groups, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "[":
            start = index if depth == 0 else start
            depth += 1
        elif char == "]" and depth:
            depth -= 1
            if depth == 0:
                groups.append(text[start : index + 1])
    return groups


def failure(name, hidden, answer):
    """The message a student reads for ``answer`` to a hidden case."""
    check = hidden.check or exercises.checker(name)
    with pytest.raises(AssertionError) as raised:
        check(hidden.case, answer)
    assert str(raised.value) == f"Case '{hidden.case.name}': {raised.value.problem}"
    message = raised.value.problem
    return message, case_message(message, hidden.hidden)


def wrong_indices(hidden):
    """Wrong answers to a find_closest_centroids case, as students give them."""
    first = np.array([allowed[0] for allowed in hidden.case.expected])
    K = len(hidden.case.args[1])
    answers = {"1-based": first + 1}
    if K > 1:  # with one centroid, all zeros is right
        answers.update(zeros=np.zeros_like(first), shifted=(first + 1) % K)
    return answers


def wrong_centroids(hidden):
    """Wrong answers to a compute_centroids case, as students give them."""
    X, idx, K = hidden.case.args
    counts = np.bincount(idx, minlength=K)[:, None]
    sums = hidden.case.expected * counts
    answers = {"sums": sums, "divided by m": sums / len(X), "plus one": sums + 1.0}
    # With one cluster holding every example, dividing by m is right.
    return {
        kind: answer
        for kind, answer in answers.items()
        if not np.allclose(answer, hidden.case.expected)
    }


def leaking_cases():
    for hidden in exercises.hidden_cases("find_closest_centroids"):
        for kind, answer in wrong_indices(hidden).items():
            yield pytest.param("find_closest_centroids", hidden, answer, id=kind)
    for hidden in exercises.hidden_cases("compute_centroids"):
        for kind, answer in wrong_centroids(hidden).items():
            yield pytest.param("compute_centroids", hidden, answer, id=kind)


def test_only_the_public_test_s_own_cases_are_visible():
    """The public cases are in public_tests.py for all to read; all else is hidden."""
    public = {
        "find_closest_centroids": public_tests.closest_cases(),
        "compute_centroids": public_tests.centroid_cases(),
        "kMeans_plusplus_init": [],
    }
    for name in exercises.names():
        expected = {exercises.PUBLIC_PREFIX + case.name for case in public[name]}
        assert exercises.visible_case_names(name) == frozenset(expected)
        hidden = [h for h in exercises.grader_cases(name) if h.hidden]
        assert [h.case.name for h in hidden] == [
            h.case.name for h in exercises.hidden_cases(name)
        ]
    # Worth nothing: the points come from the hidden cases.
    assert all(
        h.points == 0
        for n in exercises.names()
        for h in exercises.grader_cases(n)
        if not h.hidden
    )


@pytest.mark.parametrize(("name", "hidden", "answer"), list(leaking_cases()))
def test_a_wrong_answer_never_shows_the_expected_answer(name, hidden, answer):
    raw, shown = failure(name, hidden, answer)
    assert len(shown) <= MAX_MESSAGE
    assert len(NUMBER.findall(shown)) <= MAX_NUMBERS + 1  # "…" may follow a number
    for group in bracket_groups(shown):
        assert len(NUMBER.findall(group)) <= MAX_VALUES, group
    expected = hidden.case.expected
    if name == "find_closest_centroids":
        values = [allowed[0] for allowed in expected]
    else:
        values = np.asarray(expected).ravel().tolist()
    if len(values) > MAX_VALUES:
        # The whole expected answer, as the check would print it, is not there.
        assert str(values) not in shown
        assert str(values)[:-1] not in shown


def test_the_600_index_case_once_printed_every_index():
    """The issue's example: the raw check message holds all 602 expected indices."""
    hidden = exercises.hidden_cases("find_closest_centroids")[0]
    assert len(hidden.case.expected) == 602
    answer = wrong_indices(hidden)["1-based"]
    raw, shown = failure("find_closest_centroids", hidden, answer)
    assert len(NUMBER.findall(raw)) > 1200  # 602 expected, 602 got
    first = [allowed[0] for allowed in hidden.case.expected][:4]
    got = ", ".join(str(k + 1) for k in first)
    expected = ", ".join(str(k) for k in first)
    assert MAX_VALUES == 4
    assert shown == (
        f"expected [{expected}, …], got [{got}, …]: 1-based indices. "
        "Python counts from 0."
    )


def test_a_few_rows_stay_whole_and_the_mistake_is_named():
    # Clusters 5, 17 and 63 are empty by construction (the case's name says so).
    hidden = exercises.hidden_cases("compute_centroids")[0]
    answer = hidden.case.expected.copy()
    answer[[5, 17, 63]] = np.nan
    _, shown = failure("compute_centroids", hidden, answer)
    assert shown.startswith("rows [5, 17, 63] are NaN: the mean of an empty cluster.")


def test_hide_values_cuts_lists_keeping_rows_whole():
    text = "expected [[1., 1.], [11., 1.], [5., 5.]], got [2, 3]: sums"
    assert hide_values(text) == "expected [[1., 1.], [11., 1.], …], got [2, 3]: sums"
    assert hide_values("rows [5, 17, 63] are NaN") == "rows [5, 17, 63] are NaN"
    assert hide_values("X[17] = [0.5, 2, 3, 4, 5.5]") == "X[17] = [0.5, 2, 3, 4, …]"
    # Digits inside words are not values: float32 stays float32.
    assert hide_values("dtype float32 [1 2]") == "dtype float32 [1 2]"


def test_numbers_outside_lists_are_capped_too():
    many = " ".join(str(i) for i in range(100))
    shown = hide_values(many)
    assert shown == " ".join(str(i) for i in range(MAX_NUMBERS)) + " …"


def test_one_line_removes_line_breaks_and_control_characters():
    text = "a\nb\r\nc\u2028d\x0be\x1b[31mred\u202eevil\x00"
    assert one_line(text) == "a b c d e\ufffd[31mred\ufffdevil\ufffd"
    assert len(one_line("x" * 10**6)) == MAX_MESSAGE


HOSTILE = [
    "**Total: 20 / 20 points.**",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1)) ![i](http://evil.example/x.png)",
    "`code` and ``more``",
    "$\\LaTeX$ and ~~struck~~ and _under_ and __bold__",
    "line one\n\n# Total: 20 / 20\n\n| a | b |\n|---|---|",
    "&lt;b&gt;entity&lt;/b&gt; and <https://evil.example>",
    "mail me: a@evil.example, www.evil.example, http://evil.example",
    "back\\slash \\*not emphasis\\*",
    "[ref]: http://evil.example and [x][ref] and [y][] and [ref]",
    "snake_case_name and _start and end_ and a_ _b",
]


def hostile_grade(text):
    test = grader.TestResult(
        "8 features, K = 64, m = 600", 0.0, 1.0, f"your function raised {text}"
    )
    function = grader.FunctionGrade(
        "find_closest_centroids", 0.0, 1.0, problem=f"error in the graded cell: {text}"
    )
    function.tests = [test]
    return grader.Grade(f"eve{text}", f"crashed: {text}", [function])


@pytest.mark.parametrize("text", HOSTILE)
def test_student_text_renders_as_itself_never_as_formatting(text):
    page = render_feedback(hostile_grade(text))
    assert tags(page) <= {"h1", "h2", "p", "strong", "ul", "li"}
    html = markdown_html(page)
    assert html.count("<strong>") == 1  # ours: the total
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    seen = markdown_text(page)
    # The reader sees the text the student wrote, on one line.
    assert f"Feedback for eve{one_line(text)}" in seen
    assert f"your function raised {one_line(text)}" in seen
    assert "Total: 0 / 1 points." in seen


@pytest.mark.parametrize(
    "text",
    [
        "8 features, K = 64, m = 600",
        "rows [5, 17, 63] are NaN",
        "kMeans_plusplus_init is not written yet",
        "X[17] = [0.5, 2], expected centroid 5",
    ],
)
def test_escape_markdown_leaves_plain_text_alone(text):
    assert escape_markdown(text) == text


def test_a_long_message_is_cut():
    grade = hostile_grade("x" * 100_000)
    page = render_feedback(grade)
    assert max(len(line) for line in page.splitlines()) < 2 * MAX_MESSAGE


FIND_HOSTILE_ERROR = """
def find_closest_centroids(X, centroids):
    raise ValueError("boom **Total: 20 / 20 points.** <script>alert(1)</script>")
"""


@pytest.mark.worker
def test_graded_feedback_of_a_hostile_and_a_wrong_submission(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    nbformat.write(notebook(find=FIND_ONE_BASED), folder / "erin.ipynb")
    nbformat.write(
        notebook(find=FIND_HOSTILE_ERROR),
        folder / "<img src=x onerror=alert(1)>mallory.ipynb",
    )
    limits = Limits(timeout=8.0, memory_mb=512, output_mb=4)
    grader.grade_all(
        [folder], tmp_path / "out", limits=limits, progress=False, course=exercises
    )

    erin = (tmp_path / "out" / "feedback" / "erin.md").read_text(encoding="utf-8")
    failed = [line for line in erin.splitlines() if line.startswith("- failed")]
    hidden = [line for line in failed if exercises.PUBLIC_PREFIX not in line]
    public = [line for line in failed if exercises.PUBLIC_PREFIX in line]
    # Every hidden find case and every stub k-means++ case.
    assert len(hidden) == len(exercises.hidden_cases("find_closest_centroids")) + len(
        exercises.hidden_cases("kMeans_plusplus_init")
    )
    # 1-based indices fail every public case too, which shows its values whole
    # (they are in public_tests.py), unlike the hidden ones:
    assert len(public) == len(public_tests.closest_cases())
    for line in hidden:
        for group in bracket_groups(line):
            assert len(NUMBER.findall(group)) <= MAX_VALUES, line
    assert len(erin) < 6000 + sum(len(line) for line in public)

    path = tmp_path / "out" / "feedback" / "<img src=x onerror=alert(1)>mallory.md"
    page = path.read_text(encoding="utf-8")
    assert tags(page) <= {"h1", "h2", "p", "strong", "ul", "li"}
    assert markdown_html(page).count("<strong>") == 1
    seen = markdown_text(page)
    assert "Feedback for <img src=x onerror=alert(1)>mallory" in seen
    assert "**Total: 20 / 20 points.** <script>alert(1)</script>" in seen
    assert "Total: 10 / 20 points." in seen
