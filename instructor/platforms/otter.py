"""Write an otter-grader master notebook: ``python -m instructor export otter``.

The folder gets ``kmeans_lab.ipynb``, a master notebook in otter-assign's
format (a raw ``# ASSIGNMENT CONFIG`` cell first; each graded function a
question whose solution sits between ``# BEGIN SOLUTION NO PROMPT`` and
``# END SOLUTION`` with the lab's stub as its prompt), and the lab's files it
lists.  Each hidden case is one hidden otter test worth the case's points:
it runs the program of :mod:`.hidden_program` on that case alone and fails with the
grader's message.  The program travels compressed inside each test, so
``otter assign`` puts it only in the autograder, never in the student folder.
"""

import base64
import zlib
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from instructor.authoring.release import stub_lines
from instructor.course import exercises
from instructor.layout import ASSIGNMENT, NOTEBOOK_NAME
from instructor.markers import graded_name, solution_regions
from instructor.platforms import hidden_program as program
from instructor.platforms.lab_files import copy_lab_files
from instructor.platforms.source_notebook import prepared_source

#: The lab's files the master lists for otter to copy (folders whole).
LISTED = ("utils.py", "public_tests.py", "labkit", "data")


def _raw(text: str) -> NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def program_line() -> str:
    """One line that sets ``_KMEANS_LAB_PROGRAM`` (compressed: otter's doctests
    handle one long line better than a 400-line string)."""
    packed = base64.b64encode(zlib.compress(program.kernel_program().encode(), 9))
    return (
        "_KMEANS_LAB_PROGRAM = __import__('zlib').decompress(__import__('base64')"
        f".b64decode('{packed.decode()}')).decode()"
    )


def test_source(name: str, index: int, points: float) -> str:
    """The hidden otter test of case ``index`` of graded function ``name``."""
    return "\n".join(
        [
            '""" # BEGIN TEST CONFIG',
            "hidden: true",
            f"points: {points:g}",
            '""" # END TEST CONFIG',
            program_line(),
            "_kmeans_lab_hidden = {'__name__': 'kmeans_lab_hidden'}",
            "exec(compile(_KMEANS_LAB_PROGRAM, '<hidden cases>', 'exec'), "
            "_kmeans_lab_hidden)",
            f"_kmeans_lab_hidden['check_case']({name!r}, globals().get({name!r}), "
            f"{index})",
        ]
    )


def solution_cell(cell: NotebookNode, name: str) -> NotebookNode:
    """The graded cell with otter's solution markers and the lab's stub as prompt."""
    lines = cell.source.splitlines()
    for start, end, indent in reversed(list(solution_regions(cell.source))):
        prompt = [f'{indent}""" # BEGIN PROMPT']
        prompt += stub_lines(name, indent)
        prompt.append(f'{indent}""" # END PROMPT')
        lines[start : end + 1] = [
            f"{indent}# BEGIN SOLUTION NO PROMPT",
            *lines[start + 1 : end],
            f"{indent}# END SOLUTION",
            *prompt,
        ]
    return nbformat.v4.new_code_cell("\n".join(lines))


def question_cells(cell: NotebookNode, name: str) -> list[NotebookNode]:
    """The cells of one otter question: the solution, then one test per case."""
    cases = exercises.hidden_cases(name)
    tests = [
        nbformat.v4.new_code_cell(test_source(name, index, hidden.points))
        for index, hidden in enumerate(cases)
    ]
    return [
        _raw(f"# BEGIN QUESTION\nname: {name}"),
        _raw("# BEGIN SOLUTION"),
        solution_cell(cell, name),
        _raw("# END SOLUTION"),
        _raw("# BEGIN TESTS"),
        *tests,
        _raw("# END TESTS"),
        _raw("# END QUESTION"),
    ]


def master_notebook(source_path: str | Path | None = None) -> NotebookNode:
    """The otter-assign master notebook, built from the lab's source notebook."""
    nb = prepared_source() if source_path is None else prepared_source(source_path)
    cells: list[Any] = []
    for cell in nb.cells:
        name = graded_name(cell)
        cells.extend([cell] if name is None else question_cells(cell, name))
    files = "\n".join(f"  - {name}" for name in LISTED)
    config = (program.TEMPLATES / "otter_config.yml.in").read_text(encoding="utf-8")
    cells.insert(0, _raw(config.format(assignment=ASSIGNMENT, files=files).strip()))
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def write_master(out: str | Path, source_path: str | Path | None = None) -> list[str]:
    """Write the master notebook and the lab's files into ``out``; return them.

    Raises
    ------
    ValueError
        If ``out`` is a file or already holds a master notebook.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file; give a folder for the master")
    master = out / NOTEBOOK_NAME
    if master.exists():
        raise ValueError(
            f"{master} already exists: export into a new folder, or move it away "
            "first (nothing was written)"
        )
    nb = master_notebook(source_path)
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, master)
    return [NOTEBOOK_NAME, *copy_lab_files(out)]
