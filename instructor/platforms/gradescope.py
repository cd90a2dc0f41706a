"""Gradescope: the autograder zip, and the run that grades one submission in it.

``python -m instructor gradescope --out autograder.zip`` writes what
Gradescope's autograder specification asks for, and nothing more:

``setup.sh``
    Run once when Gradescope builds the image (Ubuntu 22.04, whose
    ``python3`` is 3.10, or 24.04): a virtual environment with the grader's
    own packages, libseccomp, and bubblewrap where the image has it.
``run_autograder``
    Run for each submission, as root: closes the grader's files, the
    submission and the results to every other user, then runs
    ``python -m instructor.platforms.gradescope``, which grades the one notebook in
    ``$AUTOGRADER_ROOT/submission/`` (``AUTOGRADER_ROOT`` defaults to
    ``/autograder``) and writes ``$AUTOGRADER_ROOT/results/results.json``.
``requirements.txt``
    The third-party packages the grader imports, as lower bounds taken from
    ``requirements.txt`` and ``requirements-dev.txt`` (the floors the oldest
    test session installs on Python 3.10), never a pin.
``autograder.json``
    The settings chosen when the zip was made (limits, visibility).
``instructor/...``, ``public_tests.py``
    The grader's modules: those the run imports, found by following its
    imports, and the worker it starts.  Never the source notebook: the
    hidden cases' answers hold by construction, so grading needs no
    reference solution.

Grading goes through :func:`instructor.grading.grader.grade_submission`, the same
call as ``grade``, so a submission runs under the same worker and limits.
Gradescope runs the container as root with Docker's default capabilities
and seccomp profile, which deny bubblewrap its namespaces: the worker then
drops to ``nobody`` itself (see :mod:`instructor.grading.confinement`).

Every run writes a results.json.  A broken submission (no notebook, two
notebooks, corrupt JSON, ...) gets zero and the reason; a failure of the
grader itself gets a results.json saying it is the autograder's fault, not
the student's, and the run exits non-zero, so a grader bug never passes for
a class of real zeros.

What students see: the public cases' results at once, the hidden cases'
when the instructor chose (after the due date by default), and no total
while a case is hidden from them: the summary counts the public cases only.
One entry is for instructors only (``visibility: hidden``): the total, the
status, and which isolation layers applied.  Gradescope's specification
also says students do not see their total score while tests are hidden.
"""

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from instructor.course import exercises
from instructor.course.floors import (
    DEV_REQUIREMENTS,
    REQUIREMENTS,
    lower_bounds,
    normal_name,
    read_floors,
)
from instructor.files import write_text, write_zip
from instructor.grading.code import code_files
from instructor.grading.confinement import (
    STEPS,
    WORKER_BINDINGS,
    IsolationError,
    Level,
    Plan,
    make_plan,
)
from instructor.grading.grader import Grade, grade_submission
from instructor.grading.sandbox import Confinement, GraderError, Limits
from instructor.grading.status import TextEnum, is_grader_error
from instructor.layout import NOTEBOOK_NAME, REPO_ROOT
from instructor.reports.feedback import (
    case_message,
    escape_markdown,
    one_line,
    points_text,
)

#: What the worker imports only for some graded cells, which modulefinder
#: cannot see: IPython, to run a cell with a ``%magic`` or ``!command`` line
#: as Jupyter does.
WORKER_PACKAGES = ("ipython",)
#: The module Gradescope runs; its imports decide what goes in the zip.
ENTRY_MODULE = "instructor.platforms.gradescope"
#: When students see a hidden case's result, by default.
#: The zip ``python -m instructor gradescope`` writes by default.
AUTOGRADER_ZIP = "autograder.zip"
HIDDEN_VISIBILITY = "after_due_date"
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
SETTINGS_FILE = "autograder.json"

#: The oldest Python the grader runs on (Ubuntu 22.04's python3).
OLDEST_PYTHON = (3, 10)
#: The entry of results.json only instructors see.
INSTRUCTOR_ENTRY = "Autograder details (instructors only)"
#: When students see what ``Settings.hidden_visibility`` hides, in words.
SHOWN = {
    "after_due_date": "after the due date",
    "after_published": "when your instructor publishes the grades",
    "hidden": "to your instructor only",
}

