"""compute_centroids(X, idx, K) as students write it: right and wrong.

As in :mod:`corpus.closest`: every function stands alone; ``RIGHT`` lists the
right ones, ``WRONG`` maps each wrong one to its mistake's identifier.
"""

import numpy as np

# ----------------------------------------------------------------- right


def cumulative_sums(X, idx, K):
    """Sort by cluster, cumulative sums, differences at the boundaries."""
    order = np.argsort(idx, kind="stable")
    sums = np.vstack([np.zeros(X.shape[1]), np.cumsum(X[order], axis=0)])
    ends = np.searchsorted(idx[order], np.arange(K + 1))
    counts = np.diff(ends)[:, None]
    totals = sums[ends[1:]] - sums[ends[:-1]]
    return np.divide(totals, counts, out=np.zeros((K, X.shape[1])), where=counts > 0)


def loop_over_examples(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    counts = np.zeros(K)
    for i in range(X.shape[0]):
        sums[idx[i]] += X[i]
        counts[idx[i]] += 1
    for k in range(K):
        if counts[k] > 0:
            sums[k] /= counts[k]
    return sums


def where_mask_mean(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        mask = np.where(idx == k)[0]
        if mask.size:
            centroids[k] = np.mean(X[mask, :], axis=0)
    return centroids


def nonzero_sum_over_len(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[np.nonzero(idx == k)]
        if len(members) != 0:
            centroids[k] = members.sum(axis=0) / len(members)
    return centroids


def one_hot_eye(X, idx, K):
    onehot = np.eye(K)[idx]
    counts = onehot.sum(axis=0)[:, None]
    sums = onehot.T @ X
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)


def average_function(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = np.average(X[idx == k], axis=0)
    return centroids


def list_comprehension(X, idx, K):
    n = X.shape[1]
    return np.array(
        [
            X[idx == k].mean(axis=0) if np.any(idx == k) else np.zeros(n)
            for k in range(K)
        ]
    )


def count_nonzero_guard(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        count = np.count_nonzero(idx == k)
        if count:
            centroids[k] = X[idx == k].sum(axis=0) / count
    return centroids


def float32_kept(X, idx, K):
    """Keeps X's dtype: float32 means from float32 pixels."""
    centroids = np.zeros((K, X.shape[1]), dtype=X.dtype)
    for k in range(K):
        if (idx == k).any():
            centroids[k] = X[idx == k].mean(axis=0)
    return centroids


def bincount_per_feature(X, idx, K):
    counts = np.bincount(idx, minlength=K).astype(float)
    centroids = np.zeros((K, X.shape[1]))
    for j in range(X.shape[1]):
        sums = np.bincount(idx, weights=X[:, j], minlength=K)
        centroids[:, j] = np.divide(sums, counts, out=np.zeros(K), where=counts > 0)
    return centroids


def add_reduceat(X, idx, K):
    order = np.argsort(idx, kind="stable")
    sorted_idx = idx[order]
    centroids = np.zeros((K, X.shape[1]))
    starts = np.flatnonzero(np.r_[True, sorted_idx[1:] != sorted_idx[:-1]])
    sums = np.add.reduceat(X[order], starts, axis=0)
    labels = sorted_idx[starts]
    centroids[labels] = sums / np.diff(np.r_[starts, len(idx)])[:, None]
    return centroids


def try_except_empty(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[idx == k]
        if members.shape[0] == 0:
            continue
        centroids[k, :] = members.mean(0)
    return centroids


RIGHT = [
    cumulative_sums,
    loop_over_examples,
    where_mask_mean,
    nonzero_sum_over_len,
    one_hot_eye,
    average_function,
    list_comprehension,
    count_nonzero_guard,
    float32_kept,
    bincount_per_feature,
    add_reduceat,
    try_except_empty,
]

# ----------------------------------------------------------------- wrong


def divide_by_K(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = np.sum(X[idx == k], axis=0) / K
    return centroids


def floor_division(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        count = np.sum(idx == k)
        if count:
            centroids[k] = np.sum(X[idx == k], axis=0) // count
    return centroids


def one_based_rows(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(1, K + 1):
        if np.any(idx == k):
            centroids[k - 1] = X[idx == k].mean(axis=0)
    return centroids


def example_at_idx_k(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = X[idx[k]]
    return centroids


def buffered_add(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    sums[idx] += X
    counts = np.bincount(idx, minlength=K)[:, None]
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)


def assign_for_add(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    counts = np.zeros(K)
    for i in range(len(X)):
        sums[idx[i]] = X[i]
        counts[idx[i]] += 1
    for k in range(K):
        if counts[k]:
            sums[k] = sums[k] / counts[k]
    return sums


def integer_accumulator(X, idx, K):
    sums = np.zeros((K, X.shape[1]), dtype=int)
    counts = np.zeros(K)
    for i in range(len(X)):
        sums[idx[i]] += X[i]
        counts[idx[i]] += 1
    return sums / np.maximum(counts, 1)[:, None]


def integer_sums_reassigned(X, idx, K):
    sums = np.zeros((K, X.shape[1]), dtype=int)
    counts = np.zeros(K)
    for i in range(len(X)):
        sums[idx[i]] = sums[idx[i]] + X[i]
        counts[idx[i]] += 1
    return sums / np.maximum(counts, 1)[:, None]


def not_equal(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = X[idx != k].mean(axis=0)
    return centroids


def zeros_inside_loop(X, idx, K):
    for k in range(K):
        centroids = np.zeros((K, X.shape[1]))
        if np.any(idx == k):
            centroids[k] = X[idx == k].mean(axis=0)
    return centroids


def return_inside_loop(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = X[idx == k].mean(axis=0)
        return centroids


def return_list_inside_loop(X, idx, K):
    rows = []
    for k in range(K):
        rows.append(X[idx == k].mean(axis=0))
        return np.array(rows)


def range_from_one(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(1, K):
        if np.any(idx == k):
            centroids[k] = X[idx == k].mean(axis=0)
    return centroids


def drops_empty(X, idx, K):
    return np.array([X[idx == k].mean(axis=0) for k in range(K) if np.any(idx == k)])


def bincount_returned(X, idx, K):
    counts = np.bincount(idx)
    sums = np.stack([np.bincount(idx, weights=X[:, j]) for j in range(X.shape[1])], 1)
    return sums / counts[:, None]


def median(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = np.median(X[idx == k], axis=0)
    return centroids


def sums_only(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = X[idx == k].sum(axis=0)
    return centroids


def divide_by_m(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = X[idx == k].sum(axis=0) / X.shape[0]
    return centroids


def rounded(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = np.round(X[idx == k].mean(axis=0), 2)
    return centroids


def mean_axis_1(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = np.mean(X[idx == k], axis=1)
    return centroids


def variable_named_sum(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        sum = X[idx == k]  # noqa: A001 - the mistake
        if len(sum):
            centroids[k] = sum(sum, axis=0) / len(sum)
    return centroids


def cache_by_shape(X, idx, K, _cache={}):  # noqa: B006 - the mistake
    if X.shape not in _cache:
        centroids = np.zeros((K, X.shape[1]))
        for k in range(K):
            if np.any(idx == k):
                centroids[k] = X[idx == k].mean(axis=0)
        _cache[X.shape] = centroids
    return _cache[X.shape]


WRONG = {
    divide_by_K: "centroids.divide_by_K",
    floor_division: "centroids.floor_division",
    one_based_rows: "centroids.one_based",
    example_at_idx_k: "centroids.example_not_cluster",
    buffered_add: "centroids.keeps_last",
    assign_for_add: "centroids.keeps_last",
    integer_accumulator: "centroids.integer_accumulator",
    integer_sums_reassigned: "centroids.integer_sums",
    not_equal: "centroids.not_equal",
    zeros_inside_loop: "centroids.only_last",
    return_inside_loop: "centroids.return_in_loop",
    return_list_inside_loop: "centroids.return_in_loop",
    range_from_one: "centroids.skips_first",
    drops_empty: "centroids.drops_empty",
    bincount_returned: "centroids.bincount_short",
    median: "centroids.median",
    sums_only: "centroids.sum",
    divide_by_m: "centroids.divide_by_m",
    rounded: "centroids.rounded",
    mean_axis_1: "centroids.mean_axis_1",
    variable_named_sum: "error.shadowed_name",
    cache_by_shape: "state.cache",
}


# ------------------------------------------------------ more right styles


def dict_of_lists(X, idx, K):
    members = {}
    for x, k in zip(X, idx, strict=True):
        members.setdefault(int(k), []).append(x)
    centroids = np.zeros((K, X.shape[1]))
    for k, rows in members.items():
        centroids[k] = np.mean(rows, axis=0)
    return centroids


def masked_sum_over_count(X, idx, K):
    masks = idx[None, :] == np.arange(K)[:, None]  # (K, m)
    counts = masks.sum(axis=1, keepdims=True)
    sums = masks.astype(float) @ X
    return np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)


def unique_labels(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in np.unique(idx):
        centroids[k] = X[idx == k].mean(axis=0)
    return centroids


def fsum_pure_python(X, idx, K):
    import math

    n = X.shape[1]
    rows = X.tolist()
    centroids = np.zeros((K, n))
    for k in range(K):
        chosen = [r for r, label in zip(rows, idx.tolist(), strict=True) if label == k]
        if chosen:
            centroids[k] = [
                math.fsum(col) / len(chosen) for col in zip(*chosen, strict=True)
            ]
    return centroids


def nanmean_then_zero(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if points.size > 0:
            centroids[k] = np.nanmean(points, axis=0)
    return centroids


def zeros_like_rows(X, idx, K):
    centroids = np.zeros((K, X.shape[1]), dtype=float)
    counts = np.zeros((K, 1))
    np.add.at(centroids, idx, X)
    np.add.at(counts, idx, 1)
    counts[counts == 0] = 1
    return centroids / counts


def sorted_split(X, idx, K):
    order = np.argsort(idx, kind="stable")
    groups = np.split(X[order], np.cumsum(np.bincount(idx, minlength=K))[:-1])
    return np.array(
        [g.mean(axis=0) if len(g) else np.zeros(X.shape[1]) for g in groups]
    )


def float64_upcast(X, idx, K):
    X = X.astype(np.float64)
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        selected = X[idx == k]
        if selected.shape[0]:
            centroids[k] = selected.sum(0) / selected.shape[0]
    return centroids


RIGHT += [
    dict_of_lists,
    masked_sum_over_count,
    unique_labels,
    fsum_pure_python,
    nanmean_then_zero,
    zeros_like_rows,
    sorted_split,
    float64_upcast,
]


# ------------------------------------------------------ more wrong answers


def one_hot_without_division(X, idx, K):
    return np.eye(K)[idx].T @ X


def divide_by_cluster_count_K(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X)
    return sums / K


def floor_vectorised(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X)
    counts = np.bincount(idx, minlength=K)[:, None]
    return sums // np.maximum(counts, 1)


def not_equal_vectorised(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        others = X[~(idx == k)]
        out[k] = others.sum(axis=0) / len(others)
    return out


def mean_of_everything(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = np.mean(X[idx == k])
    return centroids


def counts_buffered_too(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    counts = np.zeros(K)
    sums[idx] += X
    counts[idx] += 1
    counts[counts == 0] = 1
    return sums / counts[:, None]


def shifted_rows(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K - 1):
        if np.any(idx == k + 1):
            centroids[k] = X[idx == k + 1].mean(axis=0)
    return centroids


def truncated_int_centroids(X, idx, K):
    centroids = np.zeros((K, X.shape[1]), dtype=np.int64)
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = X[idx == k].mean(axis=0)
    return centroids


WRONG.update(
    {
        one_hot_without_division: "centroids.sum",
        divide_by_cluster_count_K: "centroids.divide_by_K",
        floor_vectorised: "centroids.floor_division",
        not_equal_vectorised: "centroids.not_equal",
        mean_of_everything: "centroids.mean_no_axis",
        counts_buffered_too: "centroids.keeps_last",
        shifted_rows: "centroids.one_based",
        truncated_int_centroids: "centroids.integer",
    }
)
