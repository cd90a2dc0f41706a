"""The corpus: right answers accepted, wrong ones named, by the public tests and
by the grader alike.

Every answer of ``tests/corpus/`` and every find_closest_centroids and
compute_centroids answer of ``implementations.py`` with a named mistake runs
through its public test (in this process) and through the real grader: one
worker run for the whole corpus (each answer a job of its own, under a name
of its own), whose outcomes :func:`instructor.grading.grader.grade_function` grades.
Right answers get every point; a wrong one fails its public test naming its
mistake's identifier, and loses points in the grader with a test that names
the same identifier and sentence.
"""

import inspect
import re

import implementations as impl
import numpy as np
import pytest
from corpus import centroids as centroid_corpus
from corpus import closest as closest_corpus

import public_tests
from instructor.course import exercises
from instructor.grading import grader
from instructor.grading.confinement import make_plan
from instructor.grading.sandbox import Job, Limits, run_graded_functions
from instructor.grading.submission import GradedCode
from labkit import answers
from labkit.mistakes import MISTAKES

RUNNERS = {
    "find_closest_centroids": public_tests.find_closest_centroids_test,
    "compute_centroids": public_tests.compute_centroids_test,
}

#: Wrong answers of implementations.py, with their mistakes' identifiers.
NAMED = {
    "find_closest_centroids": {
        impl.closest_one_based: "closest.one_based",
        impl.closest_float_indices: "closest.float_indices",
        impl.closest_l1: "closest.l1",
        impl.closest_farthest: "closest.argmax",
        impl.closest_two_features: "closest.two_features",
        impl.closest_skips_last_centroid: "closest.skips_last",
        impl.closest_never_filled: "closest.no_axis",
        impl.closest_max_norm: "closest.max_norm",
        impl.closest_int_distances: "closest.int_distances",
        impl.closest_missing_return: "common.returns_none",
        impl.closest_returns_tuple: "common.returns_tuple",
    },
    "compute_centroids": {
        impl.centroids_sum: "centroids.sum",
        impl.centroids_median: "centroids.median",
        impl.centroids_divide_by_m: "centroids.divide_by_m",
        impl.centroids_skips_last: "centroids.skips_last",
        impl.centroids_integer: "centroids.integer",
        impl.centroids_mean_without_axis: "centroids.mean_no_axis",
        impl.centroids_rounded: "centroids.rounded",
        impl.centroids_mean_axis_1: "centroids.mean_axis_1",
        impl.centroids_missing_return: "common.returns_none",
        impl.centroids_never_filled: "centroids.never_filled",
        impl.centroids_nan_for_empty: "centroids.nan_for_empty",
    },
}
RIGHT = {
    "find_closest_centroids": [
        *closest_corpus.RIGHT,
        *impl.CLOSEST_STYLES,
        impl.closest_list,
    ],
    "compute_centroids": [
        *centroid_corpus.RIGHT,
        *impl.CENTROID_STYLES,
        impl.centroids_list,
        impl.centroids_as_list,
    ],
}
WRONG = {
    "find_closest_centroids": {
        **closest_corpus.WRONG,
        **NAMED["find_closest_centroids"],
    },
    "compute_centroids": {**centroid_corpus.WRONG, **NAMED["compute_centroids"]},
}
ANSWERS = [
    (name, function, None)
    for name, functions in RIGHT.items()
    for function in functions
] + [
    (name, function, identifier)
    for name, table in WRONG.items()
    for function, identifier in table.items()
]
IDS = [
    f"{name[:7]}-{function.__module__}.{function.__name__}"
    for name, function, _ in ANSWERS
]


def test_the_corpus_covers_the_catalogue():
    named = {identifier for _, _, identifier in ANSWERS if identifier}
    simulated = {
        identifier
        for identifier, _ in answers.CLOSEST_MISTAKES + answers.CENTROID_MISTAKES
    }
    assert simulated <= named, simulated - named
    translated = {
        "closest.broadcast_rows",
        "closest.where_sequence",
        "closest.loop_reuses_K",
        "closest.idx_size_K",
        "closest.loop_past_K",
        "error.shadowed_name",
        "centroids.integer_accumulator",
        "centroids.mean_axis_1",
        "state.cache",
        "state.global_centroids",
        "state.random",
    }
    assert translated <= named, translated - named


def _sentence(identifier):
    """The catalogue sentence's words up to its first blank, to find in a message
    (in lower case: a sentence after an error's text starts with a capital)."""
    return " ".join(MISTAKES[identifier].split("{")[0].split())[:50].lower()


def _words(text):
    return " ".join(text.split()).lower()


