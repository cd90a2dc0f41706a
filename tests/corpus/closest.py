"""find_closest_centroids(X, centroids) as students write it: right and wrong.

Every function stands alone (NumPy only), as a graded cell runs.  ``RIGHT``
lists the right ones; ``WRONG`` maps each wrong one to the identifier of its
mistake (:data:`labkit.mistakes.MISTAKES`).
"""

import math

import numpy as np

# ----------------------------------------------------------------- right


def einsum_squares(X, centroids):
    d = X[:, None, :] - centroids[None, :, :]
    return np.argmin(np.einsum("mkn,mkn->mk", d, d), axis=1)


def norm_axis2(X, centroids):
    return np.linalg.norm(X[:, np.newaxis] - centroids, axis=2).argmin(axis=1)


def while_loops(X, centroids):
    idx = np.zeros(X.shape[0], dtype=int)
    i = 0
    while i < X.shape[0]:
        best, k = None, 0
        while k < centroids.shape[0]:
            d = np.dot(X[i] - centroids[k], X[i] - centroids[k])
            if best is None or d < best:
                best, idx[i] = d, k
            k += 1
        i += 1
    return idx


def list_of_distances_min(X, centroids):
    idx = []
    for x in X:
        d = [np.sum((x - c) ** 2) for c in centroids]
        idx.append(d.index(min(d)))
    return np.array(idx)


def enumerate_running_best(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i, x in enumerate(X):
        best = np.inf
        for k, c in enumerate(centroids):
            d = np.sqrt(np.sum((x - c) ** 2))
            if d < best:
                best = d
                idx[i] = k
    return idx


def math_hypot_loops(X, centroids):
    rows, cents = X.tolist(), centroids.tolist()
    out = np.empty(len(rows), dtype=np.int64)
    for i, row in enumerate(rows):
        out[i] = min(range(len(cents)), key=lambda k, r=row: math.dist(r, cents[k]))
    return out


def dot_expansion_loop(X, centroids):
    cc = (centroids**2).sum(axis=1)
    idx = np.empty(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(cc - 2 * centroids @ X[i])
    return idx


def float64_copy_first(X, centroids):
    X = np.asarray(X, dtype=np.float64)
    C = np.asarray(centroids, dtype=np.float64)
    return ((X[:, None] - C[None]) ** 2).sum(-1).argmin(-1)


def column_loop(X, centroids):
    d = np.zeros((X.shape[0], centroids.shape[0]))
    for k in range(centroids.shape[0]):
        d[:, k] = np.sum(np.square(X - centroids[k]), axis=1)
    return np.argmin(d, axis=1)


def feature_loop(X, centroids):
    d = np.zeros((X.shape[0], centroids.shape[0]))
    for j in range(X.shape[1]):
        d += (X[:, j : j + 1] - centroids[:, j][None, :]) ** 2
    return d.argmin(axis=1)


def abs_squared(X, centroids):
    d = np.abs(X[:, None, :] - centroids[None, :, :]) ** 2
    return np.argmin(d.sum(axis=2), axis=1).astype(np.int64)


def tensordot_expansion(X, centroids):
    cross = np.tensordot(X, centroids, axes=([1], [1]))
    return np.argmin((centroids**2).sum(1)[None, :] - 2 * cross, axis=1)


def random_tie_break(X, centroids):
    """Ties broken at random: any nearest centroid is right."""
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    best = d.min(axis=1, keepdims=True)
    rng = np.random.default_rng(0)
    return np.array(
        [rng.choice(np.flatnonzero(row == b)) for row, b in zip(d, best, strict=True)]
    )


def returns_python_list(X, centroids):
    return [int(np.argmin(((centroids - x) ** 2).sum(axis=1))) for x in X]


def uint8_index(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1).astype(np.uint8)


RIGHT = [
    einsum_squares,
    norm_axis2,
    while_loops,
    list_of_distances_min,
    enumerate_running_best,
    math_hypot_loops,
    dot_expansion_loop,
    float64_copy_first,
    column_loop,
    feature_loop,
    abs_squared,
    tensordot_expansion,
    random_tie_break,
    returns_python_list,
    uint8_index,
]

# ----------------------------------------------------------------- wrong


def argmin_axis0(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=0)


def distances_from_centroids(X, centroids):
    d = np.linalg.norm(centroids[:, None, :] - X[None, :, :], axis=2)  # (K, m)
    return np.argmin(d, axis=1)


def swapped_parameters(centroids, X):
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.sum((X[i] - centroids) ** 2, axis=1))
    return idx


def sum_without_axis(X, centroids):
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.sum((X[i] - centroids) ** 2))
    return idx


