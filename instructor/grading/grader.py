"""Grade submitted notebooks into ``grades.csv`` and one feedback file each.

Each graded function of each submission runs in a worker subprocess of its
own (see :mod:`instructor.grading.sandbox`); its answers are checked here, in the
grader, by the same checks the public tests use.  A broken submission gets
zero for what failed, with the reason, and grading goes on.
"""

import csv
import hashlib
import json
import platform
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from instructor.files import write_text
from instructor.grading.code import code_files
from instructor.grading.confinement import (
    NOBODY,
    STEPS,
    IsolationError,
    Level,
    Plan,
    make_plan,
)
from instructor.grading.course import Course, GradedCase
from instructor.grading.discovery import Found, find_submissions
from instructor.grading.run_mistakes import RUN_MISTAKES, of_error, of_problem
from instructor.grading.sandbox import (
    CaseOutcome,
    Confinement,
    Job,
    Limits,
    RunOutcome,
    probe,
    run_graded_functions,
)
from instructor.grading.status import Problem, Status, graded_again, is_grader_error
from instructor.grading.submission import (
    GradedCode,
    Submission,
    Unreadable,
    file_digest,
    read_submission,
)
from instructor.layout import REPO_ROOT
from instructor.reports.feedback import one_line, points_text, render_feedback
from instructor.reports.gradebook import csv_text, read_grades
from labkit import answers
from labkit.answers import Case, check_unchanged
from labkit.mistakes import general_sentence

CACHE_FILE = ".grading-cache.json"
#: The gradebook: one row per student ever graded into this folder.
GRADES_FILE = "grades.csv"
#: How the gradebook was made (isolation level, limits applied), beside grades.csv.
INFO_FILE = "grading-info.json"
#: The status of a submission the grader failed on, through no fault of its own.
GRADER_ERROR = Status.GRADER_ERROR
#: What the class report reads, one JSON file per student: records/<student>.json.
RECORDS_DIR = "records"
#: What each student reads, one Markdown file each: feedback/<student>.md.
FEEDBACK_DIR = "feedback"


#: The module whose code, with all it imports, decides a grade.
GRADER_MODULE = "instructor.grading.grader"
#: The course the callers pass in (``course=``), which the grader does not
#: import: its table and cases decide a grade too.
COURSE_MODULE = "instructor.course.exercises"


def fingerprinted_files() -> list[Path]:
    """Files whose content decides the grades: the grader's code, as paths.

    What :data:`GRADER_MODULE` and :data:`COURSE_MODULE` import inside the
    repository, and the worker (:func:`instructor.grading.code.code_files`):
    the course's table and cases, the checks of ``labkit`` and
    ``public_tests.py`` among them.
    """
    return [REPO_ROOT / name for name in code_files(GRADER_MODULE, COURSE_MODULE)[0]]


#: The message of a case that passed.
PASSED = "passed"


def case_passed(message: str, points: float, max_points: float) -> bool:
    """Whether a case passed, from its recorded message and points.

    The verdict decides, with every point earned: a public case passes with
    its 0 of 0 points, and no case passes on points alone.
    """
    return message == PASSED and points == max_points


@dataclass
class TestResult:
    """One hidden case's verdict."""

    name: str
    points: float
    max_points: float
    message: str
    #: The identifier of the mistake the message names (labkit/mistakes.py, or
    #: instructor/grading/run_mistakes.py for a run that could not be judged).
    mistake: str | None = None
    #: The case's data is secret (its ``hidden`` flag): what a student reads
    #: of its message shows a few values at most.  Unknown means hidden.
    hidden: bool = True

    @property
    def passed(self) -> bool:
        """The case passed: its verdict, not its points (a public case is worth 0)."""
        return case_passed(self.message, self.points, self.max_points)


@dataclass
class FunctionGrade:
    """The grade of one graded function of one submission."""

    name: str
    points: float
    max_points: float
    problem: str | None = None
    note: str | None = None
    tests: list[TestResult] = field(default_factory=list)
    optional: bool = False


@dataclass
class Grade:
    """The grade of one submission."""

    student: str
    status: str
    functions: list[FunctionGrade] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(f.points for f in self.functions)

    @property
    def max_total(self) -> float:
        """The points of the required functions; optional ones are a bonus."""
        return sum(f.max_points for f in self.functions if not f.optional)

    def row(self) -> dict[str, str]:
        """The submission's row of grades.csv."""
        row = {"student": self.student}
        row.update({f.name: points_text(f.points) for f in self.functions})
        row.update(
            total=points_text(self.total),
            max_total=points_text(self.max_total),
            status=self.status,
        )
        return row


