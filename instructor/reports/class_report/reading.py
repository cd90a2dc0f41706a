"""Read what the grader recorded in a gradebook folder, distrusting every field.

The records are written by the grader, but they hold student code and
student-chosen ids, and the folder may have been edited by hand: every
field is checked for its type here, so the rest of the report can rely on
it.  A record that is not one the grader writes is left out with a warning,
never half-read.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from instructor.grading.grader import (
    GRADES_FILE,
    INFO_FILE,
    RECORDS_DIR,
    case_passed,
    read_ledger,
)


@dataclass
class Case:
    """One hidden case's verdict for one student."""

    name: str
    points: float
    max_points: float
    message: str
    mistake: str | None

    @property
    def passed(self) -> bool:
        return case_passed(self.message, self.points, self.max_points)


@dataclass
class Function:
    """One graded function of one student."""

    name: str
    points: float
    max_points: float
    optional: bool
    problem: str | None
    code: str | None
    cases: list[Case]


@dataclass
class Record:
    """One student's graded submission."""

    student: str
    status: str
    graded_at: str
    total: float
    max_total: float
    functions: list[Function]
    mistakes: dict[str, str] = field(default_factory=dict)

    def function(self, name: str) -> Function | None:
        return next((f for f in self.functions if f.name == name), None)


@dataclass
class Gradebook:
    """Everything the report reads, and what it had to leave out."""

    records: list[Record]
    info: dict[str, Any] | None
    warnings: list[str]


class BadRecord(ValueError):
    """A record that is not one the grader writes."""


def _get(data: Any, key: str, kind: type, optional: bool = False) -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    if value is None and optional:
        return None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise BadRecord(f"'{key}' is not a {kind.__name__}")
    return value


def _case(data: Any) -> Case:
    return Case(
        _get(data, "name", str),
        _get(data, "points", float),
        _get(data, "max_points", float),
        _get(data, "message", str),
        _get(data, "mistake", str, optional=True),
    )


def _function(data: Any) -> Function:
    cases = _get(data, "tests", list)
    return Function(
        _get(data, "name", str),
        _get(data, "points", float),
        _get(data, "max_points", float),
        _get(data, "optional", bool),
        _get(data, "problem", str, optional=True),
        _get(data, "code", str, optional=True),
        [_case(c) for c in cases],
    )


def parse_record(data: Any) -> Record:
    """A :class:`Record` from a record's JSON data; BadRecord if malformed."""
    mistakes = _get(data, "mistakes", dict)
    return Record(
        _get(data, "student", str),
        _get(data, "status", str),
        _get(data, "graded_at", str),
        _get(data, "total", float),
        _get(data, "max_total", float),
        [_function(f) for f in _get(data, "functions", list)],
        {str(k): v for k, v in mistakes.items() if isinstance(v, str)},
    )


def read_gradebook(folder: str | Path) -> Gradebook:
    """Read the records, and the isolation, of the gradebook ``folder``.

    Only the students of its ``grades.csv`` are read (a record left from a
    student since removed from the ledger is not).

    Raises
    ------
    ValueError
        If ``folder`` is no gradebook, or has no record at all (it was
        graded before the grader wrote them: grade it again).
    """
    folder = Path(folder)
    if not (folder / GRADES_FILE).is_file():
        raise ValueError(
            f"{folder} is not a gradebook: it has no {GRADES_FILE} "
            "(give the --out folder of `python -m instructor grade`)"
        )
    ledger = read_ledger(folder / GRADES_FILE)
    warnings: list[str]
    records: list[Record]
    warnings, records = [], []
    for student in sorted(ledger):
        path = folder / RECORDS_DIR / f"{student}.json"
        try:
            record = parse_record(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            warnings.append(
                f"{student}: no record (graded by an older grader: grade again)"
            )
            continue
        except (OSError, ValueError, RecursionError) as error:
            warnings.append(f"{student}: {path.name} left out ({error})")
            continue
        if record.student != student:
            warnings.append(f"{student}: {path.name} is another student's record")
            continue
        records.append(record)
    if not records:
        raise ValueError(
            f"{folder} has no grading records ({RECORDS_DIR}/): grade it again "
            "with this version of `python -m instructor grade`"
        )
    return Gradebook(records, _read_info(folder / INFO_FILE, warnings), warnings)


def _read_info(path: Path, warnings: list[str]) -> dict[str, Any] | None:

    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        warnings.append(f"{path.name} could not be read ({error})")
        return None
    if not isinstance(info, dict) or not isinstance(info.get("isolation"), str):
        warnings.append(f"{path.name} does not say the isolation level")
        return None
    return info
