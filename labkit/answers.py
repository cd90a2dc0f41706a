"""Judging answers to the lab's exercises: the checks public and hidden tests share.

``public_tests.py`` (what a student runs) and the grader's own cases (which
stay with the instructor) hold the cases; this module calls a student's function
on a case and judges what came back.  A wrong answer raises
:class:`CheckFailed`, whose message names the mistake in the student's own
terms: their (K, n) shapes, the argument they should have used instead of a
notebook global, the missing ``return``, ``minlength``, ``axis=0``.

Where it can, a diagnosis is computed rather than guessed: the answer a known
mistake gives (L1 or max-norm distance, rounded means, the notebook's global
``initial_centroids``) is worked out from the case's inputs and compared with
the student's.
"""

import re
import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import environment

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
    """A wrong answer to ``case``; ``problem`` says what is wrong and why."""

    def __init__(self, case, problem):
        super().__init__(f"Case '{case.name}': {problem}")
        self.case = case
        self.problem = problem


def fail(case, problem):
    """Raise :class:`CheckFailed` for ``case``."""
    raise CheckFailed(case, problem)


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


def _as_array(case, result, what, shape_text):
    """``result`` as an array, or a failure naming what came back instead."""
    if result is None:
        fail(
            case,
            f"your function returned None. Does it end with `return {what}`? "
            "(A function without a return statement returns None.)",
        )
    if isinstance(result, tuple):
        kinds = ", ".join(type(item).__name__ for item in result)
        fail(
            case,
            f"your function returned a tuple of {len(result)} values ({kinds}). "
            f"Return only {what}, an array of shape {shape_text}.",
        )
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


EUCLIDEAN_ADVICE = (
    "Use the Euclidean distance, np.sum((X[i] - centroids[k]) ** 2) for the "
    "squared one (the square root never changes which centroid is nearest)."
)
FLOAT_ADVICE = "Keep distances in a float array: np.zeros(K) is float."

#: Distances a student might use by mistake: (what it is, its argmin-able
#: distance from the (m, K, n) differences, what to do instead).
WRONG_DISTANCES = (
    (
        "the L1 (Manhattan) distance, a sum of absolute differences,",
        lambda d: np.sum(np.abs(d), axis=2),
        EUCLIDEAN_ADVICE,
    ),
    (
        "the max-norm (L-infinity) distance, the largest absolute difference,",
        lambda d: np.max(np.abs(d), axis=2),
        EUCLIDEAN_ADVICE,
    ),
    (
        "storing the distances in an integer array (np.zeros(K, dtype=int) cuts "
        "2.83 to 2)",
        lambda d: np.floor(_euclidean(d)),
        FLOAT_ADVICE,
    ),
    (
        "storing the squared distances in an integer array (np.zeros(K, dtype=int) "
        "cuts 0.8 to 0)",
        lambda d: np.floor(np.sum(d**2, axis=2)),
        FLOAT_ADVICE,
    ),
    (
        "taking the farthest centroid (argmax)",
        lambda d: -np.sum(d**2, axis=2),
        "Take the nearest: np.argmin.",
    ),
    (
        "a distance over the first two features only",
        lambda d: np.sum(d[:, :, :2] ** 2, axis=2),
        "The number of features is hard-coded to 2: use all n = X.shape[1].",
    ),
)


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
        where = (
            f"the notebook's global `{rows}`, which has {idx.shape[0]} rows"
            if rows
            else f"an X with {idx.shape[0]} rows"
        )
        fail(
            case,
            f"expected one index per row of the argument X, shape ({m},), got shape "
            f"{idx.shape}: your function works on {where} instead of its argument X. "
            "Use the function's arguments, never the notebook's variables.",
        )
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


def check_closest(case, result, namespace=None):
    """Check ``find_closest_centroids``' answer ``result`` for ``case``.

    ``namespace`` is the student's notebook globals, when known: a global used
    in place of an argument is then named.  Raises :class:`CheckFailed`.
    """
    X, centroids = case.args
    m, K = X.shape[0], centroids.shape[0]
    idx = _index_array(case, result, namespace)
    if not np.issubdtype(idx.dtype, np.integer):
        kind = " (float indices)" if np.issubdtype(idx.dtype, np.floating) else ""
        fail(
            case,
            f"expected integer indices, got dtype {idx.dtype}{kind}. Create idx with "
            "np.zeros(m, dtype=int), or use np.argmin.",
        )
    got = idx.tolist()
    ok = [g in allowed for g, allowed in zip(got, case.expected, strict=True)]
    if all(ok):
        return
    first = [allowed[0] for allowed in case.expected]
    if all(g == f + 1 for g, f in zip(got, first, strict=True)):
        fail(
            case, f"got {got}, expected {first}: 1-based indices. Python counts from 0."
        )
    if min(got) < 0 or max(got) >= K:
        fail(
            case,
            f"indices must run from 0 to {K - 1} (one per centroid), got values from "
            f"{min(got)} to {max(got)}",
        )
    wrong = [i for i, good in enumerate(ok) if not good]
    # A notebook global in place of the argument `centroids`.
    used = _global_named(
        namespace,
        lambda v: (
            v.ndim == 2
            and v.shape[1] == X.shape[1]
            and not np.array_equal(v, centroids)
            and _nearest(X, v, _euclidean).tolist() == got
        ),
    )
    if used is not None:
        fail(
            case,
            f"expected {first}, got {got}: the centroids your function measured "
            f"against are the notebook's global `{used}`, not its argument "
            "`centroids`. Use the function's arguments, never the notebook's "
            "variables.",
        )
    for mistake, distance, advice in WRONG_DISTANCES:
        if _nearest(X, centroids, distance).tolist() == got:
            fail(case, f"expected {first}, got {got}: {mistake} gives this. {advice}")
    if K > 1 and not any(got):
        fail(case, f"expected {first}, got all zeros: idx is never filled in.")
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
        )
    i = wrong[0]
    allowed = case.expected[i]
    want = allowed[0] if len(allowed) == 1 else f"any of {list(allowed)} (a tie)"
    fail(
        case,
        f"{len(wrong)} of {m} examples are assigned wrongly; e.g. example {i}, "
        f"X[{i}] = {array_text(X[i])}, expected centroid {want}, got {got[i]}.",
    )


