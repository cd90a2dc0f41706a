"""Run All for a student whose find_closest_centroids is the blog's double loop.

    python benchmarks/loop_student.py [ROUNDS] [--run]   # 5 rounds by default

Three figures:

* **distances asked**: the source notebook run once with its reference
  solutions, its ``find_closest_centroids`` wrapped (after its public test)
  by a counter that adds ``m * K`` per call, plus the double loop Section 9
  times once on the photo.  The runs do not depend on how fast the function
  is, so a loop student's Run All asks for the same number (up to the
  iterations that ties change);
* **cost of one loop distance**: the double loop of ``tests/implementations.py``
  (``np.linalg.norm`` per example and centroid) on the photo's 16,384 pixels
  and 16 centroids, in ``ROUNDS`` fresh processes, median (min to max);
* **estimate**: distances times that cost, plus the measured time of the
  vectorised Run All (the rest of the notebook: kernel, plots, encoding).

``--run`` also runs the notebook once with the double loop in the graded cell
and reports its wall time, to compare with the estimate.
"""

import json
import statistics
import sys
import time

import nbformat
import numpy as np
from common import ROOT, in_fresh_process

import utils

sys.path.insert(0, str(ROOT / "tests"))
from implementations import closest_double_loop_norm  # noqa: E402

from instructor import markers  # noqa: E402
from instructor.authoring.execute import execute_notebook  # noqa: E402
from instructor.layout import SOURCE_NOTEBOOK  # noqa: E402

ROUNDS = 5
#: The public test cell of find_closest_centroids: the counter goes after it,
#: since the public test would refuse a wrapper that reaches a global.
COUNT_FROM = "public_tests.find_closest_centroids_test("
COUNTER = """\
_counted = {"calls": 0, "distances": 0}
_counted_function = find_closest_centroids


def find_closest_centroids(X, centroids):
    _counted["calls"] += 1
    _counted["distances"] += len(X) * len(centroids)
    return _counted_function(X, centroids)
"""
#: Section 9's own double loop runs once on every pixel and the photo's centroids.
REPORT = """\
import json

_counted["distances"] += len(X_img) * len(centroids_photo)
print(json.dumps(_counted))
"""


def counted_notebook():
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if COUNT_FROM in c.source)
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(COUNTER))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    return nb


def count_distances():
    """``(calls, distances, seconds)`` of a vectorised Run All, counted."""
    nb = counted_notebook()
    started = time.perf_counter()
    execute_notebook(nb, ROOT)
    seconds = time.perf_counter() - started
    counted = json.loads(nb.cells[-1].outputs[-1].text)
    return counted["calls"], counted["distances"], seconds


def one_distance():
    """Seconds per (example, centroid) pair of the double loop, best of 2 calls."""
    X = utils.load_image(utils.PHOTO_PATH).reshape(-1, 3)
    centroids = X[np.random.default_rng(0).choice(len(X), 16, replace=False)]
    best = np.inf
    for _ in range(2):
        started = time.perf_counter()
        closest_double_loop_norm(X, centroids)
        best = min(best, time.perf_counter() - started)
    return {"seconds": best / (len(X) * len(centroids))}


def loop_run_all():
    """Wall seconds of Run All with the double loop as the graded answer."""
    import inspect

    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    code = inspect.getsource(closest_double_loop_norm).replace(
        "def closest_double_loop_norm(", "def find_closest_centroids(", 1
    )
    for cell in nb.cells:
        if markers.graded_name(cell) == "find_closest_centroids":
            cell.source = f"# GRADED FUNCTION: find_closest_centroids\n\n\n{code}"
    started = time.perf_counter()
    execute_notebook(nb, ROOT)
    return time.perf_counter() - started


def spread(values, scale=1.0, digits=2):
    low, mid, high = min(values), statistics.median(values), max(values)
    low, mid, high = (f"{value * scale:.{digits}f}" for value in (low, mid, high))
    return f"{mid} ({low} to {high})"


def main(rounds, run):
    calls, distances, vectorised = count_distances()
    costs = [
        in_fresh_process(__file__, "--one-distance")["seconds"] for _ in range(rounds)
    ]
    cost = statistics.median(costs)
    estimate = distances * cost + vectorised
    print(f"find_closest_centroids calls in Run All: {calls:,}")
    print(f"distances asked (m * K per call):      {distances:,}")
    print(f"one loop distance, {rounds} fresh processes: {spread(costs, 1e6)} us")
    print(f"vectorised Run All (measured):          {vectorised:.1f} s")
    print(
        f"estimate with the double loop:          {estimate:.0f} s "
        f"({distances * min(costs) + vectorised:.0f} to "
        f"{distances * max(costs) + vectorised:.0f} s)"
    )
    if run:
        print(f"Run All with the double loop (measured): {loop_run_all():.0f} s")


if __name__ == "__main__":
    if "--one-distance" in sys.argv:
        print(json.dumps(one_distance()))
    else:
        numbers = [a for a in sys.argv[1:] if a.isdigit()]
        main(int(numbers[0]) if numbers else ROUNDS, "--run" in sys.argv)
