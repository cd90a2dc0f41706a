"""Named mistakes, simulated: the answer each known mistake gives on a case.

The answer each known mistake gives (:data:`CLOSEST_MISTAKES`,
:data:`CENTROID_MISTAKES`: an L1 distance, ``argmin(axis=0)``,
``range(1, K)``, ``sums[idx] += X``, ...) is worked out from the case's
inputs and compared with the student's; where two give the same answer, the
function's answers to the other cases of the run decide.  Answers that depend
on earlier calls are found by comparing the run's answers, and a notebook
global used in place of an argument is found among the notebook's arrays.
"""

import warnings

import numpy as np

# --------------------------------------------------------------------------
# Notebook globals: the student's function sees them through __globals__
# --------------------------------------------------------------------------


def notebook_arrays(namespace):
    """The arrays among a namespace's public names, as ``{name: array}``."""
    if not namespace:
        return {}
    return {
        name: value
        for name, value in namespace.items()
        if isinstance(value, np.ndarray) and not name.startswith("_")
    }


def _global_named(namespace, test):
    """The first public global for which ``test(value)`` holds, else None."""
    for name, value in notebook_arrays(namespace).items():
        try:
            if test(value):
                return name
        except (ValueError, TypeError, IndexError):
            continue
    return None


def _global_int(namespace, name):
    value = (namespace or {}).get(name)
    return int(value) if isinstance(value, (int, np.integer)) else None


# --------------------------------------------------------------------------
# find_closest_centroids
# --------------------------------------------------------------------------


def _nearest(X, centroids, distance):
    """argmin over centroids of ``distance(differences)``, shape (m,)."""
    differences = X[:, None, :].astype(float) - centroids[None, :, :].astype(float)
    return np.argmin(distance(differences), axis=1)


def _euclidean(d):
    return np.sqrt(np.sum(d**2, axis=2))


def _differences(X, centroids):
    return X[:, None, :].astype(float) - centroids[None, :, :].astype(float)


def _sorted_rows(centroids):
    return centroids[np.lexsort(centroids.T[::-1])]


def _best_not_updated(X, centroids):
    """A running minimum whose best distance stays the distance to centroid 0."""
    d = np.sum(_differences(X, centroids) ** 2, axis=2)
    closer = d < d[:, :1]
    last = closer.shape[1] - 1 - np.argmax(closer[:, ::-1], axis=1)
    return np.where(closer.any(axis=1), last, 0)


def _distances_to_X(X, centroids):
    K = centroids.shape[0]
    return None if X.shape[0] < K else _nearest(X, X[:K], _euclidean)


#: find_closest_centroids' known mistakes, each with the answer it gives from
#: the case's inputs (None where it gives no answer, e.g. it would raise).  The
#: first whose answer is the student's (shape and values) names the mistake;
#: a mistake whose answer is also another's on this case is told apart on the
#: other cases of the run (see :func:`_best_match`).
CLOSEST_MISTAKES = (
    ("closest.one_based", lambda X, C: _nearest(X, C, _euclidean) + 1),
    (
        "closest.per_centroid",
        lambda X, C: np.argmin(np.sum(_differences(X, C) ** 2, axis=2), axis=0),
    ),
    ("closest.l1", lambda X, C: _nearest(X, C, lambda d: np.sum(np.abs(d), axis=2))),
    (
        "closest.max_norm",
        lambda X, C: _nearest(X, C, lambda d: np.max(np.abs(d), axis=2)),
    ),
    (
        "closest.int_distances",
        lambda X, C: _nearest(X, C, lambda d: np.floor(_euclidean(d))),
    ),
    (
        "closest.int_distances",
        lambda X, C: _nearest(X, C, lambda d: np.floor(np.sum(d**2, axis=2))),
    ),
    ("closest.argmax", lambda X, C: _nearest(X, C, lambda d: -np.sum(d**2, axis=2))),
    (
        "closest.two_features",
        lambda X, C: _nearest(X, C, lambda d: np.sum(d[:, :, :2] ** 2, axis=2)),
    ),
    ("closest.no_axis", lambda X, C: np.zeros(X.shape[0], dtype=int)),
    (
        "closest.first_example",
        lambda X, C: np.full(X.shape[0], _nearest(X[:1], C, _euclidean)[0]),
    ),
    ("closest.signed", lambda X, C: _nearest(X, C, lambda d: np.sum(d, axis=2))),
    (
        "closest.skips_first",
        lambda X, C: _nearest(X, C[1:], _euclidean) + 1 if len(C) > 1 else None,
    ),
    (
        "closest.skips_last",
        lambda X, C: _nearest(X, C[:-1], _euclidean) if len(C) > 1 else None,
    ),
    (
        "closest.sorted_centroids",
        lambda X, C: _nearest(X, _sorted_rows(C), _euclidean),
    ),
    (
        "closest.sorted_centroids",
        lambda X, C: _nearest(X, np.sort(C, axis=0), _euclidean),
    ),
    ("closest.best_not_updated", lambda X, C: np.full(X.shape[0], len(C) - 1)),
    ("closest.best_not_updated", _best_not_updated),
    (
        "closest.min_not_argmin",
        lambda X, C: np.min(np.sum(_differences(X, C) ** 2, axis=2), axis=1),
    ),
    ("closest.min_not_argmin", lambda X, C: np.min(_euclidean(_differences(X, C)), 1)),
    (
        "closest.min_not_argmin",
        lambda X, C: np.trunc(np.min(_euclidean(_differences(X, C)), 1)).astype(int),
    ),
    (
        "closest.min_not_argmin",
        lambda X, C: np.trunc(np.min(np.sum(_differences(X, C) ** 2, 2), 1)).astype(
            int
        ),
    ),
    ("closest.distances_to_X", _distances_to_X),
    (
        "closest.idx_size_K",
        lambda X, C: (
            np.concatenate(
                [_nearest(X, C, _euclidean), np.zeros(len(C) - len(X), dtype=int)]
            )
            if len(C) > len(X)
            else None
        ),
    ),
)


