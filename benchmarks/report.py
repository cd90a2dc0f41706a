"""Benchmark ``python -m instructor report`` on a gradebook of 300 students.

Run from the repository root::

    python benchmarks/report.py

The gradebook is synthetic (no grading: ``tests/synthetic_gradebook.py``
writes the records the grader writes): every student answers both required
exercises in one of the correct styles of ``tests/implementations.py``, with
variables renamed, a comment and a line of their own; a third of them show one of four
named mistakes, and three pairs are copies.  The report is made 5 times in
this process (the first run pays the imports); a fresh ``python -m instructor
report`` process, imports included, is timed once more.
"""

import inspect
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import implementations as impl  # noqa: E402
from common import timed  # noqa: E402
from synthetic_gradebook import write_gradebook  # noqa: E402

from instructor.reports.class_report.build import make_report  # noqa: E402

STUDENTS = 300
ROUNDS = 5
FIND_STYLES = impl.CLOSEST_STYLES
COMPUTE_STYLES = [*impl.CENTROID_STYLES, impl.centroids_pure_python]
MISTAKES = ["run.returned_none", "run.raised", "run.wrong_type", "run.timeout"]
#: Local names a student may rename.
LOCALS = ("idx", "distances", "centroids", "counts", "sums", "members", "best")


def graded(function, name, rng):
    """The function's source as student ``rng`` would write it."""
    source = inspect.getsource(function).replace(
        f"def {function.__name__}(", f"def {name}("
    )
    for local in LOCALS:
        if rng.random() < 0.5:
            source = re.sub(rf"\b{local}\b", f"{local}_{rng.randrange(100)}", source)
    own = f'    assert X.ndim == 2, "X: 2-D ({rng.randrange(10**6)})"\n'
    head, _, body = source.partition("\n")
    return f"# GRADED FUNCTION: {name}\n# my answer\n{head}\n{own}{body}"


def class_answers():
    rng = random.Random(0)
    students = {}
    for i in range(STUDENTS):
        mistake = rng.choice(MISTAKES) if rng.random() < 1 / 3 else None
        students[f"student{i:03d}"] = {
            "find_closest_centroids": (
                graded(rng.choice(FIND_STYLES), "find_closest_centroids", rng),
                mistake,
            ),
            "compute_centroids": (
                graded(rng.choice(COMPUTE_STYLES), "compute_centroids", rng),
                None,
            ),
        }
    for a, b in ((0, 1), (10, 20), (100, 200)):
        students[f"student{b:03d}"] = students[f"student{a:03d}"]
    return students


def main():
    with tempfile.TemporaryDirectory() as folder:
        book = write_gradebook(Path(folder) / "book", class_answers())
        seconds = []
        for _ in range(ROUNDS):
            elapsed, made = timed(make_report, book)
            seconds.append(elapsed)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "instructor", "report", str(book)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        process = time.perf_counter() - started
        size = (book / "report" / "index.html").stat().st_size
    flagged = ", ".join(f"{p.student_a}-{p.student_b}" for p in made.flagged)
    print(f"report of {made.students} students; flagged as copies: {flagged}")
    print(
        f"in process: median {statistics.median(seconds):.2f} s "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {ROUNDS} runs; "
        f"first {seconds[0]:.2f} s)"
    )
    print(f"fresh process, imports included: {process:.2f} s")
    print(f"index.html: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
