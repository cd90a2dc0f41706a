"""otter-grader itself, on the master notebook ``python -m instructor export otter``
writes.

One planted class: the master is exported, ``otter assign`` builds the
student and autograder folders, three students' notebooks (the student
notebook with the graded cells filled in) are graded by ``otter run`` (no
Docker, the three at once), and each question's score in ``results.json``
must be the points the lab's own grader gives that function.  The student
folder must hold no hidden case.

Needs otter-grader (requirements-lock.txt); skipped without it, failed under
CI.  Marked ``platforms``: the nox sessions leave it to the pinned run.
"""

import json
import subprocess
import sys

import nbformat
import pytest
from platform_tools import PLANTED_CLASS, module_or_skip
from submissions import (
    cell_text,
)

from instructor.__main__ import main
from instructor.course import exercises
from instructor.grading.grader import grade_submission
from instructor.grading.sandbox import Limits
from instructor.markers import graded_name
from instructor.platforms.otter import NOTEBOOK_NAME

pytestmark = pytest.mark.platforms

#: The planted class without yuri: otter runs a notebook in some 30 s, and
#: xena already shows the bonus.
CLASS = {name: row for name, row in PLANTED_CLASS.items() if name != "yuri"}


def otter(cwd, *args):
    """Start ``python -m otter ARGS`` in ``cwd``."""
    return subprocess.Popen(
        [sys.executable, "-m", "otter", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process):
    """Wait for an otter command; fail with its output if it failed."""
    output, _ = process.communicate()
    assert process.returncode == 0, f"{' '.join(process.args[1:])}:\n{output}"


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """The master exported and assigned; the class graded by otter run."""
    module_or_skip("otter", "pip install -r requirements-lock.txt")
    work = tmp_path_factory.mktemp("otter")
    master = work / "master"
    assert main(["export", "otter", "--out", str(master)]) == 0
    # validate already runs the reference on every case: no second run here.
    finish(otter(master, "assign", "--no-run-tests", NOTEBOOK_NAME, str(work / "dist")))
    [autograder] = (work / "dist" / "autograder").glob("*.zip")
    student = work / "dist" / "student"
    notebooks, running = {}, {}
    for name, (codes, _) in CLASS.items():
        nb = nbformat.read(student / NOTEBOOK_NAME, as_version=4)
        for cell in nb.cells:
            if graded_name(cell) in codes:
                cell.source = cell_text(graded_name(cell), codes[graded_name(cell)])
        notebooks[name] = work / "submissions" / f"{name}.ipynb"
        notebooks[name].parent.mkdir(exist_ok=True)
        nbformat.write(nb, notebooks[name])
        out = work / "results" / name
        out.mkdir(parents=True)
        # The three at once: each is one notebook kernel, mostly one core.
        running[name] = otter(
            work, "run", "-a", str(autograder), "-o", str(out), str(notebooks[name])
        )
    results = {}
    for name, process in running.items():
        finish(process)
        tests = json.loads((work / "results" / name / "results.json").read_text())
        results[name] = {t["name"]: t for t in tests["tests"] if "max_score" in t}
    return work, notebooks, results


def test_otter_run_gives_the_labs_own_scores(graded):
    _, notebooks, results = graded
    limits = Limits(timeout=60.0, memory_mb=2048)
    for student, (_, expected) in CLASS.items():
        _, grade, _ = grade_submission(notebooks[student], limits, course=exercises)
        assert tuple(f.points for f in grade.functions) == expected, student
        otter_scores = tuple(results[student][n]["score"] for n in exercises.names())
        assert otter_scores == expected, student
        most = tuple(results[student][n]["max_score"] for n in exercises.names())
        assert most == tuple(exercises.max_points(n) for n in exercises.names())


def test_the_student_folder_holds_no_hidden_case(graded):
    work, _, _ = graded
    hidden = [
        h.case.name for name in exercises.names() for h in exercises.hidden_cases(name)
    ]
    student = work / "dist" / "student"
    for path in student.rglob("*"):
        if path.is_file() and path.suffix in (".ipynb", ".py", ".md", ".txt", ".json"):
            text = path.read_text(encoding="utf-8")
            assert [n for n in hidden if n in text] == [], path.name
            assert "_KMEANS_LAB_PROGRAM" not in text, path.name
    autograder = (work / "dist" / "autograder" / NOTEBOOK_NAME).read_text()
    assert "_KMEANS_LAB_PROGRAM" in autograder  # where the search would find it