#: What a graded function may return: an array, or a list of numbers (which the
#: worker turns into one), as ``run_kMeans`` and ``centroids[idx]`` accept.
ACCEPTED_RESULTS = ("ndarray", "list")
#: How the worker's error for an answer that is no array of numbers starts.
WRONG_KIND = "returned a "


def _outcome(hidden: GradedCase, outcome: CaseOutcome) -> answers.Outcome:
    """The worker's outcome of one case as the public tests' ``answers.Outcome``."""
    wrong_kind = outcome.error is not None and outcome.error.startswith(WRONG_KIND)
    return answers.Outcome(
        None if wrong_kind else outcome.result,
        None if wrong_kind else outcome.error,
        tuple(outcome.warnings),
        tuple(outcome.args_after) if outcome.args_after else None,
        outcome.result_type,
    )


#: A case's verdict: (passed, message, the named mistake or None).
Verdict = tuple[bool, str, str | None]


def _judge(
    name: str,
    hidden: GradedCase,
    outcome: CaseOutcome,
    check: Callable[..., Any] | None,
    run: Sequence[tuple[Case, answers.Outcome]] = (),
    quiet: bool = False,
) -> Verdict:
    """Return (passed, message, mistake) for one case's outcome.

    The rules and messages are the public tests' (:func:`labkit.answers.judge`)
    on the same outcomes; ``run`` is ``[(case, answers.Outcome)]`` for every
    case of the function's run; ``quiet`` makes a RuntimeWarning fail the case
    (the course's ``forbids_runtime_warnings``).
    """
    case = hidden.case
    if hidden.raises is not None:
        if outcome.error is not None and outcome.error.startswith(f"{hidden.raises}:"):
            return True, PASSED, None
        got = f"it raised {outcome.error}" if outcome.error else "it returned"
        return False, f"expected a {hidden.raises}: {hidden.why}; {got}.", None
    wrong_kind = outcome.error is not None and outcome.error.startswith(WRONG_KIND)
    if wrong_kind and outcome.result_type not in ("NoneType", "tuple"):
        # The worker's "returned a <type>, not an array of numbers ..."
        return False, f"your function {outcome.error}", "run.wrong_type"
    if outcome.error is None and outcome.result_type not in (
        *ACCEPTED_RESULTS,
        "tuple",
    ):
        message = f"expected a NumPy array, got a {outcome.result_type}"
        return False, message, "run.wrong_type"
    try:
        if hidden.check is not None:
            if outcome.result_type in ("NoneType", "tuple"):  # named, as publicly
                kind = None if outcome.result_type == "NoneType" else ()
                answers.wrong_kind_failure(name, case, kind)
            if outcome.error is not None:
                message = f"your function raised {outcome.error}"
                return False, message, of_error(outcome.error)
            check_unchanged(case, case.args, outcome.args_after)
            hidden.check(case, outcome.result)
        else:
            answers.judge(
                name,
                case,
                _outcome(hidden, outcome),
                check,
                run=run,
                quiet=quiet,
            )
    except AssertionError as failure:
        # The problem alone: the feedback names the case itself.
        message = getattr(failure, "problem", None) or str(failure)
        mistake = getattr(failure, "mistake", None)
        if mistake is None and outcome.error is not None:
            mistake = of_error(outcome.error)
        return False, message, mistake
    except Exception as error:  # noqa: BLE001 - an odd answer must not stop grading
        return (
            False,
            f"the answer could not be checked ({type(error).__name__}: {error})",
            "run.unchecked",
        )
    return True, PASSED, None


def _ipython_note(commands: list[str]) -> str | None:
    """A sentence naming the IPython commands grading did not run, or None."""
    if not commands:
        return None
    named = ", ".join(one_line(c) for c in commands)
    return f"in grading, these IPython commands of the graded cell did nothing: {named}"


