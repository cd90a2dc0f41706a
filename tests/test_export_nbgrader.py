"""nbgrader itself, on the course ``python -m instructor export nbgrader`` writes.

One planted class: the course is exported, ``nbgrader generate_assignment``
releases it, four students' notebooks are planted in ``submitted/`` (the
released folder with the graded cells filled in) and ``nbgrader autograde``
grades them.  Each autograder test cell's score must be the points the lab's
own grader gives the same notebook for that function, and the released folder
must hold no hidden case.

Needs nbgrader (requirements-lock.txt); skipped without it, failed under CI.
Marked ``platforms``: the nox sessions leave it to the pinned run.
"""

import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from platform_tools import PLANTED_CLASS as CLASS
from platform_tools import module_or_skip
from submissions import (
    cell_text,
)

from instructor.__main__ import main
from instructor.course import exercises
from instructor.course.solutions import solution_sources
from instructor.grading.grader import grade_submission
from instructor.grading.sandbox import Limits
from instructor.markers import graded_name, solution_lines
from instructor.platforms.nbgrader import ASSIGNMENT, NOTEBOOK_NAME, hidden_tests_id

pytestmark = pytest.mark.platforms


#: Reads every autograder test cell's score from nbgrader's gradebook.
READ_SCORES = """
import json, sys
from nbgrader.api import Gradebook
students, grade_ids = json.loads(sys.argv[1]), json.loads(sys.argv[2])
with Gradebook("sqlite:///gradebook.db") as gb:
    print(json.dumps({
        s: {g: gb.find_grade(g, "kmeans_lab", "kmeans_lab", s).score for g in grade_ids}
        for s in students
    }))
"""


def nbgrader(course, *args):
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        check=True,
        capture_output=True,
        text=True,
    )


def plant(released, folder, codes):
    """The released assignment folder, with the graded cells filled in."""
    shutil.copytree(released, folder)
    nb = nbformat.read(folder / NOTEBOOK_NAME, as_version=4)
    for cell in nb.cells:
        name = graded_name(cell)
        if name in codes:
            cell.source = cell_text(name, codes[name])
    nbformat.write(nb, folder / NOTEBOOK_NAME)
    return folder / NOTEBOOK_NAME


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """The exported course, released, the class planted and autograded."""
    module_or_skip("nbgrader", "pip install -r requirements-lock.txt")
    course = tmp_path_factory.mktemp("nbgrader") / "course"
    assert main(["export", "nbgrader", "--out", str(course)]) == 0
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    released = course / "release" / ASSIGNMENT
    notebooks = {}
    for student, (codes, _) in CLASS.items():
        notebooks[student] = plant(
            released, course / "submitted" / student / ASSIGNMENT, codes
        )
        nbgrader(course, "db", "student", "add", student)
    nbgrader(course, "autograde", ASSIGNMENT)
    grade_ids = [hidden_tests_id(name) for name in exercises.names()]
    scores = subprocess.run(
        [sys.executable, "-c", READ_SCORES, json.dumps(list(CLASS))]
        + [json.dumps(grade_ids)],
        cwd=course,
        check=True,
        capture_output=True,
        text=True,
    )
    return course, notebooks, json.loads(scores.stdout)


def test_autograde_gives_the_labs_own_scores(course):
    _, notebooks, scores = course
    limits = Limits(timeout=60.0, memory_mb=2048)
    for student, (_, expected) in CLASS.items():
        _, grade, _ = grade_submission(notebooks[student], limits, course=exercises)
        lab = tuple(function.points for function in grade.functions)
        assert lab == expected, student
        nbgrader_scores = tuple(
            scores[student][hidden_tests_id(name)] for name in exercises.names()
        )
        assert nbgrader_scores == expected, student


def test_the_released_folder_holds_no_hidden_case_and_no_solution(course):
    course_dir, _, _ = course
    hidden = [
        h.case.name for name in exercises.names() for h in exercises.hidden_cases(name)
    ]
    solutions = [
        line.strip()
        for source in solution_sources().values()
        for line in solution_lines(source)
        if len(line.strip()) >= 16  # ")" or "return idx" prove nothing
    ]
    source_text = (course_dir / "source" / ASSIGNMENT / NOTEBOOK_NAME).read_text()
    # What the released folder is searched for is in the source notebook.
    assert all(name in source_text for name in hidden)
    assert "BEGIN HIDDEN TESTS" in source_text
    released = course_dir / "release" / ASSIGNMENT
    for path in released.rglob("*"):
        if path.is_file() and path.suffix in (".ipynb", ".py", ".md", ".txt"):
            text = path.read_text(encoding="utf-8")
            leaked = [name for name in hidden if name in text]
            assert leaked == [], f"{path.name} holds hidden cases {leaked[:3]}"
            assert "HIDDEN TESTS" not in text, path.name
            assert "_KMEANS_LAB_PROGRAM" not in text, path.name
            if path.suffix == ".ipynb":
                shown = [line for line in solutions if line in text]
                assert shown == [], f"{path.name} shows solution lines {shown[:2]}"
    student_nb = nbformat.read(released / NOTEBOOK_NAME, as_version=4)
    tests = [c for c in student_nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert [c.metadata.nbgrader.points for c in tests] == [
        exercises.max_points(name) for name in exercises.names()
    ]
