"""Find the submissions in the paths an instructor gives, as hostile input.

One rule gives every submission its student id, whatever the folder tree:

* a notebook given by name, or lying directly in a given folder, belongs to
  the student its file name names: ``jdoe.ipynb`` is ``jdoe``; a name as
  Canvas's "Download Submissions" writes it
  (``doejane_LATE_123456_7890123_kmeans_lab-1.ipynb``) is the Canvas user
  ``123456``, and of one user's files the latest by Canvas's submission id
  counts (Canvas's own number; the ``-N`` only orders files of one id);
* a notebook deeper down belongs to the student named by the first folder
  below the given folder: nbgrader's ``submitted/<student>/<assignment>/``.
  When that folder holds several notebooks, the lab's own file name
  (``kmeans_lab.ipynb``) is taken if exactly one has it; otherwise the
  student gets a zero whose reason lists the files.

Nothing here reads a submission.  Walking never follows a symbolic link (a
folder given on the command line is the instructor's, and is opened); names
starting with ``.`` (``.ipynb_checkpoints``) and ``__MACOSX`` are skipped.
Anything that is not a regular file (a symbolic link, a named pipe, ...)
becomes a :class:`Found` with a ``problem``: a zero with its reason, never a
stop.  Student ids are checked before grading (:func:`id_problem`); two paths
with one id (after NFC normalisation and case folding) are an error naming
both, never one merged student.
"""

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from instructor.layout import STUDENT_NOTEBOOK
from instructor.reports.feedback import one_line
from instructor.reports.gradebook import id_key, not_a_run, resubmission_run

SUFFIX = ".ipynb"
#: The lab's notebook: the one taken when a student's folder holds several.
LAB_NOTEBOOK = STUDENT_NOTEBOOK.name
#: Longest student id, in UTF-8 bytes: ``.<id>.md.XXXXXXXX`` (the atomic
#: writer's temporary feedback file) must fit a 255-byte file name.
MAX_ID_BYTES = 200
#: Folders below a student's folder that are searched for notebooks.
MAX_DEPTH = 8
SKIPPED_FOLDERS = ("__MACOSX",)
#: ``<lastfirst>[_LATE]_<user id>_<submission id>_<file name>[-N].ipynb``.
CANVAS_NAME = re.compile(
    r"^(?P<lastfirst>[^_]+?)(?P<late>_LATE)?_(?P<user>[0-9]+)_(?P<submission>[0-9]+)_"
    r"(?P<file>.+?)(?:-(?P<number>[0-9]+))?\.ipynb$"
)


@dataclass(frozen=True)
class CanvasName:
    """What a Canvas download's file name says."""

    lastfirst: str
    late: bool
    user_id: str
    submission_id: int
    file_name: str
    resubmission: int

    @property
    def order(self) -> tuple[int, int]:
        """Sorts a user's files oldest first: submission id, then resubmission.

        Canvas gives the submission id; the name's ``-N`` may be the
        student's own file name (``kmeans_lab-99.ipynb``), so it only orders
        files that share an id, and then only as a run an LMS makes
        (:func:`instructor.reports.gradebook.resubmission_run`).
        """
        return (self.submission_id, self.resubmission)


def parse_canvas_name(name: str) -> CanvasName | None:
    """The :class:`CanvasName` of a file name, or None if Canvas did not make it."""
    match = CANVAS_NAME.match(name)
    if match is None:
        return None
    return CanvasName(
        lastfirst=match["lastfirst"],
        late=match["late"] is not None,
        user_id=match["user"],
        submission_id=int(match["submission"]),
        file_name=match["file"] + SUFFIX,
        resubmission=int(match["number"] or 0),
    )


@dataclass
class Found:
    """One student's submission as found on disk, not yet read.

    Attributes
    ----------
    student : str
        The student id (NFC), from the rule above.
    path : Path
        The file to grade (or the entry that cannot be graded).
    problem : str or None
        Set when the entry cannot be graded: a zero with this reason.
    name : str
        The student's name where the source gives one (Canvas's lastfirst).
    canvas : CanvasName or None
        Set for a file named as Canvas downloads name them.
    note : str or None
        Which of several files was taken, for the instructor.
    canvas_id : str
        The student's Canvas user id where known (the file name, the roster).
    """

    student: str
    path: Path
    problem: str | None = None
    name: str = ""
    canvas: CanvasName | None = None
    note: str | None = None
    canvas_id: str = ""


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    kinds = [
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISDIR, "a folder"),
    ]
    return next((word for test, word in kinds if test(mode)), "not a regular file")


