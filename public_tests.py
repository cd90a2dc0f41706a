"""Public tests for the K-means lab's exercises.

Call ``find_closest_centroids_test(find_closest_centroids)`` and the like from
the notebook.  Each test runs the small cases below, whose answers were worked
out by hand (or hold by construction, such as points placed within a small
distance of a known centroid).  Your function gets read-only copies of the
inputs, as ``utils.run_kMeans`` gives it.  On a wrong answer the test stops
with one message: the case, its inputs, and the mistake it most likely is.
How answers are judged lives in ``labkit/answers/``, which the grader uses
too; the grader runs more cases than these.

Before any case, the test of a graded function checks that it uses only what
a graded cell may use (NumPy, Python's built-ins and standard library, and
what its own cell defines: ``labkit/environment.py``), since the grader runs
each graded cell alone and offers nothing else; if it reaches beyond that, the
test stops with one line naming what and why.

What each test checks:

``find_closest_centroids_test``  idx of shape (m,), integers: each example's
    nearest centroid by Euclidean distance (any of them on an exact tie); the
    same inputs give the same answer.  Cases: :func:`closest_cases`.
``compute_centroids_test``  centroids of shape (K, n): each row the mean of
    its cluster's examples, zeros for an empty cluster, with no warning; the
    same inputs give the same answer.  Cases: :func:`centroid_cases`.
``kMeans_init_centroids_test``  K distinct rows of X; the same seed gives the
    same centroids and other seeds others; a ValueError when K > m.
``kMeans_plusplus_init_test``  (optional) the same, plus k-means++'s choice:
    one centroid per far-apart cluster, the first centroid uniform and the next
    weighted by D(x)^2 (measured over 3000 seeds on three points on a line).
"""

import numpy as np

from labkit import answers
from labkit.answers import Case, Seeded, check_unchanged
from labkit.answers.cases import (
    PALETTE_16,
    PIXELS,
    SPREAD,
    clusters_around_palette,
    four_tight_clusters,
    pixels_near_palette,
)

__all__ = [
    "find_closest_centroids_test",
    "compute_centroids_test",
    "kMeans_init_centroids_test",
    "kMeans_plusplus_init_test",
    "check_unchanged",
]


# --------------------------------------------------------------------------
# find_closest_centroids
# --------------------------------------------------------------------------


def find_closest_centroids_test(target):
    """Run the public tests of ``find_closest_centroids(X, centroids) -> idx``.

    Checks, on each of :func:`closest_cases`, that ``idx`` has shape (m,),
    holds integers and gives each example its nearest centroid by Euclidean
    distance (any of the nearest on an exact tie).
    """
    steps = answers.case_steps(
        "find_closest_centroids", closest_cases(), answers.check_closest
    )
    failure = answers.run_public_test("find_closest_centroids", target, steps)
    if failure is not None:
        raise failure