SETUP_SH = f"""\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu 22.04, whose python3 is 3.10, or 24.04): a virtual environment with
# the grader's packages, and libseccomp for the worker's seccomp filter.
# bubblewrap is optional: Gradescope's containers deny it namespaces, and the
# worker then runs student code as uid 65534 (nobody) instead.
set -euo pipefail
root="${{AUTOGRADER_ROOT:-/autograder}}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv libseccomp2
apt-get install -y --no-install-recommends bubblewrap ||
    echo "bubblewrap not installed: submissions run as nobody, without it" >&2
python3 -c 'import sys; sys.exit(sys.version_info < {OLDEST_PYTHON})' || {{
    echo "the grader needs Python {".".join(map(str, OLDEST_PYTHON))} or newer," \\
        "this image has $(python3 -V 2>&1): choose Ubuntu 22.04 or 24.04" >&2
    exit 1
}}
python3 -m venv "$root/venv"
"$root/venv/bin/python" -m pip install --quiet --upgrade pip
"$root/venv/bin/python" -m pip install --quiet -r "$root/source/requirements.txt"
# Student code runs as nobody: the runtime open to every user, the grader's
# files (the hidden tests, the settings) to root alone.
chmod a+rx "$root"
chmod -R a+rX "$root/venv"
chmod -R go-rwx "$root/source"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission, as root: grade the notebook in
# $AUTOGRADER_ROOT/submission/ into $AUTOGRADER_ROOT/results/results.json.
# Student code runs as nobody, which must read neither the grader's files nor
# the submission nor the results: all three are closed to every user but root.
set -uo pipefail
export AUTOGRADER_ROOT="${AUTOGRADER_ROOT:-/autograder}"
root="$AUTOGRADER_ROOT"
python="${AUTOGRADER_PYTHON:-$root/venv/bin/python}"
umask 077
mkdir -p "$root/results"
chmod -R go-rwx "$root/source" "$root/submission" "$root/results"
cd "$root/source" && "$python" -m instructor.platforms.gradescope
status=$?
if [ ! -s "$root/results/results.json" ]; then
    # The grader could not even start: still a results.json, blaming it.
    message="The autograder failed before grading (exit code $status). This is"
    message="$message not your submission's fault: tell your instructor, who"
    message="$message can fix the autograder and run it again on your notebook."
    printf '{"score": 0, "output": "%s", "visibility": "visible", "tests": []}\\n' \\
        "$message" > "$root/results/results.json"
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
"""


@dataclass
class Settings:
    """What the instructor chose when making the zip."""

    hidden_visibility: str = HIDDEN_VISIBILITY
    timeout: float = Limits.timeout
    memory_mb: int = Limits.memory_mb

    def limits(self) -> Limits:
        return Limits(timeout=self.timeout, memory_mb=self.memory_mb)


# --------------------------------------------------------------------------
# The zip
# --------------------------------------------------------------------------


def autograder_files() -> tuple[list[str], set[str]]:
    """The repository files the autograder runs: :data:`ENTRY_MODULE`'s code.

    See :func:`instructor.grading.code.code_files`.
    """
    return code_files(ENTRY_MODULE)


def grader_requirements(packages: Iterable[str]) -> str:
    """The requirements.txt of the zip: lower bounds of what the grader imports.

    The bounds are the lab's own (``requirements.txt`` for the lab's
    packages, ``requirements-dev.txt`` for the tools' and the worker's
    bindings): the oldest test session installs them on Python 3.10, so they
    install on Gradescope's Ubuntu 22.04, and pip picks, for each, the newest
    release with a wheel for the image's Python.  Never a pin.

    Raises
    ------
    ValueError
        If a package the grader imports has no lower bound in those files.
    """
    bounds = lower_bounds(DEV_REQUIREMENTS)
    lab = read_floors(REQUIREMENTS)
    bounds.update(
        {normal_name(name): f"{name}>={version}" for name, version in lab.items()}
    )
    wanted = sorted({normal_name(name) for name in packages})
    missing = [name for name in wanted if name not in bounds]
    if missing:
        raise ValueError(
            f"the grader imports {', '.join(missing)}, which has no lower bound in "
            f"{REQUIREMENTS.name} or {DEV_REQUIREMENTS.name}: add one there"
        )
    return "".join(f"{bounds[name]}\n" for name in wanted)


