"""Gradebook folders written without grading: records made by the grader's own
:func:`instructor.grading.grader.grade_record` from grades built here.

For tests of the report that need no student code to run (hostile ids,
malformed records) and for ``benchmarks/report.py`` (300 students).
"""

import json

from instructor.course import exercises
from instructor.files import write_text
from instructor.grading.grader import (
    GRADES_FILE,
    INFO_FILE,
    RECORDS_DIR,
    FunctionGrade,
    Grade,
    TestResult,
    grade_record,
    grades_csv,
)
from instructor.grading.submission import GradedCode, Submission

#: Cases per exercise, one point each.
CASES = 4
INFO = {
    "isolation": "strict",
    "applied": {"uid": "runs as uid 65534"},
    "not_applied": {},
}


def record(student, answers):
    """The record of ``student``, whose ``answers`` map an exercise to
    ``(graded code, mistake)``: the mistake (None: every case passes) fails
    the first two cases."""
    functions, graded = [], {}
    for name in exercises.names():
        code, mistake = answers.get(name, (None, None))
        graded[name] = GradedCode(code, copies=1 if code else 0)
        tests = [
            TestResult(
                f"case {i}",
                0.0 if mistake and i < 2 else 1.0,
                1.0,
                "wrong" if mistake and i < 2 else "passed",
                mistake if i < 2 else None,
            )
            for i in range(CASES)
        ]
        points = sum(t.points for t in tests)
        functions.append(
            FunctionGrade(
                name,
                points,
                float(CASES),
                tests=tests,
                optional=name == "kMeans_plusplus_init",
            )
        )
    grade = Grade(student, "graded", functions)
    submission = Submission(student, None, "", graded=graded)
    return grade, grade_record(
        grade, submission, "2026-12-04T10:00:00+00:00", "synthetic"
    )


def write_gradebook(folder, students, info=INFO):
    """Write the gradebook of ``{student: answers}`` (:func:`record`) in ``folder``."""
    rows = []
    for student, answers in students.items():
        grade, data = record(student, answers)
        write_text(folder / RECORDS_DIR / f"{student}.json", json.dumps(data))
        rows.append(grade.row())
    write_text(folder / GRADES_FILE, grades_csv(rows, exercises.names()))
    if info is not None:
        write_text(folder / INFO_FILE, json.dumps(info))
    return folder