def entry_problem(path: Path) -> str | None:
    """Why the entry at ``path`` cannot be graded (never following a link), or None."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return None
    return f"{_kind(mode)}, not a regular file: not graded"


def id_problem(student: str) -> str | None:
    """Why ``student`` cannot be a student id, or None.

    An id must be valid UTF-8 (a file name ``unzip`` left in Latin-1 is
    not), hold no control characters, and be short enough for every file
    made from it.
    """
    try:
        size = len(student.encode("utf-8"))
    except UnicodeEncodeError:
        return "its name is not valid UTF-8 (rename the file)"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in student):
        return "its name holds control characters (rename the file)"
    if not student.strip():
        return "its name is blank (rename the file)"
    if size > MAX_ID_BYTES:
        return f"its name is too long ({size} bytes, at most {MAX_ID_BYTES})"
    return None


def safe_id(path: Path) -> str:
    """A stable id for an entry whose own name cannot be one."""
    raw = os.fsencode(str(path))
    return "bad-name-" + hashlib.sha256(raw).hexdigest()[:12]


def shown(path: str | Path) -> str:
    """``path`` as printable text: bad bytes escaped, control characters replaced."""
    return one_line(os.fsencode(str(path)).decode("utf-8", "backslashreplace"))


def _visible(name: str) -> bool:
    return not name.startswith(".") and name not in SKIPPED_FOLDERS


def _notebooks_below(folder: str | Path, depth: int = 0) -> list[Path]:
    """Every ``*.ipynb`` entry below ``folder``, of any kind, links not followed."""
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if not _visible(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            if depth < MAX_DEPTH:
                found += _notebooks_below(entry.path, depth + 1)
        elif entry.name.endswith(SUFFIX):
            found.append(Path(entry.path))
    return found


def _from_student_folder(folder: Path, log: Callable[[str], object]) -> Found | None:
    """The one submission of the student whose folder is ``folder``, or None."""
    student = unicodedata.normalize("NFC", folder.name)
    notebooks = _notebooks_below(folder)
    if not notebooks:
        log(f"no notebook in {shown(folder)}: no row for {student}")
        return None
    chosen = notebooks
    if len(notebooks) > 1:
        chosen = [p for p in notebooks if p.name == LAB_NOTEBOOK]
    if len(chosen) == 1:
        path = chosen[0]
        note = None
        if len(notebooks) > 1:
            taken = shown(path.relative_to(folder))
            note = f"took {taken} of {len(notebooks)} notebooks"
        return Found(student, path, entry_problem(path), note=note)
    listed = ", ".join(shown(p.relative_to(folder)) for p in notebooks)
    return Found(
        student,
        folder,
        f"{len(notebooks)} notebooks and not exactly one named {LAB_NOTEBOOK}, "
        f"so none was graded: {listed}",
    )


def _from_file(path: Path) -> Found:
    """The submission a notebook's own name gives (plain or Canvas's)."""
    canvas = parse_canvas_name(path.name)
    if canvas is not None:
        return Found(
            canvas.user_id,
            path,
            entry_problem(path),
            name=canvas.lastfirst,
            canvas=canvas,
            canvas_id=canvas.user_id,
        )
    stem = path.name.removesuffix(SUFFIX) or path.name  # x.y.ipynb is x.y
    if not path.name.endswith(SUFFIX):  # a file named on the command line
        stem = path.stem
    student = unicodedata.normalize("NFC", stem)
    return Found(student, path, entry_problem(path))


def _canvas(item: Found) -> CanvasName:
    """The Canvas name of a file :func:`_latest_canvas_files` knows has one."""
    return cast(CanvasName, item.canvas)


def _latest_canvas_files(found: list[Found]) -> list[Found]:
    """Of each Canvas user's files, the latest (the others noted)."""
    by_user: dict[str, list[Found]] = {}
    others: list[Found] = []
    for item in found:
        if item.canvas is None:
            others.append(item)
        else:
            by_user.setdefault(item.student, []).append(item)
    for files in by_user.values():
        files.sort(key=lambda f: _canvas(f).order)
        latest = files[-1]
        newest = _canvas(latest).submission_id
        tied = [f for f in files if _canvas(f).submission_id == newest]
        if not resubmission_run([_canvas(f).resubmission for f in tied]):
            names = [shown(f.path.name) for f in tied]
            latest.problem = not_a_run(latest.student, names)
        elif len(files) > 1:
            latest.note = f"took {shown(latest.path.name)} (the latest of {len(files)})"
        others.append(latest)
    return others


def find_submissions(
    paths: Iterable[str | Path], log: Callable[[str], object] = print
) -> list[Found]:
    """The submissions in ``paths`` (notebooks and folders), one per student.

    Parameters
    ----------
    paths : list of path-like
    log : callable
        Receives a line for each folder without a notebook.

    Returns
    -------
    list of Found
        Sorted by student id.

    Raises
    ------
    ValueError
        If a path does not exist, nothing is found, or two entries have one
        student id (after NFC normalisation and case folding).
    """
    found = []
    for path in map(Path, paths):
        if not os.path.lexists(path):
            raise ValueError(f"no such notebook or folder: {shown(path)}")
        if path.is_dir():  # a folder given by the instructor is opened
            for entry in sorted(os.scandir(path), key=lambda e: e.name):
                entry_path = Path(entry.path)
                if not _visible(entry.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    student = _from_student_folder(entry_path, log)
                    if student is not None:
                        found.append(student)
                elif entry.name.endswith(SUFFIX):
                    found.append(_from_file(entry_path))
                elif entry.is_symlink():
                    found.append(
                        Found(entry.name, entry_path, entry_problem(entry_path))
                    )
        else:  # a file given by name, perhaps by a shell's glob: never followed
            found.append(_from_file(path))
    if not found:
        raise ValueError(
            f"no notebooks (*.ipynb) in {', '.join(shown(p) for p in paths)}"
        )
    found = _latest_canvas_files(found)
    for item in found:
        problem = id_problem(item.student)
        if problem:
            item.problem = f"{shown(item.path.name)}: {problem}"
            item.student = safe_id(item.path)
    check_unique(found)
    return sorted(found, key=lambda f: f.student)


def check_unique(found: list[Found]) -> None:
    """Raise ValueError if two entries have one student id (NFC, case folded)."""
    seen: dict[str, Found] = {}
    for item in found:
        key = id_key(item.student)
        other = seen.get(key)
        if other is not None and other.student == item.student:
            raise ValueError(
                f"two submissions have the student id '{item.student}': "
                f"{shown(other.path)} and {shown(item.path)}"
            )
        if other is not None:
            raise ValueError(
                "two student ids differ only in case or Unicode form, "
                f"'{other.student}' and '{item.student}' ({shown(other.path)} and "
                f"{shown(item.path)}): a file system that ignores case would mix "
                "up their feedback; rename one"
            )
        seen[key] = item
