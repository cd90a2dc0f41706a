"""Load the reference solutions from the source notebook's graded cells."""

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from instructor.layout import SOURCE_NOTEBOOK
from instructor.markers import graded_cells, graded_name

#: What every graded cell may use without importing it: the lab's own imports.
PROVIDED_IMPORTS = "import numpy as np\n"


def load_graded_functions(nb: NotebookNode) -> dict[str, Callable[..., Any]]:
    """Run a notebook's graded cells in a fresh namespace; return ``{name: function}``.

    Only the graded cells run, after the imports the lab provides.  When a
    function is defined in more than one graded cell, the last one counts.

    Raises
    ------
    ValueError
        If a graded cell does not define the function its header names.
    """
    functions = {}
    for name, cell in graded_cells(nb):
        namespace: dict[str, Any] = {}
        exec(compile(PROVIDED_IMPORTS, "<provided imports>", "exec"), namespace)
        exec(compile(cell.source, f"<graded cell {name}>", "exec"), namespace)
        if not callable(namespace.get(name)):
            raise ValueError(f"the graded cell '{name}' does not define {name}()")
        functions[name] = namespace[name]
    return functions


def load_reference(path: Path = SOURCE_NOTEBOOK) -> dict[str, Callable[..., Any]]:
    """Return ``{name: function}`` of the reference solutions in the source notebook."""
    return load_graded_functions(nbformat.read(path, as_version=4))


def solution_sources(path: Path = SOURCE_NOTEBOOK) -> dict[str, str]:
    """Return ``{name: graded cell source}`` of the source notebook's solutions."""
    return {
        name: cell.source
        for name, cell in graded_cells(nbformat.read(path, as_version=4))
    }


def plant_solutions(
    nb: NotebookNode,
    names: Collection[str] | None = None,
    path: Path = SOURCE_NOTEBOOK,
) -> NotebookNode:
    """Put the reference solutions into ``nb``'s graded cells, in place; return it.

    ``names`` limits which graded functions get theirs (default: all), as a
    student who has done only some exercises.
    """
    solutions = solution_sources(path)
    for cell in nb.cells:
        name = graded_name(cell)
        if name is not None and (names is None or name in names):
            cell.source = solutions[name]
    return nb
