"""How long the student's functions will take: an estimate printed before a long run.

A loop version of ``find_closest_centroids`` can be a thousand times slower
than a vectorised one, so a cell that runs it on a photo first times the
student's two functions on a small sample and says how long the whole run will
take.  The estimate line always starts with :data:`ESTIMATE_PREFIX`, so tests
that compare printed output can leave it out.
"""

import time

import numpy as np

from .compression import N_STARTS, planned_runs
from .kmeans import call_student

#: Every estimate line starts with this.
ESTIMATE_PREFIX = "Estimate:"
#: Rows of the sample the functions are timed on.
SAMPLE_ROWS = 2048


def seconds_per_iteration(find_closest_centroids, compute_centroids, rows, K, n=3):
    """Seconds one K-means iteration on ``rows`` rows takes with these functions.

    Both functions run on a seeded random sample of at most
    :data:`SAMPLE_ROWS` rows; the time grows in proportion to the rows.  A
    function still a stub stops with its one sentence (see
    :func:`labkit.kmeans.call_student`).
    """
    rng = np.random.default_rng(0)
    sample = rng.random((min(rows, SAMPLE_ROWS), n))
    centroids = sample[rng.choice(len(sample), size=min(K, len(sample)), replace=False)]
    started = time.perf_counter()
    idx = np.asarray(call_student(find_closest_centroids, sample, centroids.copy()))
    call_student(compute_centroids, sample, idx, len(centroids))
    return (time.perf_counter() - started) * rows / len(sample)


def duration_text(seconds):
    """'under a second', 'about 40 s' or 'about 3 min'."""
    if seconds < 1:
        return "under a second"
    if seconds < 90:
        return f"about {seconds:.0f} s"
    return f"about {seconds / 60:.0f} min"


def announce(what, runs, find_closest_centroids, compute_centroids):
    """Print how long ``runs`` on photo-sized data will take, before they start.

    Parameters
    ----------
    what : str
        What is about to run, e.g. "6 runs of 20 iterations on 16,384 pixels".
    runs : list of (rows, K, iterations)
        Each K-means run about to start.
    find_closest_centroids, compute_centroids : callable
        The student's functions.
    """
    total = 0.0
    timings = {}
    for rows, K, iterations in runs:
        if K not in timings:
            timings[K] = seconds_per_iteration(
                find_closest_centroids, compute_centroids, SAMPLE_ROWS, K
            )
        total += timings[K] * rows / SAMPLE_ROWS * (iterations + 1)
    advice = " Section 9 shows how to make it much faster." if total > 30 else ""
    print(f"{ESTIMATE_PREFIX} {duration_text(total)} for {what}.{advice}")


def announce_photo(
    path, K, find_closest_centroids, compute_centroids, n_starts=N_STARTS, max_iters=3
):
    """Print how long ``compress_photo`` will take on the photo at ``path``, at most.

    Counts the runs compress_photo makes (its starts on coarse colour boxes,
    then its iterations on the distinct colours), each at its most
    iterations: an upper bound.  ``n_starts`` and ``max_iters`` are the
    ones handed to ``compress_photo``.
    """
    runs = planned_runs(path, K, n_starts, max_iters)
    starts, (colours, _, iterations) = runs[:-1], runs[-1]
    rows, _, start_iterations = starts[0]
    announce(
        f"{len(starts)} starts of at most {start_iterations} iterations on "
        f"{rows:,} {'colour boxes' if rows < colours else 'colours'}, then "
        f"{iterations} iteration{'' if iterations == 1 else 's'} on "
        f"{colours:,} distinct colours",
        runs,
        find_closest_centroids,
        compute_centroids,
    )
