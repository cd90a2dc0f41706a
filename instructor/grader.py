"""Grade submitted notebooks into ``grades.csv`` and one feedback file each.

Each graded function of each submission runs in a worker subprocess of its
own (see :mod:`instructor.sandbox`); its answers are checked here, in the
grader, by the same checks the public tests use.  A broken submission gets
zero for what failed, with the reason, and grading goes on.
"""

import hashlib
import json
import platform
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from labkit.answers import check_unchanged

from . import exercises
from .confinement import NOBODY, STEPS, IsolationError, make_plan
from .feedback import render_feedback
from .gradebook import csv_text, id_key, write_text
from .layout import REPO_ROOT
from .sandbox import Job, Limits, probe, run_graded_functions
from .submission import Submission, file_digest, read_submission

GRADED_FUNCTIONS = exercises.names()
CACHE_FILE = ".grading-cache.json"
#: How the gradebook was made (isolation level, limits applied), beside grades.csv.
INFO_FILE = "grading-info.json"
#: The status of a submission the grader failed on, through no fault of its own.
GRADER_ERROR = "grader error"


def grader_files():
    """Files whose content decides the grades: all the grader's code."""
    return sorted((REPO_ROOT / "instructor").glob("*.py")) + [
        REPO_ROOT / "labkit" / "answers.py",
        REPO_ROOT / "labkit" / "environment.py",
        REPO_ROOT / "public_tests.py",
    ]


@dataclass
class TestResult:
    """One hidden case's verdict."""

    name: str
    points: float
    max_points: float
    message: str


@dataclass
class FunctionGrade:
    """The grade of one graded function of one submission."""

    name: str
    points: float
    max_points: float
    problem: str | None = None
    note: str | None = None
    tests: list = field(default_factory=list)
    optional: bool = False


@dataclass
class Grade:
    """The grade of one submission."""

    student: str
    status: str
    functions: list = field(default_factory=list)

    @property
    def total(self):
        return sum(f.points for f in self.functions)

    @property
    def max_total(self):
        """The points of the required functions; optional ones are a bonus."""
        return sum(f.max_points for f in self.functions if not f.optional)

    def row(self):
        """The submission's row of grades.csv."""
        row = {"student": self.student}
        row.update({f.name: _number(f.points) for f in self.functions})
        row.update(
            total=_number(self.total),
            max_total=_number(self.max_total),
            status=self.status,
        )
        return row


def _number(value):
    return f"{value:g}"


#: What a graded function may return: an array, or a list of numbers (which the
#: worker turns into one), as ``run_kMeans`` and ``centroids[idx]`` accept.
ACCEPTED_RESULTS = ("ndarray", "list")


def _judge(name, hidden, outcome, check):
    """Return (passed, message) for one case's outcome."""
    case = hidden.case
    if outcome.error is not None:
        return False, f"your function raised {outcome.error}"
    if outcome.result_type not in ACCEPTED_RESULTS:
        return False, f"expected a NumPy array, got a {outcome.result_type}"
    try:
        check_unchanged(case, case.args, outcome.args_after)
        (hidden.check or check)(case, outcome.result)
    except AssertionError as failure:
        return False, str(failure).removeprefix(f"Case '{case.name}': ")
    except Exception as error:  # noqa: BLE001 - an odd answer must not stop grading
        return (
            False,
            f"the answer could not be checked ({type(error).__name__}: {error})",
        )
    runtime = [w for w in outcome.warnings if w.startswith("RuntimeWarning")]
    if exercises.forbids_runtime_warnings(name) and runtime:
        return False, f"the right answer, but with a warning: {runtime[0]}"
    return True, "passed"


