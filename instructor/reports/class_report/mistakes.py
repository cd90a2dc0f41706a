"""Count the named mistakes of a class, the cases that fail most, the crashes.

A student "shows" a mistake in an exercise when at least one of its failed
cases carries that identifier; each student counts once per mistake and
exercise, however many cases it failed.  An optional exercise left out or
left as handed out is not a mistake (its points are a bonus).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from instructor.grading.grader import NO_ANSWER
from instructor.reports.class_report.reading import Function, Record
from instructor.reports.gradebook import csv_text

#: Not attempting an optional exercise is no mistake.
NOT_ATTEMPTED = ("run.missing", "run.not_written")
#: Mistakes that are about the run rather than the answer (the page's own section).
RUN_FAILURES = (
    "run.syntax_error",
    "run.cell_error",
    "run.timeout",
    "run.crashed",
    "run.out_of_memory",
    "run.too_much_output",
    "run.not_allowed",
)


@dataclass
class Mistake:
    """One named mistake in one exercise, and the students who showed it."""

    exercise: str
    mistake: str
    sentence: str | None
    students: list[str] = field(default_factory=list)


def exercises(records: Iterable[Record]) -> list[str]:
    """The exercises' names, in the order the grader lists them."""
    seen: dict[str, bool] = {}
    for record in records:
        for function in record.functions:
            seen.setdefault(function.name, function.optional)
    return list(seen)


def attempted(function: Function) -> bool:
    """Whether a function counts: required, or an optional one tried."""
    if not function.optional:
        return True
    # A case that expects an exception is not judged beside no answer: it
    # says nothing of whether the exercise was tried.
    judged = [c for c in function.cases if c.message != NO_ANSWER]
    shown = {c.mistake for c in judged}
    return bool(judged) and not shown <= set(NOT_ATTEMPTED)


def shown_mistakes(function: Function) -> set[str]:
    """The identifiers of the named mistakes one student's function showed."""
    if not attempted(function):
        return set()
    return {c.mistake for c in function.cases if not c.passed and c.mistake}


def count_mistakes(records: Sequence[Record]) -> list[Mistake]:
    """Every named mistake of the class, by exercise, most students first."""
    found: dict[tuple[str, str], Mistake] = {}
    for record in records:
        for function in record.functions:
            for mistake in shown_mistakes(function):
                key = (function.name, mistake)
                if key not in found:
                    found[key] = Mistake(*key, record.mistakes.get(mistake))
                entry = found[key]
                entry.sentence = entry.sentence or record.mistakes.get(mistake)
                entry.students.append(record.student)
    order = {name: i for i, name in enumerate(exercises(records))}
    return sorted(
        found.values(),
        key=lambda m: (order[m.exercise], -len(m.students), m.mistake),
    )


def unnamed_wrong(records: Iterable[Record]) -> dict[str, list[str]]:
    """``{exercise: [student, ...]}``: failed cases no named mistake explains."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for record in records:
        for function in record.functions:
            if attempted(function) and any(
                not c.passed and c.mistake is None for c in function.cases
            ):
                found[function.name].append(record.student)
    return dict(found)


def mistakes_csv(mistakes: Iterable[Mistake]) -> str:
    """The text of mistakes.csv: exercise, mistake, students (a count)."""
    rows = [(m.exercise, m.mistake, len(m.students)) for m in mistakes]
    return csv_text(("exercise", "mistake", "students"), rows)


def mistakes_by_student_csv(mistakes: Iterable[Mistake]) -> str:
    """The text of mistakes_by_student.csv: student, exercise, mistake."""
    rows = sorted(
        (student, m.exercise, m.mistake) for m in mistakes for student in m.students
    )
    return csv_text(("student", "exercise", "mistake"), rows)


@dataclass
class FailingCase:
    """A hidden case, and the students whose answer failed it."""

    exercise: str
    case: str
    students: list[str]
    tried: int


def failing_cases(records: Iterable[Record]) -> list[FailingCase]:
    """The hidden cases by how many students failed them, most first.

    ``tried`` is how many students' answers ran on the case.
    """
    failed: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    tried: defaultdict[tuple[str, str], int] = defaultdict(int)
    for record in records:
        for function in record.functions:
            if not attempted(function):
                continue
            for case in function.cases:
                key = (function.name, case.name)
                tried[key] += 1
                if not case.passed:
                    failed[key].append(record.student)
    cases = [FailingCase(*key, failed[key], tried[key]) for key in failed]
    return sorted(cases, key=lambda c: (-len(c.students), c.exercise, c.case))


def run_failures(mistakes: Iterable[Mistake]) -> list[Mistake]:
    """The mistakes that are crashes, timeouts, refusals or code that never ran."""
    return [m for m in mistakes if m.mistake in RUN_FAILURES]


def not_graded(records: Iterable[Record]) -> list[tuple[str, str]]:
    """``[(student, status)]``: submissions no function of which was graded."""
    return [
        (r.student, r.status) for r in records if not any(f.cases for f in r.functions)
    ]
