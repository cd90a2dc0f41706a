"""Right and wrong versions of the lab's functions, as students might write them.

``tests/test_public_tests.py`` feeds these to ``public_tests.py`` and checks
its verdicts: every correct version must pass, every wrong one must be caught
with a message that names the mistake.
"""

import math

import numpy as np

# --------------------------------------------------------------------------
# find_closest_centroids(X, centroids) -> idx, shape (m,), int: correct
# --------------------------------------------------------------------------


def closest_double_loop_norm(X, centroids):
    """Two loops, np.linalg.norm for every (example, centroid) pair."""
    m, K = X.shape[0], centroids.shape[0]
    idx = np.zeros(m, dtype=int)
    for i in range(m):
        distances = []
        for j in range(K):
            distances.append(np.linalg.norm(X[i] - centroids[j]))
        idx[i] = np.argmin(distances)
    return idx


def closest_loop_broadcast(X, centroids):
    """One loop over examples, distances to all centroids at once."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.sum((centroids - X[i]) ** 2, axis=1))
    return idx


def closest_full_broadcast(X, centroids):
    """Squared distances for all pairs as an (m, K, n) difference array."""
    differences = X[:, np.newaxis, :] - centroids[np.newaxis, :, :]
    return np.argmin(np.sum(differences**2, axis=2), axis=1)


def closest_matrix_product(X, centroids):
    """||x||^2 - 2 x.c + ||c||^2 with one matrix product."""
    squared = (
        np.sum(X**2, axis=1)[:, np.newaxis]
        - 2 * X @ centroids.T
        + np.sum(centroids**2, axis=1)[np.newaxis, :]
    )
    return np.argmin(squared, axis=1)


def closest_running_minimum(X, centroids):
    """Loop over centroids, keeping the best distance seen so far."""
    best = np.full(X.shape[0], np.inf)
    idx = np.zeros(X.shape[0], dtype=int)
    for k in range(centroids.shape[0]):
        distance = np.sum((X - centroids[k]) ** 2, axis=1)
        closer = distance < best
        best[closer] = distance[closer]
        idx[closer] = k
    return idx


def closest_pure_python(X, centroids):
    """Plain Python: math.dist and min over a range."""
    idx = []
    for x in X.tolist():
        rows = centroids.tolist()
        idx.append(min(range(len(rows)), key=lambda k, x=x: math.dist(x, rows[k])))
    return np.array(idx)


def closest_int32(X, centroids):
    """Broadcasting, with the indices returned as int32."""
    distances = np.linalg.norm(X[:, None, :] - centroids[None, :, :], axis=2)
    return np.argmin(distances, axis=1).astype(np.int32)


# --------------------------------------------------------------------------
# find_closest_centroids: wrong
# --------------------------------------------------------------------------


def _squared_distances(X, centroids):
    return np.sum((X[:, None, :] - centroids[None, :, :]) ** 2, axis=2)


def closest_one_based(X, centroids):
    """Numbers the centroids from 1."""
    return np.argmin(_squared_distances(X, centroids), axis=1) + 1


def closest_float_indices(X, centroids):
    """np.zeros(m) without a dtype, so idx holds floats."""
    idx = np.zeros(X.shape[0])
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.sum((centroids - X[i]) ** 2, axis=1))
    return idx


def closest_l1(X, centroids):
    """Manhattan distance instead of Euclidean."""
    distances = np.sum(np.abs(X[:, None, :] - centroids[None, :, :]), axis=2)
    return np.argmin(distances, axis=1)


def closest_farthest(X, centroids):
    """argmax instead of argmin."""
    return np.argmax(_squared_distances(X, centroids), axis=1)


def closest_two_features(X, centroids):
    """Only looks at features 0 and 1, as in the lab's 2-D example."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distances = (centroids[:, 0] - X[i, 0]) ** 2 + (centroids[:, 1] - X[i, 1]) ** 2
        idx[i] = np.argmin(distances)
    return idx


