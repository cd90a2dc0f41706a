"""The student notebook runs: setup works, stubs fail kindly, solutions reproduce.

These tests execute notebooks with nbclient, as JupyterLab would.
"""

import re

import nbformat
import pytest

from instructor import markers
from instructor.execute import execute_notebook
from instructor.layout import REPO_ROOT, SOURCE_NOTEBOOK, STUDENT_NOTEBOOK
from instructor.release import stub_message

FIGURE_SIZE = re.compile(r"<Figure size \d+x\d+ with \d+ Axes>")


def read(path):
    return nbformat.read(path, as_version=4)


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def visible_text(cell):
    """The text a reader sees in a cell's outputs (figures reduced to a marker)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(f"{output.name}: {output.text}")
        elif output.output_type in ("display_data", "execute_result"):
            text = output.data.get("text/plain", "")
            parts.append(FIGURE_SIZE.sub("<Figure>", text))
        elif output.output_type == "error":
            parts.append(f"error: {output.ename}: {output.evalue}")
    return parts


@pytest.fixture(scope="module")
def student_run():
    """The student notebook as a student first runs it, from notebooks/."""
    return execute_notebook(
        read(STUDENT_NOTEBOOK), STUDENT_NOTEBOOK.parent, allow_errors=True
    )


def test_every_cell_before_the_first_exercise_runs(student_run):
    first_graded = next(
        i for i, cell in enumerate(student_run.cells) if markers.graded_name(cell)
    )
    assert first_graded > 2
    for cell in student_run.cells[:first_graded]:
        assert not errors(cell), cell.source


def test_each_stub_fails_with_its_friendly_message(student_run):
    names = [
        markers.graded_name(c) for c in student_run.cells if markers.graded_name(c)
    ]
    assert names
    for name in names:
        graded = next(c for c in student_run.cells if markers.graded_name(c) == name)
        assert not errors(graded), "defining the stub itself must not fail"
        test_cell = next(
            c for c in student_run.cells if f"public_tests.{name}_test(" in c.source
        )
        [error] = errors(test_cell)
        assert (error.ename, error.evalue) == (
            "NotImplementedError",
            stub_message(name),
        )


@pytest.mark.parametrize(
    "folder", [REPO_ROOT, STUDENT_NOTEBOOK.parent], ids=["root", "notebooks"]
)
def test_setup_cells_find_the_lab_from_either_folder(folder):
    nb = read(STUDENT_NOTEBOOK)
    setup = [cell for cell in nb.cells if cell.cell_type == "code"][:2]
    check = nbformat.v4.new_code_cell(
        "print(utils.DATA_DIR.is_dir(), public_tests.__name__, utils.load_data().shape)"
    )
    nb.cells = [*setup, check]
    execute_notebook(nb, folder)
    assert visible_text(nb.cells[-1]) == ["stdout: True public_tests (300, 2)\n"]


def test_with_the_solutions_put_back_it_is_the_code_nbval_runs():
    """The student notebook plus the solutions is the source notebook's code.

    nbval runs the source notebook in this same pytest run and checks that it
    reproduces its stored outputs; the same code in the same kernel gives the
    same outputs, so the student's solved notebook need not be run again.
    """
    source = read(SOURCE_NOTEBOOK)
    solutions = {
        markers.graded_name(c): c.source for c in source.cells if markers.graded_name(c)
    }
    nb = read(STUDENT_NOTEBOOK)
    assert len(nb.cells) == len(source.cells)
    for student, stored in zip(nb.cells, source.cells, strict=True):
        assert student.cell_type == stored.cell_type
        if student.cell_type != "code":
            continue
        name = markers.graded_name(student)
        code = student.source if name is None else solutions[name]
        assert code == stored.source


def test_stored_outputs_hold_no_warning_nan_error_or_object_repr():
    for cell in read(SOURCE_NOTEBOOK).cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
            assert getattr(output, "name", "stdout") == "stdout", cell.source
            if output.output_type == "stream":
                text = output.text
                assert "Warning" not in text and "warning" not in text, text
                assert not re.search(r"\bnan\b", text, re.IGNORECASE), text
                assert " at 0x" not in text, text
            else:
                plain = output.data.get("text/plain", "")
                assert FIGURE_SIZE.fullmatch(plain), f"an object repr: {plain}"