def _join_notes(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


#: The message of a case that expects an exception, beside no right answer.
NO_ANSWER = (
    "not judged: raising is credited beside right answers only, and no other "
    "case was answered right"
)


def _verdicts(
    name: str,
    cases: Sequence[GradedCase],
    outcomes: list[CaseOutcome],
    check: Callable[..., Any] | None,
    quiet: bool = False,
) -> list[Verdict]:
    """``(passed, message, mistake)`` for each case of one function's run.

    ``quiet`` is :func:`_judge`'s, for every case.

    Every case is judged with the public tests' rules on the whole run
    (``together``).  A case that expects an exception (``raises``) earns only
    beside a right answer: a function that answers no other case (the stub,
    whose own input check raises; a helper that only validates its inputs)
    gets nothing for raising.
    """
    pairs = list(zip(cases, outcomes, strict=True))
    together = [
        (hidden.case, _outcome(hidden, outcome))
        for hidden, outcome in pairs
        if hidden.check is None and hidden.raises is None
    ]
    verdicts = [
        None if hidden.raises else _judge(name, hidden, outcome, check, together, quiet)
        for hidden, outcome in pairs
    ]
    answered = any(v is not None and v[0] for v in verdicts)
    return [
        verdict
        if verdict is not None
        else _judge(name, hidden, outcome, check, together, quiet)
        if answered
        else (False, NO_ANSWER, None)
        for verdict, (hidden, outcome) in zip(verdicts, pairs, strict=True)
    ]


def grade_function(
    name: str,
    code: GradedCode,
    cases: Sequence[GradedCase],
    run: RunOutcome | None,
    *,
    course: Course,
) -> FunctionGrade:
    """Grade one function's graded code from its run on its hidden cases.

    ``run`` is the function's RunOutcome (its ``problem`` may be ``syntax
    error``, found by the worker), or None when it could not run (no graded
    cell, or one too large to be run).  ``course`` gives the function's
    check, whether it is optional and whether a RuntimeWarning fails it.
    """
    check = course.checker(name)
    grade = FunctionGrade(
        name,
        0.0,
        sum(h.points for h in cases),
        note=code.note,
        optional=course.is_optional(name),
    )
    if code.source is None:
        grade.problem = f"{Problem.MISSING} {name}"
        reason = f"no cell starts with '# GRADED FUNCTION: {name}'"
        mistake = of_problem(Problem.MISSING)
    elif code.too_large:
        grade.problem = f"graded cell too large in {name}"
        reason = code.too_large
        mistake = of_problem(Problem.TOO_LARGE)
    else:
        assert run is not None, f"{name} was sent to a worker: it has a run"
        grade.note = _join_notes(code.note, _ipython_note(run.ipython))
        if run.problem:
            grade.problem = f"{run.problem} in {name}"
            reason = f"{run.problem}: {run.detail}"
            mistake = of_problem(run.problem, run.detail)
        else:
            quiet = course.forbids_runtime_warnings(name)
            verdicts = _verdicts(name, cases, run.cases, check, quiet)
            for hidden, (passed, message, mistake) in zip(cases, verdicts, strict=True):
                points = hidden.points if passed else 0.0
                grade.tests.append(
                    TestResult(
                        hidden.case.name,
                        points,
                        hidden.points,
                        message,
                        mistake,
                        hidden.hidden,
                    )
                )
            grade.points = sum(t.points for t in grade.tests)
            if any(outcome.out_of_memory for outcome in run.cases):
                grade.problem = f"{Problem.OUT_OF_MEMORY} in {name}"
            return grade
    grade.tests = [
        TestResult(h.case.name, 0.0, h.points, f"not run: {reason}", mistake, h.hidden)
        for h in cases
    ]
    return grade


def mistake_sentence(identifier: str) -> str | None:
    """The sentence explaining the named mistake ``identifier``, or None."""
    if identifier in RUN_MISTAKES:
        return RUN_MISTAKES[identifier]
    return general_sentence(identifier)


def grade_record(
    grade: Grade, submission: Submission | None, graded_at: str, version: str
) -> dict[str, Any]:
    """What the class report needs of one graded submission, as JSON-ready data.

    The graded code of each function (None where there was none), each
    case's name, points, message and named mistake, the status and when
    and by which grader it was graded, so the report never runs student
    code again.
    """
    graded = submission.graded if submission is not None else {}
    functions = []
    named: set[str] = set()
    for function in grade.functions:
        code = graded.get(function.name)
        named.update(t.mistake for t in function.tests if t.mistake)
        functions.append(
            {
                "name": function.name,
                "points": function.points,
                "max_points": function.max_points,
                "optional": function.optional,
                "problem": function.problem,
                "code": code.source if code is not None else None,
                "tests": [asdict(test) for test in function.tests],
            }
        )
    return {
        "student": grade.student,
        "status": grade.status,
        "graded_at": graded_at,
        "grader": version,
        "total": grade.total,
        "max_total": grade.max_total,
        "functions": functions,
        "mistakes": {m: mistake_sentence(m) for m in sorted(named)},
    }


def _zero_grade(student: str, status: str, course: Course) -> Grade:
    functions = [
        FunctionGrade(
            name,
            0.0,
            course.max_points(name),
            optional=course.is_optional(name),
        )
        for name in course.names()
    ]
    return Grade(student, status, functions)


def grade_submission(
    path: str | Path,
    limits: Limits,
    plan: Plan | None = None,
    student: str | None = None,
    *,
    course: Course,
) -> tuple[Submission, Grade, Confinement | None]:
    """Grade the notebook at ``path``; never raises for a bad submission.

    ``student`` is the id the grade is under (by default the file name
    without ``.ipynb``).  ``course`` is what is graded: its exercises, their
    cases and checks (:class:`instructor.grading.course.Course`).

    ``plan`` is the isolation (an ``instructor.grading.confinement.Plan``); without
    one, the trusted level, fit only for the instructor's own notebooks (as
    ``validate`` grades the reference and the blank student notebook).

    Returns the submission, its grade, and the confinement its worker
    reported (None if no worker ran).  A failure in the grader's own code
    gives the status ``grader error (...)``.
    """
    try:
        return _grade_submission(path, limits, plan, student, course)
    except Exception as error:  # noqa: BLE001 - one submission must not stop the rest
        path = Path(path)
        student = student or path.stem
        grade = _zero_grade(
            student, f"{GRADER_ERROR} ({type(error).__name__}: {error})", course
        )
        return Submission(student, path, _digest(path) or ""), grade, None


def _digest(path: str | Path) -> str | None:
    """The file's digest, or None when it cannot be read (graded as a zero)."""
    try:
        return file_digest(path)
    except Unreadable:
        return None


def _grade_submission(
    path: str | Path,
    limits: Limits,
    plan: Plan | None,
    student: str | None,
    course: Course,
) -> tuple[Submission, Grade, Confinement | None]:
    plan = plan or make_plan(Level.TRUSTED)
    names = tuple(course.names())
    submission = read_submission(path, names, student)
    if submission.problem:
        grade = _zero_grade(submission.student, submission.problem, course)
        return submission, grade, None
    cases = {name: course.grader_cases(name) for name in names}
    jobs = [
        Job(name, code.source, cases[name])
        for name, code in submission.graded.items()
        if code.source is not None and not code.too_large
    ]
    runs, confinement = run_graded_functions(jobs, limits, plan)
    functions = [
        grade_function(
            name, submission.graded[name], cases[name], runs.get(name), course=course
        )
        for name in names
    ]
    # An optional exercise left out is not a problem with the submission.
    problems = [
        f.problem
        for f in functions
        if f.problem and not (f.optional and f.problem.startswith(Problem.MISSING))
    ]
    status = "; ".join(problems) if problems else Status.GRADED
    return submission, Grade(submission.student, status, functions), confinement


# --------------------------------------------------------------------------
# A folder of submissions
# --------------------------------------------------------------------------


def grader_fingerprint(limits: Limits, isolation: dict[str, Any] | None = None) -> str:
    """A hash of everything that decides a grade besides the submission.

    The grader's code, the limits, the isolation (level and what applied),
    the interpreter and NumPy.
    """
    facts = {
        "limits": asdict(limits),
        "isolation": isolation,
        "python": sys.version,
        "executable": sys.executable,
        "numpy": np.__version__,
    }
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode())
    for path in fingerprinted_files():
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def grade_columns(names: Iterable[str]) -> tuple[str, ...]:
    """The columns of grades.csv, with one per graded function of ``names``.

    ``name`` and ``canvas_id`` (the Canvas user id) are filled where the file
    names or the roster give them; ``graded_at`` (UTC, ISO 8601) and
    ``grader`` (the first characters of :func:`grader_fingerprint`) say when
    and by which grader each row was made.
    """
    return (
        "student",
        "name",
        "canvas_id",
        *names,
        "total",
        "max_total",
        "status",
        "graded_at",
        "grader",
    )


