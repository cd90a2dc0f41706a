"""The grader's statuses: the labels that decide what happens next.

Each is a ``str``-valued enum, so a member is the very text written to
grades.csv, records/*.json, the feedback and results.json, and compares equal
to the string read back from them.
"""

from enum import Enum


class TextEnum(str, Enum):
    """A ``str`` enum whose ``str()`` and ``format()`` give its value.

    As Python 3.11's ``enum.StrEnum``, on Python 3.10 too.
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Status(TextEnum):
    """A submission's status in grades.csv, where it is not a list of problems.

    Otherwise the status is the problems of its functions joined by ``; ``
    (``timeout in find_closest_centroids``), or why the notebook could not be
    read.
    """

    #: Every graded function ran and was judged (its points may still be 0).
    GRADED = "graded"
    #: The grader failed on the submission, through no fault of the student's:
    #: the status starts with this, followed by the error in brackets.
    GRADER_ERROR = "grader error"


def is_grader_error(status: str) -> bool:
    """Whether ``status`` says the grader itself failed on the submission."""
    return status.startswith(Status.GRADER_ERROR)


class Problem(TextEnum):
    """Why a graded function could not be judged (``RunOutcome.problem``).

    A function's problem in grades.csv is ``<problem> in <function>``.
    """

    MISSING = "missing"
    TOO_LARGE = "too large"
    SYNTAX_ERROR = "syntax error"
    CELL_ERROR = "error in the graded cell"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    OUT_OF_MEMORY = "out of memory"
    TOO_MUCH_OUTPUT = "too much output"


def graded_again(status: str) -> bool:
    """Whether a submission with ``status`` is graded again on the next run.

    A timeout may come from a busy machine, and a grader error from the
    grader: neither is the submission's last word.
    """
    return Problem.TIMEOUT in status or is_grader_error(status)
