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
"""

import numpy as np

from labkit import answers
from labkit.answers import Case, Seeded, check_unchanged

__all__ = [
    "find_closest_centroids_test",
    "compute_centroids_test",
    "kMeans_init_centroids_test",
    "kMeans_plusplus_init_test",
    "check_unchanged",
]

#: 16 colours, at least 0.43 apart from each other: 8 corners of the RGB cube,
#: 6 edge and face midpoints and 2 inner points, in a scrambled order.
PALETTE_16 = np.array(
    [
        [0.5, 0.5, 0.5],
        [1.0, 1.0, 1.0],
        [0.0, 0.0, 0.5],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 1.0],
        [0.25, 0.75, 0.25],
        [0.0, 0.0, 0.0],
        [1.0, 1.0, 0.5],
        [0.0, 1.0, 0.0],
        [0.5, 0.0, 0.0],
        [1.0, 0.0, 1.0],
        [0.0, 0.5, 0.0],
        [0.5, 1.0, 1.0],
        [0.0, 0.0, 1.0],
        [1.0, 0.5, 1.0],
        [1.0, 1.0, 0.0],
    ]
)

#: Offsets shorter than 0.2 (under half the palette's spacing), in steps of 1/255:
#: a colour plus an offset is still nearest to that colour.
OFFSETS = np.array([[0, 0, 0], [10, -12, 7], [-20, 5, 15], [3, 3, -25], [-8, -9, -10]])
OFFSETS = OFFSETS / 255.0


def closest_cases():
    """The cases of find_closest_centroids_test (the grader runs them too)."""
    # Pixels: palette colour k plus one to three small offsets -> centroid k.
    order = [7, 0, 15, 3, 12, 9, 1, 14, 5, 11, 2, 8, 13, 4, 10, 6]
    pixels, pixel_idx = [], []
    for position, k in enumerate(order):
        for offset in OFFSETS[: 1 + position % 3]:
            pixels.append(np.clip(PALETTE_16[k] + offset, 0.0, 1.0))
            pixel_idx.append((k,))
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
            (np.array(pixels), PALETTE_16),
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


def centroid_cases():
    """The cases of compute_centroids_test (the grader runs them too)."""
    # Pixels: cluster k holds 1, 2 or 3 points placed symmetrically around
    # PALETTE_16[k] (c; c + d, c - d; or all three), so its mean is PALETTE_16[k].
    pixels, pixel_idx = [], []
    for k, colour in enumerate(PALETTE_16):
        d = OFFSETS[1 + k % 4] / 4
        for point in (
            [colour],
            [colour + d, colour - d],
            [colour + d, colour - d, colour],
        )[k % 3]:
            pixels.append(point)
            pixel_idx.append(k)
    order = np.argsort(np.arange(len(pixels)) * 7 % len(pixels))
    pixels = np.array(pixels)[order]
    pixel_idx = np.array(pixel_idx, dtype=np.int32)[order]
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


def find_closest_centroids_test(target):
    """Run the public tests of ``find_closest_centroids(X, centroids) -> idx``."""
    steps = answers.case_steps(
        "find_closest_centroids", closest_cases(), answers.check_closest
    )
    failure = answers.run_public_test("find_closest_centroids", target, steps)
    if failure is not None:
        raise failure


def compute_centroids_test(target):
    """Run the public tests of ``compute_centroids(X, idx, K) -> centroids``."""
    steps = answers.case_steps(
        "compute_centroids", centroid_cases(), answers.check_centroids, quiet=True
    )
    failure = answers.run_public_test("compute_centroids", target, steps)
    if failure is not None:
        raise failure


# --------------------------------------------------------------------------
# Random starts: the given kMeans_init_centroids and the optional k-means++
# --------------------------------------------------------------------------

#: 30 examples in 2-D, all different.
SPREAD = (np.arange(60.0) * 7 % 61).reshape(30, 2)
#: 16 float32 pixels, all different.
PIXELS = (np.arange(48).reshape(16, 3) * 5 % 256 / 255).astype(np.float32)


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


def kMeans_init_centroids_test(target):
    """Run the public tests of ``kMeans_init_centroids(X, K, rng) -> centroids``."""
    exercise = "kMeans_init_centroids"
    steps = [_rows_step(exercise, SPREAD[:20], K, K) for K in (1, 3, 20)]
    steps += [_rows_step(exercise, PIXELS, 4, 4), *_seed_steps(exercise, SPREAD)]
    steps += [_too_big_step(exercise, SPREAD[:20], 21, "m = 20 examples")]
    failure = answers.run_public_test(exercise, target, steps, graded=False)
    if failure is not None:
        raise failure


def _plusplus_steps(exercise):
    # Four tight clusters 100 apart: k-means++ puts one centroid in each.
    corners = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]])
    nudges = np.array([[0, 0], [0.01, 0], [0, 0.01], [-0.01, 0], [0, -0.01]])
    tight = np.concatenate([corner + nudges for corner in corners])
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


def kMeans_plusplus_init_test(target):
    """Run the public tests of ``kMeans_plusplus_init(X, K, rng) -> centroids``.

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
