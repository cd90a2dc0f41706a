"""Gradebook files for spreadsheets and LMSs: safe CSV, the roster join, Canvas.

* Every CSV the tools write goes through :func:`csv_text`, which neutralises
  any cell a spreadsheet would run as a formula (one starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) by putting a single quote
  in front of it: a student named ``=HYPERLINK(...)`` stays text.
* :func:`read_roster` reads a class list: Canvas's gradebook export (columns
  ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, ...,
  with its ``Points Possible`` row) or any CSV with an id and a name column.
* :func:`match_submissions` joins the roster to submitted files: Canvas's
  download names by the user ``ID`` in them, other names by the roster's
  id column, taking the latest of ``jdoe.ipynb``, ``jdoe-1.ipynb``,
  ``jdoe-2.ipynb`` (the suffixes an LMS download adds to resubmissions)
  when they are such a run (:func:`resubmission_run`).
* :func:`canvas_csv` writes the file Canvas's gradebook import reads, from
  the roster or, without one, from the Canvas ids in grades.csv.
* :func:`read_grades` reads back what :func:`csv_text` wrote, exactly
  (:func:`restore` undoes :func:`neutralise`): grades.csv is a ledger.

Ids are compared without regard to case or Unicode form, because a file
system that ignores case (macOS, Windows) would merge ``JDoe.md`` and
``jdoe.md``: two ids that differ only in case are an error.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # discovery imports this module
    from instructor.grading.discovery import Found

#: What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Columns of Canvas's gradebook, before the assignments, in its order.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: Roster columns tried, in order, for the student id when none is named.
ID_COLUMNS = ("SIS Login ID", "SIS User ID", "ID", "student_id", "id", "student")
#: Roster columns tried, in order, for the student's name.
NAME_COLUMNS = ("Student", "name", "Name")
#: What ``grade --format`` writes: csv, grades.csv only (the default, first);
#: canvas, also :data:`CANVAS_FILE` for Canvas's gradebook import.
FORMATS = ("csv", "canvas")
CANVAS_FILE = "canvas.csv"
#: The assignment column of canvas.csv unless named: Canvas adds it as a new one.
CANVAS_ASSIGNMENT = "K-means lab"
#: Canvas's second row: the points of each assignment, not a student.
POINTS_POSSIBLE = "Points Possible"
#: ``jdoe-2``: the second resubmission of ``jdoe``, as LMS downloads name it.
RESUBMISSION = re.compile(r"^(?P<base>.+)-(?P<number>[0-9]+)$")


def neutralise(cell: object) -> str:
    """``cell`` as text a spreadsheet shows as it is, never runs as a formula.

    A cell that starts like a formula, after any single quotes, gets one
    more quote in front, so :func:`restore` gives back exactly ``cell``.
    """
    text = "" if cell is None else str(cell)
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def restore(cell: str) -> str:
    """The cell :func:`neutralise` was given, from what it returned."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def read_grades(path: str | os.PathLike[str]) -> list[dict[str, str]] | None:
    """The rows (dicts) of a CSV file :func:`csv_text` wrote, cells restored.

    Returns None if the file has no ``student`` column.

    Raises
    ------
    OSError, UnicodeDecodeError, csv.Error
        If the file cannot be read (FileNotFoundError if there is none).
    """
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        header = [restore(c) for c in next(reader, [])]
        if "student" not in header:
            return None
        return [
            dict(zip(header, (restore(c) for c in cells), strict=False))
            for cells in reader
            if cells
        ]


def csv_text(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any] | Sequence[Any]]
) -> str:
    """The CSV text of ``rows`` (dicts, or sequences in ``columns`` order).

    Every cell, the header's too, is passed through :func:`neutralise`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        values = [row.get(c, "") for c in columns] if isinstance(row, dict) else row
        writer.writerow([neutralise(value) for value in values])
    return buffer.getvalue()


def id_key(student_id: str) -> str:
    """The form in which two ids are the same student.

    Case does not count, nor the Unicode form: ``José`` typed (NFC) and as
    macOS stores it (NFD) are one student.
    """
    folded = unicodedata.normalize("NFC", student_id).casefold()
    return unicodedata.normalize("NFC", folded)


def check_distinct(ids: Iterable[str], what: str) -> None:
    """Raise ValueError if two of ``ids`` differ only in case (or are equal).

    ``what`` says where the ids come from, for the message.
    """
    seen: dict[str, str] = {}
    for student_id in ids:
        key = id_key(student_id)
        if key in seen:
            same = (
                "the same id"
                if seen[key] == student_id
                else "ids that differ only in case"
            )
            raise ValueError(
                f"{what} has {same}: '{seen[key]}' and '{student_id}'; "
                "a file system that ignores case would mix up their files"
            )
        seen[key] = student_id


@dataclass
class Student:
    """One student of the roster: the id, the name and the roster's whole row."""

    id: str
    name: str
    row: dict[str, str] = field(default_factory=dict)


