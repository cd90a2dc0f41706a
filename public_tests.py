"""Public tests for the K-means lab's exercises.

Call ``find_closest_centroids_test(find_closest_centroids)`` and the like from
the notebook.  Each test runs a few small cases whose answers were worked out
by hand (or hold by construction, such as points placed within a small
distance of a known centroid), checks that your function leaves its inputs
alone, and on a wrong answer raises an ``AssertionError`` naming the case,
what was expected, what came back and, where it can tell, the likely mistake.

The grader runs more cases than these.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "find_closest_centroids_test",
    "compute_centroids_test",
    "kMeans_init_centroids_test",
    "kMeans_plusplus_init_test",
]

TOLERANCE = 1e-5


@dataclass
class Case:
    """One set of inputs for an exercise, with the answer and known wrong answers.

    ``expected`` for ``find_closest_centroids`` is a list holding, per example,
    the tuple of acceptable indices (more than one on an exact tie); for
    ``compute_centroids`` it is the (K, n) array of centroids.  ``mistakes``
    maps the description of a plausible mistake to the answer it gives.
    """

    name: str
    args: tuple
    expected: object
    mistakes: dict = field(default_factory=dict)


# --------------------------------------------------------------------------
# Shared hand-made data
# --------------------------------------------------------------------------

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

#: Small offsets, all shorter than 0.2 (under half the palette's spacing), so a
#: colour plus an offset is still nearest to that colour.  Multiples of 1/255.
OFFSETS = (
    np.array(
        [
            [0.0, 0.0, 0.0],
            [10.0, -12.0, 7.0],
            [-20.0, 5.0, 15.0],
            [3.0, 3.0, -25.0],
            [-8.0, -9.0, -10.0],
        ]
    )
    / 255.0
)


def _pixels_near_palette():
    """Pixels built as palette colour + small offset; returns (X, expected idx)."""
    order = [7, 0, 15, 3, 12, 9, 1, 14, 5, 11, 2, 8, 13, 4, 10, 6]
    pixels, expected = [], []
    for position, k in enumerate(order):
        for offset in OFFSETS[: 1 + position % 3]:
            pixels.append(np.clip(PALETTE_16[k] + offset, 0.0, 1.0))
            expected.append((k,))
    return np.array(pixels), expected


def _tie_pixels():
    """Pixels in units of 1/255, some exactly halfway between two centroids."""
    centroids = np.array([[0, 0, 0], [2, 0, 0], [255, 255, 255], [0, 4, 0]]) / 255.0
    X = np.array(
        [[1, 0, 0], [0, 0, 0], [3, 0, 0], [254, 255, 255], [0, 2, 0], [0, 3, 0]]
    )
    # [1,0,0] is 1 away from centroids 0 and 1; [0,2,0] is 2 away from 0 and 3.
    expected = [(0, 1), (0,), (1,), (2,), (0, 3), (3,)]
    return X / 255.0, centroids, expected


# --------------------------------------------------------------------------
# Cases: find_closest_centroids
# --------------------------------------------------------------------------


def _closest_cases():
    lab_X = np.array(
        [[3, 3], [6, 2], [8, 5], [1, 1], [7, 3], [5, 5], [2, 4], [9, 9]], dtype=float
    )
    lab_centroids = np.array([[3, 3], [6, 2], [8, 5]])
    pixels, pixel_idx = _pixels_near_palette()
    tie_X, tie_centroids, tie_idx = _tie_pixels()
    return [
        Case(
            # Squared distances worked by hand, e.g. [5, 5]: 8, 10, 9 -> 0.
            "2-D, the lab's three starting centroids (integers)",
            (lab_X, lab_centroids),
            [(0,), (1,), (2,), (0,), (1,), (0,), (0,), (2,)],
            {
                "L1 (Manhattan) distance instead of Euclidean": [
                    0,
                    1,
                    2,
                    0,
                    1,
                    2,
                    0,
                    2,
                ],
                "the farthest centroid instead of the nearest": [
                    2,
                    2,
                    0,
                    2,
                    0,
                    1,
                    2,
                    0,
                ],
            },
        ),
        Case(
            # [1.6, 0] is 1.6 from centroid 0 and sqrt(2) from centroid 1,
            # but 2 from centroid 1 in L1 distance.
            "2-D, Euclidean and L1 distance disagree",
            (np.array([[1.6, 0.0], [2.6, 1.0]]), np.array([[0.0, 0.0], [2.6, 1.0]])),
            [(1,), (1,)],
            {"L1 (Manhattan) distance instead of Euclidean": [0, 1]},
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
            (tie_X.astype(np.float32), tie_centroids.astype(np.float32)),
            tie_idx,
        ),
    ]


# --------------------------------------------------------------------------
# Cases: compute_centroids
# --------------------------------------------------------------------------


def _centroid_cases():
    # Cluster 0: [1,2], [3,4], [8,0] -> mean [4, 2], median [3, 2].
    # Cluster 1: [6,6], [2,2] -> mean [4, 4].  Cluster 2: [5,1] alone.
    hand_X = np.array([[1, 2], [6, 6], [3, 4], [5, 1], [2, 2], [8, 0]], dtype=float)
    hand_idx = np.array([0, 1, 0, 2, 1, 0])
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
    return [
        Case(
            "2-D, three clusters of 3, 2 and 1 points",
            (hand_X, hand_idx, 3),
            np.array([[4.0, 2.0], [4.0, 4.0], [5.0, 1.0]]),
            {
                "the median instead of the mean": np.array(
                    [[3.0, 2.0], [4.0, 4.0], [5.0, 1.0]]
                )
            },
        ),
        Case(
            "2-D, K = 4 with clusters 1 and 3 empty (their rows stay zeros)",
            (np.array([[0.0, 0.0], [2.0, 2.0], [4.0, 0.0]]), np.array([0, 0, 2]), 4),
            np.array([[1.0, 1.0], [0.0, 0.0], [4.0, 0.0], [0.0, 0.0]]),
        ),
        Case(
            "2-D, a single cluster (K = 1)",
            (
                np.array([[1.0, -1.0], [2.0, 5.0], [-3.0, 2.0], [4.0, 2.0]]),
                np.zeros(4, dtype=int),
                1,
            ),
            np.array([[1.0, 2.0]]),
        ),
        Case(
            "3-D pixels, K = 16 (int32 idx)",
            (pixels, pixel_idx, 16),
            PALETTE_16.copy(),
        ),
        Case(
            "3-D float32 pixels, K = 16",
            (pixels.astype(np.float32), pixel_idx.astype(np.int64), 16),
            PALETTE_16.copy(),
        ),
    ]


# --------------------------------------------------------------------------
# Checks shared with the grader
# --------------------------------------------------------------------------


def _fail(case, message):
    raise AssertionError(f"Case '{case.name}': {message}")


def _array_text(values):
    return np.array2string(
        np.asarray(values), precision=4, separator=", ", threshold=20
    )


def check_closest(case, idx):
    """Check ``find_closest_centroids``' answer ``idx`` for ``case``."""
    X, centroids = case.args
    m, K = X.shape[0], len(centroids)
    if not isinstance(idx, np.ndarray):
        _fail(case, f"expected a NumPy array of shape ({m},), got {type(idx).__name__}")
    if idx.shape != (m,):
        hint = ""
        if idx.size == m:
            hint = " Flatten it: np.argmin(distances, axis=1) is already 1-D."
        elif idx.shape == (m, K) or idx.shape == (K, m):
            hint = " These look like the distances: take their argmin over centroids."
        _fail(case, f"expected idx of shape ({m},), got shape {idx.shape}.{hint}")
    if not np.issubdtype(idx.dtype, np.integer):
        kind = " (float indices)" if np.issubdtype(idx.dtype, np.floating) else ""
        _fail(
            case,
            f"expected integer indices, got dtype {idx.dtype}{kind}. "
            "Create idx with np.zeros(m, dtype=int), or use np.argmin.",
        )
    got = idx.tolist()
    ok = [g in allowed for g, allowed in zip(got, case.expected, strict=True)]
    if all(ok):
        return
    first = [allowed[0] for allowed in case.expected]
    if all(g == f + 1 for g, f in zip(got, first, strict=True)):
        _fail(
            case, f"got {got}, expected {first}: 1-based indices. Python counts from 0."
        )
    if min(got) < 0 or max(got) >= K:
        _fail(
            case,
            f"indices must run from 0 to {K - 1} (one per centroid), got values from "
            f"{min(got)} to {max(got)}",
        )
    for mistake, answer in case.mistakes.items():
        if got == list(answer):
            _fail(case, f"expected {first}, got {got}: this is what {mistake} gives.")
    wrong = [i for i, good in enumerate(ok) if not good]
    if K > 1 and all(case.expected[i] == (K - 1,) for i in wrong) and K - 1 not in got:
        _fail(
            case,
            f"expected {first}, got {got}: the last centroid (index {K - 1}) is never "
            "chosen. Loop over range(K), not range(K - 1).",
        )
    if X.shape[1] > 2 and np.allclose(
        centroids[[got[i] for i in wrong], :2],
        centroids[[first[i] for i in wrong], :2],
    ):
        _fail(
            case,
            f"{len(wrong)} of {m} examples went to a centroid that differs from the "
            "right one only after the second feature: the number of features is "
            "hard-coded to 2. Use all n = X.shape[1] features.",
        )
    if K > 1 and not any(got):
        _fail(case, f"expected {first}, got all zeros: idx is never filled in.")
    i = wrong[0]
    allowed = case.expected[i]
    want = allowed[0] if len(allowed) == 1 else f"any of {list(allowed)} (a tie)"
    _fail(
        case,
        f"{len(wrong)} of {m} examples are assigned wrongly; e.g. example {i}, "
        f"X[{i}] = {_array_text(X[i])}, expected centroid {want}, got {got[i]}.",
    )


