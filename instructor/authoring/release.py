"""Generate the student notebook from the source notebook.

Each step is a small pass over the notebook, in the manner of nbgrader's
preprocessors: replace solutions by stubs, clear outputs, and clean metadata.
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from instructor.course import exercises
from instructor.course.floors import notebook_floors
from instructor.layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK
from instructor.markers import (
    END_CODE,
    START_CODE,
    graded_cells,
    graded_name,
    solution_regions,
)

NBFORMAT_VERSION = 4

#: Notebook-level metadata kept in the student notebook.
KEPT_NOTEBOOK_METADATA = ("kernelspec", "language_info")


def stub_lines(function_name: str, indent: str) -> list[str]:
    """Return the lines that replace one solution region of ``function_name``."""
    return [
        f"{indent}{START_CODE}",
        f"{indent}raise NotImplementedError(",
        f'{indent}    "{stub_message(function_name)}"',
        f"{indent})",
        f"{indent}{END_CODE}",
    ]


def stub_message(function_name: str) -> str:
    """Return the message a stub of ``function_name`` raises."""
    return f"{function_name} is not written yet: replace this line with your code."


def replace_solutions(nb: NotebookNode) -> NotebookNode:
    """Replace each solution region in the graded cells by a stub."""
    for cell in nb.cells:
        name = graded_name(cell)
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        regions = list(solution_regions(cell.source))
        if regions and name is None:
            raise ValueError(
                "a cell with a solution region has no '# GRADED FUNCTION: <name>' "
                f"first line:\n{cell.source[:200]}"
            )
        for start, end, indent in reversed(regions):
            # A region here means the name was found (the check above).
            lines[start : end + 1] = stub_lines(name, indent)  # type: ignore[arg-type]
        cell.source = "\n".join(lines)
    return nb


def clear_outputs(nb: NotebookNode) -> NotebookNode:
    """Remove every code cell's outputs and execution count."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


#: Cell metadata a release keeps: how the cell is shown.  The setup cell is
#: folded to its ``# @title`` line: ``jupyter.source_hidden`` in JupyterLab
#: and nbconvert, ``cellView: form`` in Colab.
KEPT_CELL_METADATA: dict[str, set[str] | None] = {
    "jupyter": {"source_hidden"},
    "cellView": None,
}


def kept_cell_metadata(metadata: Mapping[str, Any]) -> NotebookNode:
    """The keys of :data:`KEPT_CELL_METADATA` found in ``metadata``."""
    kept = nbformat.NotebookNode()
    for key, inner in KEPT_CELL_METADATA.items():
        if key not in metadata:
            continue
        value = metadata[key]
        if inner is not None:
            value = {k: v for k, v in dict(value).items() if k in inner}
        if value:
            kept[key] = nbformat.from_dict(value) if isinstance(value, dict) else value
    return kept


def clean_metadata(nb: NotebookNode) -> NotebookNode:
    """Drop per-cell metadata but how a cell is shown, and notebook metadata
    other than the kernel's."""
    for cell in nb.cells:
        cell.metadata = kept_cell_metadata(cell.metadata)
    nb.metadata = nbformat.NotebookNode(
        {key: nb.metadata[key] for key in KEPT_NOTEBOOK_METADATA if key in nb.metadata}
    )
    return nb


def release_settings(
    bundle_url: str | None = None, bundle_sha256: str | None = None
) -> dict[str, object]:
    """The values the release writes into the setup cell.

    ``LAB_FLOORS`` comes from ``requirements.txt``; ``BUNDLE_URL`` and
    ``BUNDLE_SHA256`` say where the setup cell fetches the lab's files from
    when the notebook is opened alone (both None: it asks the student to
    download the bundle).
    """
    return {
        "LAB_FLOORS": notebook_floors(),
        "BUNDLE_URL": bundle_url,
        "BUNDLE_SHA256": bundle_sha256,
    }


def _python_literal(name: str, value: object) -> list[str]:
    """``name = value`` as lines that ``ruff format`` leaves alone."""
    if isinstance(value, dict) and value:
        items = [f"    {json.dumps(k)}: {json.dumps(v)}," for k, v in value.items()]
        return [f"{name} = {{", *items, "}"]
    return [f"{name} = {'None' if value is None else json.dumps(value)}"]


def write_settings(nb: NotebookNode, settings: Mapping[str, object]) -> NotebookNode:
    """Replace each ``NAME = ...`` line of the setup cell by its release value.

    Raises
    ------
    ValueError
        If a setting's line is not found exactly once in the notebook.
    """
    for name, value in settings.items():
        places = [
            (cell, number)
            for cell in nb.cells
            if cell.cell_type == "code"
            for number, line in enumerate(cell.source.splitlines())
            if line.startswith(f"{name} = ")
        ]
        if len(places) != 1:
            raise ValueError(
                f"the setup cell must have one '{name} = ...' line, found {len(places)}"
            )
        [(cell, number)] = places
        lines = cell.source.splitlines()
        lines[number : number + 1] = _python_literal(name, value)
        cell.source = "\n".join(lines)
    return nb


RELEASE_STEPS = (replace_solutions, clear_outputs, clean_metadata)


def make_student_notebook(
    source_nb: Mapping[str, Any], settings: Mapping[str, object] | None = None
) -> NotebookNode:
    """Return the student version of ``source_nb`` (which is left unchanged).

    ``settings`` are written into the setup cell; by default
    :func:`release_settings` with no bundle URL.
    """
    nb = nbformat.from_dict(source_nb)
    nb = nbformat.from_dict(nbformat.reads(nbformat.writes(nb), NBFORMAT_VERSION))
    for step in RELEASE_STEPS:
        nb = step(nb)
    nb = write_settings(nb, release_settings() if settings is None else settings)
    nbformat.validate(nb)
    return nb


def student_notebook_text(
    source_path: str | Path = SOURCE_NOTEBOOK,
    settings: Mapping[str, object] | None = None,
) -> str:
    """Return the student notebook generated from ``source_path``, as file text."""
    source_nb = nbformat.read(source_path, as_version=NBFORMAT_VERSION)
    return nbformat.writes(make_student_notebook(source_nb, settings)) + "\n"


def check_exercises(source_nb: NotebookNode) -> None:
    """Check that the graded cells of ``source_nb`` are the exercise table's rows.

    Raises
    ------
    ValueError
        If a graded cell has no row in :mod:`instructor.course.exercises` (the
        grader would ignore it) or a row has no graded cell (every student
        would lose its points).
    """
    graded = {name for name, _ in graded_cells(source_nb)}
    unknown = sorted(graded - set(exercises.names()))
    missing = [name for name in exercises.names() if name not in graded]
    if unknown:
        raise ValueError(
            "graded cells with no row in instructor/course/exercises.py: "
            f"{', '.join(unknown)}"
        )
    if missing:
        raise ValueError(
            "exercises with no graded cell in the source notebook: "
            + ", ".join(missing)
        )


def release(
    source_path: str | Path = SOURCE_NOTEBOOK, student_path: Path = STUDENT_NOTEBOOK
) -> Path:
    """Write the student notebook generated from ``source_path`` to ``student_path``.

    Raises
    ------
    ValueError
        If the source's graded cells and the exercise table disagree.
    """
    check_exercises(nbformat.read(source_path, as_version=NBFORMAT_VERSION))
    text = student_notebook_text(source_path)
    student_path.parent.mkdir(parents=True, exist_ok=True)
    student_path.write_text(text, encoding="utf-8")
    return student_path