def closest_cases():
    """The cases of find_closest_centroids_test (the grader runs them too)."""
    pixels, pixel_idx = pixels_near_palette()
    # Ties, in units of 1/255: [1,0,0] is 1 from centroids 0 and 1.
    tie_centroids = np.array([[0, 0, 0], [2, 0, 0], [255, 255, 255], [0, 4, 0]])
    tie_X = np.array([[1, 0, 0], [0, 0, 0], [3, 0, 0], [254, 255, 255], [0, 2, 0]])
    return [
        Case(
            # Squared distances by hand, e.g. [5, 5]: 8, 10, 9 -> centroid 0.
            "2-D, the lab's three starting centroids (integers)",
            (
                np.array([[3, 3], [6, 2], [8, 5], [1, 1], [7, 3], [5, 5], [2, 4.0]]),
                np.array([[3, 3], [6, 2], [8, 5]]),
            ),
            [(0,), (1,), (2,), (0,), (1,), (0,), (0,)],
        ),
        Case(
            # [5.6, 0]: 5.6 from [0, 0], sqrt(18) = 4.24 from [8.6, 3] (L1: 6).
            # [0, 10]: 1.5 from [0, 11.5], 1.56 from [1.1, 11.1] (max-norm: 1.1).
            "2-D, where Euclidean, L1 and max-norm distances pick differently",
            (
                np.array([[5.6, 0.0], [0.0, 10.0]]),
                np.array([[0.0, 0.0], [8.6, 3.0], [0.0, 11.5], [1.1, 11.1]]),
            ),
            [(1,), (2,)],
        ),
        Case(
            "2-D, a single centroid (K = 1)",
            (np.array([[0.5, -1.0], [4.0, 2.0], [-3.0, 0.0]]), np.array([[1.0, 1.0]])),
            [(0,), (0,), (0,)],
        ),
        Case(
            "2-D, more centroids than examples (K = 5, m = 2)",
            (
                np.array([[9.0, 9.5], [0.2, 0.1]]),
                np.array([[0.0, 0.0], [3.0, 3.0], [6.0, 6.0], [1.0, 0.0], [9.0, 9.0]]),
            ),
            [(4,), (0,)],
        ),
        Case(
            "3-D pixels, K = 16 colours, each pixel near one of them",
            (pixels, PALETTE_16),
            pixel_idx,
        ),
        Case(
            "3-D float32 pixels in steps of 1/255, with exact ties",
            (
                (tie_X / 255).astype(np.float32),
                (tie_centroids / 255).astype(np.float32),
            ),
            [(0, 1), (0,), (1,), (2,), (0, 3)],
        ),
        # The first case's X again: a function that keeps something from an
        # earlier call (a cache, centroids in a global, random numbers) is
        # caught here, whatever the order of the cases.
        Case(
            # Centroid 0 of the first case is now 1, 1 is 2, and 2 is 0.
            "the first case's X, its centroids in another order",
            (
                np.array([[3, 3], [6, 2], [8, 5], [1, 1], [7, 3], [5, 5], [2, 4.0]]),
                np.array([[8, 5], [3, 3], [6, 2]]),
            ),
            [(1,), (2,), (0,), (1,), (2,), (1,), (1,)],
        ),
        Case(
            "the first case again (the same inputs twice)",
            (
                np.array([[3, 3], [6, 2], [8, 5], [1, 1], [7, 3], [5, 5], [2, 4.0]]),
                np.array([[3, 3], [6, 2], [8, 5]]),
            ),
            [(0,), (1,), (2,), (0,), (1,), (0,), (0,)],
        ),
    ]


# --------------------------------------------------------------------------
# compute_centroids
# --------------------------------------------------------------------------


def compute_centroids_test(target):
    """Run the public tests of ``compute_centroids(X, idx, K) -> centroids``.

    Checks, on each of :func:`centroid_cases`, that ``centroids`` has shape
    (K, n) and that row k is the mean of the examples with ``idx == k`` (a
    row of zeros for an empty cluster), with no RuntimeWarning.
    """
    steps = answers.case_steps(
        "compute_centroids", centroid_cases(), answers.check_centroids, quiet=True
    )
    failure = answers.run_public_test("compute_centroids", target, steps)
    if failure is not None:
        raise failure