def grade_function(name, code, cases, run):
    """Grade one function's graded code from its run on its hidden cases.

    ``run`` is the function's RunOutcome, or None when it could not run
    (no graded cell, or a syntax error).
    """
    check = exercises.checker(name)
    grade = FunctionGrade(
        name,
        0.0,
        sum(h.points for h in cases),
        note=code.note,
        optional=exercises.is_optional(name),
    )
    if code.source is None:
        grade.problem = f"missing {name}"
        reason = f"no cell starts with '# GRADED FUNCTION: {name}'"
    elif code.syntax_error:
        grade.problem = f"syntax error in {name}"
        reason = f"syntax error: {code.syntax_error}"
    else:
        if run.problem:
            grade.problem = f"{run.problem} in {name}"
            reason = f"{run.problem}: {run.detail}"
        else:
            for hidden, outcome in zip(cases, run.cases, strict=True):
                passed, message = _judge(name, hidden, outcome, check)
                points = hidden.points if passed else 0.0
                grade.tests.append(
                    TestResult(hidden.case.name, points, hidden.points, message)
                )
            grade.points = sum(t.points for t in grade.tests)
            if any(outcome.out_of_memory for outcome in run.cases):
                grade.problem = f"out of memory in {name}"
            return grade
    grade.tests = [
        TestResult(h.case.name, 0.0, h.points, f"not run: {reason}") for h in cases
    ]
    return grade


def _zero_grade(student, status):
    functions = [
        FunctionGrade(
            name,
            0.0,
            exercises.max_points(name),
            optional=exercises.is_optional(name),
        )
        for name in GRADED_FUNCTIONS
    ]
    return Grade(student, status, functions)


def grade_submission(path, limits, plan=None):
    """Grade the notebook at ``path``; never raises for a bad submission.

    ``plan`` is the isolation (an ``instructor.confinement.Plan``); without
    one, the trusted level, fit only for the instructor's own notebooks (as
    ``validate`` grades the reference and the blank student notebook).

    Returns the submission, its grade, and the confinement its worker
    reported (None if no worker ran).  A failure in the grader's own code
    gives the status ``grader error (...)``.
    """
    try:
        return _grade_submission(path, limits, plan)
    except Exception as error:  # noqa: BLE001 - one submission must not stop the rest
        path = Path(path)
        digest = file_digest(path) if path.is_file() else ""
        grade = _zero_grade(
            path.stem, f"{GRADER_ERROR} ({type(error).__name__}: {error})"
        )
        return Submission(path.stem, path, digest), grade, None


def _grade_submission(path, limits, plan):
    plan = plan or make_plan("trusted")
    submission = read_submission(path, GRADED_FUNCTIONS)
    if submission.problem:
        return submission, _zero_grade(submission.student, submission.problem), None
    cases = {name: exercises.hidden_cases(name) for name in GRADED_FUNCTIONS}
    jobs = [
        Job(name, code.source, cases[name])
        for name, code in submission.graded.items()
        if code.source is not None and not code.syntax_error
    ]
    runs, confinement = run_graded_functions(jobs, limits, plan)
    functions = [
        grade_function(name, submission.graded[name], cases[name], runs.get(name))
        for name in GRADED_FUNCTIONS
    ]
    # An optional exercise left out is not a problem with the submission.
    problems = [
        f.problem
        for f in functions
        if f.problem and not (f.optional and f.problem.startswith("missing"))
    ]
    status = "; ".join(problems) if problems else "graded"
    return submission, Grade(submission.student, status, functions), confinement


# --------------------------------------------------------------------------
# A folder of submissions
# --------------------------------------------------------------------------


def find_submissions(paths):
    """Expand notebooks and folders of notebooks into a sorted list of files.

    Raises
    ------
    ValueError
        If a path does not exist, there is no notebook, or two submissions
        share a student id, or have ids that differ only in case.
    """
    found = {}
    for path in map(Path, paths):
        if path.is_dir():
            notebooks = [p for p in path.glob("*.ipynb") if p.is_file()]
        elif path.is_file():
            notebooks = [path]
        else:
            raise ValueError(f"no such notebook or folder: {path}")
        found.update((p.resolve(), p) for p in notebooks)
    if not found:
        raise ValueError(f"no notebooks (*.ipynb) in {', '.join(map(str, paths))}")
    seen = {}
    for path in found.values():
        other = seen.get(id_key(path.stem))
        if other is not None and other.stem == path.stem:
            raise ValueError(
                f"two submissions have the student id '{path.stem}': {other} and {path}"
            )
        if other is not None:
            raise ValueError(
                f"two student ids differ only in case, '{other.stem}' and "
                f"'{path.stem}' ({other} and {path}): a file system that ignores "
                "case would mix up their feedback; rename one"
            )
        seen[id_key(path.stem)] = path
    return sorted(found.values(), key=lambda p: p.stem)


