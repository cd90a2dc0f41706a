"""Wrong answers, one per named mistake: ``{identifier: [functions]}``.

Each function is written as a student might; the identifier is the key of
:data:`labkit.mistakes.MISTAKES` its message must name.
"""

import numpy as np


def _d2(X, centroids):
    return ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)


def closest_axis0(X, centroids):
    return np.argmin(_d2(X, centroids), axis=0)


def closest_sum_no_axis(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        idx[i] = np.argmin(np.sum((X[i] - centroids) ** 2))
    return idx


def closest_signed(X, centroids):
    return np.argmin((X[:, None, :] - centroids[None, :, :]).sum(axis=2), axis=1)


def closest_first_row(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        idx[i] = np.argmin(((X[0] - centroids) ** 2).sum(axis=1))
    return idx


def closest_from_one(X, centroids):
    best = np.full(len(X), np.inf)
    idx = np.zeros(len(X), dtype=int)
    for k in range(1, len(centroids)):
        d = ((X - centroids[k]) ** 2).sum(axis=1)
        idx[d < best] = k
        best = np.minimum(best, d)
    return idx


def closest_sorted(X, centroids):
    return np.argmin(_d2(X, np.sort(centroids, axis=0)), axis=1)


def closest_best_stale(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        best = np.inf
        for k in range(len(centroids)):
            if np.sum((X[i] - centroids[k]) ** 2) < best:
                idx[i] = k
    return idx


def closest_min(X, centroids):
    return np.min(_d2(X, centroids), axis=1)


def closest_to_examples(X, centroids):
    return np.argmin(_d2(X, X[: len(centroids)]), axis=1)


def closest_no_new_axes(X, centroids):
    return np.argmin(np.sum((X - centroids) ** 2, axis=1))


def closest_where(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        d = ((X[i] - centroids) ** 2).sum(axis=1)
        idx[i] = np.where(d == d.min())[0]
    return idx


def closest_K_reused(X, centroids):
    K = centroids.shape[0]
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        d = np.zeros(K)
        for K in range(K):  # noqa: B020 - the mistake
            d[K] = np.sum((X[i] - centroids[K]) ** 2)
        idx[i] = np.argmin(d)
    return idx


def closest_sum_shadowed(X, centroids):
    idx = np.zeros(len(X), dtype=int)
    for i in range(len(X)):
        sum = (X[i] - centroids) ** 2  # noqa: A001 - the mistake
        idx[i] = np.argmin(sum(sum, axis=1))
    return idx


def closest_idx_K(X, centroids):
    idx = np.zeros(centroids.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(((X[i] - centroids) ** 2).sum(axis=1))
    return idx


def centroids_divide_K(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        out[k] = X[idx == k].sum(axis=0) / K
    return out


def centroids_floor(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            out[k] = X[idx == k].sum(axis=0) // np.sum(idx == k)
    return out


def centroids_shifted(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(1, K + 1):
        if np.any(idx == k):
            out[k - 1] = X[idx == k].mean(axis=0)
    return out


def centroids_buffered(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    sums[idx] += X
    counts = np.bincount(idx, minlength=K)[:, None]
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)


def centroids_assign(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    counts = np.zeros(K)
    for i in range(len(X)):
        sums[idx[i]] = X[i]
        counts[idx[i]] += 1
    for k in range(K):
        if counts[k]:
            sums[k] /= counts[k]
    return sums


def centroids_not_equal(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        out[k] = X[idx != k].mean(axis=0)
    return out


def centroids_zeros_inside(X, idx, K):
    for k in range(K):
        out = np.zeros((K, X.shape[1]))
        if np.any(idx == k):
            out[k] = X[idx == k].mean(axis=0)
    return out


def centroids_return_inside(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            out[k] = X[idx == k].mean(axis=0)
        return out


def centroids_from_one(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(1, K):
        if np.any(idx == k):
            out[k] = X[idx == k].mean(axis=0)
    return out


def centroids_drop_empty(X, idx, K):
    return np.array([X[idx == k].mean(axis=0) for k in range(K) if np.any(idx == k)])


def centroids_L1_median(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            out[k] = np.median(X[idx == k], axis=0)
    return out


CLOSEST = {
    "closest.per_centroid": [closest_axis0],
    "closest.no_axis": [closest_sum_no_axis],
    "closest.signed": [closest_signed],
    "closest.first_example": [closest_first_row],
    "closest.skips_first": [closest_from_one],
    "closest.sorted_centroids": [closest_sorted],
    "closest.best_not_updated": [closest_best_stale],
    "closest.min_not_argmin": [closest_min],
    "closest.broadcast_rows": [closest_no_new_axes],
    "closest.where_sequence": [closest_where],
    "closest.loop_reuses_K": [closest_K_reused],
    "error.shadowed_name": [closest_sum_shadowed],
}

CENTROIDS = {
    "centroids.divide_by_K": [centroids_divide_K],
    "centroids.floor_division": [centroids_floor],
    "centroids.one_based": [centroids_shifted],
    "centroids.keeps_last": [centroids_buffered, centroids_assign],
    "centroids.not_equal": [centroids_not_equal],
    "centroids.only_last": [centroids_zeros_inside],
    "centroids.return_in_loop": [centroids_return_inside],
    "centroids.skips_first": [centroids_from_one],
    "centroids.drops_empty": [centroids_drop_empty],
    "centroids.median": [centroids_L1_median],
}