@dataclass
class Roster:
    """A class list, in the roster file's order."""

    id_column: str
    name_column: str | None
    students: list[Student]

    def find(self, student_id: str) -> Student | None:
        """The student whose id is ``student_id`` (case ignored), or None."""
        key = id_key(student_id)
        return next((s for s in self.students if id_key(s.id) == key), None)


def read_roster(path: str | Path, id_column: str | None = None) -> Roster:
    """Read the class list at ``path``.

    Parameters
    ----------
    path : path-like
        A CSV file with a header row, e.g. Canvas's gradebook export.
    id_column : str, optional
        The column holding the ids students name their files with; by
        default the first of :data:`ID_COLUMNS` the file has.

    Raises
    ------
    ValueError
        If the file cannot be read, has no such column, or two students'
        ids are equal or differ only in case.
    """
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            header = list(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValueError(f"cannot read the roster {path}: {error}") from error
    if id_column is None:
        id_column = next((c for c in ID_COLUMNS if c in header), None)
        if id_column is None:
            raise ValueError(
                f"the roster {path} has no id column (one of {', '.join(ID_COLUMNS)}); "
                f"its columns are: {', '.join(header) or 'none'}"
            )
    elif id_column not in header:
        raise ValueError(
            f"the roster {path} has no column '{id_column}'; "
            f"its columns are: {', '.join(header) or 'none'}"
        )
    name_column = next((c for c in NAME_COLUMNS if c in header), None)
    students = []
    for row in rows:
        student_id = (row.get(id_column) or "").strip()
        name = (row.get(name_column) or "").strip() if name_column else ""
        if not student_id or name == POINTS_POSSIBLE:
            continue  # Canvas's points row, or a blank line
        students.append(Student(student_id, name, row))
    check_distinct([s.id for s in students], f"the roster {path}")
    return Roster(id_column, name_column, students)


@dataclass
class Match:
    """How the submitted files were joined to the roster.

    Attributes
    ----------
    chosen : dict
        ``{student id: Found}``, the latest submission of each student.
    versions : dict
        ``{student id: number of that student's files}``.
    unknown : list
        The Found whose id matches no student of the roster.
    missing : list
        Students of the roster with no submission.
    """

    chosen: dict[str, Found]
    versions: dict[str, int]
    unknown: list[Found]
    missing: list[Student]

    def report(self) -> list[str]:
        """Lines for the instructor: what was taken, what is unknown, who is missing."""
        lines: list[str] = []
        for student_id, item in self.chosen.items():
            if item.problem:
                lines.append(f"{student_id}: {item.problem}")
            elif item.note:
                lines.append(f"{student_id}: {item.note}")
            elif self.versions[student_id] > 1 or item.path.stem != student_id:
                lines.append(
                    f"{student_id}: took {item.path.name} "
                    f"(the latest of {self.versions[student_id]} file(s))"
                )
        for item in self.unknown:
            lines.append(f"not in the roster, not graded: {item.path.name}")
        for student in self.missing:
            name = f" ({student.name})" if student.name else ""
            lines.append(f"no submission from {student.id}{name}")
        return lines


def resubmission_run(numbers: Iterable[int]) -> bool:
    """Whether one student's ``-N`` numbers can be the ones an LMS gave them.

    An LMS numbers a student's resubmissions itself: no suffix (0), then 1,
    2, ... with no gap and no number twice.  But a plain file name (and the
    end of a Canvas one) is the student's own file name, which may end in
    ``-99``: the suffixes are trusted as an order only when they form such a
    run starting at 0 or 1, so a planted ``jdoe-99.ipynb`` beside
    ``jdoe.ipynb`` is no resubmission.  Within a run, a student who names a
    file with the next number only picks which of their own uploads counts,
    as uploading it again would.  One file is always its student's.
    """
    ordered = sorted(numbers)
    if len(ordered) <= 1:
        return True
    return ordered[0] in (0, 1) and ordered == list(
        range(ordered[0], ordered[0] + len(ordered))
    )


def not_a_run(student_id: str, names: Collection[str]) -> str:
    """The reason a student's files are not graded when their numbers are no run."""
    return (
        f"{len(names)} files for {student_id} whose numbers are not the run an LMS "
        f"gives resubmissions (-1, -2, ...): {', '.join(sorted(names))}; which is "
        "the latest cannot be told from names the student chose, so none was "
        "graded (keep the one to grade and grade again)"
    )


def _version(stem: str, roster: Roster) -> tuple[Student | None, int]:
    """(student, resubmission number) for a file stem, or (None, 0)."""
    student = roster.find(stem)
    if student is not None:
        return student, 0
    suffixed = RESUBMISSION.match(stem)
    if suffixed:
        student = roster.find(suffixed["base"])
        if student is not None:
            return student, int(suffixed["number"])
    return None, 0


def match_submissions(roster: Roster, found: Iterable[Found]) -> Match:
    """Join the submissions ``found`` to the students of ``roster``.

    ``found`` are :class:`instructor.grading.discovery.Found`.  A file named as
    Canvas downloads name them belongs to the student whose ``ID`` (Canvas's
    user id) is the one in the name, and keeps that id.  Any other belongs
    to a student when its id is the student's id (the roster's id column),
    case ignored, or the id followed by ``-N``; the highest ``N`` is the
    latest (no suffix counts as 0), and its id becomes the roster's.  An id
    that itself ends in ``-N`` is taken as it is when the roster has it.

    The numbers of one student's files must be a run an LMS makes
    (:func:`resubmission_run`): otherwise (``jdoe`` and ``jdoe-99``, or
    ``jdoe-1`` and ``jdoe-01``) the highest is chosen with a ``problem``
    listing the files, a zero with that reason, and the run goes on.
    """
    by_canvas_id = {
        s.row["ID"].strip(): s for s in roster.students if s.row.get("ID", "").strip()
    }
    found_for: dict[str, list[tuple[int, str, Any]]] = {}
    unknown = []
    for item in found:
        if item.canvas is not None:
            student, number = by_canvas_id.get(item.student), 0
        else:
            student, number = _version(item.student, roster)
        if student is None:
            unknown.append(item)
            continue
        found_for.setdefault(student.id, []).append((number, item.path.name, item))
    chosen: dict[str, Found]
    counts: dict[str, int]
    chosen, counts = {}, {}
    for student in roster.students:
        if student.id not in found_for:
            continue
        versions = sorted(found_for[student.id], key=lambda v: v[:2])
        item = versions[-1][2]
        if not resubmission_run([number for number, *_ in versions]):
            item.problem = not_a_run(student.id, [name for _, name, _ in versions])
        if item.canvas is None:
            item.student = student.id
        item.name = student.name
        item.canvas_id = student.row.get("ID", "").strip() or item.canvas_id
        chosen[item.student] = item
        counts[item.student] = len(versions)
    return Match(
        chosen=chosen,
        versions=counts,
        unknown=sorted(unknown, key=lambda f: f.path.name),
        missing=[s for s in roster.students if s.id not in found_for],
    )


def canvas_csv(
    roster: Roster | None,
    rows: Sequence[Mapping[str, str]],
    assignment: str,
    points_possible: float,
) -> str:
    """The CSV text Canvas's gradebook import reads.

    Columns: ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``,
    ``Section``, then ``assignment`` (``Title (id)`` updates that
    assignment) with each student's total; a ``Points Possible`` row first.

    ``rows`` are grades.csv's.  With a roster, one line per student of the
    roster (columns copied from it), whose total is that of the row with
    the student's Canvas ``ID`` (``canvas_id``), else with the student's
    roster id; a student without a grade gets an empty cell, which Canvas's
    import leaves unchanged.  Without one (None), one line per row with a
    ``canvas_id``: ``Student`` from the row's ``name``.

    Raises
    ------
    ValueError
        If the roster has none of the columns Canvas finds students by.
    """
    columns = [*CANVAS_COLUMNS, assignment]
    lines = [[POINTS_POSSIBLE, "", "", "", "", f"{points_possible:g}"]]
    row: Mapping[str, str] | None
    if roster is None:
        for row in rows:
            if row.get("canvas_id"):
                lines.append([row.get("name", ""), row["canvas_id"], "", "", ""])
                lines[-1].append(row["total"])
        return csv_text(columns, lines)
    check_canvas_roster(roster)
    by_canvas_id = {row["canvas_id"]: row for row in rows if row.get("canvas_id")}
    by_id = {id_key(row["student"]): row for row in rows}
    for student in roster.students:
        cells = [student.row.get(c, "") or "" for c in CANVAS_COLUMNS]
        cells[0] = student.name
        if roster.id_column in CANVAS_COLUMNS:
            cells[CANVAS_COLUMNS.index(roster.id_column)] = student.id
        row = by_canvas_id.get(cells[1].strip()) or by_id.get(id_key(student.id))
        lines.append([*cells, row["total"] if row else ""])
    return csv_text(columns, lines)


def check_canvas_roster(roster: Roster) -> None:
    """Raise ValueError if Canvas could not find the roster's students.

    Canvas's import finds a student by ID, SIS User ID or SIS Login ID: the
    roster must have one of these columns.
    """
    columns = set(roster.students[0].row) if roster.students else set()
    columns.add(roster.id_column)
    if not columns & set(CANVAS_COLUMNS[1:4]):
        raise ValueError(
            "Canvas finds students by ID, SIS User ID or SIS Login ID, and the "
            f"roster has none of them (its id column is '{roster.id_column}'); "
            "use Canvas's gradebook export as the roster"
        )