def grader_fingerprint(limits, isolation=None):
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
    for path in grader_files():
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def grades_csv(rows):
    """Return the text of grades.csv for ``rows`` (formula-like cells neutralised)."""
    columns = ["student", *GRADED_FUNCTIONS, "total", "max_total", "status"]
    return csv_text(columns, rows)


def _load_cache(out, fingerprint):
    """The cache in ``out`` if it is well-formed and made by this grader, else empty."""
    empty = {"grader": fingerprint, "students": {}}
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


def describe_isolation(level, confinement):
    """The isolation a worker had, as one line for feedback and the console."""
    applied = ", ".join(STEPS.get(n, n) for n in confinement.applied) or "none"
    line = f"Isolation: {level}. Applied: {applied}."
    if confinement.skipped:
        skipped = ", ".join(STEPS.get(n, n) for n in confinement.skipped)
        line += f" Not applied on this machine: {skipped}."
    return line


def _grading_info(plan, confinement, limits, fingerprint):
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


def _print_to_stderr(line):
    print(line, file=sys.stderr)


def announce(plan, confinement, log):
    """Say at the start what confines the submissions, one line per gap."""
    if plan.level == "trusted":
        who = "nobody" if "unprivileged uid" in confinement.applied else "you"
        log(
            "isolation trusted: submissions can read and write what "
            f"{who} can{f' (uid {NOBODY})' if who == 'nobody' else ''}"
        )
    for name, why in confinement.skipped.items():
        log(f"warning: {STEPS.get(name, name)} not applied: {why}")


def grade_all(
    paths, out, jobs=1, limits=None, progress=True, isolation="strict", log=None
):
    """Grade every submission in ``paths`` into the folder ``out``.

    Writes ``out/grades.csv`` (atomically), ``out/feedback/<student>.md`` and
    ``out/grading-info.json`` (the isolation level and the limits that
    applied).  Submissions whose content and grader are unchanged since the
    last run in ``out`` are not graded again.

    Parameters
    ----------
    isolation : {"strict", "trusted"}
        See :mod:`instructor.confinement`.
    log : callable, optional
        Receives the lines said at the start (the level, limits not
        applied); by default they are printed on stderr.

    Returns
    -------
    list of dict
        The rows of grades.csv, and how many submissions were (re)graded.

    Raises
    ------
    ValueError
        If the submissions or ``out`` cannot be used.
    instructor.confinement.IsolationError
        If the machine cannot give the isolation asked for.
    """
    limits = limits or Limits()
    log = log or _print_to_stderr
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file; give a folder for the gradebook")
    submissions = find_submissions(paths)
    plan = make_plan(isolation)
    try:
        confinement = probe(plan, limits)
    except IsolationError as error:
        if plan.bwrap is None or plan.drop_root:
            raise
        # Not root: bubblewrap is a second layer, which a kernel or policy
        # refusing unprivileged user namespaces takes away.
        log(f"warning: bubblewrap not used: {error}")
        plan = replace(plan, bwrap=None)
        confinement = probe(plan, limits)
    announce(plan, confinement, log)
    fingerprint = grader_fingerprint(
        limits, {"level": plan.level, "applied": confinement.applied}
    )
    cache = _load_cache(out, fingerprint)
    known = cache["students"]

    todo = [
        p for p in submissions if known.get(p.stem, {}).get("digest") != file_digest(p)
    ]
    feedback_dir = out / "feedback"

    def grade_one(path):
        submission, grade, used = grade_submission(path, limits, plan)
        text = render_feedback(grade)
        text += f"\n{describe_isolation(plan.level, used or confinement)}\n"
        write_text(feedback_dir / f"{grade.student}.md", text)
        return submission.student, {"digest": submission.digest, "row": grade.row()}

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
            if "timeout" in status or status.startswith(GRADER_ERROR):
                entry = {**entry, "digest": None}
            known[student] = entry
            write_text(out / CACHE_FILE, json.dumps(cache, indent=1))
            bar.update()
    current = {p.stem for p in submissions}
    rows = [known[s]["row"] for s in sorted(current)]
    write_text(out / "grades.csv", grades_csv(rows))
    info = _grading_info(plan, confinement, limits, fingerprint)
    write_text(out / INFO_FILE, json.dumps(info, indent=1) + "\n")
    return rows, len(todo)


def grader_errors(rows):
    """The rows of submissions the grader failed on (never the student's fault)."""
    return [row for row in rows if row["status"].startswith(GRADER_ERROR)]