def closest_skips_last_centroid(X, centroids):
    """Loops over range(K - 1), so the last centroid is never considered."""
    K = centroids.shape[0]
    best = np.full(X.shape[0], np.inf)
    idx = np.zeros(X.shape[0], dtype=int)
    for k in range(K - 1):
        distance = np.sum((X - centroids[k]) ** 2, axis=1)
        closer = distance < best
        best[closer] = distance[closer]
        idx[closer] = k
    return idx


def closest_column(X, centroids):
    """Keeps the reduced axis: shape (m, 1)."""
    return np.argmin(_squared_distances(X, centroids), axis=1, keepdims=True)


def closest_list(X, centroids):
    """Returns a Python list."""
    return [int(np.argmin(np.sum((centroids - x) ** 2, axis=1))) for x in X]


def closest_distance_matrix(X, centroids):
    """Returns the (m, K) distances and forgets the argmin."""
    return np.sqrt(_squared_distances(X, centroids))


def closest_modifies_X(X, centroids):
    """Centres X in place (right answer, but the caller's X is changed)."""
    centre = centroids.mean(axis=0)
    X -= centre
    return np.argmin(_squared_distances(X, centroids - centre), axis=1)


def closest_never_filled(X, centroids):
    """Computes the distances but never stores the result in idx."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distances = np.sum((centroids - X[i]) ** 2, axis=1)
        j = np.argmin(distances)  # noqa: F841 -- the mistake: j is never used
    return idx


# --------------------------------------------------------------------------
# compute_centroids(X, idx, K) -> centroids, shape (K, n), float: correct
# --------------------------------------------------------------------------


def centroids_loop_mean(X, idx, K):
    """Loop over clusters, mean of the members, skipping empty clusters."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[idx == k]
        if len(members) > 0:
            centroids[k] = members.mean(axis=0)
    return centroids


def centroids_bincount(X, idx, K):
    """np.bincount with weights, one feature at a time."""
    counts = np.bincount(idx, minlength=K)
    sums = np.column_stack(
        [np.bincount(idx, weights=X[:, j], minlength=K) for j in range(X.shape[1])]
    )
    centroids = np.zeros((K, X.shape[1]))
    has_points = counts > 0
    centroids[has_points] = sums[has_points] / counts[has_points, None]
    return centroids


def centroids_add_at(X, idx, K):
    """Unbuffered sums with np.add.at, then a guarded division."""
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X)
    counts = np.bincount(idx, minlength=K)[:, None]
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)


def centroids_one_hot(X, idx, K):
    """One-hot membership matrix: np.eye(K)[idx].T @ X, divided by the counts."""
    members = np.eye(K)[idx]
    sums = members.T @ X
    counts = members.sum(axis=0)
    return sums / np.maximum(counts, 1)[:, None]


def centroids_pure_python(X, idx, K):
    """Plain Python loops accumulating sums and counts."""
    n = X.shape[1]
    sums = [[0.0] * n for _ in range(K)]
    counts = [0] * K
    for x, k in zip(X.tolist(), idx.tolist(), strict=True):
        counts[k] += 1
        for j in range(n):
            sums[k][j] += x[j]
    return np.array(
        [
            [s / c if c else 0.0 for s in row]
            for row, c in zip(sums, counts, strict=True)
        ]
    )


# --------------------------------------------------------------------------
# compute_centroids: wrong
# --------------------------------------------------------------------------


def centroids_sum(X, idx, K):
    """The sum of each cluster, not its mean."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = X[idx == k].sum(axis=0)
    return centroids


def centroids_median(X, idx, K):
    """np.median instead of np.mean."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[idx == k]
        if len(members) > 0:
            centroids[k] = np.median(members, axis=0)
    return centroids


