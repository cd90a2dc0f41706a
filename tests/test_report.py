"""The class report: counts of planted mistakes, copies, and the page in Chromium.

A small class is graded once (``planted_class``: misconceptions planted in
several students each, a renamed and reordered copy, independent correct
answers in different styles); what the report says is checked against how
the class was planted.  Fast tests use gradebooks written without grading
(``synthetic_gradebook``).  The Chromium part is skipped only when Playwright
or Chromium is missing and neither ``CI`` nor ``LAB_BROWSER_TEST=required`` is set.
"""

import csv
import json
import os
import shutil

import implementations as impl
import planted_class as planted
import pytest
from browser.jupyterlab import find_chromium
from submissions import cell_text, graded_source
from synthetic_gradebook import write_gradebook

from instructor.__main__ import main
from instructor.course import exercises
from instructor.grading.grader import RECORDS_DIR, grade_all
from instructor.grading.run_mistakes import RUN_MISTAKES, of_error, of_problem
from instructor.grading.sandbox import Limits
from instructor.layout import STUDENT_NOTEBOOK
from instructor.reports.class_report.build import make_report, released_stubs
from instructor.reports.class_report.similarity import (
    features,
    given_features,
    similarities,
)

FIND, COMPUTE = planted.FIND, planted.COMPUTE
LIMITS = Limits(timeout=5.0, memory_mb=512, output_mb=4)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def given():
    return given_features(*released_stubs(STUDENT_NOTEBOOK))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The planted class graded (two at a time), then its report made."""
    root = tmp_path_factory.mktemp("report")
    folder = planted.write_class(root / "submissions")
    grade_all(
        [folder],
        root / "out",
        2,
        LIMITS,
        progress=False,
        isolation="trusted",
        course=exercises,
    )
    shutil.rmtree(folder)  # the report must not need the submissions
    made = make_report(root / "out")
    return root / "out", made


# ------------------------------------------------------------ the grader's records


def test_the_grader_records_each_graded_cell_and_each_case(graded_class):
    out, _ = graded_class
    for student, codes in planted.CLASS.items():
        data = json.loads((out / RECORDS_DIR / f"{student}.json").read_text())
        assert data["student"] == student and data["graded_at"]
        functions = {f["name"]: f for f in data["functions"]}
        for exercise, code in codes.items():
            assert functions[exercise]["code"] == cell_text(exercise, code)
            cases = exercises.grader_cases(exercise)
            tests = functions[exercise]["tests"]
            assert [t["name"] for t in tests] == [h.case.name for h in cases]
            for test, hidden in zip(tests, cases, strict=True):
                assert set(test) == {
                    "name",
                    "points",
                    "max_points",
                    "message",
                    "mistake",
                    "hidden",
                }
                assert test["hidden"] is hidden.hidden
        for exercise, mistake in planted.PLANTED.get(student, {}).items():
            tests = functions[exercise]["tests"]
            assert {t["mistake"] for t in tests if t["points"] < t["max_points"]} == {
                mistake
            }
            assert data["mistakes"][mistake]  # with its sentence


# ------------------------------------------------------------ mistakes.csv


def test_mistakes_csv_counts_each_planted_mistake(graded_class):
    out, made = graded_class
    rows = read_rows(made.folder / "mistakes.csv")
    assert list(rows[0]) == ["exercise", "mistake", "students"]
    got = {(r["exercise"], r["mistake"]): int(r["students"]) for r in rows}
    expected = {key: len(s) for key, s in planted.expected_mistakes().items()}
    assert got == expected
    # Planted: a wrong type (kim), two syntax errors, a timeout and a refusal
    # are run mistakes; three missing returns and a tuple (jon) are named by
    # the catalogue of labkit/mistakes.py.
    assert sum(n for (_, m), n in got.items() if m.startswith("run.")) == 5
    assert sum(n for (_, m), n in got.items() if m.startswith("common.")) == 4


def test_mistakes_by_student_names_each_planted_student(graded_class):
    _, made = graded_class
    rows = read_rows(made.folder / "mistakes_by_student.csv")
    got = {(r["student"], r["exercise"], r["mistake"]) for r in rows}
    expected = {
        (student, exercise, mistake)
        for (exercise, mistake), students in planted.expected_mistakes().items()
        for student in students
    }
    assert got == expected


def test_an_optional_exercise_left_as_released_is_no_mistake(graded_class):
    _, made = graded_class
    rows = read_rows(made.folder / "mistakes.csv")
    assert not [r for r in rows if r["exercise"] == "kMeans_plusplus_init"]


# ------------------------------------------------------------ similarity


def test_the_renamed_copy_ranks_first_and_alone_is_flagged(graded_class):
    _, made = graded_class
    rows = read_rows(made.folder / "similarity.csv")
    assert list(rows[0]) == ["student_a", "student_b", "similarity"]
    assert {rows[0]["student_a"], rows[0]["student_b"]} == set(planted.COPY)
    assert all(float(r["similarity"]) < float(rows[0]["similarity"]) for r in rows[1:])
    assert [{p.student_a, p.student_b} for p in made.flagged] == [set(planted.COPY)]


def test_features_ignore_names_comments_and_the_order_of_independent_lines():
    original = planted.BEN_COMPUTE
    assert features(planted.ELI_COMPUTE) - features(original) == set()
    assert features(original) - features(planted.ELI_COMPUTE) == set()
    # A different method is different code.
    other = graded_source(impl.centroids_loop_mean, COMPUTE)
    assert features(other) != features(original)


def test_what_every_student_got_is_not_counted(given):
    cells, _ = released_stubs(STUDENT_NOTEBOOK)
    for exercise, stub in cells.items():
        assert features(stub) and not features(stub) - given[exercise]


#: Independent correct answers in different styles, for a class of 12.
STYLES_FIND = [*impl.CLOSEST_STYLES, impl.closest_pure_python]
STYLES_COMPUTE = [*impl.CENTROID_STYLES, impl.centroids_pure_python]


def test_independent_answers_are_never_flagged_and_the_copy_always_is(given):
    """Every pairing of styles, with Ben and his copy in the class."""
    students = {
        f"s{i}": {
            FIND: graded_source(STYLES_FIND[i % len(STYLES_FIND)], FIND),
            COMPUTE: graded_source(STYLES_COMPUTE[i % len(STYLES_COMPUTE)], COMPUTE),
        }
        for i in range(10)
    }
    students["ben"] = {FIND: planted.BEN_FIND, COMPUTE: planted.BEN_COMPUTE}
    students["eli"] = {FIND: planted.ELI_FIND, COMPUTE: planted.ELI_COMPUTE}
    pairs = similarities(students, given)
    assert {pairs[0].student_a, pairs[0].student_b} == {"ben", "eli"}
    flagged = [{p.student_a, p.student_b} for p in pairs if p.flagged]
    assert flagged == [{"ben", "eli"}]


# ------------------------------------------------------------ the page, as text


def test_the_page_is_anonymised_unless_asked(graded_class, tmp_path):
    out, made = graded_class
    page = (made.folder / "index.html").read_text()
    assert "Student 1" in page
    for student in planted.CLASS:
        assert f">{student}<" not in page and f"{student}.ipynb" not in page
    assert main(["report", str(out), "--names", "--out", str(tmp_path)]) == 0
    named = (tmp_path / "index.html").read_text()
    assert "ben and eli: similarity 1.00" in named  # the copy, by id


def test_student_code_is_text_on_the_page_never_markup(graded_class):
    _, made = graded_class
    page = (made.folder / "index.html").read_text()
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;/pre&gt;&lt;script&gt;fetch(" in page  # Jon's comment, as text


def test_hostile_ids_and_malformed_records(tmp_path, capsys):
    hostile = "<img src=x onerror=alert(1)>"
    book = write_gradebook(
        tmp_path / "book",
        {
            hostile: {FIND: ("def f(:\n  '<script>'", "run.syntax_error")},
            "ok": {FIND: (planted.BEN_FIND, None)},
            "broken": {FIND: (planted.BEN_FIND, None)},
        },
    )
    (book / RECORDS_DIR / "broken.json").write_text(
        '{"student": "broken", "total": "x"'
    )
    assert main(["report", str(book), "--names"]) == 0
    err = capsys.readouterr().err
    assert "broken" in err and "left out" in err
    page = (book / "report" / "index.html").read_text()
    assert hostile not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page


def test_no_gradebook_or_no_records_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "is not a gradebook: it has no grades.csv" in capsys.readouterr().err
    (tmp_path / "grades.csv").write_text("student,total\nana,3\n")
    assert main(["report", str(tmp_path)]) == 2
    assert "has no grading records" in capsys.readouterr().err


# ------------------------------------------------------------ the page in Chromium


def _chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright, reason = None, "the playwright package is not installed"
    else:
        reason = None if find_chromium() else "no Chromium found"
    if reason is not None:
        if os.environ.get("CI") or os.environ.get("LAB_BROWSER_TEST") == "required":
            pytest.fail(f"the report's browser test must run in CI, but {reason}")
        pytest.skip(reason)
    return sync_playwright


@pytest.mark.browser
def test_the_page_renders_in_chromium_with_named_figures_and_no_fetch(graded_class):
    sync_playwright = _chromium()
    _, made = graded_class
    url = (made.folder / "index.html").resolve().as_uri()
    requested = []

    def record(route):
        requested.append(route.request.url)
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, chromium_sandbox=False
        )
        try:
            page = browser.new_page()
            page.route("**/*", record)
            page.goto(url)
            images = page.locator("img, svg")
            assert images.count() >= 1
            for i in range(images.count()):
                figure = images.nth(i)
                assert figure.is_visible()
                name = figure.get_attribute("alt") or figure.get_attribute("aria-label")
                assert name and "students" in name
                assert figure.evaluate("e => e.naturalWidth || e.getBBox().width") > 0
            text = page.inner_text("body")
            for heading in ("Score distribution", "Mistakes", "Copies", "Isolation"):
                assert heading in text
            assert "trusted" in text  # the isolation level the class was graded at
            assert page.locator("script").count() == 0
        finally:
            browser.close()
    assert requested == [url]


# ------------------------------------------------------------ the grader's own names


@pytest.mark.parametrize(
    ("problem", "detail", "expected"),
    [
        ("missing", None, "run.missing"),
        ("syntax error", None, "run.syntax_error"),
        ("timeout", "still running after 5 s", "run.timeout"),
        ("crashed", "the process exited with code 3", "run.crashed"),
        (
            "crashed",
            "it tried to write a file, which submissions may not do",
            "run.not_allowed",
        ),
        ("crashed", "the process was killed by SIGSYS", "run.not_allowed"),
        (
            "error in the graded cell",
            "ImportError: graded cells may use only",
            "run.not_allowed",
        ),
        (
            "error in the graded cell",
            "NameError: name 'data' is not defined",
            "run.cell_error",
        ),
        ("out of memory", "used more than the 512 MB allowed", "run.out_of_memory"),
        ("too much output", "printed more than 4 MB", "run.too_much_output"),
    ],
)
def test_a_function_that_gave_no_answer_gets_a_named_mistake(problem, detail, expected):
    assert of_problem(problem, detail) == expected
    assert RUN_MISTAKES[expected]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            "NotImplementedError: find_closest_centroids is not written yet",
            "run.not_written",
        ),
        ("PermissionError: [Errno 1] Operation not permitted", "run.not_allowed"),
        ("ValueError: operands could not be broadcast together", "run.raised"),
    ],
)
def test_an_exception_gets_a_named_mistake(error, expected):
    assert of_error(error) == expected
    assert RUN_MISTAKES[expected]
