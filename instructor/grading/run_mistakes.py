"""Named mistakes for answers no check judged: crashes, timeouts, refusals.

A wrong answer the checks judged carries its own identifier
(``labkit.answers.CheckFailed.mistake``).  An answer that never reached a
check (the cell did not compile, the function timed out, crashed, raised, was
refused something or returned no array) gets one of these, so the class report
can count every failure by what went wrong.  Each identifier is stable (the
report and the instructor's own scripts key on it) and comes with a sentence a
teacher can say to the class.
"""

from instructor.grading.status import Problem

#: identifier -> the sentence explaining it to a class.
RUN_MISTAKES = {
    "run.missing": "No graded cell was found: the '# GRADED FUNCTION' first line "
    "was deleted or edited, or the exercise was not attempted.",
    "run.syntax_error": "The graded cell is not valid Python (a missing colon, "
    "bracket or indentation), so nothing in it could run.",
    "run.cell_error": "The graded cell raised an error when it ran, before the "
    "function was ever called: code outside the function uses a name only "
    "another cell defines.",
    "run.not_written": "The stub's NotImplementedError is still there: the "
    "exercise was left as it was handed out.",
    "run.timeout": "The function did not finish in the time allowed: an endless "
    "loop, or a pure-Python loop over every example and feature.",
    "run.crashed": "The process running the function ended abruptly (sys.exit, "
    "os._exit, or a signal), so no answer came back.",
    "run.out_of_memory": "The function used more memory than allowed: usually an "
    "(m, K, n) array far larger than needed, or a list that grows without end.",
    "run.too_much_output": "The function printed more than allowed: a print "
    "inside a loop.",
    "run.too_large": "The graded cell is larger than the grader reads (a huge "
    "pasted array or generated code), so it was not run.",
    "run.not_allowed": "The function tried something graded code may not do "
    "(import a module outside the lab's list, open or write a file).",
    "run.raised": "The function raised an exception on some inputs: usually a "
    "shape assumption (a fixed K or n) or a name defined only in another cell.",
    "run.wrong_type": "The function returned something other than an array of "
    "numbers (a tuple, a string, a dict): return only the array asked for.",
    "run.unchecked": "The answer could not even be compared with the right one "
    "(an array of objects or of an odd type).",
}

#: FunctionGrade.problem / RunOutcome.problem labels -> identifier.
_PROBLEMS: dict[str, str] = {
    Problem.MISSING: "run.missing",
    Problem.SYNTAX_ERROR: "run.syntax_error",
    Problem.CELL_ERROR: "run.cell_error",
    Problem.TIMEOUT: "run.timeout",
    Problem.CRASHED: "run.crashed",
    Problem.OUT_OF_MEMORY: "run.out_of_memory",
    Problem.TOO_MUCH_OUTPUT: "run.too_much_output",
    Problem.TOO_LARGE: "run.too_large",
}
#: How the worker's description of a refused action starts.
_REFUSED = ("ImportError", "ModuleNotFoundError", "PermissionError", "Refused")
#: What a crash or cell error says when it was a refusal.
_REFUSED_DETAILS = ("tried to write a file", "SIGSYS")


def of_problem(problem: str | None, detail: str | None = None) -> str | None:
    """The identifier of a function that could not be judged, or None.

    ``problem`` is the label the grader gives (``timeout``, ``crashed``,
    ``syntax error``, ...), ``detail`` its sentence.
    """
    if problem is None:
        return None
    detail = detail or ""
    if problem in (Problem.CRASHED, Problem.CELL_ERROR) and (
        detail.startswith(_REFUSED) or any(d in detail for d in _REFUSED_DETAILS)
    ):
        return "run.not_allowed"
    if problem == Problem.CELL_ERROR and detail.startswith("NotImplementedError"):
        return "run.not_written"
    return _PROBLEMS.get(problem)


def of_error(error: str) -> str:
    """The identifier of an exception the function raised (the worker's line)."""
    if error.startswith(_REFUSED):
        return "run.not_allowed"
    if error.startswith("NotImplementedError"):
        return "run.not_written"
    return "run.raised"