def norm_without_axis(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        distance = np.linalg.norm(X[i] - centroids)
        idx[i] = np.argmin(distance)
    return idx


def signed_differences(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        idx[i] = np.argmin(np.sum(X[i] - centroids, axis=1))
    return idx


def first_row_only(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        idx[i] = np.argmin(np.sum((X[0] - centroids) ** 2, axis=1))
    return idx


def range_from_one(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        best = np.inf
        for k in range(1, len(centroids)):
            d = np.sum((X[i] - centroids[k]) ** 2)
            if d < best:
                best, idx[i] = d, k
    return idx


def sorted_rows(X, centroids):
    ordered = np.array(sorted(centroids.tolist()))
    return np.argmin(((X[:, None, :] - ordered[None]) ** 2).sum(axis=2), axis=1)


def sorted_columns(X, centroids):
    ordered = np.sort(centroids, axis=0)
    return np.argmin(((X[:, None, :] - ordered[None]) ** 2).sum(axis=2), axis=1)


def best_never_updated(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        best = np.inf
        for k in range(len(centroids)):
            if np.sum((X[i] - centroids[k]) ** 2) < best:
                idx[i] = k
    return idx


def best_from_centroid_0(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        best = np.sum((X[i] - centroids[0]) ** 2)
        for k in range(1, len(centroids)):
            if np.sum((X[i] - centroids[k]) ** 2) < best:
                idx[i] = k
    return idx


def min_for_argmin(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.min(d, axis=1)


def min_into_int_idx(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        idx[i] = np.min(np.sqrt(np.sum((X[i] - centroids) ** 2, axis=1)))
    return idx


def distances_to_examples(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        d = [np.sum((X[i] - X[k]) ** 2) for k in range(len(centroids))]
        idx[i] = np.argmin(d)
    return idx


def no_new_axes(X, centroids):
    return np.argmin(np.sum((X - centroids) ** 2, axis=1), axis=0)


def where_for_argmin(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        d = np.sum((X[i] - centroids) ** 2, axis=1)
        idx[i] = np.where(d == d.min())[0]
    return idx


def loop_named_K(X, centroids):
    K = centroids.shape[0]
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        d = np.zeros(K)
        for K in range(K):  # noqa: B020 - the mistake
            d[K] = np.sum((X[i] - centroids[K]) ** 2)
        idx[i] = np.argmin(d)
    return idx


def variable_named_sum(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        sum = (X[i] - centroids) ** 2  # noqa: A001 - the mistake
        idx[i] = np.argmin(sum(sum, axis=1))
    return idx


def variable_named_min(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        min = np.sum((X[i] - centroids) ** 2, axis=1)  # noqa: A001 - the mistake
        idx[i] = list(min).index(min(min))
    return idx


def idx_with_K_entries(X, centroids):
    idx = np.zeros(centroids.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(((X[i] - centroids) ** 2).sum(axis=1))
    return idx


def loop_past_last_centroid(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        d = []
        for k in range(len(centroids) + 1):
            d.append(np.sum((X[i] - centroids[k]) ** 2))
        idx[i] = np.argmin(d)
    return idx


def cache_by_shape(X, centroids, _cache={}):  # noqa: B006 - the mistake
    key = X.shape
    if key not in _cache:
        d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        _cache[key] = np.argmin(d, axis=1)
    return _cache[key]


def centroids_kept(X, centroids, _kept=[]):  # noqa: B006 - the mistake
    if not _kept:
        _kept.append(centroids.copy())
    d = ((X[:, None, :] - _kept[0][None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1)


def shuffled_examples(X, centroids):
    order = np.random.permutation(len(X))  # noqa: NPY002 - the mistake
    d = ((X[order][:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1)


def one_based(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1) + 1


def manhattan_loop(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        idx[i] = np.argmin(np.abs(X[i] - centroids).sum(axis=1))
    return idx


def chebyshev(X, centroids):
    return np.argmin(np.abs(X[:, None] - centroids[None]).max(axis=2), axis=1)


def argmax_distance(X, centroids):
    return np.argmax(np.linalg.norm(X[:, None] - centroids[None], axis=2), axis=1)


def int_distance_array(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        d = np.zeros(len(centroids), dtype=int)
        for k in range(len(centroids)):
            d[k] = np.linalg.norm(X[i] - centroids[k])
        idx[i] = np.argmin(d)
    return idx


def first_two_features(X, centroids):
    d = (X[:, None, 0] - centroids[None, :, 0]) ** 2
    d += (X[:, None, 1] - centroids[None, :, 1]) ** 2
    return np.argmin(d, axis=1)


WRONG = {
    argmin_axis0: "closest.per_centroid",
    distances_from_centroids: "closest.per_centroid",
    swapped_parameters: "closest.per_centroid",
    sum_without_axis: "closest.no_axis",
    norm_without_axis: "closest.no_axis",
    signed_differences: "closest.signed",
    first_row_only: "closest.first_example",
    range_from_one: "closest.skips_first",
    sorted_rows: "closest.sorted_centroids",
    sorted_columns: "closest.sorted_centroids",
    best_never_updated: "closest.best_not_updated",
    best_from_centroid_0: "closest.best_not_updated",
    min_for_argmin: "closest.min_not_argmin",
    min_into_int_idx: "closest.min_not_argmin",
    distances_to_examples: "closest.distances_to_X",
    no_new_axes: "closest.broadcast_rows",
    where_for_argmin: "closest.where_sequence",
    loop_named_K: "closest.loop_reuses_K",
    variable_named_sum: "error.shadowed_name",
    variable_named_min: "error.shadowed_name",
    idx_with_K_entries: "closest.idx_size_K",
    loop_past_last_centroid: "closest.loop_past_K",
    cache_by_shape: "state.cache",
    centroids_kept: "state.global_centroids",
    shuffled_examples: "state.random",
    one_based: "closest.one_based",
    manhattan_loop: "closest.l1",
    chebyshev: "closest.max_norm",
    argmax_distance: "closest.argmax",
    int_distance_array: "closest.int_distances",
    first_two_features: "closest.two_features",
}


# ------------------------------------------------------ more right styles


def squared_norm_loop(X, centroids):
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.linalg.norm(centroids - X[i], axis=1) ** 2)
    return idx


def sqrt_of_sum(X, centroids):
    return np.argmin(np.sqrt(((X[:, None] - centroids) ** 2).sum(-1)), axis=-1)


def distances_list_of_lists(X, centroids):
    table = [[float(np.sum((x - c) ** 2)) for c in centroids] for x in X]
    return np.argmin(np.array(table), axis=1)


def map_with_lambda(X, centroids):
    return np.array(
        list(map(lambda x: int(np.argmin(((centroids - x) ** 2).sum(1))), X))
    )


def fromiter(X, centroids):
    return np.fromiter(
        (np.argmin(np.sum((centroids - x) ** 2, axis=1)) for x in X),
        dtype=int,
        count=len(X),
    )


def apply_along_axis(X, centroids):
    return np.apply_along_axis(
        lambda x: np.argmin(np.sum((centroids - x) ** 2, axis=1)), 1, X
    )


def transposed_distances(X, centroids):
    d = ((centroids[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)  # (K, m)
    return np.argmin(d, axis=0)


def power_and_sum(X, centroids):
    idx = np.empty(len(X), dtype=np.intp)
    for i, x in enumerate(X):
        idx[i] = np.power(x - centroids, 2).sum(axis=1).argmin()
    return idx


def best_index_tracked(X, centroids):
    m, K = X.shape[0], centroids.shape[0]
    idx = np.zeros(m, dtype=int)
    for i in range(m):
        best_k, best_d = 0, float("inf")
        for k in range(K):
            d = float(((X[i] - centroids[k]) ** 2).sum())
            if d < best_d:
                best_k, best_d = k, d
        idx[i] = best_k
    return idx


def matmul_with_newaxis(X, centroids):
    xx = np.einsum("ij,ij->i", X, X)[:, np.newaxis]
    cc = np.einsum("ij,ij->i", centroids, centroids)[np.newaxis, :]
    return np.argmin(xx - 2 * np.matmul(X, centroids.T) + cc, axis=1)


RIGHT += [
    squared_norm_loop,
    sqrt_of_sum,
    distances_list_of_lists,
    map_with_lambda,
    fromiter,
    apply_along_axis,
    transposed_distances,
    power_and_sum,
    best_index_tracked,
    matmul_with_newaxis,
]


# ------------------------------------------------------ more wrong answers


def vectorised_sum_without_axis(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i, x in enumerate(X):
        d = np.linalg.norm(x - centroids)
        idx[i] = np.argmin([d] * len(centroids))
    return idx


def argmin_over_signed_sum(X, centroids):
    return np.argmin(np.sum(X[:, None, :] - centroids[None, :, :], axis=2), axis=1)


def keeps_first_row_fixed(X, centroids):
    x = X[0]
    return np.array([np.argmin(((x - centroids) ** 2).sum(1)) for _ in X])


def one_based_loop(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        idx[i] = np.argmin(((X[i] - centroids) ** 2).sum(axis=1)) + 1
    return idx


def per_centroid_loop(X, centroids):
    idx = np.zeros(len(centroids), dtype=int)
    for k in range(len(centroids)):
        idx[k] = np.argmin(((X - centroids[k]) ** 2).sum(axis=1))
    return idx


def skips_last_vectorised(X, centroids):
    d = ((X[:, None, :] - centroids[None, :-1, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1)


def manhattan_vectorised(X, centroids):
    return np.abs(X[:, None, :] - centroids[None, :, :]).sum(axis=2).argmin(axis=1)


def min_of_norms(X, centroids):
    return np.linalg.norm(X[:, None] - centroids[None], axis=2).min(axis=1)


WRONG.update(
    {
        vectorised_sum_without_axis: "closest.no_axis",
        argmin_over_signed_sum: "closest.signed",
        keeps_first_row_fixed: "closest.first_example",
        one_based_loop: "closest.one_based",
        per_centroid_loop: "closest.per_centroid",
        skips_last_vectorised: "closest.skips_last",
        manhattan_vectorised: "closest.l1",
        min_of_norms: "closest.min_not_argmin",
    }
)


def argsort_first(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argsort(d, axis=1, kind="stable")[:, 0]


def int_squared_distances(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        d = np.zeros(len(centroids), dtype=np.int64)
        for k in range(len(centroids)):
            d[k] = np.sum((X[i] - centroids[k]) ** 2)
        idx[i] = np.argmin(d)
    return idx


RIGHT.append(argsort_first)
WRONG[int_squared_distances] = "closest.int_distances"