#: Characters of the fingerprint kept as the grader's version in grades.csv.
VERSION_LENGTH = 12


def grades_csv(rows: Iterable[dict[str, str]], names: Iterable[str]) -> str:
    """Return the text of grades.csv for ``rows`` (formula-like cells neutralised).

    ``names`` are the graded functions, each a column (:func:`grade_columns`).
    """
    return csv_text(grade_columns(names), rows)


def _load_cache(out: Path, fingerprint: str) -> dict[str, Any]:
    """The cache in ``out`` if it is well-formed and made by this grader, else empty."""
    empty: dict[str, Any] = {"grader": fingerprint, "students": {}}
    try:
        cache = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return empty
    if not isinstance(cache, dict) or cache.get("grader") != fingerprint:
        return empty
    students = cache.get("students")
    if not isinstance(students, dict) or not all(
        isinstance(entry, dict) and isinstance(entry.get("row"), dict)
        for entry in students.values()
    ):
        return empty
    return cache


def describe_isolation(info: dict[str, Any]) -> str:
    """The isolation of a run (its grading-info.json), as one line for the console."""
    applied = ", ".join(info["applied"].values()) or "none"
    line = f"isolation {info['isolation']}: applied {applied}"
    if info["not_applied"]:
        missing = ", ".join(v["what"] for v in info["not_applied"].values())
        line += f"; not applied on this machine: {missing}"
    return line


