"""The source notebook as the platforms start from it: solutions kept."""

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from instructor.authoring.release import (
    KEPT_NOTEBOOK_METADATA,
    NBFORMAT_VERSION,
    check_exercises,
    clear_outputs,
    release_settings,
    write_settings,
)
from instructor.course import exercises
from instructor.layout import SOURCE_NOTEBOOK
from instructor.markers import graded_cells


def prepared_source(source_path: str | Path = SOURCE_NOTEBOOK) -> NotebookNode:
    """The source notebook with its solutions, outputs cleared, setup cell released.

    Unlike the student notebook, the graded cells keep their solutions
    between ``### BEGIN SOLUTION`` and ``### END SOLUTION``: nbgrader and
    otter cut them themselves when they release.

    Raises
    ------
    ValueError
        If the graded cells and the exercise table disagree.
    """
    nb = nbformat.read(source_path, as_version=NBFORMAT_VERSION)
    check_exercises(nb)
    clear_outputs(nb)
    write_settings(nb, release_settings())
    nb.metadata = nbformat.NotebookNode(
        {key: nb.metadata[key] for key in KEPT_NOTEBOOK_METADATA if key in nb.metadata}
    )
    return nb


def public_test_position(nb: NotebookNode, name: str) -> int:
    """Index of the cell that runs ``name``'s public test, else its graded cell's."""
    call = f"public_tests.{exercises.exercise(name).public_test}("
    graded = {id(cell): n for n, cell in enumerate(nb.cells)}
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and call in cell.source:
            return n
    [cell] = [cell for graded_name, cell in graded_cells(nb) if graded_name == name]
    return graded[id(cell)]
