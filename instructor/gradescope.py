"""Gradescope: the autograder zip, and the run that grades one submission in it.

``python -m instructor gradescope --out autograder.zip`` writes what
Gradescope's autograder specification asks for, and nothing more:

``setup.sh``
    Run once when Gradescope builds the image: a virtual environment with
    the grader's own packages.
``run_autograder``
    Run for each submission: ``python -m instructor.gradescope``, which
    grades the one notebook in ``$AUTOGRADER_ROOT/submission/``
    (``AUTOGRADER_ROOT`` defaults to ``/autograder``) and writes
    ``$AUTOGRADER_ROOT/results/results.json``.
``requirements.txt``
    The third-party packages the grader imports, pinned as in the lab.
``autograder.json``
    The settings chosen when the zip was made (limits, visibility).
``instructor/...``, ``public_tests.py``
    The grader's modules: those the run imports, found by following its
    imports, and the worker it starts.  Never the source notebook: the
    hidden cases' answers hold by construction, so grading needs no
    reference solution.

Grading goes through :func:`instructor.grader.grade_submission`, the same
call as ``grade``, so a submission runs under the same worker and limits.
A broken submission (no notebook, two notebooks, corrupt JSON, ...) still
gets a results.json with zero and the reason; a bug in the grader itself
exits non-zero without one, so Gradescope reports a failed autograder
rather than a zero.
"""

import json
import modulefinder
import os
import re
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from . import exercises
from .confinement import WORKER_BINDINGS, IsolationError, make_plan
from .feedback import case_message, one_line
from .grader import grade_submission
from .layout import REPO_ROOT
from .sandbox import WORKER, Limits

#: What the worker imports only for some graded cells, which modulefinder
#: cannot see: IPython, to run a cell with a ``%magic`` or ``!command`` line
#: as Jupyter does.
WORKER_PACKAGES = ("ipython",)
#: The module Gradescope runs; its imports decide what goes in the zip.
ENTRY_MODULE = "instructor.gradescope"
#: When students see a hidden case's result, by default.
HIDDEN_VISIBILITY = "after_due_date"
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
SETTINGS_FILE = "autograder.json"
#: Every file of the zip gets this date, so one grader gives one zip.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image: a virtual
# environment with the grader's packages.  The lab needs Python 3.11 or newer
# (Gradescope's Ubuntu 24.04 base image has 3.12).
set -euo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
apt-get update
# bubblewrap and libseccomp: the worker's confinement (strict isolation).
apt-get install -y python3 python3-venv bubblewrap libseccomp2
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "the grader needs Python 3.11 or newer: choose Ubuntu 24.04" >&2
    exit 1
}
python3 -m venv "$root/venv"
"$root/venv/bin/python" -m pip install --quiet -r "$root/source/requirements.txt"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: grade the notebook in
# $AUTOGRADER_ROOT/submission/ into $AUTOGRADER_ROOT/results/results.json.
set -uo pipefail
export AUTOGRADER_ROOT="${AUTOGRADER_ROOT:-/autograder}"
python="${AUTOGRADER_PYTHON:-$AUTOGRADER_ROOT/venv/bin/python}"
cd "$AUTOGRADER_ROOT/source" || exit 1
exec "$python" -m instructor.gradescope
"""


@dataclass
class Settings:
    """What the instructor chose when making the zip."""

    hidden_visibility: str = HIDDEN_VISIBILITY
    timeout: float = Limits.timeout
    memory_mb: int = Limits.memory_mb

    def limits(self):
        return Limits(timeout=self.timeout, memory_mb=self.memory_mb)


# --------------------------------------------------------------------------
# The zip
# --------------------------------------------------------------------------


def grader_files():
    """The repository files the autograder runs: its imports, and the worker.

    Found by following the imports of :data:`ENTRY_MODULE` inside the
    repository (``modulefinder``, which reads the code without running it);
    third-party and standard-library modules are not followed.

    Returns
    -------
    files : list of str
        Paths relative to the repository root, sorted.
    packages : set of str
        Top-level names the grader imports from outside the repository.
    """
    finder = modulefinder.ModuleFinder(path=[str(REPO_ROOT)])
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "entry.py"
        script.write_text(f"import {ENTRY_MODULE}\n", encoding="utf-8")
        finder.run_script(str(script))
    files = {Path(WORKER).relative_to(REPO_ROOT).as_posix()}
    for module in finder.modules.values():
        path = Path(module.__file__ or "").resolve()
        if path.is_file() and path.is_relative_to(REPO_ROOT):
            files.add(path.relative_to(REPO_ROOT).as_posix())
    outside = {name.split(".")[0] for name in finder.badmodules}
    return sorted(files), outside


def _requirement_name(line):
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return match.group(1).lower().replace("_", "-") if match else None


def grader_requirements(packages):
    """The lines of the lock file for the packages the grader imports.

    Exact pins, the versions CI tests the grader with (Python 3.11 or newer).
    """
    wanted = {name.lower().replace("_", "-") for name in packages}
    lock = REPO_ROOT / "requirements-lock.txt"
    lines = lock.read_text(encoding="utf-8").splitlines()
    kept = [
        line.strip()
        for line in lines
        if not line.lstrip().startswith("#") and _requirement_name(line) in wanted
    ]
    return "".join(f"{line}\n" for line in kept)


def _add(archive, name, data, mode=0o644):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.external_attr = (0o100000 | mode) << 16  # a regular file with ``mode``
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def write_autograder(out, settings=None):
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
    files, packages = grader_files()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.partial")
    with zipfile.ZipFile(temporary, "w") as archive:
        _add(archive, "setup.sh", SETUP_SH, 0o755)
        _add(archive, "run_autograder", RUN_AUTOGRADER, 0o755)
        wanted = set(packages) | set(WORKER_BINDINGS) | set(WORKER_PACKAGES)
        _add(archive, "requirements.txt", grader_requirements(wanted))
        _add(archive, SETTINGS_FILE, json.dumps(asdict(settings), indent=1) + "\n")
        for name in files:
            _add(archive, name, (REPO_ROOT / name).read_bytes())
        names = archive.namelist()
    os.replace(temporary, out)
    return names


# --------------------------------------------------------------------------
# The run, inside Gradescope
# --------------------------------------------------------------------------


class GraderError(RuntimeError):
    """The grader failed on its own: no score must be written."""


def find_notebooks(submission):
    """The notebooks a student uploaded, Jupyter's checkpoint copies left out."""
    if not submission.is_dir():
        return []
    return sorted(
        path
        for path in submission.rglob("*.ipynb")
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    )