# --------------------------------------------------------------------------
# compute_centroids
# --------------------------------------------------------------------------


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


def check_centroids(case, result, namespace=None):
    """Check ``compute_centroids``' answer ``result`` for ``case``.

    ``namespace`` is the student's notebook globals, when known.  Raises
    :class:`CheckFailed`.
    """
    X, idx, K = case.args
    m, n = X.shape
    expected = case.expected
    centroids = _centroid_array(case, result, namespace)
    if not np.issubdtype(centroids.dtype, np.number) or np.issubdtype(
        centroids.dtype, np.complexfloating
    ):
        fail(case, f"expected real numbers, got dtype {centroids.dtype}")
    counts = np.bincount(idx, minlength=K)
    if np.isnan(centroids).any():
        rows = sorted({int(r) for r in np.argwhere(np.isnan(centroids))[:, 0]})
        if all(counts[r] == 0 for r in rows):
            fail(
                case,
                f"rows {rows} are NaN: the mean of an empty cluster. Only average "
                "clusters that have points; an empty cluster's row stays zeros.",
            )
        fail(case, f"rows {rows} hold NaN")
    if np.allclose(centroids, expected, rtol=TOLERANCE, atol=TOLERANCE):
        return
    shown = f"expected {array_text(expected)}, got {array_text(centroids)}"
    if np.issubdtype(centroids.dtype, np.integer):
        fail(
            case,
            f"got integer centroids {array_text(centroids)}, expected "
            f"{array_text(expected)}: start from np.zeros((K, n)), which is float.",
        )
    if not centroids.any() and expected.any():
        fail(case, f"{shown}: every row is still zero, centroids is never filled in.")
    for decimals in range(4):
        if np.allclose(centroids, np.round(expected, decimals), rtol=0, atol=1e-9):
            fail(
                case,
                f"{shown}: the means are rounded to {decimals} decimal"
                f"{'s' if decimals != 1 else ''}. Return them unrounded: round only "
                "when you print.",
            )
    sums = expected * counts[:, None]
    diagnoses = {
        "the sum of each cluster instead of its mean": sums,
        "dividing by m (all examples) instead of the cluster's size": sums / m,
        "np.mean without axis=0 (the mean of every number in the cluster, not of "
        "each feature)": _means(X, idx, K, lambda p: np.full(n, p.mean())),
        "the median instead of the mean": _means(X, idx, K, lambda p: np.median(p, 0)),
        **case.mistakes,
    }
    for mistake, answer in diagnoses.items():
        if np.allclose(centroids, answer, rtol=TOLERANCE, atol=TOLERANCE):
            fail(case, f"{shown}: this is what {mistake} gives.")
    close = np.all(np.isclose(centroids, expected, rtol=TOLERANCE, atol=TOLERANCE), 1)
    wrong = np.flatnonzero(~close)
    zero_rows = ~centroids.any(axis=1)
    # Only the first r clusters filled: K fixed at r (a number, or the notebook's K).
    filled = int(np.argmin(close)) if not close.all() else K
    if 0 < filled < K and zero_rows[filled:].all() and expected[filled:].any():
        global_K = _global_int(namespace, "K")
        if filled == K - 1:
            fail(
                case,
                f"centroid {K - 1} (the last one) is all zeros: loop over range(K), "
                "not range(K - 1).",
            )
        why = (
            f"the notebook's global K = {global_K}"
            if global_K == filled
            else f"K hard-coded to {filled}"
        )
        fail(
            case,
            f"only the first {filled} of K = {K} centroids are computed, the rest "
            f"are zeros: {why}? Loop over range(K) with the argument K.",
        )
    k = int(wrong[0])
    fail(
        case,
        f"{len(wrong)} of {K} centroids are wrong; e.g. centroid {k} "
        f"({counts[k]} points): expected {array_text(expected[k])}, "
        f"got {array_text(centroids[k])}.",
    )


