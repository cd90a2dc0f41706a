"""Read a submitted notebook and find its graded code, whatever state it is in.

A graded cell is found by its ``# GRADED FUNCTION: <name>`` first line,
wherever it is: moved, duplicated (the last one counts) or with edited
metadata.  Nothing in the notebook is run here.
"""

import hashlib
import json
import os
import re
import stat
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


#: The first lines of Python source, as a ``.py`` renamed to ``.ipynb`` starts.
_PYTHON = re.compile(
    r"^\s*(?:def \w+\(|class \w+|import \w|from [\w.]+ import |#|print\(|\w+ = )",
    re.MULTILINE,
)


NOT_GRADED = "not a regular file: not graded"


class Unreadable(Exception):
    """A submitted path that is not a regular file, or whose read failed."""


def read_file(path):
    """The bytes of the regular file at ``path``.

    A symbolic link is never followed and a named pipe never waited on.

    Raises
    ------
    Unreadable
        With the reason, in words, if ``path`` is not a regular file or
        cannot be read.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):
            raise Unreadable(f"a symbolic link, {NOT_GRADED}") from None
        raise Unreadable(f"cannot be read ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise Unreadable(NOT_GRADED)
            return file.read()
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror or error})") from None


def file_digest(path):
    """The SHA-256 of a file's bytes, as hex: a submission's identity for the cache.

    Raises
    ------
    Unreadable
        As :func:`read_file`.
    """
    return hashlib.sha256(read_file(path)).hexdigest()


def _not_json(text):
    """Why ``text``, which is not JSON from its first character, is no notebook."""
    if _PYTHON.search(text[:2000]):
        return (
            "not a Jupyter notebook: it looks like Python code "
            "(was a .py renamed to .ipynb?)"
        )
    return "not a Jupyter notebook: a notebook is a JSON file, and this is plain text"


def notebook_problem(data):
    """``(notebook, None)`` for a notebook's bytes, or ``(None, why not)``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not a notebook (not a text file)"
    if not text.strip():
        return None, "the file is empty"
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos == len(text) - len(text.lstrip()):
            return None, _not_json(text)
        return None, f"corrupt JSON (line {error.lineno}: {error.msg})"
    except (RecursionError, ValueError, MemoryError) as error:
        return None, f"corrupt JSON ({type(error).__name__})"
    return nb, None


def read_submission(path, names, student=None):
    """Read the notebook at ``path`` and find the graded functions ``names``.

    ``student`` is the id (by default the file name without ``.ipynb``).
    Never raises for a bad file: ``problem`` then says what is wrong with it
    (``the file is empty``, ``corrupt JSON``, ``not a Jupyter notebook``,
    ``a symbolic link``, ...).
    """
    path = Path(path)
    submission = Submission(student=student or path.stem, path=path, digest="")
    try:
        data = read_file(path)
    except Unreadable as error:
        submission.problem = str(error)
        return submission
    submission.digest = hashlib.sha256(data).hexdigest()
    nb, submission.problem = notebook_problem(data)
    if submission.problem:
        return submission
    cells = _cells(nb)
    if cells is None:
        submission.problem = "not a notebook (no list of cells)"
        return submission
    submission.graded = _find_graded(cells, names)
    return submission
