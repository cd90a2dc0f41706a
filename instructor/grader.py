"""Grade submitted notebooks into ``grades.csv`` and one feedback file each.

Each graded function of each submission runs in a worker subprocess of its
own (see :mod:`instructor.sandbox`); its answers are checked here, in the
grader, by the same checks the public tests use.  A broken submission gets
zero for what failed, with the reason, and grading goes on.
"""

import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from public_tests import check_unchanged

from . import exercises
from .feedback import render_feedback
from .gradebook import csv_text, id_key
from .layout import REPO_ROOT
from .sandbox import Job, Limits, run_graded_functions
from .submission import Submission, file_digest, read_submission

GRADED_FUNCTIONS = exercises.names()
CACHE_FILE = ".grading-cache.json"

#: Files whose content decides the grades: a change to any re-grades everything.
GRADER_FILES = (
    "instructor/exercises.py",
    "instructor/hidden_tests.py",
    "instructor/feedback.py",
    "instructor/grader.py",
    "instructor/sandbox.py",
    "instructor/submission.py",
    "instructor/worker.py",
    "public_tests.py",
)


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


def _judge(name, hidden, outcome, check):
    """Return (passed, message) for one case's outcome."""
    case = hidden.case
    if outcome.error is not None:
        return False, f"your function raised {outcome.error}"
    if outcome.result_type != "ndarray":
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


def grade_submission(path, limits):
    """Grade the notebook at ``path``; never raises for a bad submission."""
    try:
        return _grade_submission(path, limits)
    except Exception as error:  # noqa: BLE001 - one submission must not stop the rest
        path = Path(path)
        digest = file_digest(path) if path.is_file() else ""
        grade = _zero_grade(
            path.stem, f"grader error ({type(error).__name__}: {error})"
        )
        return Submission(path.stem, path, digest), grade


def _grade_submission(path, limits):
    submission = read_submission(path, GRADED_FUNCTIONS)
    if submission.problem:
        return submission, _zero_grade(submission.student, submission.problem)
    cases = {name: exercises.hidden_cases(name) for name in GRADED_FUNCTIONS}
    jobs = [
        Job(name, code.source, cases[name])
        for name, code in submission.graded.items()
        if code.source is not None and not code.syntax_error
    ]
    runs = run_graded_functions(jobs, limits)
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
    return submission, Grade(submission.student, status, functions)


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


def grader_fingerprint(limits):
    """A hash of everything that decides a grade besides the submission."""
    digest = hashlib.sha256(json.dumps(asdict(limits), sort_keys=True).encode())
    for name in GRADER_FILES:
        digest.update((REPO_ROOT / name).read_bytes())
    return digest.hexdigest()


def _write_atomically(path, text):
    """Write ``text`` to ``path`` so a reader sees the old or the new file, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a gradebook is shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def grades_csv(rows):
    """Return the text of grades.csv for ``rows`` (formula-like cells neutralised)."""
    columns = ["student", *GRADED_FUNCTIONS, "total", "max_total", "status"]
    return csv_text(columns, rows)


def _load_cache(out):
    try:
        return json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def grade_all(paths, out, jobs=1, limits=None, progress=True):
    """Grade every submission in ``paths`` into the folder ``out``.

    Writes ``out/grades.csv`` (atomically) and ``out/feedback/<student>.md``.
    Submissions whose content and grader are unchanged since the last run in
    ``out`` are not graded again.

    Returns
    -------
    list of dict
        The rows of grades.csv, and how many submissions were (re)graded.
    """
    limits = limits or Limits()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file; give a folder for the gradebook")
    submissions = find_submissions(paths)
    fingerprint = grader_fingerprint(limits)
    cache = _load_cache(out)
    if cache.get("grader") != fingerprint:
        cache = {"grader": fingerprint, "students": {}}
    known = cache["students"]

    todo = [
        p for p in submissions if known.get(p.stem, {}).get("digest") != file_digest(p)
    ]
    feedback_dir = out / "feedback"

    def grade_one(path):
        submission, grade = grade_submission(path, limits)
        text = render_feedback(grade)
        _write_atomically(feedback_dir / f"{grade.student}.md", text)
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
            # a timeout may come from a busy machine, so it is graded again.
            if "timeout" in entry["row"]["status"]:
                entry = {**entry, "digest": None}
            known[student] = entry
            _write_atomically(out / CACHE_FILE, json.dumps(cache, indent=1))
            bar.update()
    current = {p.stem for p in submissions}
    rows = [known[s]["row"] for s in sorted(current)]
    _write_atomically(out / "grades.csv", grades_csv(rows))
    return rows, len(todo)