# --------------------------------------------------------------------------
# Errors the student's function raised, explained
# --------------------------------------------------------------------------


def explain_error(exercise, case, error, namespace=None):
    """Say what an exception raised by the student's function most likely means."""
    text = str(error)
    kind = type(error).__name__
    said = f"your function raised {kind}: {text}"
    if "read-only" in text:
        return (
            f"{said}. Your function tried to change one of its arguments in place, "
            "which the lab does not allow: work on a copy (new arrays, or "
            "X = X.copy() first), never on the arrays you are given."
        )
    if isinstance(error, TypeError) and "ellipsis" in text:
        return (
            f"{said}. The `...` in the hint are blanks for you to fill in, "
            "not code to run."
        )
    args = dict(zip(ARGUMENTS[exercise], case.args, strict=False))
    X = args.get("X")
    if isinstance(error, NameError) and getattr(error, "name", None):
        names = ", ".join(ARGUMENTS[exercise])
        return (
            f"{said}. Your function uses `{error.name}`, which is not one of its "
            f"arguments ({names}) nor defined inside it. Use the function's "
            "arguments, never the notebook's variables."
        )
    if exercise == "compute_centroids" and isinstance(error, (ValueError, IndexError)):
        idx, K = args["idx"], args["K"]
        top = int(idx.max()) + 1 if idx.size else 0
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        mixed = "broadcast" in text or "boolean index" in text
        if mixed and top < K and top in numbers and K in numbers:
            return (
                f"{said}. np.bincount(idx) has only max(idx) + 1 = {top} entries when "
                f"the last clusters are empty, not K = {K}: pass minlength=K."
            )
    if isinstance(error, IndexError) and "boolean index did not match" in text:
        m = X.shape[0]
        sizes = [int(n) for n in re.findall(r"(?:axis|dimension) is (\d+)", text)]
        rows, flags = (sizes + [m, m])[:2]
        if rows != m:
            length, kind = rows, "X"
        else:
            length, kind = flags, "idx"
        other = _global_named(
            namespace, lambda v: v.shape[0] == length and (v.ndim == 2) == (kind == "X")
        )
        named = f"the notebook's global `{other}`" if other else f"an array of {length}"
        return (
            f"{said}. X[idx == k] needs an X and an idx of the same length ({m} "
            f"here): your function uses {named} ({length} rows) instead of its "
            f"argument {kind}. Use the function's arguments, never the notebook's "
            "variables."
        )
    if isinstance(error, IndexError) and "out of bounds for axis 0" in text:
        K = args.get("K", None)
        if K is None and "centroids" in args:
            K = args["centroids"].shape[0]
        global_K = _global_int(namespace, "K")
        who = (
            f" The notebook's K is {global_K}: use the argument K ({K} here)."
            if global_K is not None and global_K != K
            else " Is K hard-coded? Use the argument K (or centroids.shape[0])."
        )
        return f"{said}. Your loop goes past the last centroid, K - 1 = {K - 1}.{who}"
    if exercise == "compute_centroids" and isinstance(error, ValueError):
        sizes = set(np.bincount(args["idx"]).tolist())
        if "could not broadcast input array from shape" in text and any(
            f"({size},)" in text.split("into")[0] for size in sizes
        ):
            return (
                f"{said}. np.mean(points, axis=1) averages each example's features, "
                "one number per example; the centroid averages the examples, one "
                "number per feature: axis=0."
            )
    return said


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
            fail(
                case,
                f"your function modified its input argument {position + 1}; "
                "work on a copy.",
            )


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
            fail(case, explain_error(exercise, case, error, namespace))
    return result, caught


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
#: Accepted frequency of the pair {0, 1}: 0.1 +- 5.5 standard deviations.
LINE_BAND = (0.07, 0.13)


def check_plusplus_line_pairs(case, pairs):
    """Fail unless the pair {0, 1} of :data:`LINE` comes out with frequency near 0.1."""
    frequency = np.mean([set(p) == {0.0, 1.0} for p in pairs])
    low, high = LINE_BAND
    if low <= frequency <= high:
        return
    hint = ""
    if abs(frequency - 0.194) < 0.03:
        hint = " That is what weights proportional to D(x), not D(x)^2, give."
    elif abs(frequency - 1 / 3) < 0.03:
        hint = " That is what a uniform choice gives: weight by D(x)^2."
    fail(
        case,
        f"over {len(pairs)} seeds the pair {{0, 1}} came out with frequency "
        f"{frequency:.3f}; k-means++ gives 0.1.{hint}",
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
    without frames of the test's own code.
    """

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


def case_step(exercise, case, check, quiet=False):
    """A step that calls the function on ``case`` and checks its answer.

    ``quiet``: a RuntimeWarning fails the case (the contract says no warning).
    """

    def step(target, namespace):
        result, caught = call(exercise, case, target, namespace)
        check(case, result, namespace)
        if quiet:
            no_runtime_warning(case, caught)

    return step


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
        return PublicTestFailure(failure_text(exercise, failure))
    more = " (the grader runs more)" if graded else ""
    print(f"{exercise}: all {len(steps)} public tests passed{more}.")
    return None