def centroid_cases():
    """The cases of compute_centroids_test (the grader runs them too)."""
    # Pixels: cluster k holds 1, 2 or 3 points placed symmetrically around
    # PALETTE_16[k], so its mean is PALETTE_16[k].
    pixels, pixel_idx = clusters_around_palette()
    first_X = np.array([[1, 2], [6, 6], [3, 4], [5, 1], [2, 2], [8, 0.0]])
    return [
        Case(
            # Cluster 0: [1,2], [3,4], [8,0] -> mean [4, 2] (median [3, 2]).
            # Cluster 1: [6,6], [2,2] -> mean [4, 4].  Cluster 2: [5,1] alone.
            "2-D, three clusters of 3, 2 and 1 points",
            (first_X, np.array([0, 1, 0, 2, 1, 0]), 3),
            np.array([[4.0, 2.0], [4.0, 4.0], [5.0, 1.0]]),
        ),
        Case(
            # Cluster 0: [0,0], [1,0], [0,1] -> [1/3, 1/3]; cluster 1: [2,2],
            # [3,3], [3,2] -> [8/3, 7/3].  Not multiples of 0.25, so rounding shows.
            "2-D, means in thirds",
            (
                np.array([[0, 0], [2, 2], [1, 0], [3, 3], [0, 1], [3, 2.0]]),
                np.array([0, 1, 0, 1, 0, 1]),
                2,
            ),
            np.array([[1 / 3, 1 / 3], [8 / 3, 7 / 3]]),
        ),
        Case(
            "2-D, K = 4 with clusters 1 and 3 empty (their rows stay zeros)",
            (np.array([[0.0, 0.0], [2.0, 2.0], [4.0, 0.0]]), np.array([0, 0, 2]), 4),
            np.array([[1.0, 1.0], [0.0, 0.0], [4.0, 0.0], [0.0, 0.0]]),
        ),
        Case(
            "2-D, a single cluster (K = 1)",
            (np.array([[1, -1], [2, 5], [-3, 2], [4, 2.0]]), np.zeros(4, dtype=int), 1),
            np.array([[1.0, 2.0]]),
        ),
        Case("3-D pixels, K = 16 (int32 idx)", (pixels, pixel_idx, 16), PALETTE_16),
        Case(
            "3-D float32 pixels, K = 16",
            (pixels.astype(np.float32), pixel_idx.astype(np.int64), 16),
            PALETTE_16,
        ),
        Case(
            # Cluster 0: [3,4], [2,2] -> [2.5, 3]; cluster 1: [1,2], [6,6],
            # [8,0] -> [5, 8/3]; cluster 2: [5,1] alone.
            "the first case's X, in other clusters",
            (first_X, np.array([1, 1, 0, 2, 0, 1]), 3),
            np.array([[2.5, 3.0], [5.0, 8 / 3], [5.0, 1.0]]),
        ),
        Case(
            "the first case again (the same inputs twice)",
            (first_X, np.array([0, 1, 0, 2, 1, 0]), 3),
            np.array([[4.0, 2.0], [4.0, 4.0], [5.0, 1.0]]),
        ),
    ]


# --------------------------------------------------------------------------
# Random starts: the given kMeans_init_centroids and the optional k-means++
# --------------------------------------------------------------------------


def kMeans_init_centroids_test(target):
    """Run the public tests of ``kMeans_init_centroids(X, K, rng) -> centroids``.

    Checks K distinct rows of X for K = 1, 3 and 20 of 20 examples and K = 4
    of 16 float32 pixels; that the same seed gives the same centroids and
    five seeds do not all give the same; and a ValueError for K = 21 of 20.
    """
    exercise = "kMeans_init_centroids"
    steps = [_rows_step(exercise, SPREAD[:20], K, K) for K in (1, 3, 20)]
    steps += [_rows_step(exercise, PIXELS, 4, 4), *_seed_steps(exercise, SPREAD)]
    steps += [_too_big_step(exercise, SPREAD[:20], 21, "m = 20 examples")]
    failure = answers.run_public_test(exercise, target, steps, graded=False)
    if failure is not None:
        raise failure


def kMeans_plusplus_init_test(target):
    """Run the public tests of ``kMeans_plusplus_init(X, K, rng) -> centroids``.

    Checks K distinct rows of X for K = 1, 5 and 30 of 30 examples and K = 16
    of 16 float32 pixels; the seeds as for ``kMeans_init_centroids``; one
    centroid in each of four tight clusters 100 apart (seeds 0 to 49); on
    the points 0, 1, 3 of a line, a uniform first centroid and the pair
    {0, 1} as often as D(x)^2 weights give (0.1); and a ValueError for K = 3
    with only 2 distinct examples.

    The exercise is optional: left as its stub, it is skipped with one line.
    """
    exercise = "kMeans_plusplus_init"
    steps = [_rows_step(exercise, SPREAD, K, K) for K in (1, 5, 30)]
    steps += [_rows_step(exercise, PIXELS, 16, 3), *_seed_steps(exercise, SPREAD)]
    steps += _plusplus_steps(exercise)
    duplicates = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    steps += [_too_big_step(exercise, duplicates, 3, "only 2 distinct examples")]
    failure = answers.run_public_test(exercise, target, steps, optional=True)
    if failure is not None:
        raise failure


