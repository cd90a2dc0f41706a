"""Read a submitted notebook and find its graded code, whatever state it is in.

A graded cell is found by its ``# GRADED FUNCTION: <name>`` first line,
wherever it is: moved, duplicated (the last one counts) or with edited
metadata.  Nothing in the notebook is run here.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .markers import header_name


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


def _syntax_error(source):
    """Return why ``source`` does not compile, or None if it does."""
    try:
        compile(source, "<graded cell>", "exec")
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        return f"{error.msg}{where}"
    except Exception as error:  # noqa: BLE001 - e.g. MemoryError on absurd nesting
        return f"{type(error).__name__} while compiling"
    return None


def _find_graded(cells, names):
    found = {name: GradedCode(None) for name in names}
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _cell_source(cell).lstrip("\ufeff")
        name = header_name(source)
        if name in found:
            code = found[name]
            code.source = source
            code.copies += 1
            code.cell_numbers.append(number)
    for code in found.values():
        if code.source is not None:
            code.syntax_error = _syntax_error(code.source)
    return found


def _cells(nb):
    """The notebook's list of cells, from nbformat 4, or 3 upgraded; else None."""
    if not isinstance(nb, dict):
        return None
    if isinstance(nb.get("cells"), list):
        return nb["cells"]
    if isinstance(nb.get("worksheets"), list):
        try:
            return nbformat.convert(nbformat.from_dict(nb), 4).cells
        except Exception:  # noqa: BLE001 - an unreadable old notebook
            return None
    return None


def file_digest(path):
    """The SHA-256 of a file's bytes, as hex: a submission's identity for the cache."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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
    except (RecursionError, ValueError, MemoryError) as error:
        submission.problem = f"corrupt JSON ({type(error).__name__})"
        return submission
    cells = _cells(nb)
    if cells is None:
        submission.problem = "not a notebook (no list of cells)"
        return submission
    submission.graded = _find_graded(cells, names)
    return submission
