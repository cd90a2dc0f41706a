"""What the grading engine asks of a course: the exercises and their cases.

The engine imports no course content: the exercise table reaches it from its
callers (``grade``, ``validate``, Gradescope's run), which pass the course as
``course=``.  These protocols say what it must answer.  The lab's course is
the module :mod:`instructor.course.exercises` (a module satisfies a protocol
by its functions), whose cases are
:class:`instructor.course.hidden_tests.HiddenCase`.
"""

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from labkit.answers import Case


class GradedCase(Protocol):
    """One case the grader runs on a graded function, with its points.

    Attributes
    ----------
    points : float
        What a pass earns (0 for a case shown only to teach).
    case : labkit.answers.Case
        The arguments and the expected answer.
    seeds : tuple of int
        Call the function once per seed, with ``default_rng(seed)`` as the
        argument for which :meth:`takes_rng` holds; empty for one call.
    check : callable or None
        ``check(case, answer)`` for this case alone, instead of the
        exercise's checker.
    hidden : bool
        Its data is secret: its messages show a few values at most.
    raises : str or None
        The name of the exception the function must raise, if any.
    why : str
        Why it must raise (with ``raises``).
    """

    @property
    def points(self) -> float: ...

    @property
    def case(self) -> Case: ...

    @property
    def seeds(self) -> tuple[int, ...]: ...

    @property
    def check(self) -> Callable[[Case, Any], None] | None: ...

    @property
    def hidden(self) -> bool: ...

    @property
    def raises(self) -> str | None: ...

    @property
    def why(self) -> str: ...

    def layout(self, position: int) -> str:
        """The memory layout of argument ``position``: "C", "F" or "strided"."""
        ...

    def takes_rng(self, position: int) -> bool:
        """Whether argument ``position`` receives the seeded generator."""
        ...


class Course(Protocol):
    """The graded exercises of a course, by the graded function's name."""

    def names(self) -> Sequence[str]:
        """The graded functions, in the gradebook's order."""
        ...

    def grader_cases(self, name: str) -> Sequence[GradedCase]:
        """Every case the grader runs on graded function ``name``, in order."""
        ...

    def checker(self, name: str) -> Callable[..., Any] | None:
        """``check(case, answer)`` of ``name``; None if every case has its own."""
        ...

    def is_optional(self, name: str) -> bool:
        """Whether ``name``'s points are a bonus, outside the required total."""
        ...

    def forbids_runtime_warnings(self, name: str) -> bool:
        """Whether a RuntimeWarning fails a case of ``name``."""
        ...

    def max_points(self, name: str) -> float:
        """The points ``name`` is worth."""
        ...