def _same_answer(answer, simulated):
    """Whether an answer is what a simulated mistake gives: same shape and values."""
    if simulated is None or np.shape(answer) != np.shape(simulated):
        return False
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False
    simulated = np.asarray(simulated, dtype=float)
    if np.issubdtype(np.asarray(simulated).dtype, np.integer):
        return np.array_equal(answer, simulated)
    return bool(np.allclose(answer, simulated, rtol=1e-4, atol=1e-6, equal_nan=True))


def _simulate(simulator, args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return simulator(*args)
        except (ValueError, IndexError, ZeroDivisionError):
            return None


def _best_match(catalogue, case, answer, run, is_right):
    """The identifier of the known mistake that gives ``answer`` on ``case``.

    A mistake whose answer is right on ``case`` (``is_right(case, answer)``)
    cannot be it.  Where several do, the one that also gives the student's
    answers on the most other cases of ``run`` (``[(case, outcome)]``) wins;
    on a tie, the first in ``catalogue``.
    """
    matches = []
    for identifier, simulator in catalogue:
        simulated = _simulate(simulator, case.args)
        if (
            identifier not in matches
            and simulated is not None
            and not is_right(case, simulated)
            and _same_answer(answer, simulated)
        ):
            matches.append(identifier)
    if len(matches) <= 1:
        return matches[0] if matches else None

    def support(identifier):
        count = 0
        for other, outcome in run:
            if other is case or outcome.error is not None or outcome.result is None:
                continue
            count += any(
                name == identifier
                and _same_answer(outcome.result, _simulate(simulator, other.args))
                for name, simulator in catalogue
            )
        return count

    return max(matches, key=lambda name: (support(name), -matches.index(name)))


def _state_mistake(case, answer, run, nearest_to=None):
    """A mistake that depends on earlier calls, read from the other cases of ``run``.

    Returns ``(identifier, fields)`` or None.
    """
    earlier = []
    for other, outcome in run:
        if other is case:
            break
        earlier.append((other, outcome))
    X = case.args[0]
    if nearest_to is not None:
        # Centroids kept from an earlier call: told from a cache where X differs.
        for other, _outcome in earlier:
            centroids = other.args[1]
            if (
                centroids.shape[1:] == X.shape[1:]
                and not np.array_equal(other.args[0], X)
                and not np.array_equal(centroids, case.args[1])
                and _same_answer(answer, _nearest(X, centroids, _euclidean))
            ):
                return "state.global_centroids", {"earlier": other.name}
    for other, outcome in earlier:
        if (
            outcome.error is None
            and np.shape(other.args[0]) == np.shape(X)
            and not _same_inputs(other, case)
            and not _same_answer(_expected_array(other), _expected_array(case))
            and _same_answer(answer, outcome.result)
        ):
            return "state.cache", {"earlier": other.name}
    for other, outcome in run:
        if (
            other is not case
            and _same_inputs(other, case)
            and outcome.error is None
            and not _same_answer(answer, outcome.result)
        ):
            return "state.random", {}
    return None


def _expected_array(case):
    """The case's right answer as an array (the first choice on a tie)."""
    if isinstance(case.expected, list):
        return np.array([allowed[0] for allowed in case.expected])
    return np.asarray(case.expected)


def _same_inputs(one, other):
    return len(one.args) == len(other.args) and all(
        np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
        for a, b in zip(one.args, other.args, strict=True)
    )


# --------------------------------------------------------------------------
# compute_centroids
# --------------------------------------------------------------------------


def _MEAN(rows):  # noqa: N802 - a constant, passed by name to _means
    return rows.mean(axis=0)


def _means(X, idx, K, reduce):
    """Each cluster's ``reduce`` of its rows; zeros where empty.

    ``reduce`` has no default: a default of the mean would make this the
    answer to compute_centroids, handed to students.
    """
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[idx == k]
        if len(members):
            out[k] = reduce(members)
    return out


def _sums_and_counts(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X.astype(float))
    return sums, np.bincount(idx, minlength=K)[:, None]


def _divided(X, idx, K, by):
    sums, counts = _sums_and_counts(X, idx, K)
    return sums / by(counts, X.shape[0], K)


def _last_member(X, idx, K, per_count=True):
    sums = np.zeros((K, X.shape[1]))
    sums[idx] = X  # NumPy keeps the last of repeated indices
    counts = np.bincount(idx, minlength=K)[:, None]
    if not per_count:
        return sums
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)