def centroids_divide_by_m(X, idx, K):
    """Divides each cluster's sum by m, the number of all examples."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = X[idx == k].sum(axis=0) / X.shape[0]
    return centroids


def centroids_two_features(X, idx, K):
    """np.zeros((K, 2)): the number of features hard-coded to 2."""
    centroids = np.zeros((K, 2))
    for k in range(K):
        members = X[idx == k]
        if len(members) > 0:
            centroids[k] = members[:, :2].mean(axis=0)
    return centroids


def centroids_skips_last(X, idx, K):
    """Loops over range(K - 1), so the last row stays zeros."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K - 1):
        members = X[idx == k]
        if len(members) > 0:
            centroids[k] = members.mean(axis=0)
    return centroids


def centroids_drops_last_row(X, idx, K):
    """Builds a list over range(K - 1), so the result has K - 1 rows."""
    return np.array([X[idx == k].mean(axis=0) for k in range(K - 1)])


def centroids_nan_for_empty(X, idx, K):
    """np.mean of an empty cluster: a NaN row (and a RuntimeWarning)."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = np.mean(X[idx == k], axis=0)
    return centroids


def centroids_warns_then_patches(X, idx, K):
    """sums / counts warns on 0 / 0; np.nan_to_num then hides the NaN."""
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X)
    counts = np.bincount(idx, minlength=K)[:, None]
    return np.nan_to_num(sums / counts)


def centroids_integer(X, idx, K):
    """np.zeros((K, n), dtype=int): the means are truncated on assignment."""
    centroids = np.zeros((K, X.shape[1]), dtype=int)
    for k in range(K):
        members = X[idx == k]
        if len(members) > 0:
            centroids[k] = members.mean(axis=0)
    return centroids


def centroids_modifies_X(X, idx, K):
    """Sorts X by cluster in place (right answer, but the caller's X is changed)."""
    order = np.argsort(idx, kind="stable")
    X[:] = X[order]
    sorted_idx = idx[order]
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[sorted_idx == k]
        if len(members) > 0:
            centroids[k] = members.mean(axis=0)
    return centroids


def centroids_mean_without_axis(X, idx, K):
    """np.mean without axis=0: one number (the mean of all values) per row."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[idx == k]
        if len(members) > 0:
            centroids[k] = np.mean(members)
    return centroids


def centroids_list(X, idx, K):
    """Returns a list of rows instead of an array."""
    return [
        X[idx == k].mean(axis=0) if np.any(idx == k) else np.zeros(X.shape[1])
        for k in range(K)
    ]


# --------------------------------------------------------------------------
# kMeans_init_centroids(X, K, rng) -> centroids, shape (K, n): correct
# --------------------------------------------------------------------------


def init_choice(X, K, rng):
    """K distinct row numbers with rng.choice(m, K, replace=False)."""
    return X[rng.choice(X.shape[0], size=K, replace=False)]


def init_permutation(X, K, rng):
    """The first K of a random permutation of the row numbers."""
    if K > X.shape[0]:
        raise ValueError(f"K = {K} is more than the m = {X.shape[0]} examples")
    return X[rng.permutation(X.shape[0])[:K]]


def init_permuted_rows(X, K, rng):
    """The first K rows of a shuffled copy of X."""
    if not 1 <= K <= len(X):
        raise ValueError(f"K must be between 1 and {len(X)}, got {K}")
    return rng.permutation(X, axis=0)[:K]


def init_choice_rows(X, K, rng):
    """rng.choice on the rows of X directly."""
    return rng.choice(X, size=K, replace=False, axis=0)


# --------------------------------------------------------------------------
# kMeans_init_centroids: wrong
# --------------------------------------------------------------------------


def init_with_replacement(X, K, rng):
    """rng.choice's default replace=True: the same example can come twice."""
    return X[rng.choice(X.shape[0], size=K)]


def init_ignores_rng(X, K, rng):
    """Makes a fresh unseeded generator instead of using the one given."""
    return X[np.random.default_rng().choice(X.shape[0], size=K, replace=False)]


def init_fixed_seed(X, K, rng):
    """Makes its own generator with a fixed seed, ignoring the one given."""
    return X[np.random.default_rng(0).choice(X.shape[0], size=K, replace=False)]


def init_first_rows(X, K, rng):
    """Always the first K examples."""
    return X[:K].copy()


def init_no_value_error(X, K, rng):
    """Slicing a permutation quietly returns only m rows when K > m."""
    return X[rng.permutation(X.shape[0])[:K]]


def init_rejects_K_equal_m(X, K, rng):
    """Off by one: K == m is refused, although all m examples can be picked."""
    if K >= X.shape[0]:
        raise ValueError(f"K = {K} must be less than m = {X.shape[0]}")
    return X[rng.choice(X.shape[0], size=K, replace=False)]


def init_permuted_columns(X, K, rng):
    """rng.permuted (not permutation) shuffles each column on its own."""
    if K > X.shape[0]:
        raise ValueError(f"K = {K} is more than the m = {X.shape[0]} examples")
    return rng.permuted(X, axis=0)[:K]


def init_shuffles_X(X, K, rng):
    """rng.shuffle(X) shuffles the caller's X in place."""
    if K > X.shape[0]:
        raise ValueError(f"K = {K} is more than the m = {X.shape[0]} examples")
    rng.shuffle(X)
    return X[:K]


def init_returns_indices(X, K, rng):
    """Returns the chosen row numbers, shape (K,), not the rows."""
    return rng.choice(X.shape[0], size=K, replace=False)


def init_not_examples(X, K, rng):
    """Random points in the data's bounding box, not examples of X."""
    if K > X.shape[0]:
        raise ValueError(f"K = {K} is more than the m = {X.shape[0]} examples")
    return rng.uniform(X.min(axis=0), X.max(axis=0), size=(K, X.shape[1]))


# --------------------------------------------------------------------------
# kMeans_plusplus_init(X, K, rng) -> (K, n): correct and wrong
# --------------------------------------------------------------------------


def plusplus_loops(X, K, rng):
    """Loops over examples to keep each one's squared distance to the closest pick."""
    m = X.shape[0]
    chosen = [int(rng.integers(m))]
    closest = [float(np.sum((X[i] - X[chosen[0]]) ** 2)) for i in range(m)]
    for _ in range(1, K):
        total = sum(closest)
        if total == 0:
            raise ValueError("fewer distinct examples than K")
        pick = int(rng.choice(m, p=np.array(closest) / total))
        chosen.append(pick)
        for i in range(m):
            closest[i] = min(closest[i], float(np.sum((X[i] - X[pick]) ** 2)))
    return np.array([X[i] for i in chosen], dtype=float)


def plusplus_farthest_first(X, K, rng):
    """Picks the farthest example each time instead of drawing it by D(x)^2."""
    m = X.shape[0]
    chosen = [int(rng.integers(m))]
    closest = np.sum((X - X[chosen[0]]) ** 2, axis=1)
    for _ in range(1, K):
        if not closest.any():
            raise ValueError("fewer distinct examples than K")
        pick = int(np.argmax(closest))
        chosen.append(pick)
        closest = np.minimum(closest, np.sum((X - X[pick]) ** 2, axis=1))
    return X[chosen].astype(float)


def plusplus_vectorised(X, K, rng):
    """Distances to all picks at once, recomputed each step."""
    picks = [rng.choice(X.shape[0])]
    for _ in range(1, K):
        d2 = ((X[:, None, :] - X[picks][None, :, :]) ** 2).sum(axis=2).min(axis=1)
        picks.append(rng.choice(X.shape[0], p=d2 / d2.sum()))
    return X[picks].astype(float)


def plusplus_distance_weights(X, K, rng):
    """Wrong: probability proportional to D(x), not D(x)^2."""
    picks = [rng.choice(X.shape[0])]
    for _ in range(1, K):
        d = np.sqrt(
            ((X[:, None, :] - X[picks][None, :, :]) ** 2).sum(axis=2).min(axis=1)
        )
        picks.append(rng.choice(X.shape[0], p=d / d.sum()))
    return X[picks].astype(float)


def plusplus_uniform(X, K, rng):
    """Wrong: K examples uniformly at random."""
    return X[rng.choice(X.shape[0], size=K, replace=False)].astype(float)


def plusplus_ignores_rng(X, K, rng):
    """Wrong: draws from a fresh unseeded generator."""
    return plusplus_vectorised(X, K, np.random.default_rng())


def plusplus_first_centroid_only(X, K, rng):
    """Wrong: weights by the distance to the first pick only."""
    first = rng.choice(X.shape[0])
    d2 = ((X - X[first]) ** 2).sum(axis=1)
    rest = rng.choice(X.shape[0], size=K - 1, p=d2 / d2.sum()) if K > 1 else []
    return X[[first, *rest]].astype(float)


# --------------------------------------------------------------------------
# Mistakes that need the notebook: functions defined among its globals
# --------------------------------------------------------------------------

#: What the notebook's globals hold when Exercises 1 and 2 are tested: the
#: 2-D data set's shape, the three starting centroids, K = 3 and a stale idx.
NOTEBOOK_GLOBALS = {
    "X": np.linspace(0.0, 9.0, 600).reshape(300, 2),
    "initial_centroids": np.array([[3, 3], [6, 2], [8, 5]]),
    "K": 3,
    "idx": np.zeros(300, dtype=int),
}


def in_notebook(source):
    """Define the function in ``source`` as a notebook cell would: among its globals."""
    namespace = {"np": np, **{k: np.copy(v) for k, v in NOTEBOOK_GLOBALS.items()}}
    namespace["K"] = NOTEBOOK_GLOBALS["K"]
    exec(compile(source, "<notebook cell>", "exec"), namespace)
    return next(v for k, v in namespace.items() if callable(v) and k != "np")


closest_global_centroids = in_notebook(
    '''
def find_closest_centroids(X, centroids):
    """Measures against the notebook's initial_centroids, not the argument."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.sum((initial_centroids - X[i]) ** 2, axis=1))
    return idx
'''
)

closest_global_X = in_notebook(
    '''
def find_closest_centroids(x_rows, centroids):
    """Loops over the notebook's X (300 rows), not the argument."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.sum((centroids - X[i]) ** 2, axis=1))
    return idx
'''
)

closest_stale_idx = in_notebook(
    '''
def find_closest_centroids(X, centroids):
    """Computes into a new name and returns the notebook's stale idx."""
    found = np.argmin(((X[:, None] - centroids[None]) ** 2).sum(axis=2), axis=1)
    return idx
'''
)

closest_global_K = in_notebook(
    '''
def find_closest_centroids(X, centroids):
    """Loops over range(K) with the notebook's K = 3."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distances = np.zeros(K)
        for k in range(K):
            distances[k] = np.sum((X[i] - centroids[k]) ** 2)
        idx[i] = np.argmin(distances)
    return idx
'''
)

centroids_global_K = in_notebook(
    '''
def compute_centroids(X, idx, k_clusters):
    """np.zeros((K, n)) with the notebook's K = 3."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = points.mean(axis=0)
    return centroids
'''
)

centroids_global_X = in_notebook(
    '''
def compute_centroids(data, idx, K):
    """Averages rows of the notebook's X, not of the argument."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = points.mean(axis=0)
    return centroids
'''
)

centroids_stale_idx = in_notebook(
    '''
def compute_centroids(X, labels, K):
    """Selects with the notebook's stale idx, not the argument."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = points.mean(axis=0)
    return centroids
'''
)


# --------------------------------------------------------------------------
# More wrong versions, as students wrote them
# --------------------------------------------------------------------------


def closest_max_norm(X, centroids):
    """The largest absolute difference (L-infinity) instead of Euclidean."""
    distances = np.max(np.abs(X[:, None, :] - centroids[None, :, :]), axis=2)
    return np.argmin(distances, axis=1)


def closest_int_distances(X, centroids):
    """Distances kept in np.zeros(K, dtype=int): each one cut to an integer."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distance = np.zeros(centroids.shape[0], dtype=int)
        for k in range(centroids.shape[0]):
            distance[k] = np.linalg.norm(X[i] - centroids[k])
        idx[i] = np.argmin(distance)
    return idx


def closest_missing_return(X, centroids):
    """Computes idx and forgets to return it."""
    idx = np.argmin(_squared_distances(X, centroids), axis=1)  # noqa: F841


def closest_returns_tuple(X, centroids):
    """Returns the distances too."""
    distances = _squared_distances(X, centroids)
    return np.argmin(distances, axis=1), distances


def closest_hard_coded_K(X, centroids):
    """Loops over range(3), the lab's K, whatever the centroids."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distances = [np.sum((X[i] - centroids[k]) ** 2) for k in range(3)]
        idx[i] = np.argmin(distances)
    return idx


def centroids_rounded(X, idx, K):
    """Rounds each mean to 2 decimals."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = np.round(points.mean(axis=0), 2)
    return centroids


def centroids_hard_coded_K(X, idx, K):
    """Loops over range(3), the lab's K, whatever K is."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(3):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = points.mean(axis=0)
    return centroids


def centroids_no_minlength(X, idx, K):
    """np.bincount without minlength: too short when the last clusters are empty."""
    counts = np.bincount(idx)
    sums = np.stack([np.bincount(idx, weights=X[:, j]) for j in range(X.shape[1])], 1)
    centroids = np.zeros((K, X.shape[1]))
    nonempty = counts > 0
    centroids[nonempty] = sums[nonempty] / counts[nonempty, None]
    return np.zeros((K, X.shape[1])) + centroids


def centroids_mean_axis_1(X, idx, K):
    """np.mean(points, axis=1): one number per example."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = np.mean(points, axis=1)
    return centroids


def centroids_missing_return(X, idx, K):
    """Fills centroids and forgets to return it."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = points.mean(axis=0)


def centroids_returns_tuple(X, idx, K):
    """Returns the centroids and idx, as run_kMeans does."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = points.mean(axis=0)
    return centroids, idx


def centroids_never_filled(X, idx, K):
    """The stub's zeros, returned as they are."""
    return np.zeros((K, X.shape[1]))


def centroids_as_list(X, idx, K):
    """Right means, returned as a list of lists: run_kMeans accepts it."""
    rows = []
    for k in range(K):
        points = X[idx == k]
        rows.append(points.mean(axis=0).tolist() if len(points) else [0.0] * X.shape[1])
    return rows


def plusplus_first_is_X0(X, K, rng):
    """Wrong: the first centroid is always X[0]; the rest by D(x)^2."""
    picks = [0]
    for _ in range(1, K):
        d2 = ((X[:, None, :] - X[picks][None, :, :]) ** 2).sum(axis=2).min(axis=1)
        if d2.sum() == 0:
            raise ValueError("fewer distinct examples than K")
        picks.append(rng.choice(X.shape[0], p=d2 / d2.sum()))
    return X[picks].astype(float)


def closest_undefined_global(X, centroids):
    """Uses initial_centroids before the notebook defines it (Run All order)."""
    return np.argmin(
        ((X[:, None] - initial_centroids[None]) ** 2).sum(axis=2),  # noqa: F821
        axis=1,
    )


centroids_initial_shape = in_notebook(
    '''
def compute_centroids(X, idx, K):
    """Takes its shape from the notebook's initial_centroids."""
    centroids = np.zeros_like(initial_centroids, dtype=float)
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = X[idx == k].mean(axis=0)
    return centroids
'''
)


#: Right answers to each required exercise in different styles: each returns an
#: array, and each is quick enough on every hidden case (the pure-Python and
#: list-returning styles are added where a test wants them).
CLOSEST_STYLES = [
    closest_double_loop_norm,
    closest_loop_broadcast,
    closest_full_broadcast,
    closest_matrix_product,
    closest_running_minimum,
    closest_int32,
]
CENTROID_STYLES = [
    centroids_loop_mean,
    centroids_bincount,
    centroids_add_at,
    centroids_one_hot,
]