def _exercise_label(exercise):
    return f"{exercise.name} (extra credit)" if exercise.optional else exercise.name


def _tests_for_problem(reason):
    """One zero test per exercise, saying why nothing was graded."""
    return [
        {
            "name": _exercise_label(exercise),
            "score": 0.0,
            "max_score": 0.0 if exercise.optional else exercise.max_points(),
            "status": "failed",
            "output": one_line(f"not graded: {reason}"),
            "visibility": "visible",
        }
        for exercise in exercises.EXERCISES
    ]


def _tests_for_grade(grade, settings):
    tests = []
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
        visible = exercises.visible_case_names(function.name)
        for test in function.tests:
            passed = test.points == test.max_points
            message = case_message(function.name, test.name, test.message)
            tests.append(
                {
                    "name": f"{_exercise_label(exercise)}: {test.name}",
                    "score": test.points,
                    "max_score": 0.0 if exercise.optional else test.max_points,
                    "status": "passed" if passed else "failed",
                    "output": "passed" if passed else message,
                    "visibility": (
                        "visible"
                        if test.name in visible
                        else settings.hidden_visibility
                    ),
                }
            )
    return tests


def _results(score, summary, tests):
    return {
        "score": score,
        "output": one_line(summary),
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": "submission",
                "score": 0.0,
                "max_score": 0.0,
                "output": one_line(summary),
                "visibility": "visible",
            },
            *tests,
        ],
    }


def autograde(root, settings=None):
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
                "submit only your kmeans_lab.ipynb"
            )
        else:
            reason = "no notebook (.ipynb) in your submission"
        return _results(0.0, f"Score 0: {reason}.", _tests_for_problem(reason))
    try:
        plan = make_plan("strict")
    except IsolationError as error:
        raise GraderError(f"cannot confine the submission: {error}") from None
    _, grade, _ = grade_submission(notebooks[0], settings.limits(), plan)
    if grade.status.startswith("grader error"):
        raise GraderError(grade.status)
    summary = (
        f"{notebooks[0].name}: {grade.total:g} / {grade.max_total:g} points "
        f"(optional exercises are extra credit). Status: {grade.status}."
    )
    return _results(grade.total, summary, _tests_for_grade(grade, settings))


def read_settings(source):
    """The settings stored in the zip, found in the folder ``source``."""
    path = Path(source) / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    return Settings(**json.loads(path.read_text(encoding="utf-8")))


def main():
    """Grade ``$AUTOGRADER_ROOT/submission`` into ``results/results.json``."""
    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    settings = read_settings(Path(__file__).resolve().parent.parent)
    try:
        results = autograde(root, settings)
    except GraderError as error:
        print(f"grader error, no results written: {error}", file=sys.stderr)
        return 1
    folder = root / "results"
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "results.json.partial"
    partial.write_text(json.dumps(results, indent=1), encoding="utf-8")
    os.replace(partial, folder / "results.json")
    print(results["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
