"""Make the class report of a gradebook folder and write it to disk."""

from dataclasses import dataclass
from pathlib import Path

import nbformat

from instructor.files import write_text
from instructor.layout import STUDENT_NOTEBOOK
from instructor.markers import graded_cells
from instructor.reports.class_report import mistakes as counting
from instructor.reports.class_report import page, similarity
from instructor.reports.class_report.reading import read_gradebook

REPORT_DIR = "report"


@dataclass
class Report:
    """What was written, for the command line's summary."""

    folder: Path
    students: int
    mistakes: int
    flagged: list[similarity.Pair]
    warnings: list[str]


def released_stubs(notebook: str | Path) -> tuple[dict[str, str], list[str]]:
    """``(cells, markdown)`` of the student notebook as released.

    ``cells`` maps each graded function to its graded cell's source, the
    code every student got; ``markdown`` is the text of the notebook's
    Markdown cells (the hints).
    """
    nb = nbformat.read(notebook, as_version=4)
    cells = {name: cell.source for name, cell in graded_cells(nb)}
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    return cells, markdown


def make_report(
    gradebook: str | Path,
    out: str | Path | None = None,
    names: bool = False,
    student_notebook: str | Path | None = None,
) -> Report:
    """Write the report of the gradebook folder ``gradebook`` into ``out``.

    Parameters
    ----------
    gradebook : path-like
        The ``--out`` folder of ``python -m instructor grade``.
    out : path-like, optional
        Where to write (default ``gradebook/report``).
    names : bool
        Show student ids on the page (anonymised by default; the CSV files
        are for the instructor and always hold ids).
    student_notebook : path-like, optional
        The student notebook as released, whose graded cells every student
        got (default: the repository's).

    Raises
    ------
    ValueError
        If ``gradebook`` is no gradebook with records, or the student
        notebook cannot be read.
    """
    gradebook = Path(gradebook)
    out = Path(out) if out is not None else gradebook / REPORT_DIR
    book = read_gradebook(gradebook)
    notebook = Path(student_notebook or STUDENT_NOTEBOOK)
    try:
        cells, markdown = released_stubs(notebook)
    except (OSError, ValueError) as error:
        raise ValueError(
            f"cannot read the student notebook {notebook}: {error}"
        ) from error
    given = similarity.given_features(cells, markdown)
    records = book.records
    found = counting.count_mistakes(records)
    codes = {r.student: {f.name: f.code for f in r.functions} for r in records}
    pairs = similarity.similarities(codes, given)
    html = page.render(
        book,
        found,
        counting.unnamed_wrong(records),
        counting.failing_cases(records),
        counting.run_failures(found),
        counting.not_graded(records),
        pairs,
        given,
        names,
    )
    write_text(out / "mistakes.csv", counting.mistakes_csv(found))
    write_text(out / "mistakes_by_student.csv", counting.mistakes_by_student_csv(found))
    write_text(out / "similarity.csv", similarity.similarity_csv(pairs))
    write_text(out / "index.html", html)
    flagged = [p for p in pairs if p.flagged]
    return Report(out, len(records), len(found), flagged, book.warnings)
