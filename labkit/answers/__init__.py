"""Judging answers to the lab's exercises: the checks public and hidden tests share.

``public_tests.py`` (what a student runs) and the grader's own cases (which
stay with the instructor) hold the cases; this package calls a student's
function on a case and judges what came back.  A wrong answer raises
:class:`CheckFailed`, whose message names the mistake in the student's own
terms: their (K, n) shapes, the argument they should have used instead of a
notebook global, the missing ``return``, ``minlength``, ``axis=0``.  Every
named mistake's identifier and sentence live in :mod:`labkit.mistakes`.

One module per job:

``cases``      what a case is, and the case data the checks share
``judging``    each exercise's check, and :func:`judge`, the one set of rules
``diagnosis``  the answer each named mistake gives, to tell which one was made
``messages``   the failure a wrong answer raises, and how values are shown
``errors``     a bare NumPy error raised by the student's function, explained
``runner``     the public tests' runner: one printed line or one message

The names below are what the public tests, the grader and the hidden tests
import from ``labkit.answers``.
"""

from .cases import (
    ARGUMENTS,
    FREQUENCY_SIGMAS,
    LINE,
    LINE_BAND,
    LINE_SEEDS,
    Case,
    Seeded,
    frequency_band,
)
from .diagnosis import CENTROID_MISTAKES, CLOSEST_MISTAKES, notebook_arrays
from .errors import error_text, explain_error
from .judging import (
    RETURNS,
    TOLERANCE,
    Outcome,
    call,
    check_centroids,
    check_closest,
    check_first_picks,
    check_plusplus_line_pairs,
    check_plusplus_rows,
    check_unchanged,
    collect,
    expect_value_error,
    judge,
    no_runtime_warning,
    read_only_copies,
    tolerance,
    tuple_failure,
    wrong_kind_failure,
)
from .messages import CheckFailed, array_text, describe_inputs, fail, name_mistake
from .runner import (
    NotWrittenError,
    PublicTestFailure,
    case_steps,
    failure_text,
    run_public_test,
)

__all__ = [
    "ARGUMENTS",
    "CENTROID_MISTAKES",
    "CLOSEST_MISTAKES",
    "LINE",
    "LINE_BAND",
    "FREQUENCY_SIGMAS",
    "frequency_band",
    "LINE_SEEDS",
    "RETURNS",
    "TOLERANCE",
    "Case",
    "CheckFailed",
    "NotWrittenError",
    "Outcome",
    "PublicTestFailure",
    "Seeded",
    "array_text",
    "call",
    "case_steps",
    "check_centroids",
    "check_closest",
    "check_first_picks",
    "check_plusplus_line_pairs",
    "check_plusplus_rows",
    "check_unchanged",
    "collect",
    "describe_inputs",
    "error_text",
    "expect_value_error",
    "explain_error",
    "fail",
    "failure_text",
    "judge",
    "name_mistake",
    "no_runtime_warning",
    "notebook_arrays",
    "read_only_copies",
    "run_public_test",
    "tolerance",
    "tuple_failure",
    "wrong_kind_failure",
]
