"""Judging one answer: right, or a :class:`~.messages.CheckFailed` naming why.

Each exercise's check (:func:`check_closest`, :func:`check_centroids`, the
k-means++ checks) calls on :mod:`.diagnosis` to name the mistake; the public
tests and the grader call the function on every case, then judge each
:class:`Outcome` with :func:`judge`: one set of rules.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from .. import mistakes
from .cases import LINE_BAND
from .diagnosis import (
    CENTROID_MISTAKES,
    CLOSEST_MISTAKES,
    _best_match,
    _euclidean,
    _global_int,
    _global_named,
    _nearest,
    _same_answer,
    _state_mistake,
)
from .errors import error_text, explain_error
from .messages import array_text, fail, name_mistake

#: Relative and absolute tolerance of a right centroid.
TOLERANCE = 1e-5


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
    :class:`~.messages.CheckFailed`.
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
    for :func:`check_closest`.  Raises :class:`~.messages.CheckFailed`.
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
    through; any other exception becomes a :class:`~.messages.CheckFailed` saying what
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
    """Judge one case's :class:`Outcome`; raise :class:`.CheckFailed` if wrong.

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
