"""Write an nbgrader course for the lab: ``python -m instructor export nbgrader``.

The course folder gets ``source/kmeans_lab/`` (the notebook and the lab's
files) and ``nbgrader_config.py``.  In the notebook, each graded cell is an
autograded answer cell (its solution between ``### BEGIN SOLUTION`` and
``### END SOLUTION``, which ``nbgrader generate_assignment`` replaces by the
lab's stub), and after each exercise's public test comes a locked autograder
test cell worth the exercise's points, whose hidden part (between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, which
``generate_assignment`` removes) runs the lab's hidden cases and evaluates to
the points earned: nbgrader's partial credit.

nbgrader releases every file in ``source/kmeans_lab/``, so no hidden case is
a file there: the cases travel inside the hidden tests, as the program of
:mod:`.hidden_program`.
"""

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from instructor.authoring.release import stub_message
from instructor.course import exercises
from instructor.layout import ASSIGNMENT, NOTEBOOK_NAME
from instructor.markers import END_CODE, START_CODE, graded_name
from instructor.platforms import hidden_program as program
from instructor.platforms.lab_files import copy_lab_files
from instructor.platforms.source_notebook import prepared_source, public_test_position

#: Seconds a cell may run: over twice the longest cell with loop answers
#: (53 s here) and twice the grader's default limit for one function (60 s).
DEFAULT_TIMEOUT = 120
#: nbgrader's cell metadata schema.
SCHEMA_VERSION = 3
#: What nbgrader puts in place of a solution.
STUB = (
    f"{START_CODE}\n"
    f'raise NotImplementedError("{stub_message("this function")}")\n'
    f"{END_CODE}"
)
#: Text nbgrader reacts to, which the hidden tests' program must not hold.
NBGRADER_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS")


def hidden_tests_id(name: str) -> str:
    """The ``grade_id`` of ``name``'s autograder test cell."""
    return f"hidden_tests_{name}"


def _template(name: str) -> str:
    return (program.TEMPLATES / name).read_text(encoding="utf-8")


def test_cell_source(name: str) -> str:
    """The autograder test cell of graded function ``name``."""
    text = program.program_literal()
    found = [marker for marker in NBGRADER_MARKERS if marker in text]
    if found:
        raise ValueError(f"the hidden tests' program holds {found[0]!r}")
    return _template("nbgrader_test_cell.py.in").format(
        name=name,
        points=exercises.max_points(name),
        program=text,
        call=program.grading_call(name, "_kmeans_lab_points"),
    )


def _nbgrader(**fields: object) -> dict[str, dict[str, object]]:
    return {"nbgrader": {**fields, "schema_version": SCHEMA_VERSION}}


def course_notebook(source_path: str | Path | None = None) -> NotebookNode:
    """The nbgrader source notebook, built from the lab's source notebook."""
    nb = prepared_source() if source_path is None else prepared_source(source_path)
    for cell in nb.cells:
        name = graded_name(cell)
        if name is not None:
            cell.metadata.update(
                _nbgrader(solution=True, grade=False, locked=False, grade_id=name)
            )
    # From the last exercise up, so earlier positions stay right.
    for name in reversed(exercises.names()):
        test = nbformat.v4.new_code_cell(test_cell_source(name))
        test.metadata.update(
            _nbgrader(
                solution=False,
                grade=True,
                locked=True,
                points=exercises.max_points(name),
                grade_id=hidden_tests_id(name),
            )
        )
        nb.cells.insert(public_test_position(nb, name) + 1, test)
    nbformat.validate(nb)
    return nb


def config_text(timeout: int = DEFAULT_TIMEOUT) -> str:
    """The text of the course's ``nbgrader_config.py``."""
    return _template("nbgrader_config.py.in").format(timeout=timeout, stub=STUB)


def write_course(
    out: str | Path,
    timeout: int = DEFAULT_TIMEOUT,
    source_path: str | Path | None = None,
) -> list[str]:
    """Write the nbgrader course into the folder ``out``; return the files written.

    Raises
    ------
    ValueError
        If ``out`` is a file, or already holds ``source/kmeans_lab`` or an
        ``nbgrader_config.py`` (an instructor's course is never overwritten).
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file; give a folder for the course")
    assignment = out / "source" / ASSIGNMENT
    config = out / "nbgrader_config.py"
    for existing in (assignment, config):
        if existing.exists():
            raise ValueError(
                f"{existing} already exists: export into a new folder, or move it "
                "away first (nothing was written)"
            )
    nb = course_notebook(source_path)
    assignment.mkdir(parents=True)
    nbformat.write(nb, assignment / NOTEBOOK_NAME)
    written = [f"source/{ASSIGNMENT}/{NOTEBOOK_NAME}"]
    written += [f"source/{ASSIGNMENT}/{n}" for n in copy_lab_files(assignment)]
    config.write_text(config_text(timeout), encoding="utf-8")
    return [*written, "nbgrader_config.py"]