def _rows_step(exercise, X, K, seed):
    """One seeded call: K distinct rows of X."""
    case = Case(
        f"K = {K} of m = {len(X)} examples",
        (X, K, Seeded(f"default_rng({seed})")),
        None,
    )

    def step(target, namespace):
        rng = np.random.default_rng(seed)
        result, _ = answers.call(exercise, case, target, namespace, (X, K, rng))
        twice = "the same example was picked twice: pick K distinct examples."
        if exercise == "kMeans_plusplus_init":
            twice = None  # the k-means++ reason: a chosen example's D(x) is 0
        answers.check_plusplus_rows(case, X, K, result, twice)

    return step


def _seed_steps(exercise, X):
    """Same seed, same answer; different seeds, different answers."""
    same = Case("the same seed twice", (X, 5, Seeded("default_rng(7), twice")), None)
    many = Case("five different seeds", (X, 5, Seeded("default_rng(0 to 4)")), None)

    def run(target, namespace, case, seed):
        rng = np.random.default_rng(seed)
        return answers.call(exercise, case, target, namespace, (X, 5, rng))[0]

    def same_seed(target, namespace):
        if not np.array_equal(
            run(target, namespace, same, 7), run(target, None, same, 7)
        ):
            answers.fail(
                same,
                "two runs with the same seed differ: draw all randomness from rng.",
            )

    def other_seeds(target, namespace):
        picks = {tuple(np.ravel(run(target, namespace, many, s))) for s in range(5)}
        if len(picks) == 1:
            answers.fail(
                many, "every seed gives the same centroids: draw them with rng."
            )

    return [same_seed, other_seeds]


def _too_big_step(exercise, X, K, why):
    case = Case(f"K = {K} of {why}", (X, K, Seeded("default_rng(0)")), None)

    def step(target, namespace):
        def seeded(X, K, _):
            return target(X, K, np.random.default_rng(0))

        answers.expect_value_error(exercise, case, seeded, f"K = {K} is too many")

    return step


def _plusplus_steps(exercise):
    # Four tight clusters 100 apart: k-means++ puts one centroid in each.
    tight = four_tight_clusters()
    spread = Case(
        "four tight clusters 100 apart, K = 4",
        (tight, 4, Seeded("default_rng(seed), seed = 0 to 49")),
        None,
    )
    line = answers.LINE
    seeds = answers.LINE_SEEDS
    on_line = Case(
        f"points 0, 1, 3 on a line, K = 2, {seeds} seeds",
        (line, 2, Seeded(f"default_rng(seed), seed = 0 to {seeds - 1}")),
        None,
    )

    def one_per_cluster(target, namespace):
        for seed in range(50):
            rng = np.random.default_rng(seed)
            run, _ = answers.call(exercise, spread, target, namespace, (tight, 4, rng))
            answers.check_plusplus_rows(spread, tight, 4, run)
            if len({tuple(np.round(row, -2)) for row in np.asarray(run).tolist()}) < 4:
                answers.fail(
                    spread,
                    f"seed {seed}: two centroids in one cluster. A point 100 away has "
                    "D(x)^2 = 10,000 against 0.0001 for a neighbour: weight by D(x)^2 "
                    "to the closest centroid chosen so far.",
                )

    def line_frequencies(target, namespace):
        runs = []
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            run, _ = answers.call(exercise, on_line, target, namespace, (line, 2, rng))
            answers.check_plusplus_rows(on_line, line, 2, run)
            runs.append(np.asarray(run, dtype=float))
        answers.check_first_picks(on_line, line, [run[0] for run in runs])
        answers.check_plusplus_line_pairs(on_line, [tuple(run[:, 0]) for run in runs])

    return [one_per_cluster, line_frequencies]
