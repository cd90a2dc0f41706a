"""Judging answers to the lab's exercises: the checks public and hidden tests share.

``public_tests.py`` (what a student runs) and the grader's own cases (which
stay with the instructor) hold the cases; this module calls a student's function
on a case and judges what came back.  A wrong answer raises
:class:`CheckFailed`, whose message names the mistake in the student's own
terms: their (K, n) shapes, the argument they should have used instead of a
notebook global, the missing ``return``, ``minlength``, ``axis=0``.

Where it can, a diagnosis is computed rather than guessed: the answer each
known mistake gives (:data:`CLOSEST_MISTAKES`, :data:`CENTROID_MISTAKES`: an
L1 distance, ``argmin(axis=0)``, ``range(1, K)``, ``sums[idx] += X``, ...) is
worked out from the case's inputs and compared with the student's; where two
give the same answer, the function's answers to the other cases of the run
decide.  Errors are explained from their one-line text, and answers that
depend on earlier calls are found by comparing the run's answers.  The public
tests and the grader call the function on every case, then judge each
:class:`Outcome` with :func:`judge`: one set of rules.  Every named mistake's
identifier and sentence live in :mod:`labkit.mistakes`.
"""

import re
import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import environment, mistakes

#: Relative and absolute tolerance of a right centroid.
TOLERANCE = 1e-5

#: The arguments of each exercise, by name, for messages.
ARGUMENTS = {
    "find_closest_centroids": ("X", "centroids"),
    "compute_centroids": ("X", "idx", "K"),
    "kMeans_init_centroids": ("X", "K", "rng"),
    "kMeans_plusplus_init": ("X", "K", "rng"),
}


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


class CheckFailed(AssertionError):
    """A wrong answer to ``case``; ``problem`` says what is wrong and why.

    ``mistake`` is the identifier of the named mistake (a key of
    :data:`labkit.mistakes.MISTAKES`, or a name of its own for a message not
    in the catalogue), or None when the message names none.
    """

    def __init__(self, case, problem, mistake=None):
        super().__init__(f"Case '{case.name}': {problem}")
        self.case = case
        self.problem = problem
        self.mistake = mistake


def fail(case, problem, mistake=None):
    """Raise :class:`CheckFailed` for ``case``, naming ``mistake`` if known."""
    raise CheckFailed(case, problem, mistake)


def array_text(values):
    """A short one-line rendering of an array, for messages."""
    text = np.array2string(
        np.asarray(values), precision=4, separator=", ", threshold=24
    )
    text = " ".join(text.split())
    return re.sub(r"\s+(?=[,\]])", "", re.sub(r"\[\s+", "[", text))


def describe_inputs(exercise, case):
    """One line per argument of ``case``: small arrays in full, big ones by shape."""
    lines = []
    for name, value in zip(ARGUMENTS[exercise], case.args, strict=False):
        if isinstance(value, np.ndarray):
            if value.size <= 24:
                text = f"np.array({array_text(value)})"
                if value.dtype not in (np.float64, np.int64):
                    text = text[:-1] + f", dtype=np.{value.dtype})"
            else:
                text = f"an array of shape {value.shape}, dtype {value.dtype}"
        else:
            text = repr(value)
        lines.append(f"    {name} = {text}")
    return lines


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
# What came back: the shape of an answer
# --------------------------------------------------------------------------


#: What each exercise returns, by name, for messages.
RETURNS = {
    "find_closest_centroids": ("idx", "(m,)"),
    "compute_centroids": ("centroids", "(K, n)"),
    "kMeans_init_centroids": ("centroids", "(K, n)"),
    "kMeans_plusplus_init": ("centroids", "(K, n)"),
}


def wrong_kind_failure(exercise, case, result):
    """Fail ``case`` if ``result`` is None or a tuple, naming which; else return."""
    what, shape_text = RETURNS[exercise]
    if result is None or isinstance(result, tuple):
        _as_array(case, result, what, shape_text)


def tuple_failure(case, what, shape_text):
    """Fail ``case``: the function returned a tuple, where one array was due."""
    name_mistake(case, "", "common.returns_tuple", what=what, shape=shape_text)


