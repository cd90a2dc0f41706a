"""The public tests' runner: run the steps, print one line or raise one message."""

import textwrap

from .. import environment
from .judging import collect, judge
from .messages import CheckFailed, describe_inputs

# --------------------------------------------------------------------------
# Public tests: run the steps, print one line, or return one short error
# --------------------------------------------------------------------------


class PublicTestFailure(AssertionError):
    """A failed public test, shown in a notebook as its message alone.

    IPython calls ``_render_traceback_`` instead of printing the traceback, so
    the student reads which case failed, its inputs and the likely mistake,
    without frames of the test's own code.  ``mistake`` is the identifier of
    the mistake it names, if any (see :mod:`labkit.mistakes`).
    """

    def __init__(self, message, mistake=None):
        super().__init__(message)
        self.mistake = mistake

    def _render_traceback_(self):
        return str(self).splitlines()


class NotWrittenError(NotImplementedError):
    """The exercise is still its stub: shown as its one sentence."""

    def _render_traceback_(self):
        return str(self).splitlines()


def failure_text(exercise, failure):
    """The message of a failed public test: the case, its inputs, the problem."""
    case = failure.case
    lines = [f'{exercise}_test failed on the case "{case.name}", called with']
    lines += describe_inputs(exercise, case)
    lines += textwrap.wrap(failure.problem, width=88)
    return "\n".join(lines)


def case_steps(exercise, cases, check, quiet=False):
    """One step per case: the first calls the function on every case, in order
    (as the grader does), then each judges its case's outcome with :func:`judge`.

    Judging after all calls lets a case's message use the function's other
    answers, e.g. two calls with the same inputs that differ.
    """
    run = []

    def step_for(position):
        def step(target, namespace):
            if position == 0:
                run[:] = [(case, collect(case, target)) for case in cases]
            case, outcome = run[position]
            judge(
                exercise,
                case,
                outcome,
                check,
                run=run,
                namespace=namespace,
                quiet=quiet,
            )

        return step

    return [step_for(position) for position in range(len(cases))]


def run_public_test(exercise, target, steps, *, graded=True, optional=False):
    """Run a public test's steps; print the success line and return None, or
    return the one exception the calling test should raise.

    A graded function that reaches beyond what graded cells may use (see
    :mod:`labkit.environment`) fails first, with the one line saying why the
    grader would fail it.  An optional exercise left as its stub is skipped
    with one printed line, so that Run All goes on.
    """
    if graded:
        problem = environment.reach_problem(target)
        if problem is not None:
            return PublicTestFailure(
                f"{exercise}_test stopped before its cases: {problem}"
            )
    namespace = getattr(target, "__globals__", None)
    try:
        for step in steps:
            step(target, namespace)
    except NotImplementedError as error:
        if optional:
            print(
                f"{exercise} is not written yet: this optional exercise is skipped, "
                "and the cells below run without it."
            )
            return None
        return NotWrittenError(str(error))
    except CheckFailed as failure:
        return PublicTestFailure(failure_text(exercise, failure), failure.mistake)
    more = " (the grader runs more)" if graded else ""
    print(f"{exercise}: all {len(steps)} public tests passed{more}.")
    return None
