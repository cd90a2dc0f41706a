"""Check that the source notebook, the tests and the student notebook agree.

* every graded function in the source is a row of the exercise table
  (:mod:`instructor.course.exercises`) and every row is graded in the source;
* every row's public test exists, and its cases have distinct names and
  positive points;
* the reference solutions pass every public and every hidden test;
* the blank student version fails every graded test;
* the committed student notebook is what ``release`` generates.
"""

import contextlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

import public_tests
from instructor.authoring.release import make_student_notebook
from instructor.course import exercises
from instructor.course.solutions import load_graded_functions
from instructor.grading.grader import Grade, grade_submission
from instructor.grading.sandbox import Limits
from instructor.layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK
from instructor.markers import graded_cells


def _public_test(name: str) -> Any:
    """The public test the exercise table names for ``name``, or None."""
    if name not in exercises.names():
        return None
    return getattr(public_tests, exercises.exercise(name).public_test, None)


def _table_checks() -> list[tuple[bool, str]]:
    """Checks of the exercise table on its own."""
    results: list[tuple[bool, str]] = []
    for exercise in exercises.EXERCISES:
        cases = exercise.cases()
        names = [hidden.case.name for hidden in cases]
        results.append(
            (
                bool(cases) and len(set(names)) == len(names),
                f"{exercise.name} has cases with distinct names ({len(cases)} cases)",
            )
        )
        results.append(
            (
                all(hidden.points > 0 for hidden in cases),
                f"every case of {exercise.name} is worth points",
            )
        )
    required = [e.name for e in exercises.EXERCISES if not e.optional]
    results.append((bool(required), "the table has a required exercise"))
    return results


def _run_public_test(
    test: Callable[[Callable[..., object]], object], function: Callable[..., object]
) -> str | None:
    """Run a public test quietly; return None if it passed, else why not.

    A test passes when it prints its success line: an optional exercise left
    as its stub is skipped (one printed line, no error), which is no pass.
    """
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        try:
            test(function)
        except (AssertionError, NotImplementedError) as failure:
            return f"{type(failure).__name__}: {failure}"
    if "public tests passed" not in printed.getvalue():
        return printed.getvalue().strip()
    return None


def _grade_notebook(nb: nbformat.NotebookNode, limits: Limits) -> Grade:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notebook.ipynb"
        nbformat.write(nb, path)
        return grade_submission(path, limits, course=exercises)[1]


def check_lab(
    source_path: str | Path = SOURCE_NOTEBOOK,
    student_path: str | Path = STUDENT_NOTEBOOK,
    limits: Limits | None = None,
) -> list[tuple[bool, str]]:
    """Run every check; return a list of ``(passed, description)`` pairs."""
    limits = limits or Limits()
    results = _table_checks()
    source = nbformat.read(source_path, as_version=4)
    names = [name for name, _ in graded_cells(source)]
    results.append((bool(names), "the source notebook has graded functions"))
    for name in names:
        results.append((_public_test(name) is not None, f"{name} has a public test"))
        results.append((name in exercises.names(), f"{name} has hidden tests"))
    for name in exercises.names():
        results.append(
            (name in names, f"the exercise table's {name} is graded in the source")
        )
    gradable = [n for n in names if _public_test(n)]

    reference = load_graded_functions(source)
    for name in gradable:
        failure = _run_public_test(_public_test(name), reference[name])
        results.append(
            (
                failure is None,
                f"the reference {name} passes its public test ({failure})",
            )
        )
    source_grade = _grade_notebook(source, limits)
    for function in source_grade.functions:
        failed = [t.name for t in function.tests if not t.passed]
        results.append(
            (
                function.problem is None and not failed,
                f"the reference {function.name} passes every hidden test "
                f"({function.points:g} / {function.max_points:g} points)",
            )
        )

    student = make_student_notebook(source)
    blank = load_graded_functions(student)
    for name in gradable:
        failure = _run_public_test(_public_test(name), blank[name])
        results.append((failure is not None, f"the blank {name} fails its public test"))
    blank_grade = _grade_notebook(student, limits)
    for function in blank_grade.functions:
        passed = [t.name for t in function.tests if t.points > 0]
        results.append(
            (
                not passed and bool(function.tests),
                f"the blank {function.name} fails every hidden test "
                f"({function.points:g} / {function.max_points:g} points)",
            )
        )
    committed = Path(student_path).read_text(encoding="utf-8")
    results.append(
        (
            committed == nbformat.writes(student) + "\n",
            f"{Path(student_path).name} is what `release` generates",
        )
    )
    return results