def _as_array(case, result, what, shape_text):
    """``result`` as an array, or a failure naming what came back instead."""
    if result is None:
        name_mistake(case, "", "common.returns_none", what=what)
    if isinstance(result, tuple):
        tuple_failure(case, what, shape_text)
    if isinstance(result, np.ndarray):
        return result
    try:
        array = np.asarray(result)
    except (ValueError, TypeError):
        array = None
    if array is None or array.dtype == object or array.ndim == 0:
        fail(
            case,
            f"expected {what}, an array of shape {shape_text}, "
            f"got {type(result).__name__}.",
        )
    return array


# --------------------------------------------------------------------------
# find_closest_centroids
# --------------------------------------------------------------------------


def _nearest(X, centroids, distance):
    """argmin over centroids of ``distance(differences)``, shape (m,)."""
    differences = X[:, None, :].astype(float) - centroids[None, :, :].astype(float)
    return np.argmin(distance(differences), axis=1)


def _euclidean(d):
    return np.sqrt(np.sum(d**2, axis=2))


def _index_array(case, result, namespace):
    """Check the type and shape of find_closest_centroids' answer; return it."""
    X, centroids = case.args
    m, K = X.shape[0], centroids.shape[0]
    idx = _as_array(case, result, "idx", f"({m},)")
    if idx.shape == (m,):
        return idx
    stale = _global_named(namespace, lambda value: value is result)
    if stale is not None:
        fail(
            case,
            f"your function returned the notebook's global `{stale}` (shape "
            f"{idx.shape}), not indices computed from its arguments. Build a new idx "
            f"of shape ({m},) from the arguments X and centroids.",
        )
    if idx.ndim == 1:
        rows = _global_named(
            namespace, lambda v: v.ndim == 2 and v.shape[0] == idx.shape[0]
        )
        if rows:
            fail(
                case,
                f"expected one index per row of the argument X, shape ({m},), got "
                f"shape {idx.shape}: your function works on the notebook's global "
                f"`{rows}`, which has {idx.shape[0]} rows, instead of its argument X. "
                "Use the function's arguments, never the notebook's variables.",
                "closest.global_X",
            )
        name_mistake(case, f"got shape {idx.shape}", "closest.wrong_length", m=m, K=K)
    if idx.shape in ((m, K), (K, m)) and idx.size != m:
        fail(
            case,
            f"expected idx of shape ({m},), got shape {idx.shape}: these look like "
            "the distances. Take their argmin over the centroids (axis=1).",
        )
    if idx.size == m:
        fail(
            case,
            f"expected idx of shape ({m},), got shape {idx.shape}. Flatten it: "
            "np.argmin(distances, axis=1) is already 1-D.",
        )
    fail(case, f"expected idx of shape ({m},), got shape {idx.shape}.")
    return None  # not reached


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


def name_mistake(case, shown, identifier, **values):
    """Fail ``case`` naming mistake ``identifier`` after ``shown`` (what came back)."""
    text = mistakes.sentence(identifier, **values)
    fail(case, f"{shown}: {text}" if shown else text, identifier)


def _right_indices(case, answer):
    """Whether ``answer`` has the right values (whatever their dtype) for ``case``."""
    return np.shape(answer) == (len(case.expected),) and all(
        g in allowed
        for g, allowed in zip(np.asarray(answer).tolist(), case.expected, strict=True)
    )


