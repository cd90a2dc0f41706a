"""Benchmark ``instructor grade`` on 100 submissions.

Run from the repository root::

    python benchmarks/grading.py

It builds 100 submissions from the student notebook (half of them the hint's
double loop, the slowest correct style; a quarter vectorised, with the
optional k-means++ exercise done; the rest partly wrong or broken), grades
them with ``-j 2`` and ``-j 1`` into fresh folders,
re-grades the unchanged folder (every result reused), and, as the reference
measured in the same run, executes three of the notebooks whole with nbclient,
the way a grader that runs every submission's notebook would.
"""

import json
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from common import timed  # noqa: E402
from submissions import (  # noqa: E402
    COMPUTE_BINCOUNT,
    COMPUTE_LOOP,
    COMPUTE_NAN_FOR_EMPTY,
    COMPUTE_SYNTAX_ERROR,
    FIND_BROADCAST,
    FIND_LOOP,
    FIND_MATRIX,
    FIND_ONE_BASED,
    PLUSPLUS_LOOP,
    STUB,
    notebook,
)

from instructor.authoring.execute import execute_notebook  # noqa: E402
from instructor.course import exercises  # noqa: E402
from instructor.grading.grader import describe_isolation, grade_all  # noqa: E402

MIX = [
    (50, FIND_LOOP, COMPUTE_LOOP, STUB),
    (15, FIND_BROADCAST, COMPUTE_BINCOUNT, PLUSPLUS_LOOP),
    (10, FIND_MATRIX, COMPUTE_LOOP, PLUSPLUS_LOOP),
    (10, FIND_BROADCAST, COMPUTE_NAN_FOR_EMPTY, STUB),
    (10, FIND_ONE_BASED, COMPUTE_BINCOUNT, STUB),
    (5, FIND_LOOP, COMPUTE_SYNTAX_ERROR, STUB),
]
REFERENCE_SAMPLE = 3


def write_submissions(folder):
    folder.mkdir(parents=True)
    number = 0
    for count, find, compute, plusplus in MIX:
        nb = notebook(find, compute, plusplus)
        for _ in range(count):
            number += 1
            nbformat.write(nb, folder / f"student{number:03d}.ipynb")
    return sorted(folder.glob("*.ipynb"))


def main():
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = write_submissions(root / "submissions")
        n = len(paths)
        t2, (rows, _) = timed(
            grade_all,
            [root / "submissions"],
            root / "j2",
            2,
            progress=False,
            course=exercises,
        )
        info = json.loads((root / "j2" / "grading-info.json").read_text())
        t1, _ = timed(
            grade_all,
            [root / "submissions"],
            root / "j1",
            1,
            progress=False,
            course=exercises,
        )
        t_cached, (_, regraded) = timed(
            grade_all,
            [root / "submissions"],
            root / "j2",
            2,
            progress=False,
            course=exercises,
        )
        reference = []
        # Vectorised submissions: with the loop version the notebook's photo
        # sections alone take minutes, which would flatter the grader.
        vectorised = MIX[0][0]
        for path in paths[vectorised : vectorised + REFERENCE_SAMPLE]:
            nb = nbformat.read(path, as_version=4)
            seconds, _ = timed(execute_notebook, nb, ROOT / "notebooks", True)
            reference.append(seconds)
    per_notebook = sum(reference) / len(reference)
    graded = sum(row["status"] == "graded" for row in rows)
    print(f"{n} submissions ({graded} graded, {n - graded} with a problem)")
    print(describe_isolation(info))
    print("| run | wall time | per submission |")
    print("|---|---|---|")
    print(f"| `grade -j 2` | {t2:.1f} s | {t2 / n:.2f} s |")
    print(f"| `grade -j 1` | {t1:.1f} s | {t1 / n:.2f} s |")
    print(
        f"| `grade -j 2` again, unchanged ({regraded} re-graded) | {t_cached:.2f} s | |"
    )
    print(
        f"| reference: whole notebook in nbclient (mean of {len(reference)}) | | "
        f"{per_notebook:.2f} s |"
    )
    print(
        f"`-j 2` is {t1 / t2:.2f}x faster than `-j 1`; grading a submission with "
        f"`-j 2` takes {t2 / n / per_notebook:.2f}x the time of executing its notebook."
    )


if __name__ == "__main__":
    main()
