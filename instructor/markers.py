"""The markers that delimit graded code in the lab's notebooks.

A graded cell is a code cell whose first line is ``# GRADED FUNCTION: <name>``.
In the source notebook it holds the reference solution between
``### BEGIN SOLUTION`` and ``### END SOLUTION``; in the student notebook that
region becomes a stub between ``### START CODE HERE ###`` and
``### END CODE HERE ###``.
"""

import re
from collections.abc import Iterator
from typing import Any

GRADED_HEADER = re.compile(r"^# GRADED FUNCTION: (?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*$")
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
START_CODE = "### START CODE HERE ###"
END_CODE = "### END CODE HERE ###"


def header_name(source: str) -> str | None:
    """Return the name in a ``# GRADED FUNCTION: <name>`` first line, else None.

    The first non-blank line counts; a byte-order mark before it is ignored.
    """
    for line in source.lstrip("\ufeff").splitlines():
        if line.strip():
            match = GRADED_HEADER.match(line.strip())
            return match.group("name") if match else None
    return None


def graded_name(cell: Any) -> str | None:
    """Return the graded function's name if ``cell`` is a graded cell, else None."""
    if cell.get("cell_type") != "code":
        return None
    return header_name(cell.get("source", ""))


def graded_cells(nb: Any) -> list[tuple[str, Any]]:
    """Return ``[(name, cell), ...]`` for the notebook's graded cells, in order."""
    found = []
    for cell in nb.cells:
        name = graded_name(cell)
        if name is not None:
            found.append((name, cell))
    return found


def solution_regions(source: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, indent)`` line ranges of the solution regions in ``source``.

    ``start`` is the line of ``### BEGIN SOLUTION``, ``end`` that of
    ``### END SOLUTION``; ``indent`` is the begin marker's indentation.

    Raises
    ------
    ValueError
        If the markers are unbalanced or nested.
    """
    lines = source.splitlines()
    start = None
    for number, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN_SOLUTION:
            if start is not None:
                raise ValueError(
                    f"line {number + 1}: {BEGIN_SOLUTION} inside another one"
                )
            start = number
        elif marker == END_SOLUTION:
            if start is None:
                raise ValueError(f"line {number + 1}: {END_SOLUTION} without a begin")
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            yield start, number, indent
            start = None
    if start is not None:
        raise ValueError(f"line {start + 1}: {BEGIN_SOLUTION} is never ended")


def solution_lines(source: str) -> list[str]:
    """Return the non-blank lines inside the solution regions of ``source``."""
    lines = source.splitlines()
    inside: list[str] = []
    for start, end, _ in solution_regions(source):
        inside.extend(line for line in lines[start + 1 : end] if line.strip())
    return inside