def _grading_info(
    plan: Plan, confinement: Confinement, limits: Limits, fingerprint: str
) -> dict[str, Any]:
    return {
        "isolation": plan.level,
        "applied": {n: STEPS.get(n, n) for n in confinement.applied},
        "not_applied": {
            n: {"what": STEPS.get(n, n), "why": why}
            for n, why in confinement.skipped.items()
        },
        "limits": asdict(limits),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "grader": fingerprint,
    }


def _print_to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def announce(
    plan: Plan, confinement: Confinement, log: Callable[[str], object]
) -> None:
    """Say at the start what confines the submissions, one line per gap."""
    if plan.level == Level.TRUSTED:
        who = "nobody" if "unprivileged uid" in confinement.applied else "you"
        log(
            "isolation trusted: submissions can read and write what "
            f"{who} can{f' (uid {NOBODY})' if who == 'nobody' else ''}"
        )
    for name, why in confinement.skipped.items():
        log(f"warning: {STEPS.get(name, name)} not applied: {why}")


def grade_all(
    paths: Iterable[str | Path] | None,
    out: str | Path,
    jobs: int = 1,
    limits: Limits | None = None,
    progress: bool = True,
    isolation: Level | str = Level.STRICT,
    log: Callable[[str], object] | None = None,
    submissions: list[Found] | None = None,
    *,
    course: Course,
) -> tuple[list[dict[str, str]], int]:
    """Grade every submission in ``paths`` into the folder ``out``.

    ``out/grades.csv`` is a ledger: the rows of the students graded now are
    added or replaced, every other row is kept as it was.  Each row says
    when (``graded_at``) and by which grader (``grader``) it was made.  Also
    writes ``out/feedback/<student>.md``, ``out/records/<student>.json``
    (what the class report reads: :func:`grade_record`) and
    ``out/grading-info.json`` (the isolation level and the limits that
    applied).  A submission whose
    content and grader are unchanged since the last run in ``out`` is not
    graded again.  Every file is written atomically.

    Parameters
    ----------
    paths : list of path-like
        Notebooks and folders, read by
        :func:`instructor.grading.discovery.find_submissions`.
    isolation : {"strict", "trusted"}
        See :mod:`instructor.grading.confinement`.
    log : callable, optional
        Receives the lines said at the start (the level, limits not
        applied, folders without a notebook); by default they are printed
        on stderr.
    submissions : list of instructor.grading.discovery.Found, optional
        What to grade, already found (``paths`` is then not read).
    course : instructor.grading.course.Course
        What is graded: the exercises, their cases and checks (the lab's is
        the module ``instructor.course.exercises``).

    Returns
    -------
    list of dict
        The rows of grades.csv of this run's students, and how many
        submissions were (re)graded.

    Raises
    ------
    ValueError
        If the submissions or ``out`` cannot be used.
    instructor.grading.confinement.IsolationError
        If the machine cannot give the isolation asked for.
    """
    limits = limits or Limits()
    log = log or _print_to_stderr
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file; give a folder for the gradebook")
    ledger = read_ledger(out / GRADES_FILE)  # before any work: a bad one stops here
    if submissions is None:
        submissions = find_submissions(paths or (), log)
    plan = make_plan(isolation)
    try:
        confinement = probe(plan, limits)
    except IsolationError as error:
        if plan.bwrap is None or plan.drop_root:
            raise
        # Not root: bubblewrap is a second layer, which a kernel or policy
        # refusing unprivileged user namespaces takes away: said by
        # ``announce`` and recorded in grading-info.json, as any missing layer.
        missing = (*plan.missing, ("bubblewrap", f"not used: {error}"))
        plan = replace(plan, bwrap=None, missing=missing)
        confinement = probe(plan, limits)
    announce(plan, confinement, log)
    fingerprint = grader_fingerprint(
        limits, {"level": plan.level, "applied": confinement.applied}
    )
    version = fingerprint[:VERSION_LENGTH]
    cache = _load_cache(out, fingerprint)
    known = cache["students"]

    records_dir = out / RECORDS_DIR

    def unchanged(found: Found) -> bool:
        if found.problem or not (records_dir / f"{found.student}.json").is_file():
            return False
        digest = known.get(found.student, {}).get("digest")
        return digest is not None and digest == _digest(found.path)

    todo = [f for f in submissions if not unchanged(f)]
    feedback_dir = out / FEEDBACK_DIR

    def grade_one(found: Found) -> tuple[str, dict[str, Any]]:
        submission: Submission | None = None
        if found.problem:
            grade, digest = _zero_grade(found.student, found.problem, course), None
        else:
            submission, grade, _ = grade_submission(
                found.path, limits, plan, found.student, course=course
            )
            digest = submission.digest or None
        write_text(feedback_dir / f"{grade.student}.md", render_feedback(grade))
        graded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        record = grade_record(grade, submission, graded_at, version)
        write_text(records_dir / f"{grade.student}.json", json.dumps(record, indent=1))
        row = {
            **grade.row(),
            "name": found.name,
            "canvas_id": found.canvas_id,
            "graded_at": graded_at,
            "grader": version,
        }
        return found.student, {"digest": digest, "row": row}

    with (
        ThreadPoolExecutor(max_workers=max(1, jobs)) as pool,
        tqdm(
            total=len(submissions),
            initial=len(submissions) - len(todo),
            desc="grading",
            unit="notebook",
            disable=not progress,
        ) as bar,
    ):
        for student, entry in pool.map(grade_one, todo):
            # Saved after every submission, so an interrupted run loses nothing;
            # a timeout may come from a busy machine, and a grader error from
            # the grader: both are graded again.
            status = entry["row"]["status"]
            if graded_again(status):
                entry = {**entry, "digest": None}
            known[student] = entry
            write_text(out / CACHE_FILE, json.dumps(cache, indent=1))
            bar.update()
    rows = []
    for found in submissions:
        row = dict(known[found.student]["row"])
        row["name"] = found.name or row.get("name", "")
        row["canvas_id"] = found.canvas_id or row.get("canvas_id", "")
        rows.append(row)
    ledger.update((row["student"], row) for row in rows)
    text = grades_csv(sorted(ledger.values(), key=_by_id), course.names())
    write_text(out / GRADES_FILE, text)
    info = _grading_info(plan, confinement, limits, fingerprint)
    write_text(out / INFO_FILE, json.dumps(info, indent=1) + "\n")
    return sorted(rows, key=_by_id), len(todo)


def _by_id(row: dict[str, str]) -> str:
    return row["student"]


def read_ledger(path: Path) -> dict[str, dict[str, str]]:
    """``{student: row}`` of the grades.csv at ``path`` (empty if there is none).

    Raises
    ------
    ValueError
        If the file exists but is not a gradebook this grader wrote: it is
        never overwritten then.
    """
    try:
        rows = read_grades(path)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValueError(
            f"cannot read the gradebook {path} ({error}): move it away or "
            "choose another --out"
        ) from error
    if rows is None:
        raise ValueError(
            f"{path} is not a gradebook the grader wrote (no 'student' column): "
            "move it away or choose another --out"
        )
    return {row["student"]: row for row in rows if row.get("student")}


def grader_errors(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """The rows of submissions the grader failed on (never the student's fault)."""
    return [row for row in rows if is_grader_error(row["status"])]