def _integer_sums(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    for i, k in enumerate(idx):
        sums[k] = np.trunc(sums[k] + X[i])
    counts = np.bincount(idx, minlength=K)[:, None]
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)


def _rows_only(K, means, keep):
    out = np.zeros_like(means)
    out[keep] = means[keep]
    return out


def _shifted(X, idx, K):
    means = _means(X, idx, K, _MEAN)
    return np.vstack([means[1:], np.zeros((1, X.shape[1]))])


def _example_rows(X, idx, K, reduce):
    if len(idx) < K:
        return None
    return np.array([reduce(X[idx[k]].astype(float)) for k in range(K)])


def _not_equal(X, idx, K):
    out = np.zeros((K, X.shape[1]))
    for k in range(K):
        others = X[idx != k]
        if len(others):
            out[k] = others.mean(axis=0)
    return out


def _nonempty(X, idx, K):
    means = _means(X, idx, K, _MEAN)
    counts = np.bincount(idx, minlength=K)
    return means[counts > 0] if (counts == 0).any() else None


def _bincount_short(X, idx, K):
    top = int(idx.max()) + 1
    if top >= K:
        return None
    sums, counts = _sums_and_counts(X, idx, top)
    return sums / counts


#: compute_centroids' known mistakes, each with the answer it gives from the
#: case's inputs (see :data:`CLOSEST_MISTAKES`).
CENTROID_MISTAKES = (
    ("centroids.sum", lambda X, i, K: _sums_and_counts(X, i, K)[0]),
    ("centroids.divide_by_m", lambda X, i, K: _divided(X, i, K, lambda c, m, K: m)),
    ("centroids.divide_by_K", lambda X, i, K: _divided(X, i, K, lambda c, m, K: K)),
    (
        "centroids.mean_no_axis",
        lambda X, i, K: _means(X, i, K, lambda p: np.full(X.shape[1], p.mean())),
    ),
    ("centroids.median", lambda X, i, K: _means(X, i, K, lambda p: np.median(p, 0))),
    (
        "centroids.floor_division",
        lambda X, i, K: np.floor(_means(X, i, K, _MEAN)),
    ),
    ("centroids.integer", lambda X, i, K: np.trunc(_means(X, i, K, _MEAN))),
    ("centroids.integer_sums", _integer_sums),
    ("centroids.never_filled", lambda X, i, K: np.zeros((K, X.shape[1]))),
    (
        "centroids.skips_first",
        lambda X, i, K: _rows_only(K, _means(X, i, K, _MEAN), np.arange(K) > 0),
    ),
    (
        "centroids.skips_last",
        lambda X, i, K: _rows_only(K, _means(X, i, K, _MEAN), np.arange(K) < K - 1),
    ),
    (
        "centroids.only_last",
        lambda X, i, K: _rows_only(K, _means(X, i, K, _MEAN), np.arange(K) == K - 1),
    ),
    (
        "centroids.return_in_loop",
        lambda X, i, K: _rows_only(K, _means(X, i, K, _MEAN), np.arange(K) == 0),
    ),
    ("centroids.return_in_loop", lambda X, i, K: _means(X, i, K, _MEAN)[:1]),
    ("centroids.one_based", _shifted),
    (
        "centroids.example_not_cluster",
        lambda X, i, K: _example_rows(X, i, K, lambda row: row),
    ),
    (
        "centroids.example_not_cluster",
        lambda X, i, K: _example_rows(
            X, i, K, lambda row: np.full(len(row), row.mean())
        ),
    ),
    ("centroids.keeps_last", _last_member),
    ("centroids.keeps_last", lambda X, i, K: _last_member(X, i, K, per_count=False)),
    ("centroids.not_equal", _not_equal),
    ("centroids.drops_empty", _nonempty),
    ("centroids.bincount_short", _bincount_short),
)
