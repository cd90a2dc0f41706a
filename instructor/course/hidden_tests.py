"""Hidden tests: the cases the grader runs, with their points.

Each exercise's cases are one list (built by :func:`closest_cases`,
:func:`centroid_cases` and :func:`plusplus_cases`); which list belongs to
which exercise, with its public test and whether it is optional, is the
table in :mod:`instructor.course.exercises`.

They are stronger than the public tests: more and higher-dimensional data,
K up to 64, float32, Fortran-ordered and strided (non-contiguous) inputs,
empty clusters and duplicate points.  Every expected answer holds by
construction, never by running the reference:

* for ``find_closest_centroids``, centroids are at least a distance ``s``
  apart and every example is a centroid plus an offset shorter than ``s / 2``,
  so that centroid is the nearest one; ties are placed exactly halfway
  between two centroids and accept either;
* for ``compute_centroids``, each cluster's examples come in triples
  ``mean + a``, ``mean + b``, ``mean - (a + b)`` (then a pair or ``mean``
  itself), so the cluster's mean is known and its median is not it.

Points follow the partial-credit principle stated in the README: every general
case of ``find_closest_centroids`` holds two :data:`TRAPS`, where the L1 and
max-norm distances pick another centroid, so a wrong distance or statistic
earns at most 30 %; cases that call the function again (the same inputs twice,
the same X with reordered centroids) catch an answer kept between calls.

This module stays in ``instructor/``: it is never part of the student bundle.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from labkit.answers import Case, check_plusplus_rows, fail, frequency_band


class SeededRng:
    """Marks the argument that receives ``numpy.random.default_rng(seed)``."""

    def __repr__(self) -> str:
        return "rng"


#: Put in a case's arguments where the function takes its random generator.
RNG = SeededRng()


@dataclass
class HiddenCase:
    """A case, the points it is worth, and the memory layout of each argument.

    ``hidden`` cases (every case here; the grader also runs the public test's
    own cases, visible and worth nothing: ``exercises.grader_cases``) keep
    their data secret: their
    feedback names what was checked and the likely mistake but shows a few
    values at most, and Gradescope shows them to students only when the
    instructor chooses (``gradescope --hidden-visibility``).

    A case with ``seeds`` calls the function once per seed, with
    ``default_rng(seed)`` in place of :data:`RNG`, and its result is the
    stack of the answers, checked by ``check`` instead of the function's
    usual checker.

    A case with ``raises`` (an exception's name, e.g. ``"ValueError"``)
    passes only if the function raises it; ``why`` says why it should.
    """

    points: float
    case: Case
    layouts: tuple[str, ...] = ()
    seeds: tuple[int, ...] = ()
    check: Callable[[Case, Any], None] | None = None
    hidden: bool = True
    raises: str | None = None
    why: str = ""

    def layout(self, position: int) -> str:
        """The layout of argument ``position``: "C" unless declared."""
        return self.layouts[position] if position < len(self.layouts) else "C"

    def takes_rng(self, position: int) -> bool:
        """Whether argument ``position`` is the generator (:data:`RNG`)."""
        return self.case.args[position] is RNG


def _hypercube_centroids(
    n: int, K: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """K distinct corners of the unit cube in n dimensions: at least 1 apart."""
    corners = rng.permutation(2**n)[:K]
    return ((corners[:, None] >> np.arange(n)) & 1).astype(np.float64)


def _grid_centroids(per_axis: int) -> NDArray[np.float64]:
    """A per_axis**3 grid of colours in [0, 1]^3, spacing 1 / (per_axis - 1)."""
    axis = np.linspace(0.0, 1.0, per_axis)
    return np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(
        -1, 3
    )


def _near(
    centroids: NDArray[np.float64], m: int, radius: float, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """m examples, each within ``radius`` of a random centroid; returns (X, idx)."""
    K, n = centroids.shape
    idx = rng.integers(0, K, size=m)
    directions = rng.normal(size=(m, n))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    lengths = radius * rng.random(m)[:, None]
    return centroids[idx] + directions * lengths, idx


def _as_expected(idx: Sequence[int] | NDArray[np.int64]) -> list[tuple[int]]:
    return [(int(k),) for k in idx]


#: Two traps in 2-D, each (centroids, example, the Euclidean nearest): L1
#: picks centroid 0 of the first (1.6 against 2), max-norm centroid 1 of the
#: second (1.1 against 1.5); Euclidean picks 1 (sqrt 2 < 1.6), then 0
#: (1.5 < 1.56).
TRAPS = (
    (np.array([[0.0, 0.0], [2.6, 1.0]]), np.array([1.6, 0.0]), 1),
    (np.array([[0.0, 11.5], [1.1, 11.1]]), np.array([0.0, 10.0]), 0),
)


def _with_traps(
    X: NDArray[np.float64],
    centroids: NDArray[np.float64],
    expected: list[tuple[int]],
    far: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[tuple[int]]]:
    """The case with both :data:`TRAPS` appended ``far`` from everything else.

    Each trap's two centroids sit ``far`` (and more) from every other point,
    so its example's nearest centroid is one of its own: another distance
    than the Euclidean fails the whole case, whatever its other examples.
    """
    n = X.shape[1]
    rows, centres, answers = list(X), list(centroids), list(expected)
    for j, (pair, example, nearest) in enumerate(TRAPS):
        shift = np.full(n, far * (j + 1))
        padded = np.zeros((2, n))
        padded[:, :2] = pair
        point = np.zeros(n)
        point[:2] = example
        answers.append((len(centres) + nearest,))
        centres.extend(padded + shift)
        rows.append(point + shift)
    return np.array(rows), np.array(centres), answers


def closest_cases() -> list[HiddenCase]:
    rng = np.random.default_rng(20261122)
    cube = _hypercube_centroids(8, 64, rng)
    cube_X, cube_idx = _near(cube, 600, 0.45, rng)
    grid = _grid_centroids(4)  # 64 colours, 1/3 apart
    grid_X, grid_idx = _near(grid, 1000, 0.16, rng)
    small = _hypercube_centroids(5, 20, rng) * 3.0
    small_X, small_idx = _near(small, 300, 1.4, rng)
    dup_centroids = _hypercube_centroids(3, 8, rng)
    dup_X, dup_idx = _near(dup_centroids, 10, 0.4, rng)
    dup_X, dup_idx = np.repeat(dup_X, 5, axis=0), np.repeat(dup_idx, 5)
    # Ties: centroids 2/255 apart along one axis, examples exactly halfway.
    tie_centroids = np.array([[0, 0, 0], [2, 0, 0], [0, 2, 0], [128, 128, 128]]) / 255
    tie_X = (
        np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0], [127, 128, 128], [2, 1, 0]]) / 255
    )
    tie_expected = [(0, 1), (0, 2), (0, 1, 2), (3,), (1,)]
    one_X, _ = _near(cube[:1], 50, 3.0, rng)
    few_X, few_idx = _near(cube[:16], 3, 0.45, rng)
    few_X, few, few_expected = _with_traps(
        few_X, cube[:16], _as_expected(few_idx), 40.0
    )
    cube_X, cube, cube_expected = _with_traps(
        cube_X, cube, _as_expected(cube_idx), 40.0
    )
    grid_X, grid, grid_expected = _with_traps(
        grid_X, grid, _as_expected(grid_idx), 40.0
    )
    small_X, small, small_expected = _with_traps(
        small_X, small, _as_expected(small_idx), 40.0
    )
    # The same X with the centroids in another order: a function that keeps an
    # earlier answer (a cache, centroids in a global) fails here.
    order = rng.permutation(len(small))
    rank = np.argsort(order)
    reordered = [(int(rank[k]),) for (k,) in small_expected]
    return [
        HiddenCase(
            1,
            Case("8 features, K = 68, m = 602", (cube_X, cube), cube_expected),
        ),
        HiddenCase(
            1,
            Case(
                "8 features, K = 68, float32, X in Fortran order",
                (cube_X.astype(np.float32), cube.astype(np.float32)),
                cube_expected,
            ),
            ("F", "C"),
        ),
        HiddenCase(
            1,
            Case(
                "pixels, K = 68 colours, m = 1002",
                (grid_X, grid),
                grid_expected,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "5 features, K = 24, strided (non-contiguous) X and centroids",
                (small_X, small),
                small_expected,
            ),
            ("strided", "strided"),
        ),
        HiddenCase(
            1,
            Case(
                "the X of the case before, its centroids in another order",
                (small_X, small[order]),
                reordered,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "the 8-feature case's inputs a second time",
                (cube_X, cube),
                cube_expected,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "3 features, every example repeated five times",
                (dup_X, dup_centroids),
                _as_expected(dup_idx),
            ),
        ),
        HiddenCase(
            1,
            Case(
                "pixels in steps of 1/255, exact ties accept any nearest centroid",
                (tie_X, tie_centroids),
                tie_expected,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "a single centroid (K = 1), 8 features", (one_X, cube[:1]), [(0,)] * 50
            ),
        ),
        HiddenCase(
            1,
            Case(
                "more centroids than examples (K = 20, m = 5)",
                (few_X, few),
                few_expected,
            ),
        ),
    ]


def _around(
    means: NDArray[np.float64],
    counts: NDArray[np.int64],
    spread: float,
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Examples whose cluster k has counts[k] points with mean means[k].

    Offsets come in triples (a, b, -(a + b)), then a pair (d, -d) or the mean
    itself: they sum to zero, so the mean is known, and a cluster of three or
    more is lopsided, so its median is not its mean.
    """
    points: list[NDArray[np.float64]] = []
    idx: list[int] = []
    n = means.shape[1]
    for k, (mean, count) in enumerate(zip(means, counts, strict=True)):
        # Triples a, b, -(a + b): the mean holds, the median does not.
        a = rng.normal(scale=spread, size=(count // 3, n))
        b = rng.normal(scale=spread, size=(count // 3, n))
        cluster = [mean + a, mean + b, mean - (a + b)]
        d = rng.normal(scale=spread, size=(count % 3 // 2, n))
        cluster += [mean + d, mean - d]
        if count % 3 == 1:
            cluster.append(mean[None, :])
        points.extend(np.concatenate(cluster))
        idx.extend([k] * count)
    order = rng.permutation(len(points))
    return np.array(points)[order], np.array(idx)[order]


def centroid_cases() -> list[HiddenCase]:
    rng = np.random.default_rng(1122)
    means = rng.uniform(-5.0, 5.0, size=(64, 8))
    counts = rng.integers(2, 60, size=64)
    counts[[5, 17, 63]] = 0  # empty clusters, the last one among them
    X, idx = _around(means, counts, 0.5, rng)
    expected = np.where(counts[:, None] > 0, means, 0.0)
    pixel_means = rng.integers(20, 236, size=(16, 3)) / 255
    pixel_counts = rng.integers(1, 40, size=16)
    pixels, pixel_idx = _around(pixel_means, pixel_counts, 8 / 255, rng)
    spread_means = rng.uniform(0.0, 255.0, size=(10, 3))
    wide, wide_idx = _around(spread_means, np.full(10, 7), 30.0, rng)
    single = rng.normal(size=(1, 4))
    lonely_X = np.repeat(single, 9, axis=0)
    # The wide case's X again, in other clusters: new cluster j holds old
    # clusters j and j + 5, 7 points each, so its mean is the average of theirs.
    regrouped = wide_idx % 5
    regrouped_means = (spread_means[:5] + spread_means[5:]) / 2
    return [
        HiddenCase(
            1,
            Case(
                "8 features, K = 64, m = 2101, clusters 5, 17 and 63 empty",
                (X, idx, 64),
                expected,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "8 features, K = 64, float32 X in Fortran order, int32 idx",
                (X.astype(np.float32), idx.astype(np.int32), 64),
                expected,
            ),
            ("F", "C"),
        ),
        HiddenCase(
            1,
            Case(
                "pixels, K = 16, strided (non-contiguous) X and idx",
                (pixels, pixel_idx, 16),
                pixel_means,
            ),
            ("strided", "strided"),
        ),
        HiddenCase(
            1,
            Case(
                "values from 0 to 255, K = 10, 7 points each",
                (wide, wide_idx, 10),
                spread_means,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "the wide case's X again, in 5 other clusters",
                (wide, regrouped, 5),
                regrouped_means,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "the wide case's inputs a second time",
                (wide, wide_idx, 10),
                spread_means,
            ),
        ),
        HiddenCase(
            1,
            Case(
                "nine identical examples in cluster 2 of K = 4",
                (lonely_X, np.full(9, 2), 4),
                np.vstack([np.zeros((2, 4)), single, np.zeros((1, 4))]),
            ),
        ),
        HiddenCase(
            1,
            Case(
                "K = 16 with every example in cluster 0",
                (pixels, np.zeros(len(pixels), dtype=int), 16),
                np.vstack(
                    [pixel_counts @ pixel_means / pixel_counts.sum(), np.zeros((15, 3))]
                ),
            ),
        ),
        HiddenCase(
            # By hand: cluster 0 = [0,0] three times and [4,4]: mean [1, 1]
            # (median [0, 0], midrange [2, 2], mean of distinct points [2, 2]);
            # cluster 1 = [10,0] twice and [13,3]: mean [11, 1]; cluster 2 =
            # [5, 5].
            1,
            Case(
                "skewed clusters with repeated points",
                (
                    np.array(
                        [
                            [0, 0],
                            [10, 0],
                            [0, 0],
                            [4, 4],
                            [5, 5],
                            [13, 3],
                            [0, 0],
                            [10, 0],
                        ],
                        dtype=float,
                    ),
                    np.array([0, 1, 0, 0, 2, 1, 0, 1]),
                    3,
                ),
                np.array([[1.0, 1.0], [11.0, 1.0], [5.0, 5.0]]),
            ),
        ),
        HiddenCase(
            1,
            Case(
                "a single cluster (K = 1), 8 features",
                (X[idx == 0], np.zeros(int(counts[0]), dtype=int), 1),
                means[:1],
            ),
        ),
    ]


#: A check of one run of a seeded case: ``(case, X, K, run)``.
OneRun = Callable[[Case, NDArray[np.float64], int, NDArray[np.float64]], None]


def _check_each_run(check_one: OneRun) -> Callable[[Case, Any], None]:
    """A check of stacked runs: ``check_one(case, X, K, run)`` on each run."""

    def check(case: Case, runs: Any) -> None:
        X, K, _ = case.args
        for run in runs:
            check_plusplus_rows(case, X, K, run)
            check_one(case, X, K, run)

    return check


def _no_more(
    case: Case, X: NDArray[np.float64], K: int, run: NDArray[np.float64]
) -> None:
    return None


def _same_runs(case: Case, runs: NDArray[np.float64]) -> None:
    _check_each_run(_no_more)(case, runs)
    if not np.array_equal(runs[0], runs[1]):
        fail(
            case,
            "two runs with the same seed differ: "
            "draw all randomness from the rng you are given",
        )


def _one_per_cluster(
    case: Case, X: NDArray[np.float64], K: int, run: NDArray[np.float64]
) -> None:
    clusters = {tuple(row) for row in np.rint(np.asarray(run) / 100.0).tolist()}
    if len(clusters) != K:
        fail(
            case,
            "two centroids in one cluster; weight each example "
            "by D(x)^2, its squared distance to the closest centroid chosen so far",
        )


def _orders_vary(case: Case, runs: NDArray[np.float64]) -> None:
    """With K = m every run picks every row; only the order shows the draws.

    The first centroid is uniform over the m rows, so a right answer picks
    the same first row in all of s seeds with probability m^-(s - 1): with
    16 rows and 8 seeds, 4e-9.  A deterministic start (say farthest-first
    from X[0], or a split of X into boxes) repeats itself every time.
    """
    _check_each_run(_no_more)(case, runs)
    firsts = {tuple(np.asarray(run)[0].tolist()) for run in runs}
    if len(firsts) == 1:
        fail(
            case,
            f"over {len(runs)} seeds the first centroid was the "
            "same row every time; draw it uniformly with the rng you are given",
        )


# Points 0, 2 and 3 on a line, K = 2.  First pick uniform; second with
# probability D^2 / sum D^2: from 0 (D^2 = 4, 9), from 2 (4, 1), from 3 (9, 1).
# The pair {2, 3} comes out with probability (1/3)(1/5) + (1/3)(1/10) = 0.1;
# with weights D instead, (1/3)(1/3 + 1/4) = 0.194; uniformly, 1/3.
# A greedy start (draw 2 candidates by D^2, keep the one leaving the least
# total D^2) gives {2, 3} only when both candidates are the far point: from 2,
# 0 leaves 1 and 3 leaves 4, so (1/5)^2; from 3, 0 leaves 1 and 2 leaves 4, so
# (1/10)^2; in all (1/3)(1/25 + 1/100) = 0.017.  Farthest-first gives 0.
LINE_023 = np.array([[0.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
LINE_023_SEEDS = tuple(range(5000))


def _line_frequency(case: Case, runs: NDArray[np.float64]) -> None:
    _check_each_run(_no_more)(case, runs)
    frequency = np.mean([set(run[:, 0]) == {2.0, 3.0} for run in runs])
    low, high = frequency_band(0.1, len(runs))
    if not low <= frequency <= high:
        fail(
            case,
            f"over {len(runs)} seeds the pair {{2, 3}} came out "
            f"with frequency {frequency:.3f}; k-means++ gives 0.1 (D(x) gives 0.194, "
            "a uniform choice 0.333, keeping the best of several candidates or the "
            "farthest point less than 0.02): draw the next centroid with "
            "probability D(x)^2 / sum D^2, and keep that draw",
        )


def plusplus_cases() -> list[HiddenCase]:
    rng = np.random.default_rng(2007)
    X = rng.normal(size=(200, 8))
    corners = _hypercube_centroids(5, 8, rng) * 100.0
    tight, _ = _near(corners, 80, 0.01, rng)
    tight = np.vstack([corners, tight])  # every cluster has points
    levels = np.arange(16) * 17 / 255
    pixels = np.stack([levels, levels[::-1], levels[(np.arange(16) * 5) % 16]], axis=1)
    return [
        HiddenCase(
            1,
            Case("8 features, m = 200, K = 16", (X, 16, RNG), None),
            seeds=(1,),
            check=_check_each_run(_no_more),
        ),
        # The contract (and its public test): more centroids than examples is
        # an error the function says, not a duplicate row or an endless loop.
        HiddenCase(
            1,
            Case("K = 201 for m = 200 examples", (X, 201, RNG), None),
            seeds=(1,),
            raises="ValueError",
            why="K = 201 is more than the m = 200 examples",
        ),
        HiddenCase(
            1,
            Case("seed 5 twice, 8 features, K = 6", (X, 6, RNG), None),
            seeds=(5, 5),
            check=_same_runs,
        ),
        HiddenCase(
            3,
            Case(
                "8 tight clusters 100 apart in 5-D, K = 8, 100 seeds",
                (tight, 8, RNG),
                None,
            ),
            seeds=tuple(range(100)),
            check=_check_each_run(_one_per_cluster),
        ),
        HiddenCase(
            3,
            Case(
                "points 0, 2, 3 on a line, K = 2, 5000 seeds", (LINE_023, 2, RNG), None
            ),
            seeds=LINE_023_SEEDS,
            check=_line_frequency,
        ),
        HiddenCase(
            1,
            Case(
                "16 float32 pixels in Fortran order, K = m = 16, 8 seeds",
                (pixels.astype(np.float32), 16, RNG),
                None,
            ),
            ("F",),
            seeds=tuple(range(3, 11)),
            check=_orders_vary,
        ),
    ]