def write_autograder(out: str | Path, settings: Settings | None = None) -> list[str]:
    """Write the Gradescope autograder zip to ``out``; return the names in it.

    Raises
    ------
    ValueError
        If the settings are not valid.
    """
    settings = settings or Settings()
    if settings.hidden_visibility not in VISIBILITIES:
        raise ValueError(
            f"visibility must be one of {', '.join(VISIBILITIES)}, "
            f"got {settings.hidden_visibility!r}"
        )
    files, packages = autograder_files()
    wanted = set(packages) | set(WORKER_BINDINGS) | set(WORKER_PACKAGES)
    entries: dict[str, bytes | str] = {
        "setup.sh": SETUP_SH,
        "run_autograder": RUN_AUTOGRADER,
        "requirements.txt": grader_requirements(wanted),
        SETTINGS_FILE: json.dumps(asdict(settings), indent=1) + "\n",
    }
    entries.update({name: (REPO_ROOT / name).read_bytes() for name in files})
    scripts = {"setup.sh": 0o755, "run_autograder": 0o755}
    return write_zip(out, entries, scripts)


# --------------------------------------------------------------------------
# The run, inside Gradescope
# --------------------------------------------------------------------------


def find_notebooks(submission: Path) -> list[Path]:
    """The notebooks a student uploaded, Jupyter's checkpoint copies left out."""
    if not submission.is_dir():
        return []
    return sorted(
        path
        for path in submission.rglob("*.ipynb")
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    )


class CaseStatus(TextEnum):
    """A test's ``status`` in Gradescope's results.json."""

    PASSED = "passed"
    FAILED = "failed"


def _exercise_label(exercise: exercises.Exercise) -> str:
    return f"{exercise.name} (extra credit)" if exercise.optional else exercise.name


def _tests_for_problem(reason: str) -> list[dict[str, Any]]:
    """One zero test per exercise, saying why nothing was graded."""
    return [
        {
            "name": _exercise_label(exercise),
            "score": 0.0,
            "max_score": 0.0 if exercise.optional else exercise.max_points(),
            "status": CaseStatus.FAILED,
            "output": f"Not graded: {escape_markdown(reason)}",
            "visibility": "visible",
        }
        for exercise in exercises.EXERCISES
    ]


def _tests_for_grade(grade: Grade, settings: Settings) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for function in grade.functions:
        exercise = exercises.exercise(function.name)
        if not function.tests:
            reason = function.problem or grade.status
            tests += [
                t
                for t in _tests_for_problem(reason)
                if t["name"] == _exercise_label(exercise)
            ]
            continue
        for test in function.tests:
            passed = test.passed
            message = case_message(test.message, test.hidden)
            tests.append(
                {
                    "name": f"{_exercise_label(exercise)}: {test.name}",
                    "score": test.points,
                    "max_score": 0.0 if exercise.optional else test.max_points,
                    "status": CaseStatus.PASSED if passed else CaseStatus.FAILED,
                    "output": "passed" if passed else escape_markdown(message),
                    "visibility": (
                        settings.hidden_visibility if test.hidden else "visible"
                    ),
                }
            )
    return tests


def _summary(
    name: str, grade: Grade, tests: list[dict[str, Any]], settings: Settings
) -> str:
    """What every student reads at once: no total while a case is hidden."""
    status = escape_markdown(one_line(grade.status))
    shown = [t for t in tests if t["visibility"] == "visible"]
    later = [t for t in tests if t["visibility"] != "visible"]
    if not later:
        return (
            f"**{name}: {points_text(grade.total)} / {points_text(grade.max_total)} "
            f"points** (optional exercises are extra credit). Status: {status}."
        )
    when = SHOWN[settings.hidden_visibility]
    text = f"**{name}** was graded. Status: {status}. "
    if shown:
        score = sum(t["score"] for t in shown)
        out_of = sum(t["max_score"] for t in shown)
        passed = sum(t["status"] == CaseStatus.PASSED for t in shown)
        worth = (
            f"{points_text(score)} / {points_text(out_of)} points"
            if out_of
            else "worth no points: the public tests' own cases"
        )
        text += (
            f"Shown now: {passed} of {len(shown)} "
            f"{'case' if len(shown) == 1 else 'cases'} passed ({worth}). "
        )
    return text + (
        f"The other {len(later)} cases, and your total, are shown {when} "
        "(optional exercises are extra credit)."
    )


def _isolation_lines(plan: Plan, confinement: Confinement | None) -> list[str]:
    """Which isolation layers applied, and why any did not, as Markdown lines."""
    if confinement is None:
        return ["No student code ran (nothing to grade)."]
    items = [
        f"- applied: {escape_markdown(STEPS.get(n, n))}" for n in confinement.applied
    ]
    items += [
        f"- not applied: {escape_markdown(STEPS.get(name, name))}: "
        f"{escape_markdown(why)}"
        for name, why in confinement.skipped.items()
    ]
    return [f"Isolation: {plan.level}.", "\n".join(items)]