def check_centroids(case, centroids):
    """Check ``compute_centroids``' answer ``centroids`` for ``case``."""
    X, idx, K = case.args
    m, n = X.shape
    expected = case.expected
    if not isinstance(centroids, np.ndarray):
        _fail(
            case,
            f"expected a NumPy array of shape ({K}, {n}), "
            f"got {type(centroids).__name__}",
        )
    if centroids.shape != (K, n):
        hint = ""
        if n != 2 and centroids.shape == (K, 2):
            hint = " The number of features is hard-coded to 2: use n = X.shape[1]."
        elif centroids.shape == (K - 1, n):
            hint = " The last centroid is missing: loop over range(K)."
        elif centroids.shape == (n, K):
            hint = " Rows and columns are swapped: one row per centroid."
        _fail(case, f"expected shape ({K}, {n}), got shape {centroids.shape}.{hint}")
    if not np.issubdtype(centroids.dtype, np.number) or np.issubdtype(
        centroids.dtype, np.complexfloating
    ):
        _fail(case, f"expected real numbers, got dtype {centroids.dtype}")
    if np.isnan(centroids).any():
        rows = sorted({int(r) for r in np.argwhere(np.isnan(centroids))[:, 0]})
        counts = np.bincount(idx, minlength=K)
        if all(counts[r] == 0 for r in rows):
            _fail(
                case,
                f"rows {rows} are NaN: the mean of an empty cluster. Only average "
                "clusters that have points; an empty cluster's row stays zeros.",
            )
        _fail(case, f"rows {rows} hold NaN")
    if np.allclose(centroids, expected, rtol=TOLERANCE, atol=TOLERANCE):
        return
    counts = np.bincount(idx, minlength=K)[:, None]
    sums = expected * counts
    diagnoses = {
        "the sum of each cluster instead of its mean": sums,
        "dividing by m (all examples) instead of the cluster's size": sums / m,
        **case.mistakes,
    }
    if np.issubdtype(centroids.dtype, np.integer):
        _fail(
            case,
            f"got integer centroids {_array_text(centroids)}, expected "
            f"{_array_text(expected)}: start from np.zeros((K, n)), which is float.",
        )
    for mistake, answer in diagnoses.items():
        if np.allclose(centroids, answer, rtol=TOLERANCE, atol=TOLERANCE):
            _fail(
                case,
                f"expected {_array_text(expected)}, got {_array_text(centroids)}: "
                f"this is what {mistake} gives.",
            )
    wrong = np.flatnonzero(
        ~np.all(np.isclose(centroids, expected, rtol=TOLERANCE, atol=TOLERANCE), axis=1)
    )
    if K > 1 and wrong.tolist() == [K - 1] and not centroids[K - 1].any():
        _fail(
            case, f"centroid {K - 1} (the last one) is all zeros: loop over range(K)."
        )
    k = int(wrong[0])
    _fail(
        case,
        f"{len(wrong)} of {K} centroids are wrong; e.g. centroid {k} "
        f"({counts[k, 0]} points): expected {_array_text(expected[k])}, "
        f"got {_array_text(centroids[k])}.",
    )


