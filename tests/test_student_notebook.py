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


@pytest.fixture(scope="module")
def planted_run():
    """The student notebook with the reference solutions put back, run from the root.

    Returns ``(ran, stored)``: its cells after the run, and the source's cells
    with their stored outputs, pairs of which hold the same code.
    """
    source = read(SOURCE_NOTEBOOK)
    solutions = {
        markers.graded_name(c): c.source for c in source.cells if markers.graded_name(c)
    }
    nb = read(STUDENT_NOTEBOOK)
    for cell in nb.cells:
        name = markers.graded_name(cell)
        if name is not None:
            cell.source = solutions[name]
    execute_notebook(nb, REPO_ROOT)
    assert len(nb.cells) == len(source.cells)
    return [
        (ran, stored)
        for ran, stored in zip(nb.cells, source.cells, strict=True)
        if ran.cell_type == "code"
        and not ran.source.startswith("# NBVAL_IGNORE_OUTPUT")  # timings
    ]


@pytest.mark.pinned
def test_with_the_solutions_put_back_it_reproduces_the_source_outputs(planted_run):
    for ran, stored in planted_run:
        assert visible_text(ran) == visible_text(stored), ran.source


def test_with_the_solutions_put_back_no_cell_fails_warns_or_prints_nan(planted_run):
    for ran, _ in planted_run:
        assert not errors(ran), ran.source
        for output in ran.get("outputs", []):
            assert getattr(output, "name", "stdout") == "stdout", output.text
            text = getattr(output, "text", "")
            assert not re.search(r"\bnan\b", text, re.IGNORECASE), text


#: A printed number, with thousands separators.
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
#: How far a PNG's size (or a ratio of sizes) may move between library versions:
#: it depends on Pillow's encoder, not on the lab. Between Pillow 10.4 and 13.0
#: the 16-colour PNG is 3,932 against 4,206 bytes (7% apart) and the 8-colour
#: one of Choosing K 3,043 against 3,564 (15%, the most seen).
PNG_SIZE_TOLERANCE = 0.25
#: Lines whose numbers are PNG sizes or ratios of them.
PNG_SIZE_LINE = re.compile(r"bytes|ratio|times the palette PNG")


def png_size(line, header, position, count):
    """Whether the ``position``-th of ``count`` numbers on ``line`` is a PNG size.

    Either the line speaks of bytes or ratios, or it is the last column of a
    table whose header (``header``, the latest line without digits) does.
    """
    if PNG_SIZE_LINE.search(line):
        return True
    return "(bytes)" in (header or "") and position == count - 1


def numbers_agree(ran, stored, tolerance):
    """Equal to the stored number's last printed digit, or within ``tolerance``."""
    ran_value, stored_value = (float(x.replace(",", "")) for x in (ran, stored))
    decimals = len(stored.partition(".")[2])
    difference = abs(ran_value - stored_value)
    return difference <= 10.0**-decimals or difference <= tolerance * abs(stored_value)


def test_with_the_solutions_put_back_it_states_the_source_numbers(planted_run):
    """Any stack: the same text, each number within its stated tolerance."""
    for ran, stored in planted_run:
        ran_lines = "".join(visible_text(ran)).splitlines()
        stored_lines = "".join(visible_text(stored)).splitlines()
        assert len(ran_lines) == len(stored_lines), ran.source
        header = None
        for ran_line, stored_line in zip(ran_lines, stored_lines, strict=True):
            assert NUMBER.sub("#", ran_line) == NUMBER.sub("#", stored_line)
            stored_numbers = NUMBER.findall(stored_line)
            if not stored_numbers:
                header = stored_line
            pairs = zip(NUMBER.findall(ran_line), stored_numbers, strict=True)
            for position, (ran_number, stored_number) in enumerate(pairs):
                png = png_size(stored_line, header, position, len(stored_numbers))
                tolerance = PNG_SIZE_TOLERANCE if png else 0.0
                assert numbers_agree(ran_number, stored_number, tolerance), (
                    f"{ran_line!r} against the stored {stored_line!r}"
                )


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