def _instructor_entry(lines: Iterable[str]) -> dict[str, Any]:
    """The entry only instructors see; it also hides the total from students."""
    return {
        "name": INSTRUCTOR_ENTRY,
        "score": 0.0,
        "max_score": 0.0,
        "output": "\n\n".join(lines),
        "visibility": "hidden",
    }


def _results(
    score: float,
    summary: str,
    tests: list[dict[str, Any]],
    instructor_lines: Iterable[str],
) -> dict[str, Any]:
    return {
        "score": score,
        "output": summary,
        "output_format": "md",
        "test_output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": "submission",
                "score": 0.0,
                "max_score": 0.0,
                "output": summary,
                "visibility": "visible",
            },
            *tests,
            _instructor_entry(instructor_lines),
        ],
    }


def _runtime_line() -> str:
    import numpy

    return f"Python {sys.version.split()[0]}, NumPy {numpy.__version__}."


def autograde(root: str | Path, settings: Settings | None = None) -> dict[str, Any]:
    """Grade the submission under ``root``; return the results.json data.

    Raises
    ------
    GraderError
        If the grader itself failed (never for a bad submission).
    """
    settings = settings or Settings()
    notebooks = find_notebooks(Path(root) / "submission")
    if len(notebooks) != 1:
        if notebooks:
            names = ", ".join(p.name for p in notebooks[:5])
            reason = (
                f"{len(notebooks)} notebooks in your submission ({names}); "
                f"submit only your {NOTEBOOK_NAME}"
            )
        else:
            reason = "no notebook (.ipynb) in your submission"
        summary = f"**Score 0:** {escape_markdown(reason)}."
        lines = [summary, "No student code ran (nothing to grade)."]
        return _results(0.0, summary, _tests_for_problem(reason), lines)
    try:
        plan = make_plan(Level.STRICT)
    except IsolationError as error:
        raise GraderError(f"cannot confine the submission: {error}") from None
    _, grade, used = grade_submission(
        notebooks[0], settings.limits(), plan, course=exercises
    )
    if is_grader_error(grade.status):
        raise GraderError(grade.status)
    tests = _tests_for_grade(grade, settings)
    name = escape_markdown(one_line(notebooks[0].name))
    instructor = [
        f"**Total: {points_text(grade.total)} / {points_text(grade.max_total)} "
        "points** "
        f"(extra credit included). Status: {escape_markdown(one_line(grade.status))}.",
        *_isolation_lines(plan, used),
        _runtime_line(),
    ]
    summary = _summary(name, grade, tests, settings)
    return _results(grade.total, summary, tests, instructor)


def grader_failed(detail: str) -> dict[str, Any]:
    """results.json for a run the grader itself failed: the autograder's fault."""
    summary = (
        "**The autograder failed on its own: this is not your submission's "
        "fault**, and the score of 0 is not a grade. Tell your instructor, who "
        "can fix the autograder and run it again on your notebook; you do not "
        "need to change it."
    )
    results = _results(
        0.0,
        summary,
        [],
        [f"**Grader error** (exit code 1): {escape_markdown(one_line(detail))}"],
    )
    results["extra_data"] = {"autograder_error": one_line(detail)}
    return results


def read_settings(source: str | Path) -> Settings:
    """The settings stored in the zip, found in the folder ``source``."""
    path = Path(source) / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    return Settings(**json.loads(path.read_text(encoding="utf-8")))


def main() -> int:
    """Grade ``$AUTOGRADER_ROOT/submission`` into ``results/results.json``.

    Returns 0 when the submission was graded (whatever its score), 1 when
    the grader failed; a results.json is written either way.
    """
    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    code = 0
    try:
        settings = read_settings(REPO_ROOT)
        results = autograde(root, settings)
    except Exception as error:  # noqa: BLE001 - any grader failure is reported
        detail = str(error) if isinstance(error, GraderError) else repr(error)
        print(f"grader error: {detail}", file=sys.stderr)
        results, code = grader_failed(detail), 1
    write_text(root / "results" / "results.json", json.dumps(results, indent=1))
    print(results["output"])
    return code


if __name__ == "__main__":
    sys.exit(main())