def check_closest(case, result, namespace=None, run=()):
    """Check ``find_closest_centroids``' answer ``result`` for ``case``.

    ``namespace`` is the student's notebook globals, when known: a global used
    in place of an argument is then named.  ``run`` is ``[(case, outcome)]``
    for every case of the same run (this one included), where the function's
    other answers tell apart mistakes that give the same answer here.  Raises
    :class:`CheckFailed`.
    """
    X, centroids = case.args
    m, K = X.shape[0], centroids.shape[0]
    idx = _as_array(case, result, "idx", f"({m},)")
    first = [allowed[0] for allowed in case.expected]
    right = idx.shape == (m,) and np.issubdtype(idx.dtype, np.integer)
    if right and all(
        g in allowed for g, allowed in zip(idx.tolist(), case.expected, strict=True)
    ):
        return
    got = idx.tolist() if idx.ndim == 1 and idx.size <= 10_000 else array_text(idx)
    shown = f"expected {first}, got {got}"
    used = _global_named(
        namespace,
        lambda v: (
            v.ndim == 2
            and v.shape[1] == X.shape[1]
            and not np.array_equal(v, centroids)
            and _same_answer(idx, _nearest(X, v, _euclidean))
        ),
    )
    if used is not None:
        name_mistake(case, shown, "closest.global_centroids", name=used)
    state = _state_mistake(case, idx, run, nearest_to=True)
    if state is not None:
        name_mistake(case, shown, state[0], **state[1])
    known = _best_match(CLOSEST_MISTAKES, case, idx, run, _right_indices)
    if known is not None:
        name_mistake(case, shown, known, K=K, m=m, last=K - 1)
    idx = _index_array(case, result, namespace)
    if not np.issubdtype(idx.dtype, np.integer):
        kind = " (float indices)" if np.issubdtype(idx.dtype, np.floating) else ""
        name_mistake(case, f"got dtype {idx.dtype}{kind}", "closest.float_indices")
    got = idx.tolist()
    ok = [g in allowed for g, allowed in zip(got, case.expected, strict=True)]
    if min(got) < 0 or max(got) >= K:
        name_mistake(
            case,
            "",
            "closest.out_of_range",
            last=K - 1,
            low=min(got),
            high=max(got),
        )
    wrong = [i for i, good in enumerate(ok) if not good]
    for mistake, answer in case.mistakes.items():
        if got == list(answer):
            fail(case, f"expected {first}, got {got}: this is what {mistake} gives.")
    if K > 1 and all(case.expected[i] == (K - 1,) for i in wrong) and K - 1 not in got:
        global_K = _global_int(namespace, "K")
        fail(
            case,
            f"expected {first}, got {got}: the last centroid (index {K - 1}) is never "
            "chosen. Loop over range(K) with K = centroids.shape[0]"
            + (
                f" (the notebook's K is {global_K}: use the centroids you are given)."
                if global_K is not None and global_K != K
                else ", not range(K - 1)."
            ),
            "closest.skips_last",
        )
    i = wrong[0]
    allowed = case.expected[i]
    want = allowed[0] if len(allowed) == 1 else f"any of {list(allowed)} (a tie)"
    name_mistake(
        case,
        "",
        "closest.wrong",
        count=len(wrong),
        m=m,
        i=i,
        row=array_text(X[i]),
        want=want,
        got=got[i],
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


def _centroid_array(case, result, namespace):
    """Check the type and shape of compute_centroids' answer; return it."""
    X, idx, K = case.args
    m, n = X.shape
    centroids = _as_array(case, result, "centroids", f"(K, n) = ({K}, {n})")
    if centroids.shape == (K, n):
        return centroids
    rows, columns = (centroids.shape + (None, None))[:2]
    got = f"expected shape (K, n) = ({K}, {n}), got shape {centroids.shape}"
    if centroids.ndim == 2 and columns == 2 and n != 2 and rows == K:
        fail(
            case,
            f"{got}: the number of features is hard-coded to 2. Use n = X.shape[1] "
            f"(here {n}).",
        )
    if centroids.ndim == 2 and columns == n and rows != K:
        global_K = _global_int(namespace, "K")
        if global_K == rows:
            fail(
                case,
                f"{got}: {rows} rows, the notebook's global K = {rows}. Use the "
                f"argument K (here {K}), never the notebook's variables.",
            )
        if rows == K - 1:
            fail(
                case,
                f"{got}: the last centroid is missing. Make one row per centroid: "
                "np.zeros((K, n)) and range(K).",
            )
        fail(
            case,
            f"{got}: {rows} rows for K = {K}. Is K hard-coded to {rows}? Use the "
            "argument K: one row per centroid.",
        )
    if centroids.shape == (n, K):
        fail(case, f"{got}: rows and columns are swapped. One row per centroid.")
    fail(case, f"{got}.")
    return None  # not reached


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


def _first_difference(expected, got):
    """Where two arrays of one shape differ most visibly: a phrase for messages."""
    gap = np.abs(np.asarray(got, dtype=float) - expected)
    gap = np.where(np.isnan(gap), np.inf, gap)
    k, j = np.unravel_index(int(np.argmax(gap)), gap.shape)
    return int(k), (
        f"centroid {k}, feature {j}: expected {float(expected[k, j])!r}, got "
        f"{float(got[k, j])!r} (off by {gap[k, j]:.3g})"
    )


def tolerance(X):
    """Relative and absolute tolerance of a right centroid for inputs ``X``.

    :data:`TOLERANCE` for float64; for a lower precision, a few hundred of its
    epsilons (a float32 sum of thousands of examples, cumulative or not, is
    that far off and still right).
    """
    eps = np.finfo(X.dtype).eps if np.issubdtype(X.dtype, np.floating) else 0.0
    return max(TOLERANCE, 500 * float(eps))


def _right_means(case, answer):
    answer = np.asarray(answer)
    limit = tolerance(case.args[0])
    return answer.shape == case.expected.shape and np.allclose(
        answer, case.expected, rtol=limit, atol=limit
    )


def check_centroids(case, result, namespace=None, run=()):
    """Check ``compute_centroids``' answer ``result`` for ``case``.

    ``namespace`` is the student's notebook globals, when known; ``run`` as
    for :func:`check_closest`.  Raises :class:`CheckFailed`.
    """
    X, idx, K = case.args
    m, n = X.shape
    expected = case.expected
    allowed = tolerance(X)
    centroids = _as_array(case, result, "centroids", f"(K, n) = ({K}, {n})")
    if centroids.shape == (K, n) and np.issubdtype(centroids.dtype, np.number):
        if np.allclose(centroids, expected, rtol=allowed, atol=allowed):
            return
    shown = f"expected {array_text(expected)}, got {array_text(centroids)}"
    counts = np.bincount(idx, minlength=K)
    if np.issubdtype(centroids.dtype, np.number) and not np.issubdtype(
        centroids.dtype, np.complexfloating
    ):
        state = _state_mistake(case, centroids, run)
        if state is not None:
            name_mistake(case, shown, state[0], **state[1])
        known = _best_match(CENTROID_MISTAKES, case, centroids, run, _right_means)
        if known == "centroids.floor_division" and np.issubdtype(
            centroids.dtype, np.integer
        ):
            known = "centroids.integer"
        if known == "centroids.never_filled" and not expected.any():
            known = None
        if known is not None:
            name_mistake(case, shown, known, K=K, last=K - 1, top=int(idx.max()) + 1)
        for decimals in range(4):
            rounded = np.round(expected, decimals)
            if centroids.shape == (K, n) and np.allclose(
                centroids, rounded, rtol=0, atol=1e-6
            ):
                name_mistake(
                    case,
                    shown,
                    "centroids.rounded",
                    decimals=decimals,
                    plural="s" if decimals != 1 else "",
                )
        stale = _global_named(
            namespace,
            lambda v: v.ndim == 2 and v.shape == centroids.shape and v.shape[0] != K,
        )
        if stale is not None and centroids.shape[1] == n:
            rows = centroids.shape[0]
            also = (
                f", and the notebook's global K = {rows}"
                if _global_int(namespace, "K") == rows
                else ""
            )
            name_mistake(
                case,
                shown,
                "centroids.global_shape",
                name=stale,
                rows=rows,
                also=also,
            )
    centroids = _centroid_array(case, result, namespace)
    if not np.issubdtype(centroids.dtype, np.number) or np.issubdtype(
        centroids.dtype, np.complexfloating
    ):
        fail(case, f"expected real numbers, got dtype {centroids.dtype}")
    if np.isnan(centroids).any():
        rows = sorted({int(r) for r in np.argwhere(np.isnan(centroids))[:, 0]})
        if all(counts[r] == 0 for r in rows):
            name_mistake(case, f"rows {rows} are NaN", "centroids.nan_for_empty")
        fail(case, f"rows {rows} hold NaN")
    if np.issubdtype(centroids.dtype, np.integer):
        name_mistake(case, shown, "centroids.integer")
    for mistake, answer in case.mistakes.items():
        if np.allclose(centroids, answer, rtol=allowed, atol=allowed):
            fail(case, f"{shown}: this is what {mistake} gives.")
    close = np.all(np.isclose(centroids, expected, rtol=allowed, atol=allowed), 1)
    wrong = np.flatnonzero(~close)
    zero_rows = ~centroids.any(axis=1)
    # Only the first r clusters filled: K fixed at r (a number, or the notebook's K).
    filled = int(np.argmin(close)) if not close.all() else K
    if 0 < filled < K and zero_rows[filled:].all() and expected[filled:].any():
        global_K = _global_int(namespace, "K")
        name_mistake(
            case,
            "",
            "centroids.global_K" if global_K == filled else "centroids.hard_coded_K",
            filled=filled,
            K=K,
        )
    k, where = _first_difference(expected, centroids)
    name_mistake(
        case,
        "",
        "centroids.wrong",
        count=len(wrong),
        K=K,
        where=where,
        points=counts[k],
        k=k,
    )


# --------------------------------------------------------------------------
# Errors the student's function raised, explained
# --------------------------------------------------------------------------


def error_text(error):
    """One line naming an exception, as the grader's worker describes it."""
    lines = str(error).strip().splitlines()
    kind = type(error).__name__
    return f"{kind}: {lines[0]}" if lines else kind


def _ran_with_shape(run, shape_of):
    """Whether a case of ``run`` returned an answer of shape ``shape_of(case)``."""
    return any(
        outcome.error is None and np.shape(outcome.result) == shape_of(other)
        for other, outcome in run
    )


def explain_error(exercise, case, error, namespace=None, run=()):
    """Say what an error raised by the student's function most likely means.

    ``error`` is the exception or its one-line description (``"Kind: text"``,
    as :func:`error_text` and the grader's worker write it): the public test
    and the grader explain the same text the same way.  ``run`` as for
    :func:`check_closest`.  Returns ``(message, identifier or None)``.
    """
    if isinstance(error, BaseException):
        error = error_text(error)
    kind, _, text = error.partition(": ")
    said = f"your function raised {error}"
    args = dict(zip(ARGUMENTS[exercise], case.args, strict=False))
    X = args.get("X")
    numbers = [int(n) for n in re.findall(r"\d+", text)]

    def named(identifier, **values):
        text = mistakes.sentence(identifier, **values)
        return f"{said.rstrip('.')}. {text[:1].upper()}{text[1:]}", identifier

    if "read-only" in text:
        return named("error.read_only")
    if kind == "TypeError" and "ellipsis" in text:
        return named("error.ellipsis")
    if kind == "TypeError" and "object is not callable" in text and "ndarray" in text:
        return named("error.shadowed_name")
    found = re.match(r"name '(\w+)' is not defined", text)
    if kind == "NameError" and found:
        names = ", ".join(ARGUMENTS[exercise])
        return named("error.undefined_name", name=found.group(1), names=names)
    if exercise == "find_closest_centroids":
        m, K = X.shape[0], args["centroids"].shape[0]
        shapes = re.findall(r"\(([\d,]+)\)", text)
        if "could not be broadcast" in text and len(shapes) >= 2:
            rows = {s.split(",")[0] for s in shapes[:2]}
            if rows == {str(m), str(K)} and m != K:
                return named("closest.broadcast_rows")
        if "setting an array element with a sequence" in text:
            return named("closest.where_sequence")
        if "argmin of an empty sequence" in text:
            return named("closest.loop_reuses_K")
        if kind == "IndexError" and "out of bounds for axis 0 with size" in text:
            size = numbers[-1] if numbers else None
            if (
                size == K
                and m > K
                and (_ran_with_shape(run, lambda c: (c.args[1].shape[0],)))
            ):
                return named("closest.idx_size_K", K=K, m=m)
            if size == m and m < K:
                return named("closest.distances_to_X")
            if size == K:
                global_K = _global_int(namespace, "K")
                extra = (
                    f" The notebook's K is {global_K}: use the centroids you are given."
                    if global_K is not None and global_K != K
                    else ""
                )
                message, identifier = named("closest.loop_past_K", last=K - 1)
                return message + extra, identifier
    if exercise == "compute_centroids" and kind in ("ValueError", "IndexError"):
        idx, K = args["idx"], args["K"]
        top = int(idx.max()) + 1 if idx.size else 0
        mixed = "broadcast" in text or "boolean index" in text
        if mixed and top < K and top in numbers and K in numbers:
            return named("centroids.bincount_short", top=top, K=K)
    if (
        exercise == "compute_centroids"
        and "Cannot cast ufunc" in text
        and "int" in text
    ):
        return named("centroids.integer_accumulator")
    if kind == "IndexError" and "boolean index did not match" in text:
        m = X.shape[0]
        sizes = [int(n) for n in re.findall(r"(?:axis|dimension) is (\d+)", text)]
        rows, flags = (sizes + [m, m])[:2]
        if rows != m:
            length, which = rows, "X"
        else:
            length, which = flags, "idx"
        other = _global_named(
            namespace,
            lambda v: v.shape[0] == length and (v.ndim == 2) == (which == "X"),
        )
        where = f"the notebook's global `{other}`" if other else f"an array of {length}"
        return named("error.other_length", m=m, where=where, length=length, which=which)
    if kind == "IndexError" and "out of bounds for axis 0" in text:
        K = args.get("K", None)
        global_K = _global_int(namespace, "K")
        who = (
            f" The notebook's K is {global_K}: use the argument K ({K} here)."
            if global_K is not None and global_K != K
            else " Is K hard-coded? Use the argument K (or centroids.shape[0])."
        )
        message, identifier = named("centroids.loop_past_K", last=K - 1)
        return message + who, identifier
    if exercise == "compute_centroids" and kind == "ValueError":
        sizes = set(np.bincount(args["idx"]).tolist())
        if "could not broadcast input array from shape" in text and any(
            f"({size},)" in text.split("into")[0] for size in sizes
        ):
            return named("centroids.mean_axis_1")
    return said, None


# --------------------------------------------------------------------------
# Calling the student's function
# --------------------------------------------------------------------------


def read_only_copies(args):
    """Copies of the array arguments, read-only (as ``utils.run_kMeans`` hands them)."""
    copies = []
    for value in args:
        if isinstance(value, np.ndarray):
            value = value.copy()
            value.flags.writeable = False
        copies.append(value)
    return tuple(copies)


def check_unchanged(case, before, after):
    """Fail if the function modified any of its array inputs."""
    for position, (old, new) in enumerate(zip(before, after, strict=True)):
        if isinstance(old, np.ndarray) and not np.array_equal(old, new):
            name_mistake(case, "", "error.modifies_input", position=position + 1)


def call(exercise, case, target, namespace=None, args=None):
    """Call ``target`` on read-only copies of the case's inputs.

    Returns ``(result, warnings)``.  ``NotImplementedError`` (a stub) passes
    through; any other exception becomes a :class:`CheckFailed` saying what
    it most likely means.
    """
    args = read_only_copies(case.args if args is None else args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = target(*args)
        except NotImplementedError:
            raise
        except Exception as error:
            fail(case, *explain_error(exercise, case, error, namespace))
    return result, caught


@dataclass
class Outcome:
    """What a function did on one case: its answer, or the error it raised.

    ``error`` is one line, ``"Kind: text"``; ``warnings`` are lines
    ``"Category: message"``; ``args_after`` the array arguments after the call
    (None when they were read-only); ``kind`` the type name of the answer.
    The public tests make these in the notebook, the grader from its worker's
    report: both judge them with :func:`judge`.
    """

    result: object = None
    error: str | None = None
    warnings: tuple = ()
    args_after: tuple | None = None
    kind: str | None = None


def collect(case, target, args=None):
    """Call ``target`` on read-only copies of the case's inputs; its :class:`Outcome`.

    ``NotImplementedError`` (a stub) passes through.
    """
    args = read_only_copies(case.args if args is None else args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = target(*args), None
        except NotImplementedError:
            raise
        except Exception as raised:  # noqa: BLE001 - student code may raise anything
            result, error = None, error_text(raised)
    said = tuple(f"{w.category.__name__}: {w.message}" for w in caught)
    return Outcome(result, error, said, kind=type(result).__name__)


def judge(exercise, case, outcome, check, *, run=(), namespace=None, quiet=False):
    """Judge one case's :class:`Outcome`; raise :class:`CheckFailed` if wrong.

    The one set of rules of the public tests and the grader.  ``run`` is
    ``[(case, outcome)]`` for every case of the run (see
    :func:`check_closest`); ``quiet``: a RuntimeWarning fails the case.
    """
    if outcome.error is not None:
        fail(case, *explain_error(exercise, case, outcome.error, namespace, run))
    if outcome.args_after is not None:
        check_unchanged(case, case.args, outcome.args_after)
    if outcome.kind == "tuple":
        what = "idx" if exercise == "find_closest_centroids" else "centroids"
        tuple_failure(case, what, "(m,)" if what == "idx" else "(K, n)")
    check(case, outcome.result, namespace, run)
    runtime = [w for w in outcome.warnings if w.startswith("RuntimeWarning")]
    if quiet and runtime:
        name_mistake(case, "", "centroids.runtime_warning", warning=runtime[0])


def expect_value_error(exercise, case, target, why):
    """Fail unless ``target(*case.args)`` raises ValueError; warnings are fine."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. 0 / 0 just before the error
            target(*read_only_copies(case.args))
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as error:
        fail(case, f"expected a ValueError, got {type(error).__name__}: {error}")
    fail(case, f"expected a ValueError: {why}.")


def no_runtime_warning(case, caught):
    """Fail if a RuntimeWarning (0 / 0, the mean of nothing) was raised."""
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if runtime:
        fail(
            case,
            f"the right answer, but with a warning: {runtime[0].message}. An empty "
            "cluster should be skipped, not averaged.",
        )


# --------------------------------------------------------------------------
# Random starts: kMeans_init_centroids and kMeans_plusplus_init
# --------------------------------------------------------------------------


def check_plusplus_rows(case, X, K, centroids, twice=None):
    """Fail unless ``centroids`` is K distinct rows of X.

    ``twice`` is what to say when an example is picked twice; by default, the
    k-means++ reason it never should be.
    """
    centroids = _as_array(case, centroids, "centroids", f"(K, n) = ({K}, {X.shape[1]})")
    if centroids.shape != (K, X.shape[1]):
        fail(
            case,
            f"expected an array of shape (K, n) = ({K}, {X.shape[1]}), got shape "
            f"{centroids.shape}",
        )
    rows = {tuple(row) for row in X.tolist()}
    picked = [tuple(row) for row in np.asarray(centroids, dtype=X.dtype).tolist()]
    if not all(row in rows for row in picked):
        fail(case, "every centroid must be one of the examples (a row of X).")
    if len(set(picked)) != K:
        fail(
            case,
            twice
            or "an example was picked twice: once chosen, its distance D(x) is 0, "
            "so its weight D(x)^2 is 0.",
        )


def check_first_picks(case, X, firsts):
    """Fail unless the first centroid, over many seeds, is uniform over X's rows."""
    m = X.shape[0]
    counts = np.zeros(m)
    lookup = {tuple(row): i for i, row in enumerate(X.tolist())}
    for row in firsts:
        counts[lookup[tuple(np.asarray(row, dtype=float).tolist())]] += 1
    share = counts / len(firsts)
    # Each row is first with probability 1/m; allow 5.5 standard deviations.
    spread = 5.5 * np.sqrt((1 / m) * (1 - 1 / m) / len(firsts))
    if np.all(np.abs(share - 1 / m) <= spread):
        return
    if share.max() == 1.0:
        i = int(np.argmax(share))
        fail(
            case,
            f"over {len(firsts)} seeds the first centroid was always X[{i}] = "
            f"{array_text(X[i])}. Step 1 picks it uniformly at random: "
            "X[rng.integers(m)].",
        )
    never = np.flatnonzero(counts == 0).tolist()
    fail(
        case,
        f"over {len(firsts)} seeds the rows of X came first with shares "
        f"{array_text(share)}; each should be about 1/{m}"
        + (f" (rows {never} never)" if never else "")
        + ". Pick the first centroid with rng.integers(m), which draws 0 to m - 1.",
    )


#: Three points on a line, 0, 1 and 3.  With the first centroid uniform and the
#: second drawn with probability proportional to D(x)^2, the pair {0, 1} comes
#: out with probability (1/3)(1/10) + (1/3)(1/5) = 0.1 (from 0: D^2 = 1, 9;
#: from 1: D^2 = 1, 4; from 3: D^2 = 9, 4 gives {0, 1} never).  Proportional to
#: D it would be (1/3)(1/4 + 1/3) = 0.194; uniform, 1/3.
LINE = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]])
LINE_SEEDS = 3000
#: How far a frequency over many seeded runs may stray from the probability a
#: right k-means++ gives, in standard deviations of that frequency (the public
#: and the hidden frequency tests both use it).  The seeds are fixed, but each
#: right way of drawing (``rng.choice``, a cumulative sum) draws differently,
#: so a right answer lands anywhere in the spread: past 5.5 standard
#: deviations with probability 4e-8, while the mistakes stay far outside
#: (weights D(x), a uniform choice, the farthest point: 17 or more).
FREQUENCY_SIGMAS = 5.5


