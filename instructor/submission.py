"""Read a submitted notebook and find its graded code, whatever state it is in.

A graded cell is found by its ``# GRADED FUNCTION: <name>`` first line,
wherever it is: moved, duplicated (the last one counts) or with edited
metadata.  Nothing in the notebook is run here.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .markers import GRADED_HEADER


@dataclass
class GradedCode:
    """The code a submission gives for one graded function."""

    source: str | None
    copies: int = 0
    cell_numbers: list = field(default_factory=list)
    syntax_error: str | None = None

    @property
    def note(self):
        """A sentence about duplicates, for the feedback, or None."""
        if self.copies <= 1:
            return None
        cells = ", ".join(str(n) for n in self.cell_numbers)
        return (
            f"found {self.copies} graded cells for this function (cells {cells}); "
            "only the last one was graded"
        )


@dataclass
class Submission:
    """A submitted file: its student id, content hash and graded code."""

    student: str
    path: Path
    digest: str
    problem: str | None = None
    graded: dict = field(default_factory=dict)


def _cell_source(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


def _find_graded(cells, names):
    found = {name: GradedCode(None) for name in names}
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _cell_source(cell)
        lines = source.lstrip("\ufeff").splitlines()
        match = GRADED_HEADER.match(lines[0].strip()) if lines else None
        if match and match.group("name") in found:
            code = found[match.group("name")]
            code.source = source
            code.copies += 1
            code.cell_numbers.append(number)
    for code in found.values():
        if code.source is not None:
            try:
                compile(code.source, "<graded cell>", "exec")
            except (SyntaxError, ValueError) as error:
                line = getattr(error, "lineno", None)
                where = f" (line {line})" if line else ""
                code.syntax_error = f"{getattr(error, 'msg', error)}{where}"
    return found


def read_submission(path, names):
    """Read the notebook at ``path`` and find the graded functions ``names``.

    Never raises for a bad file: ``problem`` then says what is wrong with it
    (``corrupt JSON``, ``not a notebook``, ...).
    """
    path = Path(path)
    data = path.read_bytes()
    submission = Submission(
        student=path.stem, path=path, digest=hashlib.sha256(data).hexdigest()
    )
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        submission.problem = "not a notebook (not a text file)"
        return submission
    except json.JSONDecodeError as error:
        submission.problem = f"corrupt JSON (line {error.lineno}: {error.msg})"
        return submission
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        submission.problem = "not a notebook (no list of cells)"
        return submission
    submission.graded = _find_graded(nb["cells"], names)
    return submission