def check_unchanged(case, before, after):
    """Fail if the function modified any of its array inputs."""
    for position, (old, new) in enumerate(zip(before, after, strict=True)):
        if isinstance(old, np.ndarray) and not np.array_equal(old, new):
            _fail(
                case,
                f"your function modified its input argument {position + 1}; "
                "work on a copy.",
            )


# --------------------------------------------------------------------------
# Running a target
# --------------------------------------------------------------------------


def _copy_args(args):
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def _call(case, target):
    """Call ``target`` on copies of the case's inputs; return (result, warnings)."""
    args = _copy_args(case.args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = target(*args)
        except NotImplementedError:
            raise
        except Exception as error:
            _fail(case, f"your function raised {type(error).__name__}: {error}")
    check_unchanged(case, case.args, args)
    return result, caught


def _expect_value_error(case, target, why):
    """Fail unless ``target(*case.args)`` raises ValueError; warnings are fine."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. 0 / 0 just before the error
            target(*case.args)
    except ValueError:
        return
    except Exception as error:
        _fail(case, f"expected a ValueError, got {type(error).__name__}: {error}")
    _fail(case, f"expected a ValueError: {why}.")


def _passed(name, count, graded=True):
    more = " (the grader runs more)" if graded else ""
    print(f"{name}: all {count} public tests passed{more}.")


def find_closest_centroids_test(target):
    """Run the public tests of ``find_closest_centroids(X, centroids) -> idx``."""
    cases = _closest_cases()
    for case in cases:
        idx, _ = _call(case, target)
        check_closest(case, idx)
    _passed("find_closest_centroids", len(cases))


def compute_centroids_test(target):
    """Run the public tests of ``compute_centroids(X, idx, K) -> centroids``."""
    cases = _centroid_cases()
    for case in cases:
        centroids, caught = _call(case, target)
        check_centroids(case, centroids)
        runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if runtime:
            _fail(
                case,
                f"the right answer, but with a warning: {runtime[0].message}. An empty "
                "cluster should be skipped, not averaged.",
            )
    _passed("compute_centroids", len(cases))


def kMeans_init_centroids_test(target):
    """Run the public tests of ``kMeans_init_centroids(X, K, rng) -> centroids``."""
    X = np.arange(40.0).reshape(20, 2)
    rows = {tuple(row) for row in X.tolist()}
    count = 0
    for K in (1, 3, 20):
        count += 1
        case = Case(
            f"K = {K} of m = 20 examples", (X, K, np.random.default_rng(K)), None
        )
        centroids, _ = _call(case, target)
        if not isinstance(centroids, np.ndarray) or centroids.shape != (K, 2):
            shape = getattr(centroids, "shape", type(centroids).__name__)
            _fail(case, f"expected an array of shape ({K}, 2), got {shape}")
        picked = [tuple(row) for row in centroids.tolist()]
        if not all(row in rows for row in picked):
            _fail(case, "every centroid must be one of the examples (a row of X).")
        if len(set(picked)) != K:
            _fail(case, "the same example was picked twice: pick K distinct examples.")
    count += 1
    pixels = (np.arange(48).reshape(16, 3) * 5 % 256 / 255).astype(np.float32)
    case = Case("16 float32 pixels, K = 4", (pixels, 4, np.random.default_rng(4)), None)
    centroids, _ = _call(case, target)
    check_plusplus_rows(case, pixels, 4, centroids)
    count += 1
    case = Case("the same seed twice", (X, 5), None)
    first, _ = _call(case, lambda X, K: target(X, K, np.random.default_rng(7)))
    second, _ = _call(case, lambda X, K: target(X, K, np.random.default_rng(7)))
    if not np.array_equal(first, second):
        _fail(
            case, "two runs with the same seed differ: draw from the rng you are given."
        )
    count += 1
    case = Case("five different seeds", (X, 5), None)
    picks = {
        tuple(
            _call(case, lambda X, K, s=s: target(X, K, np.random.default_rng(s)))[
                0
            ].ravel()
        )
        for s in range(5)
    }
    if len(picks) == 1:
        _fail(case, "every seed gives the same centroids: pick the examples at random.")
    count += 1
    _expect_value_error(
        Case("K larger than m", (X.copy(), 21, np.random.default_rng(0)), None),
        target,
        "21 distinct examples can't be picked from 20",
    )
    _passed("kMeans_init_centroids", count, graded=False)


# --------------------------------------------------------------------------
# kMeans_plusplus_init (optional exercise)
# --------------------------------------------------------------------------

#: Three points on a line, 0, 1 and 3.  With the first centroid uniform and the
#: second drawn with probability proportional to D(x)^2, the pair {0, 1} comes
#: out with probability (1/3)(1/10) + (1/3)(1/5) = 0.1 (from 0: D^2 = 1, 9;
#: from 1: D^2 = 1, 4; from 3: D^2 = 9, 4 gives {0, 1} never).  Proportional to
#: D it would be (1/3)(1/4 + 1/3) = 0.194; uniform, 1/3.
LINE = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]])
LINE_SEEDS = 3000
#: Accepted frequency of the pair {0, 1}: 0.1 +- 5.5 standard deviations.
LINE_BAND = (0.07, 0.13)


def _four_tight_clusters():
    corners = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]])
    offsets = np.array([[0, 0], [0.01, 0], [0, 0.01], [-0.01, 0], [0, -0.01]])
    return np.concatenate([corner + offsets for corner in corners])


def _plusplus_call(case, target, X, K, seed):
    result, _ = _call(
        Case(case, (X, K), None), lambda X, K: target(X, K, np.random.default_rng(seed))
    )
    return result


def check_plusplus_rows(case, X, K, centroids):
    """Fail unless ``centroids`` is K distinct rows of X."""
    if not isinstance(centroids, np.ndarray) or centroids.shape != (K, X.shape[1]):
        shape = getattr(centroids, "shape", type(centroids).__name__)
        _fail(case, f"expected an array of shape ({K}, {X.shape[1]}), got {shape}")
    rows = {tuple(row) for row in X.tolist()}
    picked = [tuple(row) for row in np.asarray(centroids, dtype=X.dtype).tolist()]
    if not all(row in rows for row in picked):
        _fail(case, "every centroid must be one of the examples (a row of X).")
    if len(set(picked)) != K:
        _fail(
            case,
            "an example was picked twice: once chosen, its distance D(x) is 0, so "
            "its weight D(x)^2 is 0.",
        )


def check_plusplus_line_pairs(case, pairs):
    """Fail unless the pair {0, 1} comes out with frequency near 0.1."""
    frequency = np.mean([set(p) == {0.0, 1.0} for p in pairs])
    low, high = LINE_BAND
    if low <= frequency <= high:
        return
    hint = ""
    if abs(frequency - 0.194) < 0.03:
        hint = " That is what weights proportional to D(x), not D(x)^2, give."
    elif abs(frequency - 1 / 3) < 0.03:
        hint = " That is what a uniform choice gives: weight by D(x)^2."
    _fail(
        case,
        f"over {len(pairs)} seeds the pair {{0, 1}} came out with frequency "
        f"{frequency:.3f}; k-means++ gives 0.1.{hint}",
    )


def kMeans_plusplus_init_test(target):
    """Run the public tests of ``kMeans_plusplus_init(X, K, rng) -> centroids``."""
    count = 0
    X = (np.arange(60.0) * 7 % 61).reshape(30, 2)
    for K in (1, 5, 30):
        count += 1
        case = f"K = {K} of m = 30 examples"
        centroids = _plusplus_call(case, target, X, K, seed=K)
        check_plusplus_rows(Case(case, (X, K), None), X, K, centroids)
    count += 1
    pixels = (np.arange(48).reshape(16, 3) * 5 % 256 / 255).astype(np.float32)
    case = "16 float32 pixels, K = 16"
    check_plusplus_rows(
        Case(case, (pixels, 16), None),
        pixels,
        16,
        _plusplus_call(case, target, pixels, 16, 3),
    )
    count += 1
    case = Case("the same seed twice", (X, 5), None)
    first = _plusplus_call(case.name, target, X, 5, 11)
    if not np.array_equal(first, _plusplus_call(case.name, target, X, 5, 11)):
        _fail(
            case, "two runs with the same seed differ: draw from the rng you are given."
        )
    count += 1
    clusters = _four_tight_clusters()
    case = Case("four tight clusters 100 apart, K = 4, 50 seeds", (clusters, 4), None)
    for seed in range(50):
        centroids = _plusplus_call(case.name, target, clusters, 4, seed)
        corners = {tuple(np.round(row, -2)) for row in np.asarray(centroids).tolist()}
        if len(corners) != 4:
            _fail(
                case,
                f"seed {seed}: two centroids in one cluster. A point 100 away has "
                "D(x)^2 = 10,000 against 0.0001 for a neighbour: weight by D(x)^2 "
                "to the closest centroid chosen so far.",
            )
    count += 1
    case = Case(f"points 0, 1, 3 on a line, K = 2, {LINE_SEEDS} seeds", (LINE, 2), None)
    pairs = [
        tuple(_plusplus_call(case.name, target, LINE, 2, seed)[:, 0])
        for seed in range(LINE_SEEDS)
    ]
    check_plusplus_line_pairs(case, pairs)
    count += 1
    duplicates = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    _expect_value_error(
        Case(
            "only 2 distinct examples, K = 3",
            (duplicates, 3, np.random.default_rng(0)),
            None,
        ),
        target,
        "3 distinct centroids can't come from 2 points",
    )
    _passed("kMeans_plusplus_init", count)