def frequency_band(probability, runs):
    """``(low, high)``: the frequencies a right answer gives over ``runs`` runs."""
    spread = FREQUENCY_SIGMAS * (probability * (1 - probability) / runs) ** 0.5
    return probability - spread, probability + spread


#: Accepted frequency of the pair {0, 1}: 0.1 +- 0.030.
LINE_BAND = frequency_band(0.1, LINE_SEEDS)


def check_plusplus_line_pairs(case, pairs):
    """Fail unless the pair {0, 1} of :data:`LINE` comes out with frequency near 0.1."""
    frequency = np.mean([set(p) == {0.0, 1.0} for p in pairs])
    low, high = LINE_BAND
    if low <= frequency <= high:
        return
    hint, mistake = "", None
    if frequency < 0.02:
        hint = " " + mistakes.sentence("plusplus.farthest")
        mistake = "plusplus.farthest"
    elif abs(frequency - 0.194) < 0.03:
        hint = " That is what weights proportional to D(x), not D(x)^2, give."
    elif abs(frequency - 1 / 3) < 0.03:
        hint = " That is what a uniform choice gives: weight by D(x)^2."
    fail(
        case,
        f"over {len(pairs)} seeds the pair {{0, 1}} came out with frequency "
        f"{frequency:.3f}; k-means++ gives 0.1.{hint}",
        mistake,
    )


