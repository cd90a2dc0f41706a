"""Read a submitted notebook and find its graded code, whatever state it is in.

A graded cell is found by its ``# GRADED FUNCTION: <name>`` first line (after
a cell magic such as ``%%time``, which Jupyter wants first), wherever it is:
moved, duplicated (the last one counts) or with edited metadata.

Nothing in the notebook is run, compiled or parsed as Python here: the graded
code is only text, which the confined worker compiles (a syntax error comes
back from it with its line).  What the grader itself does with a submission
is bounded by the limits below, checked before the work they bound: the file's
size before it is read, the number of JSON values before it is parsed, a
graded cell's length before it is sent anywhere.
"""

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from instructor.markers import header_name

#: The largest notebook read, in bytes (checked before reading it).  A lab
#: notebook is ~60 kB, and a few MB with every figure's output.
MAX_NOTEBOOK_BYTES = 32 * 2**20
#: The most JSON values (counted as ``,``, ``[`` and ``{`` bytes, an upper
#: bound) a notebook may hold before it is parsed: parsing costs up to ~110
#: bytes of the grader's memory per value (``[{"a":1},...]``), whatever the size.
#: The lab's notebook has ~2,500; every line of a cell or an output is one.
MAX_NOTEBOOK_VALUES = 250_000
#: Bytes of the grader's memory a parsed JSON value may cost at most.
BYTES_PER_VALUE = 128
#: What reading one notebook may cost the grader at most, in bytes, for text in
#: ASCII or Latin-1: the file, its text and the parsed strings (3 times its
#: size) and the values.  One character outside Latin-1 makes Python store
#: its text in 2 or 4 bytes a character: then up to 9 times the size.
MAX_READING_BYTES = 3 * MAX_NOTEBOOK_BYTES + BYTES_PER_VALUE * MAX_NOTEBOOK_VALUES
#: The longest graded cell run, in characters.  The lab's are under 7,000.
MAX_GRADED_CELL_CHARS = 1_000_000
#: How much of a cell's start is searched for its header line.
_HEADER_SEARCH_CHARS = 4096


@dataclass
class GradedCode:
    """The code a submission gives for one graded function."""

    source: str | None
    copies: int = 0
    cell_numbers: list[int] = field(default_factory=list)
    too_large: str | None = None

    @property
    def note(self) -> str | None:
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
    graded: dict[str, GradedCode] = field(default_factory=dict)


def _cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


#: A cell's first non-blank line and, when that is a cell magic (``%%time``), the next.
_FIRST_LINES = re.compile(r"\s*([^\r\n]*)(?:\s*([^\r\n]*))?")


def cell_header(source: str) -> str | None:
    """The graded function a cell's header names, or None.

    The header is the first non-blank line, or the second when the first is a
    cell magic (a ``%%time`` cell runs its body in Jupyter).  Only the cell's
    first :data:`_HEADER_SEARCH_CHARS` characters are looked at, so a huge
    cell costs nothing here.
    """
    match = _FIRST_LINES.match(source[:_HEADER_SEARCH_CHARS])
    first, second = match.groups()  # type: ignore[union-attr]  # matches every text
    if first.startswith("%%"):
        first = second or ""
    return header_name(first)


def _too_large(source: str) -> str | None:
    """Why a graded cell is too long to be run, or None."""
    if len(source) <= MAX_GRADED_CELL_CHARS:
        return None
    return (
        f"the graded cell has {len(source):,} characters, "
        f"more than the {MAX_GRADED_CELL_CHARS:,} graded"
    )


def _find_graded(cells: list[Any], names: Iterable[str]) -> dict[str, GradedCode]:
    found = {name: GradedCode(None) for name in names}
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _cell_source(cell).lstrip("\ufeff")  # no copy when there is none
        name = cell_header(source)
        if name in found:
            code = found[name]
            code.source = source
            code.copies += 1
            code.cell_numbers.append(number)
    for code in found.values():
        if code.source is not None:
            code.too_large = _too_large(code.source)
    return found


def _cells(nb: Any) -> list[Any] | None:
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


class TooLarge(Unreadable):
    """A submitted file over the size allowed, refused unread."""


def too_large_reason(size: int) -> str:
    """The reason a file of ``size`` bytes is not read."""
    return (
        f"the notebook is too large ({size / 2**20:.1f} MB, at most "
        f"{MAX_NOTEBOOK_BYTES // 2**20} MB): clear its outputs and submit again"
    )


def read_file(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``.

    A symbolic link is never followed and a named pipe never waited on.  With
    ``max_bytes``, a file larger than that is refused before it is read (its
    size is checked on the open file, and no more is read than allowed).

    Raises
    ------
    Unreadable
        With the reason, in words, if ``path`` is not a regular file or
        cannot be read.
    TooLarge
        (An Unreadable) if the file holds more than ``max_bytes`` bytes.
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
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable(NOT_GRADED)
            if max_bytes is None:
                return file.read()
            if info.st_size > max_bytes:
                raise TooLarge(too_large_reason(info.st_size))
            data = file.read(max_bytes + 1)  # a file that grew since fstat
            if len(data) > max_bytes:
                raise TooLarge(too_large_reason(len(data)))
            return data
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror or error})") from None


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as hex: a submission's identity for the cache.

    A file over :data:`MAX_NOTEBOOK_BYTES` has no digest (it is never read).

    Raises
    ------
    Unreadable
        As :func:`read_file` (TooLarge over :data:`MAX_NOTEBOOK_BYTES`).
    """
    return hashlib.sha256(read_file(path, MAX_NOTEBOOK_BYTES)).hexdigest()


def _not_json(text: str) -> str:
    """Why ``text``, which is not JSON from its first character, is no notebook."""
    if _PYTHON.search(text[:2000]):
        return (
            "not a Jupyter notebook: it looks like Python code "
            "(was a .py renamed to .ipynb?)"
        )
    return "not a Jupyter notebook: a notebook is a JSON file, and this is plain text"


def notebook_problem(data: bytes) -> tuple[Any, str | None]:
    """``(notebook, None)`` for a notebook's bytes, or ``(None, why not)``."""
    values = data.count(b",") + data.count(b"[") + data.count(b"{")
    if values > MAX_NOTEBOOK_VALUES:
        return None, (
            f"the notebook holds too many values ({values:,} commas and brackets, "
            f"at most {MAX_NOTEBOOK_VALUES:,}): clear its outputs and submit again"
        )
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


def read_submission(
    path: str | Path, names: Iterable[str], student: str | None = None
) -> Submission:
    """Read the notebook at ``path`` and find the graded functions ``names``.

    ``student`` is the id (by default the file name without ``.ipynb``).
    Never raises for a bad file: ``problem`` then says what is wrong with it
    (``the file is empty``, ``corrupt JSON``, ``not a Jupyter notebook``,
    ``a symbolic link``, ...).
    """
    path = Path(path)
    submission = Submission(student=student or path.stem, path=path, digest="")
    try:
        data = read_file(path, MAX_NOTEBOOK_BYTES)
    except Unreadable as error:
        submission.problem = str(error)
        return submission
    submission.digest = hashlib.sha256(data).hexdigest()
    nb, submission.problem = notebook_problem(data)
    del data  # the parsed notebook is all that is needed from here
    if submission.problem:
        return submission
    cells = _cells(nb)
    if cells is None:
        submission.problem = "not a notebook (no list of cells)"
        return submission
    submission.graded = _find_graded(cells, names)
    return submission