@pytest.mark.parametrize(("name", "function", "identifier"), ANSWERS, ids=IDS)
def test_the_public_test_accepts_or_names_the_mistake(
    name, function, identifier, capsys
):
    if identifier is None:
        RUNNERS[name](function)
        assert "public tests passed" in capsys.readouterr().out
        return
    with pytest.raises(answers.PublicTestFailure) as caught:
        RUNNERS[name](function)
    assert caught.value.mistake == identifier, str(caught.value)
    if identifier in MISTAKES:
        assert _sentence(identifier) in _words(str(caught.value))


def _job_name(position):
    return f"corpus_answer_{position}"


def _graded_source(function, position):
    """The function's source under its job's name, with the helpers it calls."""
    module = inspect.getmodule(function)
    helpers = [
        inspect.getsource(getattr(module, name))
        for name in function.__code__.co_names
        if inspect.isfunction(getattr(module, name, None))
    ]
    source = "\n\n".join([*helpers, inspect.getsource(function)])
    source = re.sub(
        rf"def {function.__name__}\(", f"def {_job_name(position)}(", source
    )
    return "import math\n\n" + source


@pytest.fixture(scope="module")
def graded():
    """Every corpus answer graded by the real grader, from one worker run."""
    jobs = [
        Job(_job_name(n), _graded_source(function, n), exercises.hidden_cases(name))
        for n, (name, function, _) in enumerate(ANSWERS)
    ]
    runs, _ = run_graded_functions(jobs, Limits(timeout=60), make_plan("trusted"))
    grades = {}
    for n, (name, _function, _) in enumerate(ANSWERS):
        code = GradedCode(source=jobs[n].source)
        grades[n] = grader.grade_function(
            name,
            code,
            exercises.hidden_cases(name),
            runs[_job_name(n)],
            course=exercises,
        )
    return grades


@pytest.mark.slow
@pytest.mark.parametrize("position", range(len(ANSWERS)), ids=IDS)
def test_the_grader_agrees(graded, position):
    name, function, identifier = ANSWERS[position]
    grade = graded[position]
    if identifier is None:
        assert grade.points == grade.max_points, [t.message for t in grade.tests]
        return
    assert grade.points < grade.max_points
    named = [t for t in grade.tests if t.mistake == identifier]
    assert named, [(t.mistake, t.message) for t in grade.tests if t.points == 0]
    if identifier in MISTAKES:
        assert all(_sentence(identifier) in _words(t.message) for t in named)


#: The stated share (the instructor guide, "Partial credit"): a function
#: computing another distance or statistic earns at most this part of an
#: exercise's points.
SHARE = 0.3
OTHER_QUANTITIES = [
    closest_corpus.manhattan_loop,
    closest_corpus.chebyshev,
    impl.closest_l1,
    impl.closest_max_norm,
    centroid_corpus.median,
    centroid_corpus.rounded,
    impl.centroids_median,
    impl.centroids_rounded,
    centroid_corpus.floor_division,
    impl.centroids_integer,
]


@pytest.mark.parametrize(
    "function", OTHER_QUANTITIES, ids=lambda f: f"{f.__module__}.{f.__name__}"
)
def test_another_distance_or_statistic_earns_at_most_the_stated_share(graded, function):
    position = next(n for n, (_, f, _) in enumerate(ANSWERS) if f is function)
    grade = graded[position]
    assert grade.points <= SHARE * grade.max_points, [
        (t.name, t.points) for t in grade.tests
    ]


def test_a_difference_hidden_by_printed_digits_is_shown_where_it_is():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    case = answers.Case("tiny", (X, np.array([0, 0]), 1), np.array([[2.0, 3.0]]))
    nearly = np.array([[2.0, 3.0002]])  # shown as 3.0 with 4 decimals
    with pytest.raises(answers.CheckFailed) as caught:
        answers.check_centroids(case, nearly)
    assert "feature 1" in caught.value.problem
    assert "3.0002" in caught.value.problem and "0.0002" in caught.value.problem


def test_a_case_that_expects_an_exception_passes_only_when_it_is_raised():
    """A hidden case with ``raises`` (k-means++ with too few distinct examples)."""
    from instructor.course.hidden_tests import RNG, HiddenCase
    from instructor.grading.sandbox import CaseOutcome

    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    hidden = HiddenCase(
        1,
        answers.Case("only 2 distinct examples, K = 3", (X, 3, RNG), None),
        seeds=(0,),
        raises="ValueError",
        why="K = 3 is more than the distinct examples",
    )
    raised = CaseOutcome(error="ValueError: too few distinct examples")
    returned = CaseOutcome(result=X[None], result_type="ndarray", args_after=[X])
    other = CaseOutcome(error="ZeroDivisionError: division by zero")
    name = "kMeans_plusplus_init"
    assert grader._judge(name, hidden, raised, None)[0]
    passed, message, _ = grader._judge(name, hidden, returned, None)
    assert not passed and "expected a ValueError" in message
    assert "more than the distinct examples" in message
    assert not grader._judge(name, hidden, other, None)[0]