# --------------------------------------------------------------------------
# Public tests: run the steps, print one line, or return one short error
# --------------------------------------------------------------------------


class Seeded:
    """Stands for the random generator a case passes, in its description."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class PublicTestFailure(AssertionError):
    """A failed public test, shown in a notebook as its message alone.

    IPython calls ``_render_traceback_`` instead of printing the traceback, so
    the student reads which case failed, its inputs and the likely mistake,
    without frames of the test's own code.  ``mistake`` is the identifier of
    the mistake it names, if any (see :mod:`labkit.mistakes`).
    """

    def __init__(self, message, mistake=None):
        super().__init__(message)
        self.mistake = mistake

    def _render_traceback_(self):
        return str(self).splitlines()


class NotWrittenError(NotImplementedError):
    """The exercise is still its stub: shown as its one sentence."""

    def _render_traceback_(self):
        return str(self).splitlines()


def failure_text(exercise, failure):
    """The message of a failed public test: the case, its inputs, the problem."""
    case = failure.case
    lines = [f'{exercise}_test failed on the case "{case.name}", called with']
    lines += describe_inputs(exercise, case)
    lines += textwrap.wrap(failure.problem, width=88)
    return "\n".join(lines)


def case_steps(exercise, cases, check, quiet=False):
    """One step per case: the first calls the function on every case, in order
    (as the grader does), then each judges its case's outcome with :func:`judge`.

    Judging after all calls lets a case's message use the function's other
    answers, e.g. two calls with the same inputs that differ.
    """
    run = []

    def step_for(position):
        def step(target, namespace):
            if position == 0:
                run[:] = [(case, collect(case, target)) for case in cases]
            case, outcome = run[position]
            judge(
                exercise,
                case,
                outcome,
                check,
                run=run,
                namespace=namespace,
                quiet=quiet,
            )

        return step

    return [step_for(position) for position in range(len(cases))]


def run_public_test(exercise, target, steps, *, graded=True, optional=False):
    """Run a public test's steps; print the success line and return None, or
    return the one exception the calling test should raise.

    A graded function that reaches beyond what graded cells may use (see
    :mod:`labkit.environment`) fails first, with the one line saying why the
    grader would fail it.  An optional exercise left as its stub is skipped
    with one printed line, so that Run All goes on.
    """
    if graded:
        problem = environment.reach_problem(target)
        if problem is not None:
            return PublicTestFailure(
                f"{exercise}_test stopped before its cases: {problem}"
            )
    namespace = getattr(target, "__globals__", None)
    try:
        for step in steps:
            step(target, namespace)
    except NotImplementedError as error:
        if optional:
            print(
                f"{exercise} is not written yet: this optional exercise is skipped, "
                "and the cells below run without it."
            )
            return None
        return NotWrittenError(str(error))
    except CheckFailed as failure:
        return PublicTestFailure(failure_text(exercise, failure), failure.mistake)
    more = " (the grader runs more)" if graded else ""
    print(f"{exercise}: all {len(steps)} public tests passed{more}.")
    return None
