"""The program a platform's hidden test runs: the lab's hidden cases, judged.

nbgrader and otter run tests inside the student's notebook kernel, where the
``instructor`` package is absent (it must never reach students).  The hidden
tests therefore carry their own program: the source of
:mod:`instructor.course.hidden_tests` (the cases, built from their seeds), the
grader's judge (:func:`instructor.grading.grader._judge`, which judges with
:func:`labkit.answers.judge`, and what it calls) and the worker's helpers
that lay out arguments and name errors, then a small runner
(``templates/kernel_runner.py.in``) that calls the student's function on each
case as the worker does.  The program is text taken from those modules when
the export runs, so it always judges as the grader does; it imports only
NumPy and ``labkit.answers``, which ship with the lab.
"""

import ast
import inspect
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from instructor.course import exercises, hidden_tests
from instructor.grading import grader, run_mistakes, worker
from labkit import answers

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Quotes that would end the string literal the program is written into.
QUOTES = "'''"


def _exercise_table() -> str:
    """The lines that tell the runner each exercise's cases and check."""
    lines = ["CASES = {"]
    for exercise in exercises.EXERCISES:
        lines.append(f"    {exercise.name!r}: {exercise.cases.__name__},")
    lines += ["}", "CHECKS = {"]
    for exercise in exercises.EXERCISES:
        check = exercise.check
        if check is not None and getattr(answers, check.__name__, None) is not check:
            raise ValueError(
                f"the check of {exercise.name} ({check.__module__}.{check.__name__}) "
                "is not in labkit.answers, which the platforms' kernels import"
            )
        lines.append(
            f"    {exercise.name!r}: {None if check is None else check.__name__},"
        )
    lines += ["}", "FORBIDS_RUNTIME_WARNINGS = {"]
    for exercise in exercises.EXERCISES:
        if exercise.no_runtime_warnings:
            lines.append(f"    {exercise.name!r},")
    lines.append("}")
    return "\n".join(lines)


def _unannotated(function: Callable[..., Any]) -> str:
    """``function``'s source without its annotations.

    They name the grader's own types (``CaseOutcome``, ``Plan``), which the
    program does not define, and a function's annotations are evaluated when
    it is defined.
    """
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
        elif isinstance(node, ast.arg):
            node.annotation = None
    return ast.unparse(tree)


def kernel_program() -> str:
    """Return the program's source text (a module; ``grade(name, function)``).

    Raises
    ------
    ValueError
        If an exercise's check lives outside ``labkit.answers``, or the
        program holds ``\'\'\'`` (the hidden tests quote it with those).
    """
    checks = sorted(
        {e.check.__name__ for e in exercises.EXERCISES if e.check is not None}
    )
    parts = [
        inspect.getsource(hidden_tests),
        "# ---- from instructor.course.exercises, instructor.grading.worker and"
        " instructor.grading.grader",
        "import warnings",
        "from labkit import answers",
        f"from labkit.answers import check_unchanged, {', '.join(checks)}",
        _exercise_table(),
        f"ACCEPTED_RESULTS = {grader.ACCEPTED_RESULTS!r}",
        f"WRONG_KIND = {grader.WRONG_KIND!r}",
        f"PASSED = {grader.PASSED!r}",
        f"_REFUSED = {run_mistakes._REFUSED!r}",
        _unannotated(run_mistakes.of_error),
        _unannotated(worker.arrange),
        "_EXPLAINED = {}  # the worker's extra sentences; none in a kernel",
        _unannotated(worker.describe),
        _unannotated(worker.describe_warning),
        _unannotated(grader._outcome),
        _unannotated(grader._judge),
        f"NO_ANSWER = {grader.NO_ANSWER!r}",
        _unannotated(grader._verdicts),
        (TEMPLATES / "kernel_runner.py.in").read_text(encoding="utf-8"),
    ]
    program = "\n\n".join(part.strip("\n") for part in parts) + "\n"
    if QUOTES in program:
        raise ValueError(f"the hidden tests' program holds {QUOTES}, which ends it")
    return program


def grading_call(name: str, result_name: str) -> str:
    """Lines that run the program in a namespace of its own and grade ``name``.

    The program stays out of the notebook's variables; the points end up in
    ``result_name``.
    """
    return "\n".join(
        [
            "_kmeans_lab_hidden = {'__name__': 'kmeans_lab_hidden'}",
            "exec(compile(_KMEANS_LAB_PROGRAM, '<hidden cases>', 'exec'), "
            "_kmeans_lab_hidden)",
            f"{result_name} = _kmeans_lab_hidden['grade']({name!r}, "
            f"globals().get({name!r}))",
        ]
    )


def program_literal() -> str:
    """``_KMEANS_LAB_PROGRAM = r\'\'\'...\'\'\'``: the program as one assignment."""
    return f"_KMEANS_LAB_PROGRAM = r{QUOTES}\n{kernel_program()}{QUOTES}"
