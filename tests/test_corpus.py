"""The corpus of wrong answers: each named by its mistake, the same in the
public test and in the grader's feedback."""

import warnings

import numpy as np
import pytest
from corpus import wrong

import public_tests
from instructor import exercises, grader
from instructor.sandbox import CaseOutcome, RunOutcome
from instructor.submission import GradedCode

RUNNERS = {
    "find_closest_centroids": public_tests.find_closest_centroids_test,
    "compute_centroids": public_tests.compute_centroids_test,
}
CASES = [
    pytest.param(name, identifier, function, id=f"{identifier}-{function.__name__}")
    for name, table in (
        ("find_closest_centroids", wrong.CLOSEST),
        ("compute_centroids", wrong.CENTROIDS),
    )
    for identifier, functions in table.items()
    for function in functions
]


def _run(function, name):
    """The function's outcomes on the hidden cases, as the worker reports them."""
    outcomes = []
    for hidden in exercises.hidden_cases(name):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = function(
                    *[
                        np.copy(a) if isinstance(a, np.ndarray) else a
                        for a in hidden.case.args
                    ]
                )
                outcome = CaseOutcome(
                    np.asarray(result), "ndarray", list(hidden.case.args)
                )
            except Exception as error:  # noqa: BLE001
                outcome = CaseOutcome(error=f"{type(error).__name__}: {error}")
        outcome.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
        outcomes.append(outcome)
    return RunOutcome(cases=outcomes)


@pytest.mark.parametrize(("name", "identifier", "function"), CASES)
def test_the_public_test_names_the_mistake(name, identifier, function):
    with pytest.raises(AssertionError) as caught:
        RUNNERS[name](function)
    failure = caught.value.__context__ or caught.value
    message = str(caught.value)
    from labkit.mistakes import MISTAKES

    sentence = " ".join(MISTAKES[identifier].split("{")[0].split())
    assert sentence[:40] in " ".join(message.split()), (identifier, message, failure)


@pytest.mark.parametrize(("name", "identifier", "function"), CASES)
def test_the_grader_says_the_same(name, identifier, function):
    from labkit.mistakes import MISTAKES

    cases = exercises.hidden_cases(name)
    code = GradedCode(source="def f(): pass")
    grade = grader.grade_function(name, code, cases, _run(function, name))
    sentence = " ".join(MISTAKES[identifier].split("{")[0].split())[:40]
    failed = [t.message for t in grade.tests if t.message != "passed"]
    assert failed and any(sentence in " ".join(m.split()) for m in failed), failed


SHARE = 0.3


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("find_closest_centroids", __import__("implementations").closest_l1),
        ("find_closest_centroids", __import__("implementations").closest_max_norm),
        ("compute_centroids", wrong.centroids_L1_median),
        ("compute_centroids", __import__("implementations").centroids_rounded),
    ],
)
def test_a_wrong_distance_or_statistic_earns_at_most_the_stated_share(name, function):
    code = GradedCode(source="def f(): pass")
    grade = grader.grade_function(
        name, code, exercises.hidden_cases(name), _run(function, name)
    )
    assert grade.points <= SHARE * grade.max_points, grade
