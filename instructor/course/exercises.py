"""The graded exercises: one table that ``grade``, ``validate`` and ``release`` read.

Each row names a graded function (the ``# GRADED FUNCTION: <name>`` of its
notebook cell), the public test students run on it, the list of cases the
grader runs (each with its points and its ``hidden`` flag, built in
:mod:`instructor.course.hidden_tests`), the check of one answer, whether the
exercise is optional (its points are a bonus, outside the total) and whether
a RuntimeWarning fails a case.  Adding an exercise is adding a row here, a
case list and a public test; every tool follows.

This module stays in ``instructor/``: it is never part of the student bundle.
"""

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import public_tests
from instructor.course import hidden_tests
from instructor.course.hidden_tests import HiddenCase
from labkit.answers import Case, check_centroids, check_closest


@dataclass(frozen=True)
class Exercise:
    """One graded exercise.

    Attributes
    ----------
    name : str
        The graded function, as in its cell's ``# GRADED FUNCTION:`` line.
    public_test : str
        The function of ``public_tests.py`` that students run on it.
    cases : callable
        Returns the list of :class:`~instructor.course.hidden_tests.HiddenCase`
        the grader runs, each with its points and ``hidden`` flag.
    check : callable or None
        ``check(case, answer)`` raises AssertionError for a wrong answer;
        None when every case brings its own check.
    optional : bool
        Its points are a bonus, outside the required total.
    no_runtime_warnings : bool
        A RuntimeWarning fails a case (the contract says "no warning").
    public_cases : callable or None
        Returns the public test's own cases (``public_tests.py``), which the
        grader runs too, first, as visible cases worth no points: on
        Gradescope students see at once whether the public tests pass where
        their cell is graded; the points come from the hidden cases.
    """

    name: str
    public_test: str
    cases: Callable[[], list[HiddenCase]]
    check: Callable[..., Any] | None = None
    optional: bool = False
    no_runtime_warnings: bool = False
    public_cases: Callable[[], list[Case]] | None = None

    def max_points(self) -> float:
        """The points the exercise is worth: the sum over its cases."""
        return sum(case.points for case in self.cases())


EXERCISES = (
    Exercise(
        "find_closest_centroids",
        public_test="find_closest_centroids_test",
        cases=hidden_tests.closest_cases,
        check=check_closest,
        public_cases=public_tests.closest_cases,
    ),
    Exercise(
        "compute_centroids",
        public_test="compute_centroids_test",
        cases=hidden_tests.centroid_cases,
        check=check_centroids,
        public_cases=public_tests.centroid_cases,
        # An empty cluster must not be averaged: np.mean's warning gives it away.
        no_runtime_warnings=True,
    ),
    Exercise(
        "kMeans_plusplus_init",
        public_test="kMeans_plusplus_init_test",
        cases=hidden_tests.plusplus_cases,
        optional=True,
    ),
)

_BY_NAME = {exercise.name: exercise for exercise in EXERCISES}


def names() -> tuple[str, ...]:
    """The graded functions, in the table's order."""
    return tuple(_BY_NAME)


def exercise(name: str) -> Exercise:
    """The row of graded function ``name``.

    Raises
    ------
    KeyError
        If ``name`` is not a graded exercise.
    """
    return _BY_NAME[name]


#: What a public case's name starts with in the grader's results.
PUBLIC_PREFIX = "public: "


def grader_cases(name: str) -> list[HiddenCase]:
    """Every case the grader runs on ``name``: the public ones, then the hidden.

    The public test's cases come first, renamed ``public: ...``, visible and
    worth no points (:attr:`Exercise.public_cases`).
    """
    row = exercise(name)
    public = row.public_cases() if row.public_cases is not None else []
    shown = [
        hidden_tests.HiddenCase(
            0, dataclasses.replace(case, name=PUBLIC_PREFIX + case.name), hidden=False
        )
        for case in public
    ]
    return shown + row.cases()


def hidden_cases(name: str) -> list[HiddenCase]:
    """Return the cases the grader runs on graded function ``name``."""
    return exercise(name).cases()


def checker(name: str) -> Callable[..., Any] | None:
    """Return the function that checks one answer of graded function ``name``."""
    return exercise(name).check


def is_optional(name: str) -> bool:
    """Whether graded function ``name`` is an optional (bonus) exercise."""
    return exercise(name).optional


def forbids_runtime_warnings(name: str) -> bool:
    """Whether a RuntimeWarning fails a case of graded function ``name``."""
    return exercise(name).no_runtime_warnings


def max_points(name: str) -> float:
    """Return the points graded function ``name`` is worth."""
    return exercise(name).max_points()


def required_points() -> float:
    """The points of the required exercises: the total a grade is out of."""
    return sum(e.max_points() for e in EXERCISES if not e.optional)


@functools.cache
def visible_case_names(name: str) -> frozenset[str]:
    """The names of graded function ``name``'s cases that are not hidden.

    Empty for a name that is not in the table: unknown means hidden.
    """
    if name not in _BY_NAME:
        return frozenset()
    return frozenset(case.case.name for case in grader_cases(name) if not case.hidden)
