"""The student notebook is generated from the source notebook and leaks nothing."""

import nbformat
import pytest
from notebook_text import without_settings

from instructor import markers
from instructor.__main__ import main
from instructor.authoring.release import (
    make_student_notebook,
    stub_message,
    student_notebook_text,
)
from instructor.course.floors import notebook_floors
from instructor.layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK

GRADED = ["find_closest_centroids", "compute_centroids", "kMeans_plusplus_init"]


@pytest.fixture(scope="module")
def source():
    return nbformat.read(SOURCE_NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def student():
    return nbformat.read(STUDENT_NOTEBOOK, as_version=4)


def test_committed_student_notebook_is_what_release_generates():
    committed = STUDENT_NOTEBOOK.read_text(encoding="utf-8")
    assert committed == student_notebook_text(), (
        "notebooks/kmeans_lab.ipynb is stale: run `python -m instructor release`"
    )


def test_source_has_the_graded_functions_with_solutions(source):
    cells = markers.graded_cells(source)
    assert [name for name, _ in cells] == GRADED
    for _, cell in cells:
        assert markers.solution_lines(cell.source)


def test_no_solution_line_leaks_into_the_student_notebook(source, student):
    solution = {
        line.strip()
        for _, cell in markers.graded_cells(source)
        for line in markers.solution_lines(cell.source)
        if not line.strip().startswith("#") and any(ch.isalnum() for ch in line)
    }
    student_lines = {
        line.strip() for cell in student.cells for line in cell.source.splitlines()
    }
    assert solution, "the source notebook has no solution lines to check"
    assert not solution & student_lines
    assert markers.BEGIN_SOLUTION not in nbformat.writes(student)


def test_student_graded_cells_hold_a_stub(student):
    cells = markers.graded_cells(student)
    assert [name for name, _ in cells] == GRADED
    for name, cell in cells:
        assert markers.START_CODE in cell.source
        assert markers.END_CODE in cell.source
        assert stub_message(name) in cell.source


def test_student_notebook_is_valid_with_ids_and_no_outputs(student):
    nbformat.validate(student)
    assert (student.nbformat, student.nbformat_minor) >= (4, 5)
    ids = [cell.id for cell in student.cells]
    assert all(ids) and len(set(ids)) == len(ids)
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_release_keeps_everything_but_solutions_outputs_and_settings(source, student):
    assert len(source.cells) == len(student.cells)
    for before, after in zip(source.cells, student.cells, strict=True):
        assert before.id == after.id
        if markers.graded_name(before) is None:
            assert without_settings(before.source) == without_settings(after.source)


def test_release_writes_the_floors_of_requirements_into_the_setup_cell(student):
    setup = next(cell for cell in student.cells if cell.cell_type == "code").source
    floors = "".join(
        f'    "{name}": "{version}",\n' for name, version in notebook_floors().items()
    )
    assert f"LAB_FLOORS = {{\n{floors}}}\n" in setup
    assert "\nBUNDLE_URL = None\nBUNDLE_SHA256 = None\n" in setup


@pytest.mark.parametrize("copies", [0, 2])
def test_release_needs_each_setting_line_once(copies):
    nb = graded_notebook("BUNDLE_URL = None\n" * copies)
    with pytest.raises(ValueError, match="one 'BUNDLE_URL = ...' line, found"):
        make_student_notebook(nb, {"BUNDLE_URL": "https://example.org/b.zip"})


def test_release_leaves_the_source_unchanged(source):
    text = nbformat.writes(source)
    make_student_notebook(source)
    assert nbformat.writes(source) == text


def graded_notebook(source_text):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source_text)])


def test_stub_keeps_the_solution_indentation():
    nb = graded_notebook(
        "# GRADED FUNCTION: f\ndef f():\n    ### BEGIN SOLUTION\n    x = 1\n"
        "    ### END SOLUTION\n    return x"
    )
    lines = make_student_notebook(nb, settings={}).cells[0].source.splitlines()
    assert lines[2] == "    " + markers.START_CODE
    assert lines[3] == "    raise NotImplementedError("
    assert lines[-1] == "    return x"
    assert "x = 1" not in lines


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# GRADED FUNCTION: f\n### BEGIN SOLUTION\nx = 1", "never ended"),
        ("# GRADED FUNCTION: f\nx = 1\n### END SOLUTION", "without a begin"),
        (
            "# GRADED FUNCTION: f\n### BEGIN SOLUTION\n### BEGIN SOLUTION\n"
            "### END SOLUTION",
            "inside another one",
        ),
        ("x = 1\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION", "GRADED FUNCTION"),
    ],
    ids=["unended", "unbegun", "nested", "no header"],
)
def test_release_rejects_malformed_markers(text, message):
    with pytest.raises(ValueError, match=message):
        make_student_notebook(graded_notebook(text), settings={})


def test_graded_header_is_found_only_on_the_first_line():
    assert markers.graded_name(nbformat.v4.new_code_cell("# GRADED FUNCTION: f")) == "f"
    assert (
        markers.graded_name(nbformat.v4.new_code_cell("x = 1\n# GRADED FUNCTION: f"))
        is None
    )
    assert (
        markers.graded_name(nbformat.v4.new_markdown_cell("# GRADED FUNCTION: f"))
        is None
    )


def test_release_command_writes_the_student_notebook(tmp_path, capsys):
    out = tmp_path / "student.ipynb"
    assert main(["release", "--student", str(out), "--out", str(tmp_path / "b")]) == 0
    assert out.read_text(encoding="utf-8") == STUDENT_NOTEBOOK.read_text(
        encoding="utf-8"
    )
    assert str(out) in capsys.readouterr().out
